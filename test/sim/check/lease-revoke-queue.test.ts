// Rule 3 with leases expiring together: etcd 3.4's leader proposes at most 16 revokes at a time
// (maxPendingRevokes), so the 17th expired lease's revoke may reach the log after a client's
// write sent past its deadline, and a read at that write's revision may still show its key
// (lease-revoke-queue.ts). A write sent after the queue can have drained still proves the revoke.
// The queue is one round's batch: leases expired and not yet revoked when the lessor finds it.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const hdr = (revision: number): { header: { revision: string; raft_term: string } } => ({ header: { revision: String(revision), raft_term: '2' } });

/** `leases` leases of TTL 2 s granted at once, a key on each; a write sent at `writeUs`; a read of lease 1's key after it. */
function history(leases: number, writeUs: number): Op[] {
  const ops: Op[] = [];
  const add = (time: number, process: number | string, type: Op['type'], f: string, value: unknown): void => void ops.push({ index: ops.length, time, process, type, f, value });
  for (let i = 0; i < leases; i++) add(i, i, 'invoke', 'lease/grant', { TTL: '2', ID: String(i + 1) });
  for (let i = 0; i < leases; i++) add(1000 + i, i, 'ok', 'lease/grant', { ...hdr(1), ID: String(i + 1), TTL: '2' });
  for (let i = 0; i < leases; i++) {
    add(2000 + 2 * i, i, 'invoke', 'kv/put', { key: b64(`k${i + 1}`), value: b64('v'), lease: String(i + 1) });
    add(2001 + 2 * i, i, 'ok', 'kv/put', hdr(2 + i));
  }
  const written = 2 + leases;
  add(writeUs, 'writer', 'invoke', 'kv/put', { key: b64('other'), value: b64('w') });
  add(writeUs + 1000, 'writer', 'ok', 'kv/put', hdr(written));
  add(writeUs + 2000, 'reader', 'invoke', 'kv/range', { key: b64('k1') });
  add(writeUs + 3000, 'reader', 'ok', 'kv/range', { ...hdr(written), kvs: [{ key: b64('k1'), value: b64('v'), create_revision: '2', mod_revision: '2', version: '1', lease: '1' }], count: '1' });
  return ops;
}

const options = { electionTimeoutUs: 1_000_000 };

/**
 * 20 leases granted at once with TTLs of 2, 2, 3, 3, ... 11 s: two expire every second; a key on
 * each. With `writer`, another key is written every 250 ms all along (a write sent after a
 * lease's deadline proves its revoke applied). At 10.1 s, past lease 16's deadline (9 + 1 s
 * grace), a write; a read of lease 16's key at that write's revision after it.
 */
function staggered(writer: boolean): Op[] {
  const ops: Op[] = [];
  let revision = 1;
  const events: { time: number; process: string; f: string; req: unknown; resp: () => unknown }[] = [];
  for (let i = 0; i < 20; i++) {
    const ttl = String(2 + Math.floor(i / 2));
    events.push({ time: i, process: `g${i}`, f: 'lease/grant', req: { TTL: ttl, ID: String(i + 1) }, resp: () => ({ ...hdr(revision), ID: String(i + 1), TTL: ttl }) });
    events.push({ time: 2000 + 2 * i, process: `p${i}`, f: 'kv/put', req: { key: b64(`k${i + 1}`), value: b64('v'), lease: String(i + 1) }, resp: () => hdr(++revision) });
  }
  if (writer) for (let t = 50_000; t < 10_000_000; t += 250_000) events.push({ time: t, process: `w${t}`, f: 'kv/put', req: { key: b64('other'), value: b64('w') }, resp: () => hdr(++revision) });
  events.push({ time: 10_100_000, process: 'writer', f: 'kv/put', req: { key: b64('other'), value: b64('last') }, resp: () => hdr(++revision) });
  events.push({ time: 10_200_000, process: 'reader', f: 'kv/range', req: { key: b64('k16') }, resp: () => ({ ...hdr(revision), kvs: [{ key: b64('k16'), value: b64('v'), create_revision: '17', mod_revision: '17', version: '1', lease: '16' }], count: '1' }) });
  events.sort((a, b) => a.time - b.time);
  for (const e of events) {
    ops.push({ index: ops.length, time: e.time, process: e.process, type: 'invoke', f: e.f, value: e.req });
    ops.push({ index: ops.length, time: e.time + 1000, process: e.process, type: 'ok', f: e.f, value: e.resp() });
  }
  return ops;
}

describe('lease rule 3: revokes queued behind others expiring with them', () => {
  it('convicts a key read past a write sent after its deadline, when few leases expire with it', () => {
    const r = checkLease(history(3, 3_500_000), options);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.kind).toBe('expired-key-visible');
  });

  it('passes it when 20 leases expire together: the revoke may wait behind 16 in flight, each up to ReqTimeout (7 s)', () => {
    expect(checkLease(history(20, 3_500_000), options).valid).toBe(true);
  });

  it('convicts a key of leases expiring two a second, whose earlier revokes writes proved applied: its batch holds few (etcd queues per round, not across rounds)', () => {
    const r = checkLease(staggered(true), options);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.kind).toBe('expired-key-visible');
    expect(r.violations[0]?.lease).toBe('16');
  });

  it('passes it when no write proved the earlier revokes applied: each may have failed and be found again in its batch (the lessor retries after 3 s)', () => {
    expect(checkLease(staggered(false), options).valid).toBe(true);
  });

  it('convicts it again when the write was sent after the queue can have drained (deadline + 7 s)', () => {
    const r = checkLease(history(20, 11_000_000), options);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/when the revoke was proposed at the latest/);
  });
});
