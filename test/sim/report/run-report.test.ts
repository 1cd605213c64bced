import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_REPORT_FILES, writeReportDir } from '../../../sim/report/report-dir.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import { writeRunReport, writeRunReportTo } from '../../../sim/report/run-report.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'detcd-run-report-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeRunReport', () => {
  it('writes reports/<scenario>/<seed>/ with index.html, results.json, history.jsonl, history.edn, trace.jsonl and junit.xml', async () => {
    const input = fx.passingRun();
    const dir = await writeRunReport(root, input);
    expect(dir).toBe(join(root, 'partition-leader', '101'));
    expect((await readdir(dir)).sort()).toEqual(['.detcd-report', 'history.edn', 'history.jsonl', 'index.html', 'junit.xml', 'results.json', 'trace.jsonl', 'watches.jsonl']);
    const jsonl = (await readFile(join(dir, 'history.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(jsonl).toHaveLength(input.history.length);
    expect(JSON.parse(jsonl[5]!)).toEqual(input.history[5]);
    expect(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'))).toEqual(input.results);
    expect((await readFile(join(dir, 'history.edn'), 'utf8')).trimEnd().split('\n')).toHaveLength(input.history.length);
    expect((await readFile(join(dir, 'trace.jsonl'), 'utf8')).trimEnd().split('\n')).toHaveLength(50);
  });

  it('writes extra files into the same atomic directory and refuses names that could escape it', async () => {
    const input = { ...fx.passingRun(), extraFiles: { 'scenario.json': '{}\n' } };
    const dir = await writeRunReport(root, input);
    expect(await readFile(join(dir, 'scenario.json'), 'utf8')).toBe('{}\n');
    await expect(writeRunReport(root, { ...input, extraFiles: { '../x': '' } })).rejects.toThrow(/not a plain, unreserved file name/);
    await expect(writeRunReport(root, { ...input, extraFiles: { 'index.html': '' } })).rejects.toThrow(/not a plain, unreserved file name/);
    expect(await readFile(join(dir, 'scenario.json'), 'utf8')).toBe('{}\n');
  });

  it('makes an index.html that references nothing outside itself', async () => {
    const html = await renderRunHtml(fx.linearizabilityFailingRun());
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:|\/\/)/i);
    // Only the SVG namespace names (identifiers, never fetched) look like URLs.
    const urls = html.match(/https?:\/\/[^"'\s<>)]*/g) ?? [];
    expect([...new Set(urls)].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.every((h) => h!.startsWith('#') || /^[a-z.]+$/.test(h!))).toBe(true);
  });

  it('shows the scenario, every drawn option and the replay command; the shrink command only for a failed run (shrink refuses the others)', async () => {
    const html = await renderRunHtml(fx.passingRun());
    for (const text of ['network.latencyUsMax', '1800', 'npx detcd replay reports/partition-leader/101', 'partition-leader']) expect(html).toContain(text);
    expect(html).not.toContain('detcd shrink');
    const failed = fx.linearizabilityFailingRun();
    expect(await renderRunHtml(failed)).toContain(failed.results.shrink);
    expect(await renderRunHtml(fx.unknownRun())).not.toContain('detcd shrink');
  });

  it('replaces an existing report in one step and leaves no temporary directory behind', async () => {
    const input = fx.passingRun();
    const dir = await writeRunReport(root, input);
    input.results.traceHash = 'second';
    await writeRunReportTo(dir, input);
    expect(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'))).toMatchObject({ traceHash: 'second' });
    expect(await readdir(join(root, 'partition-leader'))).toEqual(['101']);
  });

  it('keeps the previous report and leaves nothing half-written when writing fails midway', async () => {
    const dir = join(root, 's', '1');
    const kind = { ownFiles: RUN_REPORT_FILES, lastFile: 'results.json' };
    await writeReportDir(dir, kind, async (staging) => writeFile(join(staging, 'results.json'), 'first'));
    const failing = writeReportDir(dir, kind, async (staging) => {
      await writeFile(join(staging, 'results.json'), 'second');
      await readFile(join(staging, 'does-not-exist'));
    });
    await expect(failing).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toBe('first');
    expect(await readdir(join(root, 's'))).toEqual(['1']);
    expect((await readdir(dir)).sort()).toEqual(['.detcd-report', 'results.json']);
  });

  it('keeps every fail and info op on the timeline of a big run while thinning ok ops', async () => {
    const { syntheticRun } = await import('../../fixtures/report/synthetic-run.ts');
    const run = syntheticRun({ seed: 9, scenario: 'big', clients: 8, ops: 20_000, keys: ['a', 'b'], thinkUsMax: 20_000 });
    const html = await renderRunHtml({ results: run.results, history: run.history, limits: { timelineOpsMax: 1500 } });
    const anomalies = run.results.stats.ops.fail + run.results.stats.ops.info;
    const drawnAnomalies = (html.match(/class="op (fail|info)/g) ?? []).length;
    expect(drawnAnomalies).toBe(anomalies);
    expect((html.match(/class="op ok/g) ?? []).length).toBeLessThanOrEqual(1500);
    expect(html).toMatch(/ok operations drawn \(thinned\)/);
  });
});
