// The watch checker names what its records keep too little of to judge: a cancel by compaction
// whose record keeps no compact revision (etcd's robustness reports keep clientv3's error text
// only) and a response with events but no header revision. They were passed over without a word
// (the cancel judged by nothing, its watch only up to its last progress notification; the
// response's header guarantee skipped): a valid verdict read as if they had been judged.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';

const all = { key: b64('\0'), range_end: b64('\0') };
const put = (key: string, value: string, create: number, mod: number, version: number) => ({ kv: kv(key, value, create, mod, version) });

function stream(process: number, responses: unknown[]): WatchRecord[] {
  return responses.map((response, i) => (i === 0 ? { process, time: i, request: all, response } : { process, time: i, response }));
}

describe('the watch checker says what it did not judge', () => {
  it('counts cancels by compaction without a compact revision, and responses with events but no header revision', () => {
    const records = [
      ...stream(0, [{ ...hdr(1), created: true }, { ...hdr(2), watch_id: '0', events: [put('a', '1', 2, 2, 1)] }, { watch_id: '0', events: [put('a', '2', 2, 3, 2)] }]),
      ...stream(1, [{ ...hdr(1), created: true }, { ...hdr(2), watch_id: '0', events: [put('a', '1', 2, 2, 1)] }, { ...hdr(3), watch_id: '0', canceled: true, cancel_reason: 'etcdserver: mvcc: required revision has been compacted' }]),
    ];
    const r = checkWatch(records);
    expect(r.valid, r.summary).toBe(true);
    expect(r['notJudged']).toEqual([
      { count: 1, what: 'watch compaction cancel', why: "its record keeps no compact revision (only clientv3's error text), so whether the watch needed a compacted revision is not known; its watch is judged up to its last progress notification" },
      { count: 1, what: 'watch response', why: 'it carries events but its record keeps no header revision, so that it was sent at or past their revisions is not known' },
    ]);
    expect(r.summary).toContain('; 1 watch compaction cancel not judged: ');
    expect(r.summary).toContain('; 1 watch response not judged: it carries events');
  });

  it('says nothing when every record keeps what is judged', () => {
    const records = stream(0, [{ ...hdr(1), created: true }, { ...hdr(2), watch_id: '0', events: [put('a', '1', 2, 2, 1)] }, { ...hdr(3), watch_id: '0', canceled: true, compact_revision: '4' }]);
    const r = checkWatch(records);
    expect(r.valid, r.summary).toBe(true);
    expect(r['notJudged']).toBeUndefined();
  });
});
