// Watch guarantees: a clean stream passes; a duplicate event, a missing event, a split
// revision, an out-of-order event, an event after a progress notification at its revision,
// an event outside the watched range, a wrong is-create flag and a wrong or missing prev_kv each fail.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, history, kv } from './history-builder.ts';

const put = (key: string, value: string, create: number, mod: number, version: number, prev?: Record<string, string>) => ({ kv: kv(key, value, create, mod, version), ...(prev === undefined ? {} : { prev_kv: prev }) });
const del = (key: string, mod: number, prev?: Record<string, string>) => ({ type: 'DELETE', kv: { key: b64(key), mod_revision: String(mod) }, ...(prev === undefined ? {} : { prev_kv: prev }) });
const all = { key: b64('\0'), range_end: b64('\0'), prev_kv: true };
const resp = (rev: number, events: unknown[]) => ({ ...hdr(rev), watch_id: '0', events });

function stream(process: number, responses: unknown[], request: unknown = all): WatchRecord[] {
  return responses.map((response, i) => (i === 0 ? { process, time: i, request, response } : { process, time: i, response }));
}

const clean = (): unknown[] => [
  { ...hdr(1), created: true },
  resp(2, [put('a', '1', 2, 2, 1)]),
  resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), put('b', '1', 3, 3, 1)]),
  resp(4, [del('a', 4, kv('a', '2', 2, 3, 2))]),
  { ...hdr(4) },
];

