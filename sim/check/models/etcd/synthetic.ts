// A generated etcd history that is linearizable by construction: clients issue requests
// over overlapping intervals, each takes effect at a point inside its interval, and the
// responses come from applying the requests in that order. Some requests time out (`info`)
// and then took effect or not, at random. Used by the benchmark and by tests of the etcd
// model at scale; mutate it to get histories that must fail.
import type { Op } from '../../../history/op.ts';
import type { Prng } from '../../../world/prng.ts';
import { applyCompaction, applyDeleteRange, applyLeaseGrant, applyLeaseRevoke, applyPut, applyRange, applyTxn, type Applied, type Req } from './apply.ts';
import { encodeKey } from './json.ts';
import type { EtcdF } from './model.ts';
import { EtcdState } from './state.ts';

export interface SyntheticOptions {
  ops: number;
  keys: number;
  clients: number;
  /** Requests that time out, in percent. */
  timeoutPercent: number;
  /** Include lease grants, puts with leases and revokes. */
  leases?: boolean;
}

interface Planned {
  process: number;
  f: EtcdF;
  request: Req;
  callUs: number;
  pointUs: number;
  returnUs: number;
  timedOut: boolean;
  tookEffect: boolean;
  result?: Applied;
}

function pickRequest(prng: Prng, o: SyntheticOptions, n: number, state: { leaseIds: number[]; revision: number }): { f: EtcdF; request: Req } {
  const key = encodeKey(`key-${prng.int(o.keys)}`);
  const roll = prng.int(100);
  if (roll < 35) return { f: 'kv/put', request: { key, value: encodeKey(`value-${n}`) } };
  if (roll < 65) return { f: 'kv/range', request: { key } };
  if (roll < 70) return { f: 'kv/range', request: { key: encodeKey('key-'), range_end: encodeKey('key.') } };
  if (roll < 75) return { f: 'kv/deleterange', request: { key } };
  if (roll < 88) {
    const value = encodeKey(`value-${n}`);
    return {
      f: 'kv/txn',
      request: {
        compare: [{ key, target: 'VERSION', result: 'GREATER', version: String(prng.int(3)) }],
        success: [{ request_put: { key, value } }],
        failure: [{ request_range: { key } }],
      },
    };
  }
  if (o.leases === true && roll < 93) {
    if (roll < 90 || state.leaseIds.length === 0) {
      const id = 1000 + n;
      state.leaseIds.push(id);
      return { f: 'lease/grant', request: { ID: String(id), TTL: '7200' } };
    }
    const lease = String(state.leaseIds[prng.int(state.leaseIds.length)]);
    if (roll < 92) return { f: 'kv/put', request: { key, value: encodeKey(`value-${n}`), lease } };
    return { f: 'lease/revoke', request: { ID: lease } };
  }
  return { f: 'kv/range', request: { key } };
}

function apply(s: EtcdState, p: Planned): Applied {
  switch (p.f) {
    case 'kv/put':
      return applyPut(s, p.request);
    case 'kv/range':
      return applyRange(s, p.request);
    case 'kv/deleterange':
      return applyDeleteRange(s, p.request);
    case 'kv/txn':
      return applyTxn(s, p.request);
    case 'kv/compaction':
      return applyCompaction(s, p.request);
    case 'lease/grant':
      return applyLeaseGrant(s, p.request, undefined, undefined);
    default:
      return applyLeaseRevoke(s, p.request);
  }
}

export function syntheticEtcdHistory(prng: Prng, o: SyntheticOptions): Op[] {
  const planned: Planned[] = [];
  const clock = new Array<number>(o.clients).fill(0);
  const gen = { leaseIds: [] as number[], revision: 1 };
  for (let n = 0; n < o.ops; n++) {
    const process = prng.int(o.clients);
    const callUs = clock[process]! + prng.int(2000);
    const timedOut = prng.int(100) < o.timeoutPercent;
    const durationUs = 100 + prng.int(5000);
    const pointUs = callUs + prng.int(durationUs);
    const returnUs = callUs + durationUs + (timedOut ? 10_000 : 0);
    clock[process] = returnUs + 1;
    const { f, request } = pickRequest(prng, o, n, gen);
    planned.push({ process, f, request, callUs, pointUs, returnUs, timedOut, tookEffect: !timedOut || prng.chance(1, 2) });
  }
  // Apply in linearization-point order.
  let state = EtcdState.initial();
  for (const p of [...planned].sort((a, b) => a.pointUs - b.pointUs)) {
    if (!p.tookEffect) continue;
    p.result = apply(state, p);
    state = p.result.state;
  }
  const events: { timeUs: number; op: Omit<Op, 'index'> }[] = [];
  for (const p of planned) {
    events.push({ timeUs: p.callUs, op: { time: p.callUs, process: p.process, type: 'invoke', f: p.f, value: p.request } });
    const r = p.result;
    if (p.timedOut) events.push({ timeUs: p.returnUs, op: { time: p.returnUs, process: p.process, type: 'info', f: p.f, value: null, error: 'timeout' } });
    else if (r !== undefined && 'error' in r) events.push({ timeUs: p.returnUs, op: { time: p.returnUs, process: p.process, type: 'fail', f: p.f, value: null, error: r.error } });
    else events.push({ timeUs: p.returnUs, op: { time: p.returnUs, process: p.process, type: 'ok', f: p.f, value: r?.response ?? null } });
  }
  // Stable by time; an invoke and the same process's completion never share a time.
  events.sort((a, b) => a.timeUs - b.timeUs);
  return events.map((e, index) => ({ index, ...e.op }));
}
