// Rule 3 with leases expiring together: etcd 3.4's leader proposes at most 16 revokes at a time
// (maxPendingRevokes), so the 17th expired lease's revoke may reach the log after a client's
// write sent past its deadline, and a read at that write's revision may still show its key
// (lease-revoke-queue.ts). A write sent after the queue can have drained still proves the revoke.
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

describe('lease rule 3: revokes queued behind others expiring with them', () => {
  it('convicts a key read past a write sent after its deadline, when few leases expire with it', () => {
    const r = checkLease(history(3, 3_500_000), options);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.kind).toBe('expired-key-visible');
  });

  it('passes it when 20 leases expire together: the revoke may wait behind 16 in flight, each up to ReqTimeout (7 s)', () => {
    expect(checkLease(history(20, 3_500_000), options).valid).toBe(true);
  });

  it('convicts it again when the write was sent after the queue can have drained (deadline + 7 s)', () => {
    const r = checkLease(history(20, 11_000_000), options);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/when the revoke was proposed at the latest/);
  });
});