describe('watch guarantees', () => {
  it('pass on a clean stream shared by two watchers', () => {
    const r = checkWatch([...stream(0, clean()), ...stream(1, clean())]);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('fail on a duplicate event (unique)', () => {
    const s = clean();
    s.splice(2, 0, resp(2, [put('a', '1', 2, 2, 1)]));
    const r = checkWatch(stream(0, s));
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.guarantee)).toContain('unique');
  });

  it('fail on a missing event that another watcher saw (reliable)', () => {
    const s = clean();
    s.splice(2, 1, resp(3, [put('b', '1', 3, 3, 1)]));
    const r = checkWatch([...stream(0, clean()), ...stream(1, s)]);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.guarantee)).toContain('reliable');
  });

  it('fail on a missing acknowledged put from the history (reliable)', () => {
    const s = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(4, [put('a', '3', 2, 4, 2)])];
    const h = history([
      [0, 'invoke', 'kv/put', { key: b64('b'), value: b64('x') }],
      [0, 'ok', 'kv/put', hdr(3)],
    ]);
    const r = checkWatch(stream(0, s), h.ops);
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.guarantee).toBe('reliable');
  });

  it('judge each key of a revision with several keys: the second one missed (reliable) or delivered twice (unique)', () => {
    const missed = clean();
    missed.splice(2, 1, resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1))]));
    const r = checkWatch([...stream(0, clean()), ...stream(1, missed)]);
    expect(r.violations.map((v) => [v.guarantee, v.process, v.revision])).toContainEqual(['reliable', 1, 3]);
    expect(r.violations.filter((v) => v.guarantee === 'reliable')).toHaveLength(1);
    const twice = clean();
    twice.splice(3, 0, resp(3, [put('b', '1', 3, 3, 1)]));
    expect(checkWatch(stream(0, twice)).violations.map((v) => v.guarantee)).toContain('unique');
    // Kubernetes-style traffic: one key per revision, so a second key at a revision is a duplicate revision.
    expect(checkWatch(stream(0, clean())).valid).toBe(true);
    expect(checkWatch(stream(0, clean()), [], { expectRevisionUnique: true }).violations.map((v) => [v.guarantee, v.revision])).toEqual([['unique', 3]]);
  });

  it('fail when one revision is split across two responses (atomic)', () => {
    const s = [{ ...hdr(1), created: true }, resp(3, [put('a', '1', 3, 3, 1)]), resp(3, [put('b', '1', 3, 3, 1)])];
    const r = checkWatch(stream(0, s));
    expect(r.violations.map((v) => v.guarantee)).toContain('atomic');
  });

  it('fail when revisions go backwards (ordered)', () => {
    const s = [{ ...hdr(1), created: true }, resp(3, [put('a', '2', 2, 3, 2)]), resp(3, [put('b', '1', 2, 2, 1)])];
    expect(checkWatch(stream(0, s)).violations.map((v) => v.guarantee)).toContain('ordered');
  });

  it('fail on an event at or below a progress notification (bookmarkable)', () => {
    const s = [{ ...hdr(1), created: true }, { ...hdr(3) }, resp(3, [put('a', '1', 3, 3, 1)])];
    expect(checkWatch(stream(0, s)).violations.map((v) => v.guarantee)).toContain('bookmarkable');
  });

  it('pass on progress notifications that follow every event at or below them', () => {
    const s = clean();
    s.splice(2, 0, { ...hdr(2) });
    const fromNow = [{ ...hdr(3), created: true }, { ...hdr(3) }, resp(4, [del('a', 4, kv('a', '2', 2, 3, 2))]), { ...hdr(4) }];
    const r = checkWatch([...stream(0, s), ...stream(1, clean()), ...stream(2, fromNow)]);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('fail on a progress notification to a watcher still catching up: its events come after (bookmarkable) or never (reliable)', () => {
    // An unsynced watcher from revision 2 is told "progress 4" before it got revisions 2..4.
    const behind = [{ ...hdr(4), created: true }, { ...hdr(4) }, resp(4, [put('a', '1', 2, 2, 1), put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1))])];
    const late = checkWatch([...stream(0, clean()), ...stream(1, behind, { ...all, start_revision: '2' })]);
    expect(late.valid).toBe(false);
    expect(late.violations.map((v) => v.guarantee)).toContain('bookmarkable');
    // A watch "from now" created at revision 1 and told "progress 3" without an event: it missed 2 and 3.
    const never = checkWatch([...stream(0, clean()), ...stream(1, [{ ...hdr(1), created: true }, { ...hdr(3) }])]);
    expect(never.violations.map((v) => v.guarantee)).toEqual(['reliable', 'reliable', 'reliable']);
    expect(never.violations[0]!.message).toMatch(/missed PUT "a"@2/);
    // The same promise before a compaction cancel still counts; without a progress the cancelled watch is not judged.
    const cancel = { ...hdr(0), canceled: true, compact_revision: '4' };
    expect(checkWatch([...stream(0, clean()), ...stream(1, [{ ...hdr(1), created: true }, { ...hdr(3) }, cancel])]).violations.map((v) => v.guarantee)).toContain('reliable');
    expect(checkWatch([...stream(0, clean()), ...stream(1, [{ ...hdr(1), created: true }, cancel])]).valid).toBe(true);
  });

  it('fail on a watch cancelled as compacted at a revision it could still read (compaction)', () => {
    const cancel = (rev: number) => ({ ...hdr(0), canceled: true, compact_revision: String(rev) });
    const from = (rev: number) => ({ ...all, start_revision: String(rev) });
    // Start 3, compact revision 3: revision 3 is kept, so the cancel is wrong; compact revision 4 is right.
    expect(checkWatch(stream(0, [{ ...hdr(4), created: true }, cancel(3)], from(3))).violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(checkWatch(stream(0, [{ ...hdr(4), created: true }, cancel(4)], from(3))).valid).toBe(true);
    // After an event at 2 the watch needs 3; from now (created at 4) it needs 5. A progress at 3
    // does not move it: etcd moves a synced watcher's minRev only with events, so after a snapshot
    // restore it is cancelled from its start (ground-truth seed 11318; this test said 4 before).
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), cancel(3)], from(2))).violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), cancel(4)], from(2))).valid).toBe(true);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, { ...hdr(3) }, cancel(4)], from(2))).valid).toBe(true);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, { ...hdr(3) }, cancel(2)], from(2))).violations[0]!.message).toMatch(/needed revision 2 next/);
    expect(checkWatch(stream(0, [{ ...hdr(4), created: true }, cancel(5)])).violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(checkWatch(stream(0, [{ ...hdr(4), created: true }, cancel(6)])).valid).toBe(true);
  });

  it('fail on a compaction cancel past every compaction asked for by then (compaction; holdout 19\'s compacted-cancel-reports-current-rev)', () => {
    // An answer at revision 2 (the history starts there), a compaction to 3 asked at µs 2; the cancel arrives at µs 3.
    const cancel = (rev: number) => ({ ...hdr(0), canceled: true, compact_revision: String(rev) });
    const records = (rev: number): WatchRecord[] => stream(0, [{ ...hdr(1), created: true }, { ...hdr(2) }, { ...hdr(5) }, cancel(rev)], { ...all, start_revision: '2' });
    const answered: Op[] = [{ index: 0, time: 0, process: 8, type: 'invoke', f: 'kv/range', value: { key: b64('a') } }, { index: 1, time: 1, process: 8, type: 'ok', f: 'kv/range', value: hdr(2) }];
    const compactAt = (time: number, revision: number): Op[] => [{ index: 2, time, process: 9, type: 'invoke', f: 'kv/compaction', value: { revision: String(revision) } }];
    expect(checkWatch(records(3), [...answered, ...compactAt(2, 3)]).valid).toBe(true);
    // The store's current revision (5) as the compact revision: no one asked to compact that far.
    const past = checkWatch(records(5), [...answered, ...compactAt(2, 3)]);
    expect(past.violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(past.violations[0]!.message).toMatch(/compacted at revision 5, but no compaction that far was asked for by then \(the largest asked: 3/);
    // Asked only after the cancel arrived: not yet asked then.
    expect(checkWatch(records(3), [...answered, ...compactAt(4, 3)]).violations.map((v) => v.guarantee)).toEqual(['compaction']);
    // A compaction before the history began is at most the first revision it shows (2); --auto-compaction or no answer: not judged.
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, cancel(2)], { ...all, start_revision: '1' }), answered).valid).toBe(true);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, cancel(3)], { ...all, start_revision: '1' }), answered).violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(checkWatch(records(5), [...answered, ...compactAt(2, 3)], { autoCompaction: true }).valid).toBe(true);
    expect(checkWatch(records(5), compactAt(2, 3)).valid).toBe(true);
  });

  it('fail on an event a watch is sent after its cancel by a compaction (planted watch-event-after-cancel)', () => {
    const cancel = { ...hdr(0), canceled: true, compact_revision: '4' };
    const from2 = { ...all, start_revision: '2' };
    // Cancelled at 4 needing 2, then an event at 3 on the same watch: etcd sends the cancel on the
    // watcher's own channel, after all it sent it, and the watcher is gone.
    const late = checkWatch(stream(0, [{ ...hdr(1), created: true }, cancel, resp(3, [put('a', '1', 3, 3, 1)])], from2));
    expect(late.violations.map((v) => v.guarantee)).toEqual(['compaction']);
    expect(late.violations[0]!.message).toMatch(/PUT "a"@3 after the watch was cancelled as compacted at revision 4/);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, cancel], from2)).valid).toBe(true);
    // The watch opened again (a new create request) may get that event.
    expect(checkWatch([...stream(0, [{ ...hdr(1), created: true }, cancel], from2), ...stream(0, [{ ...hdr(4), created: true }, resp(5, [put('a', '1', 5, 5, 1)])], { ...all, start_revision: '4' })]).valid).toBe(true);
  });

  it('fail on an event after a watch\'s Canceled response the client asked for (cancel): etcd 3.4\'s send loop forgets the watch id', () => {
    // The client's cancel request answered Canceled at revision 2 (no compact revision), then an
    // event of revision 3 for that watch: etcd holds it as for a watch never created.
    const canceled = { ...hdr(2), watch_id: '0', canceled: true };
    const late = checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), canceled, resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1))])]));
    expect(late.violations.map((v) => v.guarantee)).toEqual(['cancel']);
    expect(late.violations[0]!.message).toMatch(/PUT "a"@3 after the watch's Canceled response/);
    // Events before the Canceled response (queued while the cancel request was on its way) pass.
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1))]), canceled])).valid).toBe(true);
  });

  it('fail on a response whose header revision is below an event it carries (planted watch-header-behind-events)', () => {
    const behind = [{ ...hdr(1), created: true }, { ...resp(2, [put('a', '1', 2, 2, 1)]), ...hdr(1) }];
    const r = checkWatch(stream(0, behind));
    expect(r.violations.map((v) => v.guarantee)).toEqual(['header']);
    expect(r.violations[0]!.message).toMatch(/PUT "a"@2 in a response whose header revision is 1/);
    // At or past its events passes; a response that recorded no header revision is not judged.
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(3, [put('a', '1', 2, 2, 1)])])).valid).toBe(true);
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, { watch_id: '0', events: [put('a', '1', 2, 2, 1)] }])).valid).toBe(true);
  });

  it('fail on an event outside the watched key (filter)', () => {
    const s = [{ ...hdr(1), created: true }, resp(2, [put('b', '1', 2, 2, 1)])];
    expect(checkWatch(stream(0, s, { key: b64('a') })).violations.map((v) => v.guarantee)).toContain('filter');
  });

  it('fail on a wrong create flag and a wrong prev_kv', () => {
    const s = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [put('a', '2', 3, 3, 1, kv('a', '0', 2, 1, 1))])];
    const g = checkWatch(stream(0, s)).violations.map((v) => v.guarantee);
    expect(g).toContain('is_create');
    expect(g).toContain('prev_kv');
  });

  // A watch that starts at revision 5 leaves 2..4 unseen (a real run's watchers all reconnecting
  // after a kill do the same): what a key held before is known again once an event writes it.
  // Before, the replay stopped at the first hole and judged no prev_kv after it (the campaign's
  // watch-wrong-prev-kv on a real etcd kill-leader run: missed in every form).
  it('fail on a wrong prev_kv of a key written again after a hole in the watched revisions; a key not seen since is not judged', () => {
    const from5 = { ...all, start_revision: '5' };
    const s = [{ ...hdr(4), created: true }, resp(5, [put('a', '1', 5, 5, 1)]), resp(6, [put('a', '2', 5, 6, 2, kv('a', '9', 5, 5, 1))])];
    const r = checkWatch(stream(0, s, from5));
    expect(r.violations.map((v) => v.guarantee)).toEqual(['prev_kv']);
    expect(r.violations[0]!.message).toMatch(/PUT "a"@6 prev_kv is a value the put at 5 did not write/);
    const unseen = [{ ...hdr(4), created: true }, resp(5, [put('b', '2', 2, 5, 2, kv('b', '1', 2, 3, 1))]), resp(6, [put('c', '1', 4, 6, 2, kv('c', '0', 4, 4, 1))])];
    expect(checkWatch(stream(0, unseen, from5)).valid).toBe(true);
  });

  // A put's version (campaign: watch-wrong-version on compaction-restore, a watcher's event at a
  // revision no watch of every key saw whole: missed in run and jsonl forms before).
  it('fail on a PUT event whose version is not one past the key\'s (version), even where the replay knows nothing', () => {
    const noPrev = { key: b64('\0'), range_end: b64('\0') };
    // Replayed: "a" was at version 1 before revision 3, so the put at 3 is version 2, not 3.
    const replayed = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [put('a', '2', 2, 3, 3)])];
    expect(checkWatch(stream(0, replayed, noPrev)).violations.map((v) => v.guarantee)).toEqual(['version']);
    // After a hole (the watch starts at 5): a created key (create_revision = its revision) is at version 1 ...
    const from5 = { ...noPrev, start_revision: '5' };
    const created = [{ ...hdr(4), created: true }, resp(5, [put('a', '1', 5, 5, 2)])];
    expect(checkWatch(stream(0, created, from5)).violations.map((v) => [v.guarantee, v.revision])).toEqual([['version', 5]]);
    // ... a key at version 1 was created there ...
    const notCreated = [{ ...hdr(4), created: true }, resp(5, [put('a', '1', 3, 5, 1)])];
    expect(checkWatch(stream(0, notCreated, from5)).violations.map((v) => v.guarantee)).toEqual(['version']);
    // ... and a put is one past its prev_kv's version.
    const pastPrev = [{ ...hdr(4), created: true }, resp(5, [put('a', '1', 3, 5, 4, kv('a', '0', 3, 4, 2))])];
    expect(checkWatch(stream(0, pastPrev, { ...all, start_revision: '5' })).violations.map((v) => v.guarantee)).toEqual(['version']);
  });

  it('pass on versions a record did not keep (0: etcd\'s robustness reports), and on a key put then deleted in one txn', () => {
    const noPrev = { key: b64('\0'), range_end: b64('\0') };
    // As sim/history/etcd-robustness-watch.ts reads them: create_revision only where IsCreate, no version.
    const unkept = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 0)]), resp(3, [put('a', '2', 0, 3, 0, kv('a', '1', 2, 2, 1))])];
    expect(checkWatch(stream(0, unkept, all)).violations).toEqual([]);
    const putThenDelete = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [put('a', '2', 2, 3, 2), del('a', 3)]), resp(4, [put('a', '3', 4, 4, 1)])];
    expect(checkWatch(stream(0, putThenDelete, noPrev)).violations).toEqual([]);
  });

  // Campaign: watch-event-missing in robustness form (compaction-restore): the export drops the
  // Created response, and a watch from now whose first event was removed was judged from its next one.
  it('fail on an event missed after a progress notification, by a watch from now whose Created response was not recorded (reliable)', () => {
    const noCreated = [{ ...hdr(1) }, resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), put('b', '1', 3, 3, 1)])];
    const r = checkWatch([...stream(0, clean()), ...stream(1, noCreated, all)]);
    expect(r.violations.map((v) => [v.guarantee, v.process, v.revision])).toEqual([['reliable', 1, 2]]);
    // Its first progress at 2: the event at 2 was not owed.
    expect(checkWatch([...stream(0, clean()), ...stream(1, [{ ...hdr(2) }, resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), put('b', '1', 3, 3, 1)])], all)]).violations).toEqual([]);
  });

  it('fail on a prev_kv left out, unless a compaction past revision - 1 was asked for before the event arrived', () => {
    // The same stream without the delete's prev_kv; the records arrive at µs 0..4.
    const s = clean().map((r, i) => (i === 3 ? resp(4, [del('a', 4)]) : r));
    const missing = checkWatch(stream(0, s));
    expect(missing.violations.map((v) => v.guarantee)).toEqual(['prev_kv']);
    expect(missing.violations[0]!.message).toMatch(/DELETE "a"@4 carries no prev_kv, but the key was written at 3/);
    // A compaction to revision 4 asked for (outcome unknown) at µs 2, before the delete arrived at µs 3: prev_kv may be gone.
    const compactAt = (time: number, revision: number): Op[] => [{ index: 0, time, process: 9, type: 'invoke', f: 'kv/compaction', value: { revision: String(revision) } }];
    expect(checkWatch(stream(0, s), compactAt(2, 4)).valid).toBe(true);
    // Asked for after the event arrived, or only up to revision 3 (prev_kv is read at 3, still there): a violation.
    expect(checkWatch(stream(0, s), compactAt(4, 4)).violations.map((v) => v.guarantee)).toEqual(['prev_kv']);
    expect(checkWatch(stream(0, s), compactAt(2, 3)).violations.map((v) => v.guarantee)).toEqual(['prev_kv']);
  });

  it('fail when a watch resumed at a revision starts later than it should (resumable)', () => {
    const full = stream(0, clean());
    const resumed = stream(1, [{ ...hdr(3), created: true }, resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), put('b', '1', 3, 3, 1)]), resp(4, [del('a', 4, kv('a', '2', 2, 3, 2))])], { ...all, start_revision: '2' });
    const r = checkWatch([...full, ...resumed]);
    expect(r.violations.map((v) => v.guarantee)).toContain('resumable');
  });

  it('fail when a watch from now gets an event at or below the revision it was created at (resumable)', () => {
    const fromNow = { key: b64('\0'), range_end: b64('\0') };
    const late = stream(1, [{ ...hdr(3), created: true }, resp(3, [put('a', '2', 2, 3, 2), put('b', '1', 3, 3, 1)]), resp(4, [del('a', 4)])], fromNow);
    expect(checkWatch([...stream(0, clean()), ...late]).violations.map((v) => v.guarantee)).toContain('resumable');
    const right = stream(1, [{ ...hdr(3), created: true }, resp(4, [del('a', 4)])], fromNow);
    expect(checkWatch([...stream(0, clean()), ...right]).violations).toEqual([]);
  });

  describe('agreement between watches that each see part of a revision', () => {
    // Revision 3 puts a and b; one watch sees only a (one key), another only b ([b, c)), a third
    // only puts of every key.
    const onlyA = { key: b64('a'), prev_kv: true };
    const onlyB = { key: b64('b'), range_end: b64('c') };
    const putsOnly = { ...all, filters: ['NODELETE'] };
    const a2 = put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1));
    const b1 = put('b', '1', 3, 3, 1);

    it('pass when two partial watches see disjoint parts of a revision', () => {
      const r = checkWatch([
        ...stream(1, [{ ...hdr(2), created: true }, resp(3, [a2])], onlyA),
        ...stream(2, [{ ...hdr(2), created: true }, resp(3, [b1])], onlyB),
      ]);
      expect(r.violations).toEqual([]);
      expect(r.valid).toBe(true);
    });

    it('pass when a partial watch and a watch of every key agree, whichever comes first', () => {
      const partial = stream(1, [{ ...hdr(2), created: true }, resp(3, [b1])], onlyB);
      expect(checkWatch([...partial, ...stream(0, clean())]).valid).toBe(true);
      expect(checkWatch([...stream(0, clean()), ...partial]).valid).toBe(true);
    });

    it('replay prev_kv only over revisions a watch of every key saw whole', () => {
      // Revision 4 put a and b; only a watch of b saw it, and the watch of every key saw 2, 3, 5.
      const full = stream(0, [
        { ...hdr(1), created: true },
        resp(2, [put('a', '1', 2, 2, 1)]),
        resp(3, [put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), put('b', '1', 3, 3, 1)]),
        { ...hdr(3) },
      ]);
      const resumed = stream(2, [{ ...hdr(4), created: true }, resp(5, [put('a', '4', 2, 5, 4, kv('a', '3', 2, 4, 3))])], { ...all, start_revision: '5' });
      const onlyB4 = stream(1, [{ ...hdr(3), created: true }, resp(4, [put('b', '2', 3, 4, 2)])], onlyB);
      const r = checkWatch([...full, ...onlyB4, ...resumed]);
      expect(r.violations).toEqual([]);
    });

    it('fail when two partial watches disagree on a key both watch', () => {
      const other = put('b', 'X', 3, 3, 1);
      const r = checkWatch([
        ...stream(1, [{ ...hdr(2), created: true }, resp(3, [a2, b1])], putsOnly),
        ...stream(2, [{ ...hdr(2), created: true }, resp(3, [other])], onlyB),
      ]);
      expect(r.valid).toBe(false);
      expect(r.violations.map((v) => v.guarantee)).toContain('agreement');
    });

    it('fail when a partial watch saw an event the watch of every key did not, whichever comes first', () => {
      const partial = stream(1, [{ ...hdr(2), created: true }, resp(3, [put('b', 'X', 3, 3, 1)])], onlyB);
      expect(checkWatch([...partial, ...stream(0, clean())]).violations.map((v) => v.guarantee)).toContain('agreement');
      expect(checkWatch([...stream(0, clean()), ...partial]).violations.map((v) => v.guarantee)).toContain('agreement');
    });
  });
});

