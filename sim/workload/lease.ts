// Leases: grant (short TTLs, so some expire during the run), puts attached to leases,
// keep-alives, revokes, time-to-live queries and reads of the leased keys. The lease checker
// then verifies that no key outlives its lease.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { leaseGrant, leaseKeepAlive, leaseRevoke, leaseTimeToLive, prefixEnd, put, range } from './etcd-request.ts';
import { TrafficState } from './traffic-state.ts';
import { single, uniqueValue } from './workload.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

export const LEASE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['grant', 10], ['put-with-lease', 30], ['keepalive', 15], ['revoke', 5], ['time-to-live', 10], ['get', 20], ['list', 10],
];

const PREFIX = 'leased/';
/** Short TTLs (etcd's minimum is 2 s) so that leases expire inside a run. */
const TTL_SECONDS_MIN = 2;
const TTL_SECONDS_MAX = 6;

export class LeaseWorkload implements Workload {
  private readonly state = new TrafficState();

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    const keys = this.env.scenario.workload.keys;
    const total = LEASE_MIX.reduce((s, [, w]) => s + w, 0);
    return repeatFn((ctx) => {
      let r = ctx.prng.int(total);
      let f = 'get';
      for (const [name, w] of LEASE_MIX) {
        if (r < w) {
          f = name;
          break;
        }
        r -= w;
      }
      return { f, value: { key: `${PREFIX}${ctx.prng.int(keys)}` } };
    });
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const key = (op.value as { key: string }).key;
    const prng = this.env.prng;
    const observe = (body: unknown): void => this.state.observe(body);
    const lease = this.state.pickLease(prng);
    const grant = (): void => single(leaseGrant(prng.intRange(TTL_SECONDS_MIN, TTL_SECONDS_MAX)), op, call, done, (b) => this.state.addLease(b));
    switch (op.f) {
      case 'grant':
        return grant();
      case 'put-with-lease':
        return lease === undefined ? grant() : single(put(key, uniqueValue(op), lease), op, call, done, observe);
      case 'keepalive':
        return lease === undefined ? grant() : single(leaseKeepAlive(lease), op, call, done, observe);
      case 'revoke':
        if (lease === undefined) return grant();
        this.state.forgetLease(lease);
        return single(leaseRevoke(lease), op, call, done, observe);
      case 'time-to-live':
        return lease === undefined ? grant() : single(leaseTimeToLive(lease, true), op, call, done, observe);
      case 'get':
        return single(range(key), op, call, done, observe);
      case 'list':
        return single(range(PREFIX, { rangeEnd: prefixEnd(PREFIX) }), op, call, done, observe);
      default:
        throw new Error(`lease: unknown op ${op.f}`);
    }
  }
}
