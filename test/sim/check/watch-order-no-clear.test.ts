// The watch checker's per-stream order check (watch.ts checkResponseOrder) keeps where each key
// stands at the revision being read in a map tagged by epoch, never cleared: Map.clear() makes a
// new table even for an empty map, and it ran at every response and every revision of every
// stream (a twentieth of the checkers' bytes on the bench histories). The rules it serves, a key
// shown twice at one revision of one response (a txn), are pinned by watch.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';

const all = { key: b64('\0'), range_end: b64('\0'), prev_kv: true };

/** One stream: Created, then `n` responses, each a put of key k<i % 3> at revision i + 2 (a txn at every tenth: two keys). */
function longStream(n: number): WatchRecord[] {
  const records: WatchRecord[] = [{ process: 0, time: 0, request: all, response: { ...hdr(1), created: true } }];
  const last = new Map<string, { mod: number; version: number; create: number }>();
  for (let i = 0; i < n; i++) {
    const rev = i + 2;
    const keys = i % 10 === 9 ? ['k0', 'x'] : [`k${i % 3}`];
    const events = keys.map((key) => {
      const before = last.get(key);
      const now = { mod: rev, version: (before?.version ?? 0) + 1, create: before?.create ?? rev };
      last.set(key, now);
      return { kv: kv(key, `v${rev}`, now.create, rev, now.version), ...(before === undefined ? {} : { prev_kv: kv(key, `v${before.mod}`, before.create, before.mod, before.version) }) };
    });
    records.push({ process: 0, time: i + 1, response: { ...hdr(rev), watch_id: '0', events } });
  }
  return records;
}

describe('the watch checker reads a stream without clearing a map per response', () => {
  afterEach(() => vi.restoreAllMocks());

  it('judges 300 responses valid with no Map.clear()', () => {
    const clear = vi.spyOn(Map.prototype, 'clear');
    const r = checkWatch(longStream(300));
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(clear).not.toHaveBeenCalled();
  });

  it('still sees a key put twice at one revision of one response, and not across responses', () => {
    const twice = longStream(3);
    const third = twice[3]!.response as { events: unknown[] };
    third.events.push(third.events[0]);
    expect(checkWatch(twice).violations.map((v) => v.guarantee)).toContain('unique');
    // The same event again in the next response (one revision split over two): atomic and unique, as before.
    const split = longStream(3);
    split.push({ process: 0, time: 9, response: { ...hdr(4), watch_id: '0', events: [(split[3]!.response as { events: unknown[] }).events[0]] } });
    expect(checkWatch(split).violations.map((v) => v.guarantee)).toEqual(expect.arrayContaining(['atomic', 'unique']));
  });
});
