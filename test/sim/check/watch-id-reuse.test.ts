// A watch id the client's cancel freed is never refused as a duplicate (etcd 3.4 deletes the id
// before it answers the cancel); an id still held, one a compaction cancelled, or one never seen
// freed is not judged.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import { idsRefusedAfterCancel } from '../../../sim/check/watch-id-reuse.ts';
import type { WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr } from './history-builder.ts';

const all = { key: b64('\0'), range_end: b64('\0') };
const create = (id: number, extra: Record<string, unknown> = {}) => ({ create_request: { ...all, watch_id: String(id), ...extra } });
const created = (id: number, rev: number) => ({ ...hdr(rev), watch_id: String(id), created: true });
const refused = (rev: number) => ({ ...hdr(rev), watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' });
const canceled = (id: number, rev: number) => ({ ...hdr(rev), watch_id: String(id), canceled: true });

function records(...steps: ({ request?: unknown; response: unknown } | { closed: string })[]): WatchRecord[] {
  return steps.map((s, i) => ('closed' in s ? { process: 'w', time: i + 1, response: {}, closed: s.closed } : { process: 'w', time: i + 1, ...s }));
}

describe('watch ids freed by a cancel (holdout 18\'s cancel-keeps-watch-state)', () => {
  it('fail when an id the client cancelled is refused as a duplicate', () => {
    const r = records({ request: create(1), response: created(1, 1) }, { response: canceled(1, 1) }, { request: create(1), response: refused(1) });
    expect(idsRefusedAfterCancel(r).map((v) => v.message)).toEqual([expect.stringMatching(/watch id 1 refused as a duplicate, but its watch was cancelled/)]);
    const verdict = checkWatch(r);
    expect(verdict.valid).toBe(false);
    expect(verdict.violations.map((v) => v.guarantee)).toEqual(['cancel']);
  });

  it('pass when the id is still held, was compacted, was never seen freed, or the stream ended', () => {
    // Still held: no cancel yet.
    expect(idsRefusedAfterCancel(records({ request: create(1), response: created(1, 1) }, { request: create(1), response: refused(1) }))).toEqual([]);
    // Created again after the cancel, then refused: held again.
    expect(idsRefusedAfterCancel(records({ request: create(1), response: created(1, 1) }, { response: canceled(1, 1) }, { request: create(1), response: created(1, 1) }, { request: create(1), response: refused(1) }))).toEqual([]);
    // Cancelled by a compaction: not judged.
    expect(idsRefusedAfterCancel(records({ request: create(1, { start_revision: '1' }), response: created(1, 3) }, { response: { ...hdr(0), watch_id: '1', canceled: true, compact_revision: '2' } }, { request: create(1), response: refused(3) }))).toEqual([]);
    // Never seen created or cancelled on this stream.
    expect(idsRefusedAfterCancel(records({ request: create(1), response: refused(1) }))).toEqual([]);
    // A closed stream starts over.
    expect(idsRefusedAfterCancel(records({ request: create(1), response: created(1, 1) }, { response: canceled(1, 1) }, { closed: 'member ended the stream' }, { request: create(1), response: refused(1) }))).toEqual([]);
    // A create refused as a duplicate holds no id: the events of the watch etcd numbered 1 (after a
    // compaction freed 1) stay that watch's (watch-shapes seed 3 of the correct build, a false alarm before).
    const numberedOne = records(
      { request: create(1, { start_revision: '1' }), response: created(1, 3) },
      { response: { ...hdr(0), watch_id: '1', canceled: true, compact_revision: '2' } },
      { request: { create_request: { ...all } }, response: created(1, 3) },
      { request: create(1), response: refused(3) },
      { response: { ...hdr(4), watch_id: '1', events: [{ kv: { key: b64('a'), value: b64('1'), create_revision: '4', mod_revision: '4', version: '1' } }] } },
    );
    expect(checkWatch(numberedOne).violations).toEqual([]);
    // The id created again after its cancel: valid.
    expect(checkWatch(records({ request: create(1), response: created(1, 1) }, { response: canceled(1, 1) }, { request: create(1), response: created(1, 1) })).valid).not.toBe(false);
  });
});
