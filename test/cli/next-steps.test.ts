// What to do next after a failure is on screen, and every command offered runs as printed: a
// failing run's shrink command (in `detcd run`'s lines, the sweep's failure list and the report
// page), none for an unknown run, which shrink refuses (exit 3) as it has no failure to keep.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureLines } from '../../sim/cli/harness/sweep-summary-table.ts';
import { summarizeRun } from '../../sim/report/index.ts';
import type { Results } from '../../sim/run/results.ts';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-next-');

/** Arguments as bash reads a printed command line back. */
function bashWords(line: string): string[] {
  return JSON.parse(execFileSync('bash', ['-c', `node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- ${line}`], { encoding: 'utf8' })) as string[];
}

describe('after a run that did not pass', () => {
  it('an unknown run offers its replay and no shrink command (shrink refuses it)', async () => {
    const scenario = join(root, 'short.json');
    writeFileSync(scenario, JSON.stringify({ name: 'short', workload: { durationMs: 10 } }));
    const out = join(root, 'unknown');
    const r = await cli(['run', '--scenario', scenario, '--seed', '1', '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.out.some((l) => l.startsWith('replay: detcd run --scenario '))).toBe(true);
    expect(r.out.filter((l) => l.startsWith('shrink:'))).toEqual([]);
    expect((await cli(['shrink', out])).code).toBe(3);
  }, 60_000);

  it("a failing run's shrink command, on the terminal, the sweep's list and the report page, quotes its path", async () => {
    const out = join(root, 'my run');
    const r = await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--bug', 'read-without-readindex', '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    const shrink = r.out.find((l) => l.startsWith('shrink: '))!;
    expect(bashWords(shrink.slice('shrink: detcd '.length))).toEqual(['shrink', out]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    // The page's command box holds results.json's shrink: it was `detcd shrink /tmp/…/my run`, two words in a shell.
    expect(bashWords(results.shrink!.slice('detcd '.length))).toEqual(['shrink', out]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(`detcd shrink &#39;${out}&#39;`);
    // A sweep lists the failure's shrink command under its replay and report.
    const lines = failureLines([summarizeRun(results, 'runs/kill-leader/1')], join(root, 'sweep dir'));
    const listed = lines.find((l) => l.startsWith('  shrink: '))!;
    expect(bashWords(listed.slice('  shrink: detcd '.length))).toEqual(['shrink', join(root, 'sweep dir', 'runs/kill-leader/1')]);
    expect(lines.map((l) => l.trim().split(':')[0])).toEqual(['FAIL kill-leader seed 1', 'replay', 'report', 'shrink']);
  }, 60_000);

  it("run prints its report as every command does, the page to open, and replay, shrink and report take that path", async () => {
    // run printed `report: DIR` while sweep, campaign and check printed `report: DIR/index.html`.
    const out = join(root, 'one-form');
    const r = await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--bug', 'read-without-readindex', '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    const page = join(out, 'index.html');
    expect(r.out).toContain(`report: ${page}`);
    const replayed = await cli(['replay', page]);
    expect(replayed.out.join('\n')).toContain('replayed exactly');
    const drawn = await cli(['report', page]);
    expect(drawn.code, drawn.err.join('\n')).toBe(1);
    const shrunk = await cli(['shrink', page, '--runs', '5', '--out', join(root, 'one-form-shrunk.json')]);
    expect(shrunk.err.filter((l) => l.startsWith('detcd shrink:'))).toEqual([]);
    expect(shrunk.out.some((l) => l.startsWith('shrunk in '))).toBe(true);
    expect(failureLines([summarizeRun(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, 'runs/kill-leader/1')], 'sw')).toContain('  report: sw/runs/kill-leader/1/index.html');
  }, 180_000);
});