// A delete event of a key no event ever wrote: etcd deletes (DeleteRange, a lease's end) only keys
// that exist. Before, only a second watcher that saw the revision without it caught it (the
// campaign's watch-delete-never-put with one watcher: missed in the run and jsonl forms).
describe('a delete event of a key that did not exist (delete)', () => {
  const withDelete = (events: unknown[]): unknown[] => [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, events)];

  it('fails a delete of a key never put, beside a real event of its revision, and one of a key already deleted', () => {
    const r = checkWatch(stream(0, withDelete([put('a', '2', 2, 3, 2, kv('a', '1', 2, 2, 1)), del('zz', 3)])));
    expect(r.violations.map((v) => v.guarantee)).toEqual(['delete']);
    expect(r.violations[0]!.message).toContain('did not exist at revision 2');
    const twice = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)]), resp(3, [del('a', 3, kv('a', '1', 2, 2, 1))]), resp(4, [del('a', 4)])];
    expect(checkWatch(stream(0, twice)).violations.map((v) => v.guarantee)).toContain('delete');
  });

  it('passes a delete of a key that existed, and one of a key the watch cannot know (it started after revision 2)', () => {
    expect(checkWatch(stream(0, withDelete([del('a', 3, kv('a', '1', 2, 2, 1))]))).valid).toBe(true);
    const from3 = { ...all, start_revision: '3' };
    expect(checkWatch(stream(0, [{ ...hdr(2), created: true }, resp(3, [del('zz', 3)])], from3)).valid).toBe(true);
    // A nested txn's put then a later nested txn's delete of the key, at one revision (ground-truth
    // seed 12099; etcd reads a prev_kv at revision − 1, where the key did not exist: none).
    expect(checkWatch(stream(0, withDelete([put('zz', '1', 3, 3, 1), del('zz', 3)]))).valid).toBe(true);
    // A watch of one key does not see every revision whole: nothing is known of other keys.
    expect(checkWatch(stream(0, [{ ...hdr(1), created: true }, resp(3, [del('a', 3)])], { key: b64('a'), prev_kv: false })).valid).toBe(true);
  });
});

