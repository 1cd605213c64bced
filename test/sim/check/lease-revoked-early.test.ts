// Lease revoked too early: a lease reported gone before its last renewal + TTL, with no client
// revoke, fails; what etcd allows (a stale leader's keep-alive, a revoke asked for, a member that
// never applied the grant, a fast or jumping clock) passes.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import { findRevokedEarly } from '../../../sim/check/lease-revoked-early.ts';
import type { RevokedEarly } from '../../../sim/check/lease-revoked-early.ts';
import type { Op } from '../../../sim/history/op.ts';

const S = 1_000_000;
const early = (ops: Op[], options: Parameters<typeof findRevokedEarly>[1]): RevokedEarly[] => findRevokedEarly(ops, options).found;
/** A header as a leader of `term` answers at `revision`. */
const header = (revision: number, term: number): { header: Record<string, string> } => ({ header: { revision: String(revision), raft_term: String(term), member_id: '1' } });

class Builder {
  readonly ops: Op[] = [];
  /** An op invoked at `atUs` that takes 1 ms. */
  add(process: number, atUs: number, f: string, request: unknown, response: unknown, type: 'ok' | 'info' | 'fail' = 'ok'): this {
    this.ops.push({ index: this.ops.length, time: atUs, process, type: 'invoke', f, value: request });
    this.ops.push({ index: this.ops.length, time: atUs + 1000, process, type, f, value: response });
    return this;
  }
}

/** Lease 7 (TTL 5 s) granted in term 1 at revision 2 at 0 s, kept alive at 3 s in `keepAliveTerm`, reported gone (TTL 0 at revision `goneRevision`) by an answer at `goneAtUs`. */
function history(keepAliveTerm: number, goneAtUs: number, goneRevision = 4): Builder {
  return new Builder()
    .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
    .add(0, 3 * S, 'lease/keepalive', { ID: '7' }, { ...header(3, keepAliveTerm), ID: '7', TTL: '5' })
    .add(1, goneAtUs - 1000, 'lease/keepalive', { ID: '7' }, { ...header(goneRevision, 2), ID: '7', TTL: '0' });
}

const leaders = [{ term: 1, startUs: 0 }, { term: 2, startUs: 2 * S }];

