// The reference the linearizability search is tested against: every order of the ops that
// respects real time (an op may go once every op returned before its call is placed), with ops
// of unknown outcome (return Infinity) free to be left out. Exponential: tiny histories only.
import type { Model, Operation } from '../../../../sim/check/linearizability/model.ts';

export function bruteForceLinearizable<S, I, O>(ops: readonly Operation<I, O>[], model: Model<S, I, O>): boolean {
  const search = (done: ReadonlySet<number>, state: S): boolean => {
    const left = ops.filter((o) => !done.has(o.id));
    if (left.every((o) => o.return === Infinity)) return true;
    const firstReturn = Math.min(...left.map((o) => o.return));
    for (const o of left) {
      if (o.call > firstReturn) continue;
      const next = model.step(state, o.input, o.output);
      if (next !== undefined && search(new Set([...done, o.id]), next)) return true;
    }
    return false;
  };
  return search(new Set(), model.init());
}
