// Several watches on one gRPC Watch stream of a real etcd 3.4.23, recorded with a raw gRPC client
// (bench/tools/record-shared-watch.mjs): watch 7 (its id asked for) on [a, b), a second on b whose
// id the server chose (0: etcd's JSON leaves it out of every response, its Canceled one too), puts
// under both, the second cancelled, more puts. Each response goes to the watch its id names
// (watch-stream-ids.ts follows etcd's serverWatchStream): the recording is valid, and the same
// recording with one response changed is not. Beside it (the recorder's --recreate 20): watch 7
// cancelled and created again with its id at once, 20 times, each racing 8 clients' puts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { cli } from '../../cli/capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';

const DIR = 'test/fixtures/check/real-etcd-shared-watch-stream';
const lines = (file: string): unknown[] => readFileSync(join(DIR, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
const records = (): WatchRecord[] => lines('watches.jsonl') as WatchRecord[];
const history = lines('history.jsonl') as Op[];
type Response = { watch_id?: string; canceled?: boolean; header: { revision: string }; events?: { kv: { key: string } }[] };
const response = (r: WatchRecord): Response => r.response as Response;
const violations = (rs: WatchRecord[]) => checkWatch(rs, history).violations.map((v) => [v.guarantee, v.process]);

describe('several watches on one stream of a real etcd 3.4.23 (raw gRPC client)', () => {
  it('detcd check --watches: valid, two watches', async () => {
    const r = await cli(['check', '--model', 'etcd', '--json', '--watches', join(DIR, 'watches.jsonl'), join(DIR, 'history.jsonl')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, linearizable: true, watch: { valid: true } });
    expect((JSON.parse(r.out[0]!) as { watch: { summary: string } }).watch.summary).toMatch(/over 2 watches/);
  });

  it('the recording holds what the test is about: ids 7 and (left out) 0, one Canceled, events of both', () => {
    const rs = records().map(response);
    expect(rs.filter((r) => r.events !== undefined && r.watch_id === '7').length).toBeGreaterThan(1);
    expect(rs.filter((r) => r.events !== undefined && r.watch_id === undefined).length).toBeGreaterThan(1);
    expect(rs.filter((r) => r.canceled === true).map((r) => r.watch_id)).toEqual([undefined]);
  });

  it('fails: an event of watch 7 named as the other watch (outside its range)', () => {
    const rs = records();
    const i = rs.findIndex((r) => response(r).watch_id === '7' && response(r).events !== undefined);
    delete (rs[i]!.response as Response).watch_id;
    expect(violations(rs).map(([g]) => g)).toContain('filter');
  });

  it('fails: a put under watch 7 it never delivered', () => {
    const rs = records();
    const i = rs.findIndex((r) => response(r).watch_id === '7' && response(r).events !== undefined);
    rs.splice(i, 1);
    expect(violations(rs)).toContainEqual(['reliable', 'stream-1 watch 7']);
  });

  it('fails: an event of the cancelled watch after its Canceled', () => {
    const rs = records();
    const cancel = rs.findIndex((r) => response(r).canceled === true);
    const late = rs.findIndex((r, i) => i > cancel && response(r).watch_id === '7');
    const ofB = rs.find((r) => response(r).watch_id === undefined && response(r).events !== undefined)!;
    rs.splice(late + 1, 0, { ...ofB, time: rs[late]!.time + 1, response: { ...response(ofB), header: { ...response(ofB).header, revision: response(rs[late]!).header.revision } } });
    expect(violations(rs).map(([g]) => g)).toContain('cancel');
  });

  it('a copy written by hand from the fixture is read the same (file form)', async () => {
    const dir = scratchDir('detcd-shared-stream-real-');
    writeFileSync(join(dir, 'watches.jsonl'), records().map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'history.jsonl'), history.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const r = await cli(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, watch: { valid: true } });
  });
});

describe('a watch id cancelled and created again at once on one stream of a real etcd 3.4.23 (raw gRPC client)', () => {
  const RDIR = 'test/fixtures/check/real-etcd-watch-recreated-id';
  const rlines = (file: string): unknown[] => readFileSync(join(RDIR, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const rhistory = rlines('history.jsonl') as Op[];
  const rrecords = (): WatchRecord[] => rlines('watches.jsonl') as WatchRecord[];

  it('detcd check --watches: valid, 21 watches', async () => {
    const r = await cli(['check', '--model', 'etcd', '--json', '--watches', join(RDIR, 'watches.jsonl'), join(RDIR, 'history.jsonl')]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out[0]!) as { watch: { summary: string } }).watch.summary).toMatch(/over 21 watches/);
  });

  it('fails: an event of the last watch left out while a later one is delivered', () => {
    const rs = rrecords();
    const last = rs.map((r) => response(r).watch_id === '7' && (r.response as { created?: boolean }).created === true).lastIndexOf(true);
    const first = rs.findIndex((r, i) => i > last && response(r).events !== undefined);
    rs.splice(first, 1);
    expect(checkWatch(rs, rhistory).violations.map((v) => v.guarantee)).toContain('reliable');
  });

  it('fails: an event delivered to watch 7 between its Canceled and its next Created', () => {
    const rs = rrecords();
    const cancel = rs.findIndex((r) => response(r).canceled === true);
    const ev = rs.find((r, i) => i > cancel && response(r).events !== undefined)!;
    rs.splice(cancel + 1, 0, { ...ev, time: rs[cancel]!.time + 1 });
    expect(checkWatch(rs, rhistory).violations.map((v) => v.guarantee)).toContain('cancel');
  });
});
