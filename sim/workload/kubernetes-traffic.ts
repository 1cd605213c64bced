// Kubernetes traffic with the mix of etcd's robustness tests (traffic/kubernetes.go): reads
// are ListAndWatch-style paginated lists 80, GetRev 8, Get 5, ListStale 5, GetStale 2; writes
// are optimistic updates on mod revision 90 (Txn(mod == rev) Then Put Else Get), creates 5
// (Txn(mod == 0)), deletes 5 (Txn(mod == rev) Then Delete). Reads and writes alternate evenly.
// The watch half of ListAndWatch is served by the watch clients every run starts.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { compact, deleteRange, headerRevision, prefixEnd, put, range, rangeKvs, txn } from './etcd-request.ts';
import { totalWeight, weighted } from './etcd-traffic.ts';
import { TrafficState, compactionRevision } from './traffic-state.ts';
import { single, uniqueValue } from './workload.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

export const KUBERNETES_READS: ReadonlyArray<readonly [string, number]> = [['list', 80], ['get-rev', 8], ['get', 5], ['list-stale', 5], ['get-stale', 2]];
export const KUBERNETES_WRITES: ReadonlyArray<readonly [string, number]> = [['update', 90], ['create', 5], ['delete', 5]];

const PREFIX = '/registry/pods/';
const PAGE_LIMIT = 10;
const PAGES_MAX = 100;

export class KubernetesTraffic implements Workload {
  private readonly state = new TrafficState();

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    const keys = this.env.scenario.workload.keys;
    return repeatFn((ctx) => {
      const table = ctx.prng.int(2) === 0 ? KUBERNETES_READS : KUBERNETES_WRITES;
      return { f: weighted(table, ctx.prng.int(totalWeight(table))), value: { key: `${PREFIX}pod-${ctx.prng.int(keys)}` } };
    });
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const key = (op.value as { key: string }).key;
    const observe = (body: unknown): void => this.state.observe(body);
    const rev = this.state.modRevisionOf(key);
    switch (op.f) {
      case 'list':
        return this.list(op, call, done, undefined);
      case 'list-stale':
        return this.list(op, call, done, this.state.staleRevision(this.env.prng));
      case 'get':
        return single(range(key), op, call, done, observe);
      case 'get-rev':
        return single(range(key, { revision: this.state.maxRevision }), op, call, done, observe);
      case 'get-stale':
        return single(range(key, { revision: this.state.staleRevision(this.env.prng) }), op, call, done, observe);
      case 'update':
        return single(txn([{ target: 'MOD', key, revision: rev }], [{ put: put(key, uniqueValue(op)) }], [{ range: range(key) }]), op, call, done, observe);
      case 'create':
        return single(txn([{ target: 'MOD', key, revision: 0 }], [{ put: put(key, uniqueValue(op)) }], [{ range: range(key) }]), op, call, done, observe);
      case 'delete':
        return single(txn([{ target: 'MOD', key, revision: rev }], [{ deleteRange: deleteRange(key) }], [{ range: range(key) }]), op, call, done, observe);
      case 'compact':
        return single(compact(compactionRevision(this.state, this.env.prng, this.env.scenario.workload.compactionRevision)), op, call, done, observe);
      default:
        throw new Error(`kubernetes traffic: unknown op ${op.f}`);
    }
  }

  /** A paginated list (limit 10) at one revision, as the Kubernetes reflector does. */
  private list(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void, revision: number | undefined): void {
    const page = (from: string, atRevision: number | undefined, pages: number): void => {
      call(range(from, { rangeEnd: prefixEnd(PREFIX), limit: PAGE_LIMIT, ...(atRevision === undefined ? {} : { revision: atRevision }) }), op.process, (r) => {
        if (r.type !== 'ok') return done(r.type);
        this.state.observe(r.body);
        const kvs = rangeKvs(r.body);
        const more = (r.body as { more?: unknown } | null)?.more === true;
        const last = kvs[kvs.length - 1];
        if (!more || last === undefined || pages + 1 >= PAGES_MAX) return done('ok');
        page(`${last.key}\0`, atRevision ?? headerRevision(r.body), pages + 1);
      });
    };
    page(PREFIX, revision, 0);
  }
}
