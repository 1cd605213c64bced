// A delete event of a key no put names, seen by a watch of part of the key space that watched its
// range from the store's start (revision 1 or 2): the store held none of its keys then, so a key
// of its range that no put request of the history names and no event shows put never existed.
// Before, only a watch of every key that saw revision 2 whole proved the empty start; a watch of
// a prefix from revision 1 judged nothing of this (the s15 campaign's watch-delete-never-put gap).
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';

const resp = (rev: number, events: unknown[]) => ({ ...hdr(rev), watch_id: '0', events });
const del = (key: string, mod: number) => ({ type: 'DELETE', kv: { key: b64(key), mod_revision: String(mod) } });
/** Keys from 'a' up to 'b' (etcd's prefix range of 'a'). */
const prefixA = (extra: object = {}) => ({ key: b64('a'), range_end: b64('b'), ...extra });
function stream(responses: unknown[], request: unknown): WatchRecord[] {
  return responses.map((response, i) => ({ process: 0, time: 10 + i, ...(i === 0 ? { request: { create_request: request } } : {}), response }));
}
const puts: Op[] = [
  { index: 0, time: 0, process: 9, type: 'invoke', f: 'kv/put', value: { key: b64('a1'), value: b64('1') } },
  { index: 1, time: 1, process: 9, type: 'ok', f: 'kv/put', value: hdr(2) },
  { index: 2, time: 2, process: 9, type: 'invoke', f: 'kv/put', value: { key: b64('x'), value: b64('1') } },
  { index: 3, time: 3, process: 9, type: 'ok', f: 'kv/put', value: hdr(3) },
];
const a1 = { kv: kv('a1', '1', 2, 2, 1) };

describe('a delete of a key never put, under a watch of part of the key space from the start (delete)', () => {
  it('fails it for a watch created at revision 1 and for one asked from revision 1 or 2', () => {
    const fromNow = checkWatch(stream([{ ...hdr(1), created: true }, resp(2, [a1]), resp(4, [del('a2', 4)])], prefixA()), puts);
    expect(fromNow.violations.map((v) => v.guarantee)).toEqual(['delete']);
    expect(fromNow.violations[0]!.message).toContain('no put request of the history names');
    for (const start of ['1', '2']) {
      const r = checkWatch(stream([{ ...hdr(3), created: true }, resp(3, [a1]), resp(4, [del('a2', 4)])], prefixA({ start_revision: start })), puts);
      expect(r.violations.map((v) => v.guarantee), start).toEqual(['delete']);
    }
  });

  it('passes when the watch started later, the key was put, a put request names it, or the history is not given', () => {
    // Created at revision 3 from now: keys of its range may have been put at 2 by a write it never saw.
    expect(checkWatch(stream([{ ...hdr(3), created: true }, resp(4, [del('a2', 4)])], prefixA()), puts).valid).toBe(true);
    expect(checkWatch(stream([{ ...hdr(3), created: true }, resp(4, [del('a2', 4)])], prefixA({ start_revision: '3' })), puts).valid).toBe(true);
    const putA2: Op[] = [...puts, { index: 4, time: 4, process: 8, type: 'invoke', f: 'kv/put', value: { key: b64('a2'), value: b64('1') } }];
    expect(checkWatch(stream([{ ...hdr(1), created: true }, resp(2, [a1]), resp(4, [del('a2', 4)])], prefixA()), putA2).valid).toBe(true);
    expect(checkWatch(stream([{ ...hdr(1), created: true }, resp(2, [a1]), resp(4, [del('a2', 4)])], prefixA())).valid).toBe(true);
    // A watch that drops PUTs (NOPUT) shows no put of its keys, though asked from revision 1.
    expect(checkWatch(stream([{ ...hdr(3), created: true }, resp(4, [del('a2', 4)])], prefixA({ filters: ['NOPUT'], start_revision: '1' })), puts).valid).toBe(true);
    // But its Created response at revision 1 shows the store empty then, whatever it filters:
    // with every write in the history since, a key no put request names never existed.
    expect(checkWatch(stream([{ ...hdr(1), created: true }, resp(4, [del('a2', 4)])], prefixA({ filters: ['NOPUT'] })), puts).violations.map((v) => v.guarantee)).toEqual(['delete']);
  });
});
