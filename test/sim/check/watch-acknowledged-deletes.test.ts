// An acknowledged delete owes a DELETE event per removed key to every watch whose range holds the
// delete's range (watch-acknowledged-deletes.ts). Found by the anomaly campaign (watch-event-missing
// on `detcd run --scenario swarm --seed 3`): past revision 121 one watch alone saw the stream, so
// no other watcher showed the event it dropped, and only acknowledged puts were owed — the dropped
// DELETE of key6 at revision 252 passed, though the history's delete answered `deleted: 1` there.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import { covers, inRange } from '../../../sim/check/watch-acknowledged-deletes.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv, timedCalls } from './history-builder.ts';

type Ev = { type?: 'DELETE'; kv: Record<string, string> };
const putEv = (key: string, rev: number): Ev => ({ kv: kv(key, 'v', rev, rev, 1) });
const delEv = (key: string, rev: number): Ev => ({ type: 'DELETE', kv: { key: b64(key), mod_revision: String(rev) } });

/** One watch (created at revision 1) of [key, rangeEnd), its events one response per revision, then a progress notification at `last`. */
function watch(key: string, rangeEnd: string | undefined, events: Ev[], last: number, filters?: string[]): WatchRecord[] {
  const create: Record<string, unknown> = { key: b64(key), ...(rangeEnd === undefined ? {} : { range_end: b64(rangeEnd) }), ...(filters === undefined ? {} : { filters }) };
  const out: WatchRecord[] = [{ process: 'w', time: 1_000, response: { ...hdr(1), created: true }, request: { create_request: create } }];
  const byRev = new Map<number, Ev[]>();
  for (const e of events) byRev.set(Number(e.kv['mod_revision']), [...(byRev.get(Number(e.kv['mod_revision'])) ?? []), e]);
  for (const [rev, evs] of [...byRev].sort((a, b) => a[0] - b[0])) out.push({ process: 'w', time: rev * 10_000 + 5_000, response: { ...hdr(rev), events: evs } });
  out.push({ process: 'w', time: 1_000_000, response: hdr(last) });
  return out;
}

/** put a@2, put b@3, put c@4, then `fifth` at revision 5 (a delete answered `deleted`), put d@6. */
function history(fifth: [string, unknown, unknown]): Op[] {
  const p = (key: string, rev: number): [number, number, string, unknown, unknown] => [1, rev * 10_000, 'kv/put', { key: b64(key), value: b64('v') }, hdr(rev)];
  return timedCalls([p('a', 2), p('b', 3), p('c', 4), [2, 50_000, ...fifth], p('d', 6)]);
}
const deleteA = history(['kv/deleterange', { key: b64('a') }, { ...hdr(5), deleted: '1' }]);
const deleteAtoC = history(['kv/deleterange', { key: b64('a'), range_end: b64('c') }, { ...hdr(5), deleted: '2' }]);
const before = [putEv('a', 2), putEv('b', 3), putEv('c', 4)];
const reliable = (r: ReturnType<typeof checkWatch>) => r.violations.filter((v) => v.guarantee === 'reliable').map((v) => v.message);

describe('watch: acknowledged deletes owe their DELETE events', () => {
  it('passes a watch of every key that saw the delete', () => {
    expect(checkWatch(watch('\0', '\0', [...before, delEv('a', 5), putEv('d', 6)], 6), deleteA).violations).toEqual([]);
  });

  it('fails a watch of every key that dropped the delete', () => {
    const r = checkWatch(watch('\0', '\0', [...before, putEv('d', 6)], 6), deleteA);
    expect(r.valid).toBe(false);
    expect(reliable(r)).toEqual([expect.stringContaining('missed the acknowledged delete of "a" at revision 5 (deleted 1, got 0 DELETE events there)')]);
  });

  it('fails a range delete seen in part, passes it seen whole', () => {
    expect(reliable(checkWatch(watch('a', 'e', [...before, delEv('a', 5), putEv('d', 6)], 6), deleteAtoC))).toEqual([expect.stringContaining('deleted 2, got 1')]);
    expect(checkWatch(watch('a', 'e', [...before, delEv('a', 5), delEv('b', 5), putEv('d', 6)], 6), deleteAtoC).valid).toBe(true);
  });

  it('owes nothing to a watch that does not hold the whole delete range, filters deletes, or ended before it', () => {
    // [b, e) holds b but not a: which keys the delete removed is not known from its answer.
    expect(checkWatch(watch('b', 'e', [putEv('b', 3), putEv('c', 4), putEv('d', 6)], 6), deleteAtoC).valid).toBe(true);
    expect(checkWatch(watch('\0', '\0', [...before, putEv('d', 6)], 6, ['NODELETE']), deleteA).valid).toBe(true);
    expect(checkWatch(watch('\0', '\0', before, 4), deleteA).valid).toBe(true);
  });

  it('owes nothing for a delete that removed nothing', () => {
    const none = history(['kv/deleterange', { key: b64('zz') }, { ...hdr(4), deleted: '0' }]);
    expect(checkWatch(watch('\0', '\0', [...before], 4), none).valid).toBe(true);
  });

  it('reads deletes in a txn\'s taken branch, nested txns by their own answers', () => {
    const txn = (deleted: string) => history(['kv/txn', { compare: [], success: [{ request_txn: { success: [{ request_delete_range: { key: b64('b') } }] } }], failure: [] }, { ...hdr(5), succeeded: true, responses: [{ response_txn: { succeeded: true, responses: [{ response_delete_range: { deleted } }] } }] }]);
    expect(reliable(checkWatch(watch('\0', '\0', [...before, putEv('d', 6)], 6), txn('1')))).toEqual([expect.stringContaining('acknowledged delete of "b"')]);
    expect(checkWatch(watch('\0', '\0', [...before, delEv('b', 5), putEv('d', 6)], 6), txn('1')).valid).toBe(true);
  });

  it('reads ranges as etcd does', () => {
    expect(covers({ key: '\0', rangeEnd: '\0' }, { key: '', rangeEnd: '\0' })).toBe(true);
    expect(covers({ key: 'a', rangeEnd: '\0' }, { key: 'b', rangeEnd: 'c' })).toBe(true);
    expect(covers({ key: 'a', rangeEnd: 'c' }, { key: 'b', rangeEnd: '\0' })).toBe(false);
    expect(covers({ key: 'a', rangeEnd: 'c' }, { key: 'c' })).toBe(false);
    expect(covers({ key: 'b' }, { key: 'b', rangeEnd: 'c' })).toBe(false);
    expect(inRange({ key: 'a', rangeEnd: 'c' }, 'b')).toBe(true);
    expect(inRange({ key: 'a' }, 'ab')).toBe(false);
  });
});