describe('a key shown twice at one revision: a from-key delete and a put in one txn', () => {
  // etcd's checkIntervals sees a delete to range_end "\0" as an empty interval, so one txn may
  // delete every key from 'a' on and put 'a' again (or put it, then delete it): etcd sends the
  // events in op order, the PUT after the DELETE creates the key anew (create revision and version
  // 1) and carries no prev_kv (v3rpc's IsCreateEvent), whatever the key was before.
  const before = [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)])];
  const at3 = (events: unknown[]): WatchRecord[] => stream(0, [...before, resp(3, events)]);
  const oldA = kv('a', '1', 2, 2, 1);

  it('passes DELETE then PUT, PUT then DELETE, and DELETE, PUT, DELETE of one key at one revision', () => {
    expect(checkWatch(at3([del('a', 3, oldA), put('a', '2', 3, 3, 1)])).violations).toEqual([]);
    expect(checkWatch(at3([put('a', '2', 2, 3, 2, oldA), del('a', 3, oldA)])).violations).toEqual([]);
    expect(checkWatch(at3([del('a', 3, oldA), put('a', '2', 3, 3, 1), del('a', 3, oldA)])).violations).toEqual([]);
  });

  it('fails two PUTs or two DELETEs of a key at one revision (unique), and a re-put that keeps the old generation or carries a prev_kv', () => {
    const guarantees = (events: unknown[]): string[] => checkWatch(at3(events)).violations.map((v) => v.guarantee);
    expect(guarantees([del('a', 3, oldA), put('a', '2', 3, 3, 1), put('a', '2', 3, 3, 1)])).toContain('unique');
    expect(guarantees([put('a', '2', 2, 3, 2, oldA), del('a', 3, oldA), put('a', '3', 3, 3, 1)])).toContain('unique');
    expect(guarantees([del('a', 3, oldA), del('a', 3, oldA)])).toContain('unique');
    // The put after the delete kept the key's create revision and counted on from its version.
    expect(guarantees([del('a', 3, oldA), put('a', '2', 2, 3, 2)])).toEqual(expect.arrayContaining(['is_create', 'version']));
    expect(guarantees([del('a', 3, oldA), put('a', '2', 3, 3, 1, oldA)])).toContain('prev_kv');
  });
});

