// One register with the version etcd keeps beside its value (the key's `version`: 0 before the
// first write, one more with every write). Jepsen's etcd register test (jepsen.etcd.register)
// records [version value] pairs: a read answers the version and value it read, a write or a
// swapping CAS the version it made (the previous version + 1, from prev_kv). A version or value
// recorded as nil was not observed and is not compared. An unversioned history keeps the plain
// register (register.ts): versions it does not record would only multiply the states searched.
import type { Model } from '../linearizability/model.ts';
import { FNV1A_OFFSET, fnv1aText } from '../../../src/hash/fnv1a.ts';
import { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from './register.ts';

export interface VersionedState {
  readonly version: number;
  readonly value: RegisterValue;
}

function show(s: VersionedState): string {
  return `v${s.version} ${s.value === null ? 'nil' : String(s.value)}`;
}

const INITIAL: VersionedState = { version: 0, value: null };

/** The state after a write of `value` observed to make `version` (undefined: not observed); undefined if it cannot. */
function written(state: VersionedState, value: RegisterValue, version: number | undefined): VersionedState | undefined {
  const next = state.version + 1;
  return version !== undefined && version !== next ? undefined : { version: next, value };
}

export const versionedRegisterModel: Model<VersionedState, RegisterInput, RegisterOutput> = {
  name: 'register',
  init: () => INITIAL,
  step(state, input, output) {
    switch (input.f) {
      case 'read': {
        if (output === undefined || !('value' in output)) return state;
        if (output.version !== undefined && output.version !== state.version) return undefined;
        // A read that observed no version and no value (Jepsen's [nil nil]: no key) saw the initial state.
        if (output.version === undefined && output.value === null && state.version !== 0) return undefined;
        return output.value === null || output.value === state.value ? state : undefined;
      }
      case 'write':
        return written(state, input.value, input.version);
      case 'cas': {
        const matches = state.value === input.from;
        if (output === undefined) return matches ? written(state, input.to, input.version) : state;
        const swapped = 'swapped' in output && output.swapped;
        if (swapped) return matches ? written(state, input.to, input.version) : undefined;
        return matches ? undefined : state;
      }
    }
  },
  equal: (a, b) => a.version === b.version && a.value === b.value,
  hash(s) {
    const v = s.value === null ? 0x2545f491 : typeof s.value === 'number' ? Math.imul(s.value | 0, 0x9e3779b1) : fnv1aText(FNV1A_OFFSET, s.value);
    return (Math.imul(s.version, 0x85ebca6b) ^ v) | 0;
  },
  readOnly: (input, output) => input.f === 'read' || (input.f === 'cas' && output !== undefined && 'swapped' in output && !output.swapped),
  describeOperation(input, output) {
    const base = registerModel.describeOperation!(input, output);
    const version = input.f !== 'read' ? input.version : output !== undefined && 'value' in output ? output.version : undefined;
    return version === undefined ? base : `${base} @v${version}`;
  },
  describeState: show,
  partition: (ops) => registerModel.partition!(ops),
  expectedOutput(state, input) {
    if (input.f === 'read') return { value: state.value, version: state.version };
    if (input.f === 'cas') return { swapped: state.value === input.from };
    return {};
  },
  observedOutput: (_input, output) => output,
};
