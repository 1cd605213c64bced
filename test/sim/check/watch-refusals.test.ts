// A watch create refused as an empty range must have one, and one with an empty range must be
// refused (etcd 3.4 reads range_end "\0" as every key from key on, an empty key as "\0"): holdout
// 20's watch-from-key-end-literal refused every from-key watch, and no checker said so.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import { refusalsUnlikeRequest, watchRangeEmpty } from '../../../sim/check/watch-refusals.ts';
import type { WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr } from './history-builder.ts';

const refused = (rev: number) => ({ ...hdr(rev), watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: watcher range is empty' });
const created = (rev: number) => ({ ...hdr(rev), created: true });
const record = (createRequest: Record<string, unknown>, response: unknown): WatchRecord => ({ process: 'w', time: 1, request: { create_request: createRequest }, response });

describe('watch creates refused or served as their range says', () => {
  it('read the range as etcd 3.4 does', () => {
    expect(watchRangeEmpty({ key: b64('a'), range_end: b64('\0') })).toBe(false);
    expect(watchRangeEmpty({ key: b64('\0'), range_end: b64('\0') })).toBe(false);
    expect(watchRangeEmpty({ range_end: b64('\0') })).toBe(false);
    expect(watchRangeEmpty({ key: b64('a') })).toBe(false);
    expect(watchRangeEmpty({ key: b64('a'), range_end: b64('b') })).toBe(false);
    expect(watchRangeEmpty({ key: b64('b'), range_end: b64('b') })).toBe(true);
    expect(watchRangeEmpty({ key: b64('c'), range_end: b64('b') })).toBe(true);
    // An empty key is "\0": a range ending at "\x00\x00" holds it.
    expect(watchRangeEmpty({ range_end: b64('\0\0') })).toBe(false);
    expect(watchRangeEmpty(undefined)).toBeUndefined();
  });

  it('fail on a from-key watch refused as an empty range, and on an empty range served', () => {
    const fromKey = [record({ key: b64('k'), range_end: b64('\0') }, refused(3))];
    expect(refusalsUnlikeRequest(fromKey).map((v) => v.message)).toEqual([expect.stringMatching(/refused as "watcher range is empty", but that range holds keys/)]);
    const verdict = checkWatch(fromKey);
    expect(verdict.valid).toBe(false);
    expect(verdict.violations.map((v) => v.guarantee)).toEqual(['refusal']);
    const served = [record({ key: b64('k'), range_end: b64('a') }, created(3))];
    expect(refusalsUnlikeRequest(served).map((v) => v.message)).toEqual([expect.stringMatching(/served, but its range end is at or below its key/)]);
  });

  it('pass an empty range refused, a range served, other refusals, and records without their request', () => {
    expect(refusalsUnlikeRequest([
      record({ key: b64('k'), range_end: b64('k') }, refused(3)),
      record({ key: b64('k'), range_end: b64('\0') }, created(3)),
      record({ key: b64('k') }, { ...hdr(3), watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' }),
      { process: 'w', time: 2, response: refused(3) },
    ])).toEqual([]);
  });
});
