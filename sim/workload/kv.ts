// Many keys: put, get, delete and multi-operation transactions (a compare on one key's version,
// then puts and gets over several keys), with globally unique values.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { deleteRange, put, range, txn } from './etcd-request.ts';
import type { TxnOp } from './etcd-request.ts';
import { TrafficState } from './traffic-state.ts';
import { single, uniqueValue } from './workload.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

const TXN_OPS_MAX = 4;

export class KvWorkload implements Workload {
  private readonly state = new TrafficState();

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    const keys = this.env.scenario.workload.keys;
    return repeatFn((ctx) => ({ f: ctx.prng.pick(['get', 'get', 'put', 'put', 'delete', 'txn'] as const), value: { key: `kv/${ctx.prng.int(keys)}` } }));
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const key = (op.value as { key: string }).key;
    const observe = (body: unknown): void => this.state.observe(body);
    switch (op.f) {
      case 'get':
        return single(range(key), op, call, done, observe);
      case 'put':
        return single(put(key, uniqueValue(op)), op, call, done, observe);
      case 'delete':
        return single(deleteRange(key), op, call, done, observe);
      case 'txn':
        return single(this.transaction(op, key), op, call, done, observe);
      default:
        throw new Error(`kv: unknown op ${op.f}`);
    }
  }

  /** If `key` is at the version last seen, write and read several other keys; else read it. */
  private transaction(op: Dispatched, key: string): ReturnType<typeof txn> {
    const prng = this.env.prng;
    const n = prng.intRange(2, TXN_OPS_MAX);
    const keys = new Set<string>();
    while (keys.size < n) keys.add(`kv/${prng.int(this.env.scenario.workload.keys)}`);
    const ops = [...keys].map((k, i): TxnOp => (prng.chance(1, 2) ? { put: put(k, `${uniqueValue(op)}-${i}`) } : { range: range(k) }));
    return txn([{ target: 'MOD', key, revision: this.state.modRevisionOf(key) }], ops, [{ range: range(key) }]);
  }
}