describe('a delete event of a key no put names, after a hole in the watched revisions (delete)', () => {
  const putOp = (key: string): Op[] => [
    { index: 0, time: 0, process: 9, type: 'invoke', f: 'kv/put', value: { key: b64(key), value: b64('1') } },
    { index: 1, time: 1, process: 9, type: 'ok', f: 'kv/put', value: hdr(2) },
  ];
  // Revisions 2 then (a hole at 3, as a watch cancelled by a compaction and opened again) 4.
  const holed = (events4: unknown[]): WatchRecord[] => [
    ...stream(0, [{ ...hdr(1), created: true }, resp(2, [put('a', '1', 2, 2, 1)])]),
    ...stream(1, [{ ...hdr(3), created: true }, resp(4, events4)], { ...all, start_revision: '4' }),
  ];

  it('fails a delete of a key no put request names, in a store a watch saw start empty', () => {
    const r = checkWatch(holed([del('zz', 4)]), putOp('a'));
    expect(r.violations.map((v) => v.guarantee)).toEqual(['delete']);
    expect(r.violations[0]!.message).toContain('no put request of the history names');
  });

  it('passes a delete of a key a put names (it may have been put in the hole), and judges nothing without the history or with other requests in it', () => {
    // A put of zz that never answered: it may have applied at 3, the revision no watch saw.
    const unanswered: Op[] = [...putOp('a'), { index: 2, time: 2, process: 7, type: 'invoke', f: 'kv/put', value: { key: b64('zz'), value: b64('1') } }];
    expect(checkWatch(holed([del('zz', 4)]), unanswered).valid).toBe(true);
    expect(checkWatch(holed([del('zz', 4)])).valid).toBe(true);
    const lockCall: Op[] = [...putOp('a'), { index: 2, time: 2, process: 8, type: 'invoke', f: 'lock/lock', value: { name: b64('l') } }];
    expect(checkWatch(holed([del('zz', 4)]), lockCall).valid).toBe(true);
  });
});
