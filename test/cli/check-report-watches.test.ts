// `detcd check` on a run report's history.jsonl judges the report's own watch streams as the run
// did: complete up to the revision the run's liveness phase found every open watch caught up to
// (results.json's liveness). It used to say "delivery up to the end not judged (the recording
// did not wait for the watches)" where `detcd run` said "every open watch complete up to
// revision 120" for the same history, and so called valid a report whose last event was lost.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

interface WatchLine { process: string; response: { events?: { kv: { mod_revision: string } }[] } }

let dir: string;
let runWatch: string;

beforeAll(async () => {
  dir = join(scratchDir('detcd-check-report-watches-'), 'r');
  const r = await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--out', dir]);
  expect(r.code).toBe(0);
  runWatch = (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { checkers: { watch: { summary: string } } }).checkers.watch.summary;
}, 120_000);

describe("detcd check on a run report's watches", () => {
  it('says what the run said about delivery up to the end (must pass: the report as written)', async () => {
    expect(runWatch).toMatch(/every open watch complete up to revision \d+$/);
    const r = await cli(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, watch: { valid: true, summary: runWatch } });
  });

  it('fails a watch that lost its last event, as the run would have (must fail)', async () => {
    const lines = readFileSync(join(dir, 'watches.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WatchLine);
    const revisionOf = (l: WatchLine): number => Math.max(0, ...(l.response.events ?? []).map((e) => Number(e.kv.mod_revision)));
    const last = lines.reduce((best, l, i) => (revisionOf(l) > revisionOf(lines[best]!) ? i : best), 0);
    const lost = lines[last]!;
    lost.response.events = lost.response.events!.filter((e) => Number(e.kv.mod_revision) !== revisionOf(lost));
    const kept = lost.response.events.length === 0 ? lines.filter((_, i) => i !== last) : lines;
    writeFileSync(join(dir, 'watches.jsonl'), kept.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await cli(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: false, watch: { valid: false, summary: expect.stringMatching(/^watch guarantee broken: .*watch stopped delivering after revision \d+/) as unknown } });
  });
});
