// A single-key register (Jepsen's etcd register test): read, write and compare-and-swap, all as
// etcd requests on one key. A cas compares the value against the last one this workload saw
// (so it often succeeds) and writes a fresh unique value; writes are unique too.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { put, range, rangeKvs, txn } from './etcd-request.ts';
import { single, uniqueValue } from './workload.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

export const REGISTER_KEY = 'register';

export class RegisterWorkload implements Workload {
  private lastValue = '';

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    return repeatFn((ctx) => ({ f: ctx.prng.pick(['read', 'write', 'cas'] as const) }));
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const remember = (body: unknown): void => {
      const kv = rangeKvs(body)[0];
      if (kv !== undefined) this.lastValue = kv.value;
    };
    switch (op.f) {
      case 'read':
        return single(range(REGISTER_KEY), op, call, done, remember);
      case 'write': {
        const value = uniqueValue(op);
        return single(put(REGISTER_KEY, value), op, call, done, () => (this.lastValue = value));
      }
      case 'cas': {
        const value = uniqueValue(op);
        const expected = this.lastValue === '' ? 'none' : this.lastValue;
        const request = txn([{ target: 'VALUE', key: REGISTER_KEY, value: expected }], [{ put: put(REGISTER_KEY, value) }], [{ range: range(REGISTER_KEY) }]);
        return single(request, op, call, done, (body) => {
          if ((body as { succeeded?: unknown } | null)?.succeeded === true) this.lastValue = value;
        });
      }
      default:
        throw new Error(`register: unknown op ${op.f} (${this.env.scenario.name})`);
    }
  }
}