describe('lease revoked too early', () => {
  it('fails a lease reported gone before its last keep-alive on the leader in office + TTL', () => {
    const r = checkLease(history(2, 6 * S).ops, { leaders });
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.kind)).toEqual(['revoked-early']);
    expect(r.violations[0]!.message).toContain('no leader may end it before 8000000 µs');
  });

  it('fails a time-to-live of -1 before the grant + TTL', () => {
    const h = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(1, 2 * S, 'lease/timetolive', { ID: '7' }, { ...header(3, 1), ID: '7', TTL: '-1' });
    expect(early(h.ops, { leaders }).map((v) => v.lease)).toEqual(['7']);
    expect(early(h.ops, {}).map((v) => v.lease)).toEqual(['7']);
  });

  it('passes the same answer after the last renewal + TTL', () => {
    expect(checkLease(history(2, 8 * S + 1).ops, { leaders }).valid).toBe(true);
    expect(early(history(2, 8 * S + 1).ops, { leaders })).toEqual([]);
  });

  it('excuses a keep-alive answered in a term older than a leader already in office (a stale leader renewed only its own lessor)', () => {
    // Kept alive at 3 s by term 1 while term 2 leads since 2 s: only the grant (0 s + 5 s) counts.
    expect(early(history(1, 6 * S).ops, { leaders })).toEqual([]);
    expect(early(history(1, 4 * S).ops, { leaders }).length).toBe(1);
  });

  it('counts no keep-alive as a renewal without the leaders\' terms', () => {
    expect(early(history(2, 6 * S).ops, {})).toEqual([]);
    expect(early(history(2, 6 * S).ops, { leaders }).length).toBe(1);
  });

  it('excuses an answer after a client asked to revoke, whatever the revoke\'s outcome', () => {
    const h = history(2, 6 * S);
    h.add(2, 5 * S, 'lease/revoke', { ID: '7' }, { error: 'timed out' }, 'info');
    // The revoke's answer came after the gone answer in the history: reorder by time.
    const ops = [...h.ops].sort((a, b) => a.time - b.time).map((o, index) => ({ ...o, index }));
    expect(early(ops, { leaders })).toEqual([]);
  });

  it('excuses a member that never applied the grant (its revision is not past the grant\'s)', () => {
    expect(early(history(2, 6 * S, 2).ops, { leaders })).toEqual([]);
    expect(early(history(2, 6 * S, 3).ops, { leaders }).length).toBe(1);
  });

  it('allows a leader clock that runs fast or jumps forward', () => {
    // TTL 5 s at +25% drift ends after 4 s of real time: 3 s + 4 s = 7 s.
    expect(early(history(2, 7 * S + 1).ops, { leaders, clockDriftPpmMax: 250_000 })).toEqual([]);
    expect(early(history(2, 7 * S - 1).ops, { leaders, clockDriftPpmMax: 250_000 }).length).toBe(1);
    expect(early(history(2, 6 * S + 1).ops, { leaders, clockJumpUsMax: 2 * S })).toEqual([]);
    expect(early(history(2, 6 * S).ops, { leaders, clockJumpUsMax: Infinity })).toEqual([]);
  });

  /** Lease 7 granted with TTL 5 s at 0 s, ended, granted again under its id with TTL 1 s at 6 s (revision 5), kept alive at 7 s (TTL 1), reported gone by an answer at `goneAtUs`. */
  function regranted(goneAtUs: number): Builder {
    return new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 6 * S, 'lease/grant', { ID: '7', TTL: '1' }, { ...header(5, 2), ID: '7', TTL: '1' })
      .add(0, 7 * S, 'lease/keepalive', { ID: '7' }, { ...header(6, 2), ID: '7', TTL: '1' })
      .add(1, goneAtUs - 1000, 'lease/keepalive', { ID: '7' }, { ...header(7, 2), ID: '7', TTL: '0' });
  }

  it('judges a lease granted again under its id by the new grant\'s TTL, not the first one\'s (swarm 716)', () => {
    // Kept alive at 7 s with TTL 1 s: it may end from 8 s on; the first grant's 5 s would say 12 s.
    expect(early(regranted(8 * S + 1).ops, { leaders })).toEqual([]);
    expect(checkLease(regranted(8 * S + 500_000).ops, { leaders }).valid).toBe(true);
    // Must fail: gone before the keep-alive + the TTL it answered.
    const r = checkLease(regranted(8 * S - 1000).ops, { leaders });
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.message).toContain('with TTL 1 s: no leader may end it before 8000000 µs');
  });

  it('takes the TTL a keep-alive answered: the lease a grant of unknown outcome made', () => {
    // Granted with 5 s at 0 s; a grant with 1 s timed out (it applied after the first lease ended);
    // kept alive at 7 s answering TTL 1; gone at 8.5 s, which the first grant's 5 s would not allow.
    const h = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(2, 4 * S, 'lease/grant', { ID: '7', TTL: '1' }, { error: 'timed out' }, 'info')
      .add(0, 7 * S, 'lease/keepalive', { ID: '7' }, { ...header(6, 2), ID: '7', TTL: '1' })
      .add(1, 8.5 * S - 1000, 'lease/keepalive', { ID: '7' }, { ...header(7, 2), ID: '7', TTL: '0' });
    expect(early(h.ops, { leaders })).toEqual([]);
    const tooEarly = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 7 * S, 'lease/keepalive', { ID: '7' }, { ...header(6, 2), ID: '7', TTL: '1' })
      .add(1, 7.5 * S, 'lease/keepalive', { ID: '7' }, { ...header(7, 2), ID: '7', TTL: '0' });
    expect(early(tooEarly.ops, { leaders }).map((v) => v.message)).toEqual([expect.stringContaining('renewed at 7000000 µs with TTL 1 s')]);
  });

  it('allows a new leader to end a lease from its checkpoint\'s remaining TTL, sooner than the last renewal + TTL (swarm 2431)', () => {
    // Kept alive at 3 s (TTL 5): 8 s without checkpoints. A leader change seen at 4 s restarted
    // it from a checkpoint's 1 s left (taken before the keep-alive, applied after it): 5 s.
    const changes = { leaders, leaderChangesUs: [0, 4 * S], leaderChangeTtls: [undefined, new Map([['7', 1]])] };
    expect(early(history(2, 5.5 * S).ops, changes)).toEqual([]);
    // Must fail: gone before even that restart's end, or with the checkpoint of another lease.
    expect(early(history(2, 4.5 * S).ops, changes).map((v) => v.message)).toEqual([expect.stringContaining('restarted by the leader change at 4000000 µs from its checkpoint\'s 1 s: no leader may end it before 5000000 µs')]);
    expect(early(history(2, 5.5 * S).ops, { ...changes, leaderChangeTtls: [undefined, new Map([['8', 1]])] }).length).toBe(1);
    // A leader change before the keep-alive: the keep-alive renewed it in full on that leader.
    expect(early(history(2, 5.5 * S).ops, { ...changes, leaderChangesUs: [0, 2.5 * S] }).length).toBe(1);
    // The whole lease checker passes it too.
    expect(checkLease(history(2, 5.5 * S).ops, changes).valid).toBe(true);
  });

  it('judges a key a read misses against the grant its put attached it to, not a later grant of the id', () => {
    const b64 = (s: string): string => btoa(s);
    // Granted (5 s) at 0 s, k put with it at 1 s (revision 3), kept alive at 3 s; the lease ended
    // and a grant of its id made a new one at 9 s (revision 6); a read at 9.5 s misses k.
    const regrant = (readAtUs: number, keepAliveAtUs: number): Op[] => new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 1 * S, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, header(3, 1))
      .add(0, keepAliveAtUs, 'lease/keepalive', { ID: '7' }, { ...header(4, 2), ID: '7', TTL: '5' })
      .add(2, 9 * S, 'lease/grant', { ID: '7', TTL: '60' }, { ...header(6, 2), ID: '7', TTL: '60' })
      .add(1, readAtUs - 1000, 'kv/range', { key: b64('k') }, { ...header(7, 2), count: '0' }).ops;
    expect(early(regrant(9.5 * S, 3 * S), { leaders })).toEqual([]);
    // Must fail: kept alive at 6 s, the first lease lives to 11 s, and the read at 9.5 s misses k.
    expect(early(regrant(9.5 * S, 6 * S), { leaders }).map((v) => v.message)).toEqual([expect.stringContaining('renewed at 6000000 µs with TTL 5 s: no leader may end it before 11000000 µs')]);
  });

  it('keeps the latest grant by revision when two grants\' answers arrive out of order', () => {
    const h = new Builder()
      .add(0, 6 * S, 'lease/grant', { ID: '7', TTL: '1' }, { ...header(5, 2), ID: '7', TTL: '1' })
      .add(2, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(1, 7.5 * S, 'lease/keepalive', { ID: '7' }, { ...header(7, 2), ID: '7', TTL: '0' });
    expect(early(h.ops, { leaders })).toEqual([]);
    // Gone before the later grant + its TTL: still early.
    const e = new Builder()
      .add(0, 6 * S, 'lease/grant', { ID: '7', TTL: '1' }, { ...header(5, 2), ID: '7', TTL: '1' })
      .add(2, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(1, 6.5 * S, 'lease/keepalive', { ID: '7' }, { ...header(7, 2), ID: '7', TTL: '0' });
    expect(early(e.ops, { leaders }).length).toBe(1);
  });
});

