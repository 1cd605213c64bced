// A client that cancels a watch and creates another on the same stream. etcd 3.4's send loop
// (v3rpc/watch.go sendLoop) forgets a watch id when it sends its Canceled response; responses the
// cancelled watcher had already queued then wait in `pending` as for an id not yet created, and a
// new watch created with that id explicitly (create_request.watch_id) gets them right after its
// Created response, before its own. The checker judged them as the new watch's (resumable,
// ordered, unique); it now finds the split where they are the old watch's, and judges the new watch
// as a new one, not as a resumption of the old (a new watch from an earlier revision gets those
// revisions again).
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';

const all = (extra: object = {}) => ({ create_request: { key: b64('\0'), range_end: b64('\0'), ...extra } });
const ev = (rev: number) => ({ kv: kv('a', String(rev), 2, rev, rev - 1) });
const resp = (rev: number, revs: number[], id = '7') => ({ ...hdr(rev), watch_id: id, events: revs.map(ev) });
const canceled = (rev: number, id = '7') => ({ ...hdr(rev), watch_id: id, canceled: true });
const created = (rev: number, id = '7') => ({ ...hdr(rev), watch_id: id, created: true });
/** Puts of key a at revisions 2..6. */
const puts: Op[] = [2, 3, 4, 5, 6].flatMap((rev, i) => [
  { index: 2 * i, time: 100 * rev, process: 9, type: 'invoke' as const, f: 'kv/put', value: { key: b64('a'), value: b64(String(rev)) } },
  { index: 2 * i + 1, time: 100 * rev + 1, process: 9, type: 'ok' as const, f: 'kv/put', value: hdr(rev) },
]);
function records(list: [request: unknown, response: unknown][]): WatchRecord[] {
  return list.map(([request, response], i) => ({ process: 0, time: 1000 + i, ...(request === undefined ? {} : { request }), response }));
}
/** Watch 7 from now at 1, events 2 and 3, cancelled by the client at `cancelAt`. */
const first = (cancelAt: number): [unknown, unknown][] => [[all({ watch_id: '7' }), created(1)], [undefined, resp(2, [2])], [undefined, resp(3, [3])], [undefined, canceled(cancelAt)]];

describe('a watch re-created with the id of one the client cancelled', () => {
  it("passes the old watch's held responses right after the new Created (ids equal, explicit)", () => {
    const r = checkWatch(records([...first(5), [all({ watch_id: '7', start_revision: '2' }), created(5)], [undefined, resp(4, [4])], [undefined, resp(5, [5])], [undefined, resp(5, [2, 3, 4, 5])]]), puts);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/2 responses .* held/);
  });

  it('passes a new watch from an earlier revision that gets those revisions again (no held response)', () => {
    const r = checkWatch(records([...first(3), [all({ start_revision: '2' }), created(3, '8')], [undefined, resp(4, [2, 3, 4], '8')]]), puts);
    expect(r.violations).toEqual([]);
  });

  it('fails the same responses when the new watch asked another id, or none', () => {
    for (const id of [{ watch_id: '8' }, {}]) {
      const r = checkWatch(records([...first(5), [all({ ...id, start_revision: '2' }), created(5, '8')], [undefined, resp(4, [4], '8')], [undefined, resp(5, [5], '8')], [undefined, resp(5, [2, 3, 4, 5], '8')]]), puts);
      expect(r.valid, JSON.stringify(id)).toBe(false);
    }
  });

  it('fails a "held" response past the old watch\'s Canceled revision: the old watch had stopped before it', () => {
    const r = checkWatch(records([...first(3), [all({ watch_id: '7', start_revision: '2' }), created(5)], [undefined, resp(4, [4])], [undefined, resp(5, [2, 3, 4, 5])]]), puts);
    expect(r.valid).toBe(false);
  });

  it("fails a held response the old watch could not send (outside its range), and one after the old watch's Canceled with no re-create", () => {
    const onlyB: [unknown, unknown][] = [[{ create_request: { key: b64('b'), watch_id: '7' } }, created(1)], [undefined, canceled(5)]];
    expect(checkWatch(records([...onlyB, [all({ watch_id: '7', start_revision: '2' }), created(5)], [undefined, resp(4, [4])], [undefined, resp(5, [2, 3, 4, 5])]]), puts).valid).toBe(false);
    expect(checkWatch(records([...first(3), [undefined, resp(4, [4])]]), puts).violations.map((v) => v.guarantee)).toContain('cancel');
  });

  it('says unknown, not invalid, when a split it tried ran out of steps (that split may be the valid one)', () => {
    const r = checkWatch(records([...first(5), [all({ watch_id: '7', start_revision: '2' }), created(5)], [undefined, resp(4, [4])], [undefined, resp(5, [5])], [undefined, resp(5, [2, 3, 4, 5])]]), puts, { stepsMax: 20 });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toMatch(/split .* not judged in full/);
  });

  it('tries, for a re-created watch from now, only the splits leaving it no event at or below its Created: 70 held responses decided', () => {
    // Watch 7 from now at 1 saw 2..71 queued, cancelled at 71, re-created from now at 71: all 70 came after the new Created.
    const many: Op[] = Array.from({ length: 71 }, (_, i) => i + 2).flatMap((rev, i) => [
      { index: 2 * i, time: 100 * rev, process: 9, type: 'invoke' as const, f: 'kv/put', value: { key: b64('a'), value: b64(String(rev)) } },
      { index: 2 * i + 1, time: 100 * rev + 1, process: 9, type: 'ok' as const, f: 'kv/put', value: hdr(rev) },
    ]);
    const held = Array.from({ length: 70 }, (_, i): [unknown, unknown] => [undefined, resp(i + 2, [i + 2])]);
    const stream = (list: [unknown, unknown][]) => records([[all({ watch_id: '7' }), created(1)], [undefined, canceled(71)], [all({ watch_id: '7' }), created(71)], ...list, [undefined, resp(72, [72])]]);
    const ok = checkWatch(stream(held), many);
    expect(ok.valid).toBe(true);
    expect(ok.summary).toMatch(/70 responses .* held/);
    // The same with two held responses swapped, or one dropped: invalid, where 71 splits were unknown.
    const swapped = [...held];
    [swapped[30], swapped[31]] = [swapped[31]!, swapped[30]!];
    expect(checkWatch(stream(swapped), many).valid).toBe(false);
    expect(checkWatch(stream(held.filter((_, i) => i !== 40)), many).valid).toBe(false);
  });
});
