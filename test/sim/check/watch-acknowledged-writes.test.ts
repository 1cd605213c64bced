// A watch that opened after some writes (every robustness-test watch opens "from now" after
// revision 2; every kubernetes-traffic key is created before its watchers) leaves a hole in the
// replayed key space. Three things were judged by nothing there, in every form (found by the
// anomaly campaign on a real kubernetes-traffic run with 40 objects, robustness form):
// - a put after the hole that did not create its key left the key unknown to the end, so no
//   prev_kv of a later event of it was judged (watch-wrong-prev-kv: a value never written passed);
// - a prev_kv whose mod_revision is a write no watch saw (before the hole) was compared with
//   nothing, though the history acknowledged that write with its revision;
// - a DELETE event of a key no put request names needed a watch of every key that saw revision
//   2 to know the store started empty (watch-delete-never-put passed), though an answer at
//   revision 1 shows it, and etcd's robustness tests always start so.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import { parseRobustnessWatches } from '../../../sim/history/etcd-robustness-watch.ts';
import type { Op } from '../../../sim/history/op.ts';
import { b64, hdr, timedCalls } from './history-builder.ts';

type Prev = { Value: { Value: string }; ModRevision: number; Version: number } | null;
type Event = { Type: string; Key: string; Value: { Value: string } | null; Revision: number; IsCreate: boolean; PrevValue: Prev };
const put = (key: string, value: string, revision: number, isCreate: boolean, prev: Prev): Event => ({ Type: 'put-operation', Key: key, Value: { Value: value }, Revision: revision, IsCreate: isCreate, PrevValue: prev });
const del = (key: string, revision: number): Event => ({ Type: 'delete-operation', Key: key, Value: null, Revision: revision, IsCreate: false, PrevValue: null });
const response = (revision: number, events: Event[]) => ({ Events: events, IsProgressNotify: false, Revision: revision, Time: revision * 1_000_000_000 });
const prev = (value: string, mod: number, version: number): Prev => ({ Value: { Value: value }, ModRevision: mod, Version: version });

/** A watch of every key from now, with prev_kv, opened after revision 2 (a put a=v1 there): b created at 3, a put at 4 and 5, c created at 6. */
function records(changes: { prev4?: Prev; prev5?: Prev; b?: string; at6?: Event[] } = {}) {
  const text = JSON.stringify({
    Request: { Key: '', Revision: 0, WithPrefix: true, WithProgressNotify: false, WithPrevKV: true },
    Responses: [
      response(3, [put('b', changes.b ?? 'w', 3, true, null)]),
      response(4, [put('a', 'v2', 4, false, changes.prev4 === undefined ? prev('v1', 2, 1) : changes.prev4)]),
      response(5, [put('a', 'v3', 5, false, changes.prev5 === undefined ? prev('v2', 4, 2) : changes.prev5)]),
      response(6, changes.at6 ?? [put('c', 'x', 6, true, null)]),
    ],
  });
  return parseRobustnessWatches(text, 1).records;
}

/** The history's acknowledged puts (times in µs, before each event arrived); `first`: a range answered at revision 1 before them. */
function history(first: boolean): Op[] {
  const p = (key: string, value: string, rev: number, at: number) => [1, at, 'kv/put', { key: b64(key), value: b64(value) }, hdr(rev)] as [number, number, string, unknown, unknown];
  return timedCalls([...(first ? [[2, 0, 'kv/range', { key: b64('a') }, hdr(1)] as [number, number, string, unknown, unknown]] : []), p('a', 'v1', 2, 10_000), p('b', 'w', 3, 20_000), p('a', 'v2', 4, 30_000), p('a', 'v3', 5, 40_000), p('c', 'x', 6, 50_000)]);
}
const guarantees = (r: ReturnType<typeof checkWatch>) => r.violations.map((v) => v.guarantee);

describe('watch events against what the history acknowledged, after a hole', () => {
  it('passes the real stream, with and without the history', () => {
    expect(checkWatch(records(), history(true)).violations.map((v) => v.message)).toEqual([]);
    expect(checkWatch(records(), []).valid).toBe(true);
  });

  it('fails a prev_kv of a key a put after the hole made known (no history needed)', () => {
    expect(guarantees(checkWatch(records({ prev5: prev('phantom', 4, 2) }), []))).toEqual(['prev_kv']);
    expect(guarantees(checkWatch(records({ prev5: prev('v2', 3, 2) }), []))).toEqual(['prev_kv']);
    // Its version is not known (the format keeps none): not judged.
    expect(checkWatch(records({ prev5: prev('v2', 4, 7) }), []).valid).toBe(true);
  });

  it('fails a prev_kv at a write before the hole that the acknowledged write contradicts', () => {
    const wrongValue = checkWatch(records({ prev4: prev('v0', 2, 1) }), history(false));
    expect(guarantees(wrongValue)).toEqual(['prev_kv']);
    expect(wrongValue.violations[0]!.message).toContain('acknowledged write');
    // The write at 3 put b, not a.
    expect(guarantees(checkWatch(records({ prev4: prev('v1', 3, 1) }), history(false)))).toEqual(['prev_kv']);
  });

  it('fails a PUT event whose value the acknowledged write at its revision did not store', () => {
    expect(guarantees(checkWatch(records({ b: 'other' }), history(false)))).toEqual(['agreement']);
  });

  it('fails a DELETE of a key no put request names once the store is known to have started empty', () => {
    const at6 = [put('c', 'x', 6, true, null), del('never', 6)];
    expect(guarantees(checkWatch(records({ at6 }), history(true)))).toEqual(['delete']);
    expect(guarantees(checkWatch(records({ at6 }), history(false), { startedEmpty: true }))).toEqual(['delete']);
    // Nothing shows the store was empty when the history began: the key may have been there.
    expect(checkWatch(records({ at6 }), history(false)).valid).toBe(true);
  });
});
