import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../../sim/report/run-report.ts';
import { summarizeRun, type RunSummary } from '../../../sim/report/run-summary.ts';
import { mergeShards, readSweep, shardConflict, writeSweepReport } from '../../../sim/report/sweep-report.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'detcd-sweep-report-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function runs(): RunSummary[] {
  return [
    summarizeRun(fx.passingRun().results, 'partition-leader/101'),
    summarizeRun(fx.linearizabilityFailingRun().results, 'stale-read-bug/202'),
    summarizeRun(fx.unknownRun().results, 'long-history/505'),
    summarizeRun(fx.livenessFailingRun().results, 'partition-majority/404'),
  ];
}

describe('sweep report', () => {
  it("tells a stopped run's failure once, without the checkers its stop left unknown (page and summary.md)", async () => {
    const base = fx.passingRun().results;
    const cause = 'invariant answer-covers-commit (raft) violated on member n1: a stale answer';
    const stopped = { ...base, valid: false as const, error: cause, checkers: { ...base.checkers, raft: { valid: false as const, summary: cause }, liveness: { valid: 'unknown' as const, summary: 'not reached: the safety phase stopped on a violation' } } };
    await writeSweepReport(root, [summarizeRun(stopped, 'kill-leader/1')]);
    for (const page of ['index.html', 'summary.md']) {
      const text = await readFile(join(root, page), 'utf8');
      // Once in each table that tells it: the page's failures at the top and its table of all runs.
      const tables = page === 'index.html' ? [/<table class="data failures">.*?<\/table>/s, /<table class="data runs">.*?<\/table>/s].map((t) => t.exec(text)?.[0] ?? '') : [text];
      for (const table of tables) expect(table.split('a stale answer').length - 1, page).toBe(1);
      expect(text.split('a stale answer').length - 1, page).toBe(tables.length);
      expect(text, page).not.toContain('not reached');
    }
  });

  it('writes index.html, junit.xml, summary.md and sweep.json with failures first', async () => {
    const sweep = await writeSweepReport(root, runs());
    expect(sweep.runs.map((r) => [r.scenario, r.valid])).toEqual([
      ['partition-majority', false],
      ['stale-read-bug', false],
      ['long-history', 'unknown'],
      ['partition-leader', true],
    ]);
    expect(sweep.valid).toBe(false);
    expect(sweep.totals).toMatchObject({ runs: 4, valid: 1, invalid: 2, unknown: 1 });
    const html = await readFile(join(root, 'index.html'), 'utf8');
    expect(html.indexOf('partition-majority')).toBeLessThan(html.indexOf('partition-leader'));
    expect(html).toContain('href="stale-read-bug/202/index.html"');
    // Each run that did not pass shows its replay command in its row; a passing run none.
    for (const r of sweep.runs) expect(html.includes(`<code>${r.replay}</code>`), r.replay).toBe(r.valid !== true);
    const junit = await readFile(join(root, 'junit.xml'), 'utf8');
    expect((junit.match(/<testsuite /g) ?? []).length).toBe(4);
    expect(await readSweep(root)).toEqual(sweep);
  });

  it('groups the thousands of its operation count on the page and in summary.md', async () => {
    // npm start's campaign page said "143964 operations".
    const sweep = await writeSweepReport(root, runs());
    const ops = sweep.totals.ops.toLocaleString('en-US');
    expect(sweep.totals.ops).toBeGreaterThan(999);
    expect(await readFile(join(root, 'index.html'), 'utf8')).toContain(` · ${ops} operations · `);
    expect(await readFile(join(root, 'summary.md'), 'utf8')).toContain(` · ${ops} operations`);
  });

  it('summary.md names each failing run with its replay command and counts per scenario', async () => {
    await writeSweepReport(root, runs());
    const md = await readFile(join(root, 'summary.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## ❌ detcd sweep: invalid');
    expect(md).toContain('`npx detcd replay reports/stale-read-bug/202`');
    expect(md).toContain('[report](stale-read-bug/202/index.html)');
    expect(md).not.toContain('partition-leader | 101');
    expect(md).toMatch(/\| partition-leader \| 1 \| 0 \|/);
  });

  it('escapes pipes and markup in Markdown cells so a table row cannot break', async () => {
    const hostile = summarizeRun(fx.hostileRun().results);
    hostile.checkers['linearizability'] = { valid: false, summary: 'a | b\nc' };
    await writeSweepReport(root, [hostile]);
    const md = await readFile(join(root, 'summary.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| ❌'))!;
    expect(row).toContain('a \\| b c');
    // Code spans show their text literally (the replay command stays copyable); outside them no markup.
    expect(row.replace(/`[^`]*`/g, '')).not.toMatch(/[<>]/);
  });

  it('shows links, images, emphasis and entities in Markdown cells as text', async () => {
    const hostile = summarizeRun(fx.hostileRun().results);
    hostile.scenario = '![x](http://host/pixel)';
    hostile.checkers['linearizability'] = { valid: false, summary: '[y](javascript:z) *b* _i_ ~~s~~ &lt; # h' };
    await writeSweepReport(root, [hostile]);
    const md = await readFile(join(root, 'summary.md'), 'utf8');
    const cells = md.split('\n').filter((l) => l.includes('pixel') || l.includes('javascript')).map((l) => l.replace(/`[^`]*`/g, ''));
    expect(cells.length).toBeGreaterThanOrEqual(2);
    for (const line of cells) {
      // Every [ ] ! ( ) * _ ~ # outside code spans is escaped; & is never an entity.
      expect(line.replace(/\\[[\]!()*_~#|\\]/g, '')).not.toMatch(/[[\]!()*_~#]/);
      expect(line).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(md).toContain('\\!\\[x\\]\\(http://host/pixel\\)');
    expect(md).toContain('&amp;lt;');
  });

  it('merges shard results into the same report, rebasing report links and keeping each (scenario, seed) once', async () => {
    const shardA = join(root, 'shard-1');
    const shardB = join(root, 'shard-2');
    const inputs = [fx.passingRun(), fx.linearizabilityFailingRun()];
    const dirA = await writeRunReport(shardA, inputs[0]!);
    const dirB = await writeRunReport(shardB, inputs[1]!);
    await writeSweepReport(shardA, [summarizeRun(inputs[0]!.results, dirA.slice(shardA.length + 1))]);
    await writeSweepReport(shardB, [summarizeRun(inputs[1]!.results, dirB.slice(shardB.length + 1)), summarizeRun(inputs[0]!.results)]);
    const out = join(root, 'merged');
    const merged = await mergeShards([shardA, shardB], out);
    expect(merged.runs.map((r) => [r.scenario, r.report])).toEqual([
      ['stale-read-bug', '../shard-2/stale-read-bug/202'],
      ['partition-leader', '../shard-1/partition-leader/101'],
    ]);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('href="../shard-2/stale-read-bug/202/index.html"');
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite name="stale-read-bug"');
  });

  it('finds shards that ran one (scenario, seed) to different trace hashes: different builds or scenario files', () => {
    const a = summarizeRun(fx.passingRun().results);
    const same = { dir: 'shard-2', runs: [a, summarizeRun(fx.linearizabilityFailingRun().results)] };
    expect(shardConflict([{ dir: 'shard-1', runs: [a] }, same])).toBeUndefined();
    // Before: --merge kept the first of the two silently (the merged report hid the disagreement).
    const other = { dir: 'shard-3', runs: [{ ...a, traceHash: 'ffff0000ffff0000' }] };
    expect(shardConflict([{ dir: 'shard-1', runs: [a] }, other])).toBe(
      `partition-leader seed 101 has trace hash ${a.traceHash} in shard-1 but ffff0000ffff0000 in shard-3: the shards ran different builds or scenario files`);
  });

  it('shows the determinism re-runs in summary.md, index.html and sweep.json, and adds them up over merged shards', async () => {
    const shardA = join(root, 'shard-1');
    const shardB = join(root, 'shard-2');
    const shardC = join(root, 'shard-3');
    const [one, two] = runs();
    await writeSweepReport(shardA, [one!], { reruns: 2, rerunIn: 'another worker', mismatches: [] });
    const mismatch = { scenario: 'stale-read-bug', seed: 202, replay: 'detcd run --scenario stale-read-bug --seed 202', traceHashes: ['aaaa', 'bbbb'] as [string, string], workers: [0, 1] as [number, number], where: 'the traces part between 10 ms and 20 ms | of simulated time' };
    await writeSweepReport(shardB, [two!], { reruns: 3, rerunIn: 'another worker', mismatches: [mismatch] });
    await writeSweepReport(shardC, [summarizeRun(fx.unknownRun().results)]);
    const okMd = await readFile(join(shardA, 'summary.md'), 'utf8');
    expect(okMd).toContain('✅ **Determinism:** 2 seeds re-run in another worker: the same trace hashes.');
    expect(await readFile(join(shardA, 'index.html'), 'utf8')).toContain('Determinism: 2 seeds re-run in another worker: the same trace hashes.');
    expect(await readFile(join(shardC, 'summary.md'), 'utf8')).toContain('Determinism: no seed was re-run.');
    const badMd = await readFile(join(shardB, 'summary.md'), 'utf8');
    expect(badMd).toContain('❌ **Determinism:** 3 seeds re-run in another worker: **1 gave different trace hashes**');
    expect(badMd).toContain('| stale-read-bug | 202 | `aaaa` (0), `bbbb` (1) | the traces part between 10 ms and 20 ms \\| of simulated time | `detcd run --scenario stale-read-bug --seed 202` |');
    const badHtml = await readFile(join(shardB, 'index.html'), 'utf8');
    expect(badHtml).toContain('Determinism: 3 seeds re-run in another worker: 1 gave different trace hashes');
    expect(badHtml).toContain('<code>bbbb</code> (worker 1)');
    const merged = await mergeShards([shardA, shardB, shardC], join(root, 'merged'));
    expect(merged.determinism).toEqual({ reruns: 5, rerunIn: 'another worker', mismatches: [mismatch] });
    expect(await readSweep(join(root, 'merged'))).toEqual(merged);
    expect((await mergeShards([shardC], join(root, 'merged-none'))).determinism).toBeUndefined();
  });

  it('rejects a sweep.json whose determinism is malformed, naming the file and the field', async () => {
    await writeSweepReport(root, runs(), { reruns: 1, rerunIn: 'another worker', mismatches: [] });
    const file = join(root, 'sweep.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...json, determinism: { reruns: -1, rerunIn: 'x', mismatches: [] } }));
    await expect(readSweep(root)).rejects.toThrow(/sweep\.json: determinism\.reruns is not a non-negative integer/);
    await writeFile(file, JSON.stringify({ ...json, determinism: { reruns: 1, rerunIn: 'x', mismatches: [{ seed: 1 }] } }));
    await expect(readSweep(root)).rejects.toThrow(/sweep\.json: determinism\.mismatches\[0\] is not a mismatch/);
  });

  it('rejects a shard whose sweep.json is not a sweep summary, naming the file', async () => {
    await writeFile(join(root, 'sweep.json'), JSON.stringify({ format: 'detcd-sweep', version: 1, runs: [{ seed: 1 }] }));
    await expect(mergeShards([root], join(root, 'out'))).rejects.toThrow(/sweep\.json: runs\[0\]: scenario is not a string/);
    await expect(mergeShards([join(root, 'missing')], join(root, 'out'))).rejects.toThrow(/missing\/sweep\.json: cannot read: no such file \(ENOENT\)/);
  });
});
