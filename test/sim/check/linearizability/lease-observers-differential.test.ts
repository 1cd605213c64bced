// The lease-expiry reduction (Model.prepareObservers: an expiry applied only where an op naming its
// lease can come next, skipped only where its own return comes first) against the reference: every
// real-time order, each unknown-outcome op applied, skipped (a finite return: "took effect by then,
// or never") or left out (an infinite one). Random small histories of grants, puts with and without
// leases, reads, revokes and expiries, linearizable by construction, and each with one answer
// changed (mostly not): the search with the reduction and the reference must agree on every one.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../sim/check/linearizability/check.ts';
import type { Operation } from '../../../../sim/check/linearizability/model.ts';
import { applyLeaseGrant, applyLeaseRevoke, applyPut, applyRange, type Applied } from '../../../../sim/check/models/etcd/apply.ts';
import { createEtcdModel, type EtcdInput, type EtcdOutput } from '../../../../sim/check/models/etcd/model.ts';
import { Prng } from '../../../../sim/world/prng.ts';
import { bruteForceLinearizable } from './brute-force.ts';

type Op = Operation<EtcdInput, EtcdOutput>;
const b64 = (s: string): string => btoa(s);

const input = (f: EtcdInput['f'], request: Record<string, unknown>): EtcdInput => ({ f, request, pre: undefined, preMax: undefined, gaps: undefined, servedAt: undefined, original: undefined });
const outputOf = (r: Applied): EtcdOutput => ('error' in r ? { error: r.error } : { response: r.response, range: undefined });

/** A random sequential run (each op at 10 i), each op's interval around its point, expiries from their grant's call. */
function randomHistory(prng: Prng): Op[] {
  const model = createEtcdModel();
  let s = model.init();
  const ops: Op[] = [];
  const granted: { id: string; call: number }[] = [];
  const expired = new Set<string>();
  const n = prng.intRange(6, 10);
  const interval = (p: number): { call: number; return: number } => ({ call: p - prng.intRange(0, 25), return: p + prng.intRange(0, 25) });
  for (let i = 0; i < n; i++) {
    const p = 10 * (i + 1);
    const kind = prng.intRange(0, 5);
    const live = granted.filter((g) => !expired.has(g.id));
    if (kind === 0 || granted.length === 0) {
      const id = String(granted.length + 1);
      const r = applyLeaseGrant(s, { ID: id, TTL: '5' }, undefined, undefined);
      const at = interval(p);
      ops.push({ id: 0, process: `c${i}`, input: input('lease/grant', { ID: id, TTL: '5' }), output: outputOf(r), ...at, index: i });
      granted.push({ id, call: at.call });
      s = r.state;
    } else if (kind === 1 && live.length > 0) {
      // An expiry now: of unknown outcome, due by a little after (or never known).
      const g = live[prng.intRange(0, live.length - 1)]!;
      s = applyLeaseRevoke(s, { ID: g.id }).state;
      expired.add(g.id);
      ops.push({ id: 0, process: `lease-expiry-${g.id}`, input: input('lease/expire', { ID: g.id }), output: undefined, call: g.call, return: prng.chance(1, 2) ? Infinity : p + prng.intRange(0, 25), index: i });
    } else if (kind === 2 || kind === 3) {
      const lease = prng.chance(2, 3) ? granted[prng.intRange(0, granted.length - 1)]!.id : undefined;
      const request: Record<string, unknown> = { key: b64(`k${prng.intRange(0, 2)}`), value: b64(`v${i}`) };
      if (lease !== undefined) request['lease'] = lease;
      const r = applyPut(s, request);
      ops.push({ id: 0, process: `c${i}`, input: input('kv/put', request), output: outputOf(r), ...interval(p), index: i });
      s = r.state;
    } else if (kind === 4) {
      const request = { key: b64('k'), range_end: b64('l') };
      ops.push({ id: 0, process: `c${i}`, input: input('kv/range', request), output: outputOf(applyRange(s, request)), ...interval(p), index: i });
    } else {
      const g = granted[prng.intRange(0, granted.length - 1)]!;
      const r = applyLeaseRevoke(s, { ID: g.id });
      if (!('error' in r)) expired.add(g.id);
      ops.push({ id: 0, process: `c${i}`, input: input('lease/revoke', { ID: g.id }), output: outputOf(r), ...interval(p), index: i });
      s = r.state;
    }
  }
  // Leases never expired in the run may still expire unseen.
  for (const g of granted) if (!expired.has(g.id) && prng.chance(1, 2)) ops.push({ id: 0, process: `lease-expiry-${g.id}`, input: input('lease/expire', { ID: g.id }), output: undefined, call: g.call, return: Infinity, index: n });
  return ops;
}

/** One answer changed: a put or revoke answered ok turned "lease not found", or one refused turned ok at the next revision; a read's keys dropped. */
function changeOne(ops: Op[], prng: Prng): Op[] {
  const answered = ops.filter((o) => o.output !== undefined);
  const o = answered[prng.intRange(0, answered.length - 1)]!;
  const out = o.output!;
  let changed: EtcdOutput;
  if ('error' in out) changed = { response: { header: { revision: '1' } }, range: undefined };
  else if ('response' in out && o.input.f === 'kv/range') changed = { response: { ...out.response, kvs: [], count: '0' }, range: undefined };
  else changed = { error: 'etcdserver: requested lease not found' };
  return ops.map((x) => (x === o ? { ...x, output: changed } : x));
}

/** Ids dense, ops with a finite return first (the search's numbering). */
function numbered(ops: Op[]): Op[] {
  return [...ops].sort((a, b) => Number(a.return === Infinity) - Number(b.return === Infinity) || a.call - b.call).map((o, id) => ({ ...o, id }));
}

describe('lease expiries placed only where observed: same verdicts as every order', () => {
  it('agrees with the reference on 400 random histories and their one-answer changes', () => {
    const prng = new Prng(20261207);
    let invalid = 0;
    for (let i = 0; i < 400; i++) {
      const base = randomHistory(prng);
      for (const ops of [base, changeOne(base, prng)].map(numbered)) {
        const model = createEtcdModel();
        const expected = bruteForceLinearizable(ops, model);
        const got = checkLinearizable(ops, model).valid;
        expect(got, JSON.stringify(ops.map((o) => [o.input.f, o.input.request, o.output, o.call, o.return]))).toBe(expected);
        if (!expected) invalid++;
      }
    }
    // Both kinds were judged: the changed histories are mostly not linearizable.
    expect(invalid).toBeGreaterThan(100);
  });
});