describe('a key that vanished with its lease too early', () => {
  const b64 = (s: string): string => btoa(s);
  /** Lease 7 (TTL 5 s) granted at 0 s, k put with it at 1 s (revision 3), then a read of k at `readAtUs` (revision 4) that does not show it. */
  function vanished(readAtUs: number, extra?: (b: Builder) => void): Builder {
    const b = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 1 * S, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, header(3, 1));
    extra?.(b);
    return b.add(1, readAtUs - 1000, 'kv/range', { key: b64('k') }, { ...header(4, 1), count: '0' });
  }

  it('fails a read that misses the key before the lease can have ended', () => {
    const r = checkLease(vanished(3 * S).ops, { leaders });
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.message).toContain('key "k" of lease 7 gone from a read');
    // The same read missing the key once the grant + TTL passed: the lease may have expired.
    expect(checkLease(vanished(5 * S + 1).ops, { leaders }).valid).toBe(true);
  });

  it('passes when a write of the key may have come between: an unknown put, a delete, a txn, a prefix delete', () => {
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/put', { key: b64('k'), value: b64('w') }, { error: 'timed out' }, 'info')).ops, { leaders })).toEqual([]);
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/deleterange', { key: b64('k') }, header(4, 1))).ops, { leaders })).toEqual([]);
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/deleterange', { key: b64('a'), range_end: b64('z') }, header(4, 1))).ops, { leaders })).toEqual([]);
    const txn = { compare: [], success: [{ request_txn: { success: [{ request_delete_range: { key: b64('k') } }] } }], failure: [] };
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/txn', txn, header(4, 1))).ops, { leaders })).toEqual([]);
  });

  it('judges the key anyway when the other write failed for sure or committed outside the window', () => {
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/put', { key: b64('k'), value: b64('w') }, { error: 'lease not found' }, 'fail')).ops, { leaders }).length).toBe(1);
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'kv/deleterange', { key: b64('other') }, header(4, 1))).ops, { leaders }).length).toBe(1);
  });

  it('passes a read that shows the key, a read with a limit, and a key whose lease a client revoked', () => {
    const shown = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 1 * S, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, header(3, 1))
      .add(1, 3 * S, 'kv/range', { key: b64('k') }, { ...header(4, 1), kvs: [{ key: b64('k'), value: b64('v'), lease: '7', mod_revision: '3' }], count: '1' });
    expect(early(shown.ops, { leaders })).toEqual([]);
    const limited = new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 1 * S, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, header(3, 1))
      .add(1, 3 * S, 'kv/range', { key: b64('a'), range_end: b64('z'), limit: '1' }, { ...header(4, 1), kvs: [], more: true });
    expect(early(limited.ops, { leaders })).toEqual([]);
    expect(early(vanished(3 * S, (b) => b.add(2, 2 * S, 'lease/revoke', { ID: '7' }, header(4, 1))).ops, { leaders })).toEqual([]);
  });
});

