// A slow watch consumer on a real etcd 3.4.23 (bench/tools/record-shared-watch.mjs --held 3 --puts
// 100): per round the client stops reading its Watch stream while 100 puts of 2 KB values fill
// etcd's send window (the sendLoop blocks in Send, watch 7's responses wait in its channel), then
// cancels watch 7, creates it again with id 7, and reads again. The sendLoop's select takes the
// waiting responses, the Canceled and the Created in a random order: responses of the cancelled
// watch come after the new Created (20, 25 and 14 of them here), the held responses watch-held.ts
// splits off. Every split but the one giving all of them back leaves the new watch, created "from
// now", an event at or below its Created revision: only that one is tried (8190 splits before, past
// the bound of 64: unknown). The recorder cut the 2 KB fill from every value once recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { cli } from '../../cli/capture-cli.ts';

const DIR = 'test/fixtures/check/real-etcd-watch-held';
const lines = (file: string): unknown[] => readFileSync(join(DIR, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
const records = (): WatchRecord[] => lines('watches.jsonl') as WatchRecord[];
const history = lines('history.jsonl') as Op[];
type Response = { created?: boolean; canceled?: boolean; header?: { revision: string }; events?: { kv: { mod_revision: string } }[] };
const response = (r: WatchRecord): Response => r.response as Response;
const revision = (r: WatchRecord): number => Number(response(r).header?.revision ?? 0);
/** Indexes of the responses after each re-created watch's Created at or below its Canceled's revision: the held ones. */
function heldRuns(rs: WatchRecord[]): number[][] {
  const runs: number[][] = [];
  for (let i = 1; i < rs.length; i++) {
    if (response(rs[i]!).created !== true || response(rs[i - 1]!).canceled !== true) continue;
    const run: number[] = [];
    for (let j = i + 1; j < rs.length && response(rs[j]!).events !== undefined && revision(rs[j]!) <= revision(rs[i - 1]!); j++) run.push(j);
    runs.push(run);
  }
  return runs;
}
const verdict = (rs: WatchRecord[]) => checkWatch(rs, history);

describe('held responses of a re-created watch behind a slow consumer, on a real etcd 3.4.23', () => {
  it('detcd check --watches: valid, the 59 held responses given back to the cancelled watches', async () => {
    const r = await cli(['check', '--model', 'etcd', '--json', '--watches', join(DIR, 'watches.jsonl'), join(DIR, 'history.jsonl')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as { valid: boolean; watch: { valid: boolean; summary: string } };
    expect(j).toMatchObject({ valid: true, watch: { valid: true } });
    expect(j.watch.summary).toMatch(/59 responses after a re-created watch's Created judged as held/);
  });

  it('the recording holds the race: 3 re-creates, each with old responses after its Created', () => {
    expect(heldRuns(records()).map((run) => run.length)).toEqual([20, 25, 14]);
  });

  it('fails: one held response dropped (the cancelled watch missed an event)', () => {
    const rs = records();
    const run = heldRuns(rs)[1]!;
    rs.splice(run[10]!, 1);
    expect(verdict(rs).valid).toBe(false);
  });

  it('fails: two held responses swapped (out of order whichever watch they are)', () => {
    const rs = records();
    const run = heldRuns(rs)[0]!;
    [rs[run[3]!], rs[run[4]!]] = [rs[run[4]!]!, rs[run[3]!]!];
    expect(verdict(rs).valid).toBe(false);
  });

  it("fails: a held response sent after the new watch's own (an old event no split can give back)", () => {
    const rs = records();
    const [first, second] = heldRuns(rs);
    // The first round's last held response, sent right before the second round's Canceled.
    const [moved] = rs.splice(first!.at(-1)!, 1);
    rs.splice(second![0]! - 3, 0, moved!);
    expect(response(rs[second![0]! - 2]!).canceled).toBe(true);
    expect(verdict(rs).valid).toBe(false);
  });
});
