// The reference the linearizability search is tested against: every order of the ops that
// respects real time (an op may go once every op returned before its call is placed), with ops
// of unknown outcome (return Infinity) free to be left out, and an op with no answer but a finite
// return (it took effect by then, or never) free to be placed without its step. Exponential: tiny
// histories only.
import type { Model, Operation } from '../../../../sim/check/linearizability/model.ts';

export function bruteForceLinearizable<S, I, O>(ops: readonly Operation<I, O>[], model: Model<S, I, O>): boolean {
  const search = (done: ReadonlySet<number>, state: S): boolean => {
    const left = ops.filter((o) => !done.has(o.id));
    if (left.every((o) => o.return === Infinity)) return true;
    const firstReturn = Math.min(...left.map((o) => o.return));
    for (const o of left) {
      if (o.call > firstReturn) continue;
      const next = model.step(state, o.input, o.output);
      const placed = new Set([...done, o.id]);
      if (next !== undefined && search(placed, next)) return true;
      if (o.output === undefined && o.return !== Infinity && search(placed, state)) return true;
    }
    return false;
  };
  return search(new Set(), model.init());
}
