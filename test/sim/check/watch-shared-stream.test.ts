// Several watches on one stream, as a tool that is not detcd records them: one process (the
// stream), each response naming its watch by watch_id. They were read as one watch per process,
// the last created: watch A's events after B's create were judged as B's (outside its range, out
// of its order). Each response now goes to the watch its id names, and each watch of such a
// stream is judged as its own client (`P watch ID`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';
import { cli } from '../../cli/capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';

const on = (key: string) => ({ create_request: { key: b64(key) } });
const ev = (key: string, rev: number) => ({ kv: kv(key, String(rev), rev, rev, 1) });
const created = (rev: number, id: number) => ({ ...hdr(rev), watch_id: String(id), created: true });
const events = (rev: number, id: number, key: string, revs: number[]) => ({ ...hdr(rev), watch_id: String(id), events: revs.map((r) => ev(key, r)) });
const canceled = (rev: number, id: number) => ({ ...hdr(rev), watch_id: String(id), canceled: true });
/** Puts of fresh keys at revisions 2.. (`keys[i]` at revision i + 2). */
function puts(keys: string[]): Op[] {
  return keys.flatMap((key, i) => [
    { index: 2 * i, time: 100 * (i + 2), process: 9, type: 'invoke' as const, f: 'kv/put', value: { key: b64(key), value: b64(String(i + 2)) } },
    { index: 2 * i + 1, time: 100 * (i + 2) + 1, process: 9, type: 'ok' as const, f: 'kv/put', value: hdr(i + 2) },
  ]);
}
function stream(list: [request: unknown, response: unknown][]): WatchRecord[] {
  return list.map(([request, response], i) => ({ process: 3, time: 1000 + i, ...(request === undefined ? {} : { request }), response }));
}
/** Watch 0 on a and watch 1 on b, both created at revision 1 on stream 3. */
const both: [unknown, unknown][] = [[on('a'), created(1, 0)], [on('b'), created(1, 1)]];
const history = puts(['a', 'b', 'a', 'b', 'a']);

describe('several watches on one stream (watch ids on one client)', () => {
  it('passes interleaved responses of two watches, each judged by its own range and order', () => {
    const r = checkWatch(stream([...both, [undefined, events(2, 0, 'a', [2])], [undefined, events(3, 1, 'b', [3])], [undefined, events(4, 0, 'a', [4])], [undefined, events(5, 1, 'b', [5])]]), history);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/2 watches/);
  });

  it('fails an event outside the range of the watch its id names', () => {
    const r = checkWatch(stream([...both, [undefined, events(2, 0, 'a', [2])], [undefined, events(4, 1, 'a', [4])]]), history);
    expect(r.violations.map((v) => [v.guarantee, v.process])).toContainEqual(['filter', '3 watch 1']);
  });

  it('fails one watch that misses a put its range covers, while the other delivers', () => {
    const r = checkWatch(stream([...both, [undefined, events(2, 0, 'a', [2])], [undefined, events(3, 1, 'b', [3])], [undefined, events(5, 1, 'b', [5])], [undefined, events(6, 0, 'a', [6])]]), history);
    expect(r.violations.map((v) => [v.guarantee, v.process, v.revision])).toEqual([['reliable', '3 watch 0', 4]]);
  });

  it('fails an event of a watch after its own Canceled, though the other watch of the stream lives on', () => {
    const r = checkWatch(stream([...both, [undefined, canceled(2, 1)], [undefined, events(2, 0, 'a', [2])], [undefined, events(3, 1, 'b', [3])]]), history);
    expect(r.violations.map((v) => [v.guarantee, v.process])).toContainEqual(['cancel', '3 watch 1']);
  });
});

describe('detcd check --watches with several watches on one stream', () => {
  it('judges each watch of the stream by its id: valid', async () => {
    const dir = scratchDir('detcd-shared-stream-');
    const records = stream([...both, [undefined, events(2, 0, 'a', [2])], [undefined, events(3, 1, 'b', [3])], [undefined, events(4, 0, 'a', [4])], [undefined, events(5, 1, 'b', [5])]]);
    writeFileSync(join(dir, 'watches.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'ops.jsonl'), puts(['a', 'b', 'a', 'b']).map((o) => JSON.stringify(o)).join('\n') + '\n');
    const r = await cli(['check', '--model', 'etcd', '--json', '--watches', join(dir, 'watches.jsonl'), join(dir, 'ops.jsonl')]);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, watch: { valid: true } });
  });
});
