// Guarantee "complete": where the recording ended only once every open watch had caught up (a
// run's liveness phase converged at revision caughtUpRevision), a watch not cancelled delivered
// every matching event up to that revision: etcd delivers everything to a live watcher, and a
// stream that silently stops (a member answering keep-alives for a stream it lost after a
// restart: holdout mutant watch-ping-pongs-unknown-stream) leaves it behind. Without
// caughtUpRevision the end of a recording proves nothing, and the summary says it was not judged.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, history, kv } from './history-builder.ts';
import { watchesCaughtUpRevision } from '../../../sim/run/liveness.ts';

const put = (key: string, value: string, create: number, mod: number, version: number) => ({ kv: kv(key, value, create, mod, version) });
const all = { key: b64('\0'), range_end: b64('\0') };
const resp = (rev: number, events: unknown[]) => ({ ...hdr(rev), watch_id: '0', events });

function stream(process: number | string, responses: unknown[], request: unknown = { create_request: all }): WatchRecord[] {
  return responses.map((response, i) => (i === 0 ? { process, time: i, request, response } : { process, time: i, response }));
}

// a: 2, 3; b: 4 (revision 4 is the last before the recording ended caught up).
const full = (): unknown[] => [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [put('a', '2', 2, 3, 2)]), resp(4, [put('b', '1', 4, 4, 1)])];
const stopsAt3 = (): unknown[] => full().slice(0, 3);
const verdict = (records: WatchRecord[], caughtUpRevision?: number, ops = history([]).ops) => checkWatch(records, ops, caughtUpRevision === undefined ? {} : { caughtUpRevision });

describe('watch guarantee "complete"', () => {
  it('must fail: a watch that stops after revision 3 while another delivered 4, the recording caught up to 4', () => {
    const r = verdict([...stream(0, full()), ...stream(1, stopsAt3())], 4);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => [v.guarantee, v.process, v.revision])).toEqual([['complete', 1, 4]]);
  });

  it('must fail: the only watch stops before an acknowledged put it matches', () => {
    const ops = history([
      [0, 'invoke', 'kv/put', { key: b64('b'), value: b64('1') }],
      [0, 'ok', 'kv/put', hdr(4)],
    ]).ops;
    const r = verdict(stream(1, stopsAt3()), 4, ops);
    expect(r.violations.map((v) => v.guarantee)).toEqual(['complete']);
  });

  it('must fail: a watch reopened (resumed at 4) that never got its first event', () => {
    const resumed = [...stream(1, stopsAt3()), ...stream(1, [{ ...hdr(4), created: true }], { create_request: { ...all, start_revision: '4' } })];
    const r = verdict([...stream(0, full()), ...resumed], 4);
    expect(r.violations.map((v) => v.guarantee)).toEqual(['complete']);
  });

  it.each<[string, WatchRecord[]]>([
    ['every watch delivered up to 4', [...stream(0, full()), ...stream(1, full())]],
    ['a watch behind by events past the caught-up revision only', [...stream(0, [...full(), resp(5, [put('c', '1', 5, 5, 1)])]), ...stream(1, full())]],
    ['a watch of key a only, with nothing of its key after 3', [...stream(0, full()), ...stream(1, stopsAt3(), { create_request: { key: b64('a') } })]],
    ['a watch cancelled by a compaction', [...stream(0, full()), ...stream(1, [...stopsAt3(), { ...hdr(5), canceled: true, compact_revision: '5' }])]],
    ['a watch created from now at revision 4', [...stream(0, full()), ...stream(1, [{ ...hdr(4), created: true }], { create_request: { key: b64('\0'), range_end: b64('\0') } })]],
  ])('must pass: %s', (_, records) => {
    const r = verdict(records, 4);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/every open watch complete up to revision 4/);
  });

  // A real client's stream that ended before the end (serve: the client left, its connection or
  // the ports closed; sim/cli/serve/member-gate.ts records it) was not waited for: owed nothing
  // past what it delivered. A stream with no close record that stops delivering still is.
  const closedAt = (process: number | string, time: number): WatchRecord => ({ process, time, response: {}, closed: 'the client closed the stream' });

  it('must pass: a stream closed before the end, behind the caught-up revision, and the summary counts it', () => {
    const r = verdict([...stream(0, full()), ...stream(1, stopsAt3()), closedAt(1, 3)], 4);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/every open watch complete up to revision 4 \(1 stream closed before the end/);
  });

  it('must fail: a close record of another stream, or of the same client before it opened again, exempts nothing', () => {
    const other = verdict([...stream(0, full()), ...stream(1, stopsAt3()), ...stream(2, full()), closedAt(2, 4)], 4);
    expect(other.violations.map((v) => [v.guarantee, v.process])).toEqual([['complete', 1]]);
    const reopened = [...stream(1, stopsAt3().slice(0, 2)), closedAt(1, 2), ...stream(1, [{ ...hdr(3), created: true }, resp(3, [put('a', '2', 2, 3, 2)])], { create_request: { ...all, start_revision: '3' } })];
    const again = verdict([...stream(0, full()), ...reopened], 4);
    expect(again.violations.map((v) => [v.guarantee, v.process, v.revision])).toEqual([['complete', 1, 4]]);
  });

  it('a close record is not a response: a fragment left before it was never delivered, and other guarantees still hold', () => {
    const part = { ...resp(4, [put('b', '1', 4, 4, 1)]), fragment: true };
    const r = verdict([...stream(0, full()), ...stream(1, [...stopsAt3(), part]), closedAt(1, 4)], 4);
    expect(r.violations).toEqual([]);
    // Its delivered window is still judged: a gap before the close is "reliable", close or not.
    const gap = verdict([...stream(0, full()), ...stream(1, [full()[0], full()[1], full()[3]]), closedAt(1, 4)], 4);
    expect(gap.violations.map((v) => v.guarantee)).toEqual(['reliable']);
  });

  it('not judged without a caught-up revision (the end of a recording proves nothing), and the summary says so', () => {
    const r = verdict([...stream(0, full()), ...stream(1, stopsAt3())]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/delivery up to the end not judged/);
  });
});

describe('the caught-up revision a run hands the watch checker', () => {
  const member = (revision: number, up = true) => ({ up, isLeader: false, term: 2, revision, compactRevision: -1, kvHash: 'h' });
  it('is the members\' revision where the liveness phase converged, and none where it did not', () => {
    expect(watchesCaughtUpRevision({ valid: true, summary: '', convergedAfterMs: 20, members: { n1: member(9), n2: member(9), n3: null } })).toBe(9);
    expect(watchesCaughtUpRevision({ valid: false, summary: '', members: { n1: member(9) }, missing: ['not converged'] })).toBeUndefined();
    expect(watchesCaughtUpRevision(undefined)).toBeUndefined();
  });
});
