// etcd traffic with the mix of etcd's robustness tests (traffic/etcd.go, EtcdPutDeleteLease):
// Put 20, Get 15, StaleGet 10, MultiOpTxn 10, List 15, StaleList 10, Delete 5, PutWithLease 5,
// LeaseRevoke 5, CAS 5; every put value unique; stale reads at a recent past revision. A
// periodic compaction at a random recent revision runs beside it (compaction.ts). With
// `workload.api: "full"` the rest of the KV API joins the mix (etcd-api-ops.ts); with "wide" also
// the request shapes "full" never sends (etcd-api-wide-ops.ts).
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { compact, deleteRange, leaseGrant, leaseRevoke, prefixEnd, put, range, txn } from './etcd-request.ts';
import type { LeaseId, TxnOp } from './etcd-request.ts';
import { TrafficState, compactionRevision } from './traffic-state.ts';
import { apiRequest, isApiOp } from './etcd-api-ops.ts';
import { etcdMixOf, withWeights } from './etcd-op-names.ts';
import { isWideOp, wideRequest } from './etcd-api-wide-ops.ts';
import { paddedValue, single, uniqueValue } from './workload.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

export { ETCD_TRAFFIC_MIX } from './etcd-op-names.ts';

/** Picks a name from a weighted table. */
export function weighted(table: ReadonlyArray<readonly [string, number]>, r: number): string {
  let rest = r;
  // Indexed, without destructuring: this runs for every operation of a run.
  for (let i = 0; i < table.length; i++) {
    const entry = table[i] as readonly [string, number];
    if (rest < entry[1]) return entry[0];
    rest -= entry[1];
  }
  throw new Error('weighted: draw out of range');
}

export function totalWeight(table: ReadonlyArray<readonly [string, number]>): number {
  return table.reduce((sum, [, w]) => sum + w, 0);
}

const MULTI_OP_TXN_OPS = 4;

export class EtcdTraffic implements Workload {
  private readonly state = new TrafficState();
  /** The key names, built once (every operation names one, a multi-op txn shuffles them all). */
  private readonly keyNames: readonly string[];

  constructor(private readonly env: WorkloadEnv) {
    this.keyNames = Array.from({ length: env.scenario.workload.keys }, (_, i) => `key${i}`);
  }

  /** Learns from an ok answer (one function for every operation, not a closure each). */
  private readonly observe = (body: unknown): void => this.state.observe(body);

  private key(n: number): string {
    return this.keyNames[n] ?? `key${n}`;
  }

  private value(op: Dispatched): string {
    return paddedValue(op, this.env.scenario.workload.valueBytes);
  }

  /** etcd's robustness mix, plus the rest of the KV API with `workload.api: "full"`, reweighted by `workload.mix`. */
  private mix(): ReadonlyArray<readonly [string, number]> {
    const w = this.env.scenario.workload;
    return withWeights(etcdMixOf(w.api), w.mix);
  }

  generator(): Gen {
    const keys = this.env.scenario.workload.keys;
    const mix = this.mix();
    const total = totalWeight(mix);
    return repeatFn((ctx) => ({ f: weighted(mix, ctx.prng.int(total)), value: { key: this.key(ctx.prng.int(keys)) } }));
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const key = (op.value as { key: string }).key;
    const prng = this.env.prng;
    const observe = this.observe;
    if (isApiOp(op.f) || isWideOp(op.f)) {
      const other = (): string => this.key(prng.int(this.env.scenario.workload.keys));
      const c = { prng, state: this.state, value: this.value(op), otherKey: other, prefix: 'key' };
      return single(isApiOp(op.f) ? apiRequest(op.f, key, c) : wideRequest(op.f, key, c), op, call, done, observe);
    }
    switch (op.f) {
      case 'put':
        return single(put(key, this.value(op)), op, call, done, observe);
      case 'get':
        return single(range(key), op, call, done, observe);
      case 'stale-get':
        return single(range(key, { revision: this.state.staleRevision(prng) }), op, call, done, observe);
      case 'list':
        return single(range('key', { rangeEnd: prefixEnd('key') }), op, call, done, observe);
      case 'stale-list':
        return single(range('key', { rangeEnd: prefixEnd('key'), revision: this.state.staleRevision(prng) }), op, call, done, observe);
      case 'delete':
        return single(deleteRange(key), op, call, done, observe);
      case 'multi-op-txn':
        return single(txn([], this.multiOps(op)), op, call, done, observe);
      case 'cas': {
        const rev = this.state.modRevisionOf(key);
        return single(txn([{ target: 'MOD', key, revision: rev }], [{ put: put(key, this.value(op)) }], [{ range: range(key) }]), op, call, done, observe);
      }
      case 'put-with-lease':
        return this.putWithLease(op, key, call, done);
      case 'lease-revoke': {
        const id = this.state.pickLease(prng);
        if (id === undefined) return single(leaseGrant(this.env.scenario.workload.leaseTtlSeconds), op, call, done, (b) => this.state.addLease(b));
        this.state.forgetLease(id);
        return single(leaseRevoke(id), op, call, done, observe);
      }
      case 'compact':
        return single(compact(compactionRevision(this.state, this.env.prng, this.env.scenario.workload.compactionRevision)), op, call, done, observe);
      default:
        throw new Error(`etcd traffic: unknown op ${op.f}`);
    }
  }

  /** Four distinct keys, each a put (50 %), a get (40 %) or a delete (10 %). */
  private multiOps(op: Dispatched): TxnOp[] {
    const prng = this.env.prng;
    const keys = prng.shuffle(this.keyNames).slice(0, MULTI_OP_TXN_OPS);
    return keys.map((k, i): TxnOp => {
      const r = prng.int(10);
      if (r < 5) return { put: put(k, `${uniqueValue(op)}-${i}`) };
      if (r < 9) return { range: range(k) };
      return { deleteRange: deleteRange(k) };
    });
  }

  /** Grants a lease, then puts with it (robustness's PutWithLease); the put's outcome is the op's. */
  private putWithLease(op: Dispatched, key: string, call: ClientCall, done: (outcome: Outcome) => void): void {
    const known = this.state.pickLease(this.env.prng);
    if (known !== undefined) return single(put(key, this.value(op), known), op, call, done, (b) => this.state.observe(b));
    call(leaseGrant(this.env.scenario.workload.leaseTtlSeconds), op.process, (granted) => {
      if (granted.type !== 'ok') return done(granted.type);
      this.state.addLease(granted.body);
      const id = this.state.pickLease(this.env.prng) as LeaseId;
      single(put(key, this.value(op), id), op, call, done, (b) => this.state.observe(b));
    });
  }
}
