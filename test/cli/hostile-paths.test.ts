// Every command that prints a path or a name the user gave (a scenario file, --out, a report
// directory, a field of results.json) shows it on one line, its control characters escaped: a
// newline in a path split `report: DIR` in two, an ESC in it reached the terminal as a colour
// change, on the success lines of run, replay, shrink, report and sweep (a refusal's line was
// already escaped). The replay commands quote their paths as a shell reads them back.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

/** A newline, a terminal escape (red), a line separator and a C1 next-line. */
const HOSTILE = 'a\nb\u001b[31mc\u2028d\u0085e';
const SHOWN = 'a\\nb\\u001b[31mc\\u2028d\\u0085e';
// eslint-disable-next-line no-control-regex
const RAW = /[\u001b\u0085\u2028\u2029\r]/;

const root = scratchDir('detcd-hostile-paths-');
const scenarioFile = join(root, `kill-leader${HOSTILE}.json`);
// kill-leader, shorter, with one field in its old spelling (minOkOps): the deprecation line names the file.
writeFileSync(scenarioFile, JSON.stringify({
  name: 'kill-leader', description: 'x', nemesis: { packages: ['kill-leader'] },
  workload: { kind: 'etcd', rateOpsPerSecond: 200, durationMs: 1500, keys: 10, minOkOps: 1 },
}));
const runDir = join(root, `run${HOSTILE}`);
const sweepDir = join(root, `sweep${HOSTILE}`);
const BUG = ['--bug', 'read-without-readindex'];

let written: string[] = [];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/** The command's terminal lines (stdout, then stderr): none may hold a raw control character. */
async function terminalLines(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const r = await cli(argv);
  const lines = [...r.out, ...r.err, ...written].join('\n').split('\n');
  for (const line of lines) expect(line, JSON.stringify(line)).not.toMatch(RAW);
  return { code: r.code, lines };
}

/** The arguments bash hands a command for `words` (the shell's own reading of a printed command). */
function bashWords(words: string): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('a hostile path or name on the success lines of every command', () => {
  it('run: the report line escaped, the replay and shrink commands read back by bash as given', async () => {
    const r = await terminalLines(['run', '--scenario', scenarioFile, '--seed', '1', ...BUG, '--out', runDir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(`report: ${join(root, `run${SHOWN}`, 'index.html')}`);
    expect(r.lines.some((l) => l.startsWith('detcd: ') && l.includes(`kill-leader${SHOWN}.json: workload.minOkOps: deprecated`))).toBe(true);
    const replay = r.lines.find((l) => l.startsWith('replay: detcd run '))!;
    expect(bashWords(replay.slice('replay: detcd '.length))).toEqual(['run', '--scenario', scenarioFile, '--seed', '1', ...BUG]);
    const shrink = r.lines.find((l) => l.startsWith('shrink: detcd shrink '))!;
    expect(bashWords(shrink.slice('shrink: detcd '.length))).toEqual(['shrink', runDir]);
  }, 300_000);

  it('replay, report and check of that run name its directory escaped', async () => {
    const replayed = await terminalLines(['replay', runDir]);
    expect(replayed.code).toBe(1);
    expect(replayed.lines).toContain(`replaying kill-leader seed 1 bug read-without-readindex from ${join(root, `run${SHOWN}`)}`);
    const drawn = await terminalLines(['report', runDir]);
    expect(drawn.code).toBe(1);
    expect(drawn.lines.join('\n')).toContain(join(root, `run${SHOWN}`, 'index.html'));
    const checked = await terminalLines(['check', '--model', 'etcd', join(runDir, 'history.jsonl')]);
    expect(checked.lines.join('\n')).toContain(join(root, `run${SHOWN}`, 'history.jsonl'));
  }, 300_000);

  it('replay of a results.json edited to hold control characters shows each difference on one line', async () => {
    const edited = join(root, `edited${HOSTILE}`);
    cpSync(runDir, edited, { recursive: true });
    const results = JSON.parse(readFileSync(join(edited, 'results.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(edited, 'results.json'), JSON.stringify({ ...results, scenario: `kill${HOSTILE}`, error: HOSTILE }));
    const r = await terminalLines(['replay', edited]);
    expect(r.code).toBe(4);
    expect(r.lines.find((l) => l.startsWith('replaying '))).toContain(`replaying kill${SHOWN} seed 1`);
    expect(r.lines.join('\n')).toContain(SHOWN);
  }, 300_000);

  it('shrink: the scenario it writes is replayed by a command bash reads back', async () => {
    const r = await terminalLines(['shrink', runDir, '--runs', '2']);
    expect(r.code).toBe(1);
    const replay = r.lines.find((l) => l.startsWith('replay: detcd run '))!;
    expect(bashWords(replay.slice('replay: detcd '.length))).toEqual(['run', '--scenario', join(runDir, 'shrunk.json'), '--seed', '1', ...BUG]);
  }, 300_000);

  it('sweep and sweep --merge: the failure lines and the report line escaped', async () => {
    const swept = await terminalLines(['sweep', '--scenario', scenarioFile, '--seeds', '1..1', '--jobs', '1', '--rerun-percent', '0', ...BUG, '--out', sweepDir]);
    expect(swept.code).toBe(1);
    expect(swept.lines).toContain(`report: ${join(root, `sweep${SHOWN}`, 'index.html')}`);
    const replay = swept.lines.find((l) => l.startsWith('  replay: detcd run '))!;
    expect(bashWords(replay.slice('  replay: detcd '.length))).toEqual(['run', '--scenario', scenarioFile, '--seed', '1', ...BUG]);
    expect(swept.lines.some((l) => l.startsWith('  report: ') && l.includes(`sweep${SHOWN}`))).toBe(true);
    const merged = await terminalLines(['sweep', '--merge', sweepDir, '--out', join(root, `merged${HOSTILE}`)]);
    expect(merged.code).toBe(1);
    expect(merged.lines).toContain(`report: ${join(root, `merged${SHOWN}`, 'index.html')}`);
  }, 300_000);
});
