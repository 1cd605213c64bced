// A put with ignore_value keeps a key's value and gives it a new mod_revision. So a value seen at
// mod_revision M was not necessarily stored by the write that made M: the checker once took the
// earliest sighting of a timed-out write's value as the revision that write took effect at, and
// a later ignore_value put of the same key pinned a txn at two revisions at once. Found by swarm
// seed 10314 on the correct build ("key1 with mod_revision 143 at revision 144 with a value no
// write of unknown outcome puts there"): a timed-out txn put key2 and key1 at 143, a timed-out
// ignore_value put of key2 made 144, and a range at 144 showed both.
// With such sightings no longer resolving their writer, a value only a watch event showed was
// then hidden as a value nobody saw (swarm seeds 12299 and 13147): watch events count as seen.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

function verdict(lines: Line[], watches: { time: number; response: unknown }[] = []): boolean | 'unknown' {
  return checkHistory(history(lines), 'etcd', { maxSteps: 200_000 }, { watches }).valid;
}

const txnAB = { compare: [], success: [{ request_put: { key: b64('key2'), value: b64('A') } }, { request_put: { key: b64('key1'), value: b64('B') } }], failure: [] };
const keepKey2 = { key: b64('key2'), prev_kv: true, ignore_value: true };

/** key2 = X at 2; the txn (timed out) and `second` (timed out, or answered at 4) race; a range at 4 shows `shown`. */
function race(second: { f: string; request: unknown; answer?: unknown }, shown: Record<string, string>[]): Line[] {
  return [
    [0, 'invoke', 'kv/put', { key: b64('key2'), value: b64('X') }],
    [0, 'ok', 'kv/put', hdr(2)],
    [1, 'invoke', 'kv/txn', txnAB],
    [2, 'invoke', second.f, second.request],
    [1, 'info', 'kv/txn', null, 'timeout'],
    second.answer === undefined ? [2, 'info', second.f, null, 'timeout'] : [2, 'ok', second.f, second.answer],
    [3, 'invoke', 'kv/range', { key: b64('key'), range_end: b64('kez') }],
    [3, 'ok', 'kv/range', { ...hdr(4), kvs: shown, count: String(shown.length) }],
  ];
}

// The store after the txn at 3 and the ignore_value put of key2 at 4.
const after = [kv('key1', 'B', 3, 3, 1), kv('key2', 'A', 2, 4, 3)];

describe('ignore_value: a value shown at a later mod_revision than its writer made', () => {
  it('a timed-out ignore_value put after a timed-out txn: linearizable', () => {
    expect(verdict(race({ f: 'kv/put', request: keepKey2 }, after))).toBe(true);
  });

  it('the same with the ignore_value put answered (revision 4)', () => {
    expect(verdict(race({ f: 'kv/put', request: keepKey2, answer: { ...hdr(4), prev_kv: kv('key2', 'A', 2, 3, 2) } }, after))).toBe(true);
  });

  it('the same with the ignore_value put answered without prev_kv', () => {
    expect(verdict(race({ f: 'kv/put', request: { ...keepKey2, prev_kv: false }, answer: hdr(4) }, after))).toBe(true);
  });

  it('the same when only a watch event shows key2 at 4 (and a range shows key1 at 3)', () => {
    const lines = race({ f: 'kv/put', request: keepKey2 }, [kv('key1', 'B', 3, 3, 1)]);
    lines[6] = [3, 'invoke', 'kv/range', { key: b64('key1') }];
    const event = { type: 'PUT', kv: kv('key2', 'A', 2, 4, 3) };
    expect(verdict(lines, [{ time: 65, response: { header: { revision: '4' }, events: [event] } }])).toBe(true);
  });

  it('the same with the ignore_value put inside a timed-out txn', () => {
    const txnKeep = { compare: [], success: [{ request_put: keepKey2 }], failure: [] };
    expect(verdict(race({ f: 'kv/txn', request: txnKeep }, after))).toBe(true);
  });

  it('without an ignore_value put of key2, one txn cannot show at 3 and at 4: not linearizable', () => {
    const keepKey3 = { key: b64('key3'), ignore_value: true };
    expect(verdict(race({ f: 'kv/put', request: keepKey3 }, after))).toBe(false);
  });

  it('the ignore_value put bumps the version: key2 at mod 4 with version 2 is not linearizable', () => {
    expect(verdict(race({ f: 'kv/put', request: keepKey2 }, [kv('key1', 'B', 3, 3, 1), kv('key2', 'A', 2, 4, 2)]))).toBe(false);
  });

  it('the ignore_value put keeps key2, not key1: key1 at 4 and key2 at 3 is not linearizable', () => {
    expect(verdict(race({ f: 'kv/put', request: keepKey2 }, [kv('key1', 'B', 4, 4, 1), kv('key2', 'A', 2, 3, 2)]))).toBe(false);
  });

  it('a timed-out put whose value only a watch event shows, on a key an ignore_value put may keep: linearizable', () => {
    const lines: Line[] = [
      [0, 'invoke', 'kv/put', { key: b64('key2'), value: b64('X') }],
      [0, 'ok', 'kv/put', hdr(2)],
      [1, 'invoke', 'kv/put', { key: b64('key1'), value: b64('V') }],
      [2, 'invoke', 'kv/put', { key: b64('key1'), ignore_value: true }],
      [1, 'info', 'kv/put', null, 'timeout'],
      [2, 'info', 'kv/put', null, 'timeout'],
      [3, 'invoke', 'kv/range', { key: b64('key2') }],
      [3, 'ok', 'kv/range', { ...hdr(3), kvs: [kv('key2', 'X', 2, 2, 1)], count: '1' }],
    ];
    const shows = (value: string): { time: number; response: unknown }[] => [{ time: 65, response: { header: { revision: '3' }, events: [{ type: 'PUT', kv: kv('key1', value, 3, 3, 1) }] } }];
    expect(verdict(lines, shows('V'))).toBe(true);
    expect(verdict(lines, shows('W'))).toBe(false);
  });
});
