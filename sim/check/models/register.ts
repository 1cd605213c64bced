// One register, initially nil: read, write, compare-and-set. This is the model of Jepsen's
// etcd 2.0 histories, where `:fail :cas` is a CAS that completed without swapping (an
// observation that the register did not hold `from`), not an op that did not happen.
import type { Model, Operation } from '../linearizability/model.ts';
import { FNV1A_OFFSET, fnv1aText } from '../../../src/hash/fnv1a.ts';

export type RegisterValue = number | string | null;

export type RegisterInput = (
  | { f: 'read' }
  | { f: 'write'; value: RegisterValue; version?: number }
  | { f: 'cas'; from: RegisterValue; to: RegisterValue; version?: number }
) & {
  /** The key of an independent-key history (each key its own register). */
  key?: string;
};

/**
 * A read's value, or whether a CAS swapped; a write's output carries nothing. `version`: the
 * version a read observed, and on a write or CAS input the version it made, in a versioned
 * history (versioned-register.ts); the plain register ignores them.
 */
export type RegisterOutput = { value: RegisterValue; version?: number } | { swapped: boolean } | Record<string, never>;

function show(v: RegisterValue): string {
  return v === null ? 'nil' : String(v);
}

export const registerModel: Model<RegisterValue, RegisterInput, RegisterOutput> = {
  name: 'register',
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        if (output === undefined) return state;
        return 'value' in output && output.value === state ? state : undefined;
      case 'write':
        return input.value;
      case 'cas': {
        const matches = state === input.from;
        if (output === undefined) return matches ? input.to : state;
        const swapped = 'swapped' in output && output.swapped;
        if (swapped) return matches ? input.to : undefined;
        return matches ? undefined : state;
      }
    }
  },
  equal: (a, b) => a === b,
  hash(s) {
    if (s === null) return 0x2545f491;
    if (typeof s === 'number') return Math.imul(s | 0, 0x9e3779b1) ^ (s / 4294967296) | 0;
    return fnv1aText(FNV1A_OFFSET, s);
  },
  readOnly: (input, output) => input.f === 'read' || (input.f === 'cas' && output !== undefined && 'swapped' in output && !output.swapped),
  describeOperation(input, output) {
    const out = output === undefined ? '?' : 'value' in output ? show(output.value) : 'swapped' in output ? (output.swapped ? 'ok' : 'no swap') : 'ok';
    switch (input.f) {
      case 'read':
        return `read() → ${out}`;
      case 'write':
        return `write(${show(input.value)}) → ${out}`;
      case 'cas':
        return `cas(${show(input.from)}, ${show(input.to)}) → ${out}`;
    }
  },
  describeState: (s) => show(s),
  /** Independent keys are independent registers (P-compositionality): one partition per key. */
  partition(ops) {
    const byKey = new Map<string, Operation<RegisterInput, RegisterOutput>[]>();
    for (const op of ops) {
      const k = op.input.key ?? '';
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(op);
    }
    return [...byKey].map(([key, list]) => ({ key, ops: list }));
  },
  expectedOutput(state, input) {
    if (input.f === 'read') return { value: state };
    if (input.f === 'cas') return { swapped: state === input.from };
    return {};
  },
  observedOutput: (_input, output) => output,
};

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>;