describe('a lock holder\'s key that vanished with its lease too early (put in a txn, waited on by a limited, sorted, filtered range)', () => {
  const b64 = (s: string): string => btoa(s);
  const lockKey = b64('/lock/7');
  /** What etcd's lock and concurrency.Mutex send: the session's key put in a txn if it does not exist yet. */
  const acquireTxn = (success: unknown[] = [{ request_put: { key: lockKey, value: '', lease: '7' } }]): unknown => ({
    compare: [{ key: lockKey, result: 'EQUAL', target: 'CREATE', create_revision: '0' }],
    success,
    failure: [{ request_range: { key: lockKey } }],
  });
  /** A waiter's range for the newest older holder (WithLastCreate, WithMaxCreateRev), as v3lock's waitDeletes sends it. */
  const waitRange = (extra: Record<string, string> = {}): unknown => ({ key: b64('/lock/'), range_end: b64('/lock0'), sort_order: 'DESCEND', sort_target: 'CREATE', limit: '1', max_create_revision: '3', ...extra });
  /**
   * Lease 7 (TTL 5 s) granted at 0 s, the lock key put with it by a txn at 1 s (revision 3),
   * renewed at 3 s on the leader of term 2 (in office since 2 s): no leader may end it before
   * 8 s. A waiter's range answered at `readAtUs` (revision 4) with `kvs`.
   */
  function lockHistory(readAtUs: number, o: { txn?: unknown; succeeded?: boolean; range?: unknown; kvs?: unknown[] } = {}): Op[] {
    return new Builder()
      .add(0, 0, 'lease/grant', { ID: '7', TTL: '5' }, { ...header(2, 1), ID: '7', TTL: '5' })
      .add(0, 1 * S, 'kv/txn', o.txn ?? acquireTxn(), { ...header(3, 1), ...(o.succeeded === false ? {} : { succeeded: true }), responses: [{ response_put: header(3, 1) }] })
      .add(0, 3 * S, 'lease/keepalive', { ID: '7' }, { ...header(3, 2), ID: '7', TTL: '5' })
      .add(1, readAtUs - 1000, 'kv/range', o.range ?? waitRange(), { ...header(4, 2), ...(o.kvs === undefined ? {} : { kvs: o.kvs }), count: String(o.kvs?.length ?? 0) }).ops;
  }

  it('fails a waiter\'s range that no longer finds the holder\'s key before its last renewal + TTL (etcd#15247 on real etcd 3.4.23, lock-gc-pause seed 14)', () => {
    const r = checkLease(lockHistory(6 * S), { leaders });
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.kind)).toEqual(['revoked-early']);
    expect(r.violations[0]!.message).toContain('key "/lock/7" of lease 7 gone from a read at 6000000 µs');
    expect(r.violations[0]!.message).toContain('no leader may end it before 8000000 µs');
    // A plain range of the key, after a txn put, too.
    expect(early(lockHistory(6 * S, { range: { key: lockKey } }), { leaders }).length).toBe(1);
    // A limit the answer did not fill, a max_mod_revision and a min_mod_revision the put passes.
    expect(early(lockHistory(6 * S, { range: { key: b64('/lock/'), range_end: b64('/lock0'), limit: '5', max_mod_revision: '3', min_mod_revision: '3' } }), { leaders }).length).toBe(1);
  });

  it('passes the same range once the lease may have ended, and ranges that need not show the key', () => {
    expect(checkLease(lockHistory(8 * S + 1), { leaders }).valid).toBe(true);
    // The limit filled by another key: the holder's key may be past it.
    expect(early(lockHistory(6 * S, { kvs: [{ key: b64('/lock/0'), create_revision: '2', mod_revision: '2' }] }), { leaders })).toEqual([]);
    // Filters the key does not pass (created at 3, put at 3), or that need its create revision.
    expect(early(lockHistory(6 * S, { range: waitRange({ max_create_revision: '2' }) }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { range: waitRange({ max_mod_revision: '2' }) }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { range: waitRange({ min_mod_revision: '4' }) }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { range: waitRange({ min_create_revision: '1' }) }), { leaders })).toEqual([]);
    // A range at a past revision, a count only, an answer with more.
    expect(early(lockHistory(6 * S, { range: waitRange({ revision: '4' }) }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { range: { key: lockKey, count_only: true } }), { leaders })).toEqual([]);
  });

  it('passes a txn that did not put the key: the branch it did not run, a put its own branch then deleted, a nested txn', () => {
    expect(early(lockHistory(6 * S, { succeeded: false }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { txn: acquireTxn([{ request_put: { key: lockKey, value: '', lease: '7' } }, { request_delete_range: { key: b64('/lock/'), range_end: b64('/lock0') } }]) }), { leaders })).toEqual([]);
    expect(early(lockHistory(6 * S, { txn: acquireTxn([{ request_put: { key: lockKey, value: '', lease: '7' } }, { request_txn: { success: [{ request_delete_range: { key: lockKey } }] } }]) }), { leaders })).toEqual([]);
  });
});
