// What detcd prints for a person at a terminal of 80 columns: the top-level usage and every
// usage mistake's one line fit in 80 columns (a 260-character usage inside check's refusals and
// the 33 bug names inside an unknown bug's were wrapped mid-word by the terminal), and the
// scenario and bug lists wrap between words under their description column on a terminal,
// keeping one line per entry in a pipe. (Each command's --help is held to 80 columns in
// conventions.test.ts.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './capture-cli.ts';
import { listEntry, wrapHanging } from '../../sim/cli/harness/wrap.ts';
import { PLANTED_BUGS } from '../../sim/bugs/planted-bugs.ts';
import { sweepTable } from '../../sim/cli/harness/table.ts';
import { failureLines } from '../../sim/cli/harness/sweep-summary-table.ts';
import { summarizeRun } from '../../sim/report/run-summary.ts';
import type { Results } from '../../sim/run/results.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir.ts';

const width = (l: string): number => [...l].length;

describe('usage at 80 columns', () => {
  it('detcd --help and detcd alone', async () => {
    for (const argv of [['--help'], []]) {
      const r = await cli(argv);
      const lines = [...r.out, ...r.err].join('\n').split('\n');
      expect(lines.filter((l) => width(l) > 80), `detcd ${argv.join(' ')}`).toEqual([]);
    }
  });

  it("every usage mistake's one line, with its way out, within 80 columns", async () => {
    const mistakes = [
      ['check'], ['check', '--model', 'etcd'], ['check', '--model', 'etcd', '--x', 'f'], ['check', '--model', 'etcd', '--timeout-ms'],
      ['check', '--model', 'register', '--format', 'etcd-robustness', 'f'], ['check', '--model', 'nope', 'f'], ['check', '--model', 'etcd', '--format', 'nope', 'f'],
      ['run', '--bug', 'nope'], ['run', '--bug', 'figure9'], ['run', '--seed'], ['run', '--quiet=yes'], ['run', '--nope'], ['campaign', 'x'],
      ['sweep', '--scenario', '-'], ['sweep', '--merge', 'd', '--rerun-percent', '5'], ['bugs', '--shrink-runs', '3'],
      ['serve', '--port', '65535', '--nodes', '3'], ['serve', '--port', '0', '--out', 'o'], ['run', '--no-mitigations', '--scenario', 'swarm'],
      ['check', '--model', 'etcd', '--etcd-version', '3.4', 'f'],
    ];
    for (const argv of mistakes) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(3);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(width(r.err[0]!), r.err[0]).toBeLessThanOrEqual(80);
    }
  });
});

/** stdout's own isTTY and columns, put back after each test that pretends to be a terminal. */
const stdoutOwn = { isTTY: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'), columns: Object.getOwnPropertyDescriptor(process.stdout, 'columns') };

function terminalOf80Columns(): void {
  Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true, writable: true });
  Object.defineProperty(process.stdout, 'columns', { value: 80, configurable: true, writable: true });
}

function restoreStdout(): void {
  for (const [name, d] of Object.entries(stdoutOwn)) {
    if (d === undefined) delete (process.stdout as unknown as Record<string, unknown>)[name];
    else Object.defineProperty(process.stdout, name, d);
  }
}

describe('lists wrap between words on a terminal', () => {
  afterEach(restoreStdout);

  it('wrapHanging cuts only between words, indents the rest under the text, and keeps an overlong word whole', () => {
    const text = 'a leader commits an older term entry by counting replicas (Raft paper, Figure 8) and then some more words to wrap';
    const out = wrapHanging('figure8  ', text, 9, 40).split('\n');
    expect(out.every((l) => width(l) <= 40)).toBe(true);
    expect(out[0]!.startsWith('figure8  a leader')).toBe(true);
    expect(out.slice(1).every((l) => l.startsWith(' '.repeat(9)) && l[9] !== ' ')).toBe(true);
    expect(out.map((l) => l.trim()).join(' ').replace(/^figure8 {2}/, '')).toBe(text);
    expect(wrapHanging('x  ', `short ${'y'.repeat(60)} end`, 3, 40).split('\n')).toEqual(['x  short', `   ${'y'.repeat(60)}`, '   end']);
    expect(listEntry('name', 6, 'one line in a pipe', undefined)).toBe('name    one line in a pipe');
  });

  it('detcd scenarios and detcd bugs at 80 columns on a terminal: no line past 80, every word whole', async () => {
    terminalOf80Columns();
    for (const command of ['scenarios', 'bugs']) {
      const r = await cli([command]);
      const lines = r.out.join('\n').split('\n');
      expect(lines.filter((l) => width(l) > 80), command).toEqual([]);
      if (command === 'bugs') for (const b of PLANTED_BUGS) expect(r.out.join('\n').replace(/\n\s+/g, ' ')).toContain(`${b.description} (${b.reference})`);
    }
  });
});

describe("a failure's words on a terminal", () => {
  afterEach(restoreStdout);

  it("detcd run's error line and the sweep's failure lines wrap between words at 80 columns; the replay command stays whole", async () => {
    terminalOf80Columns();
    const out = scratchDir('detcd-eighty-');
    const run = await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--bug', 'read-without-readindex', '--out', join(out, 'run')]);
    expect(run.code).toBe(1);
    const runLines = run.out.join('\n').split('\n');
    expect(runLines.filter((l) => width(l) > 80)).toEqual([]);
    expect(runLines).toContain('replay: detcd run --scenario kill-leader --seed 1 --bug read-without-readindex');
    const lines = failureLines([summarizeRun(JSON.parse(readFileSync(join(out, 'run', 'results.json'), 'utf8')) as Results)], out).join('\n').split('\n');
    expect(lines.filter((l) => width(l) > 80)).toEqual([]);
    expect(lines).toContain('  replay: detcd run --scenario kill-leader --seed 1 --bug read-without-readindex');
    // Replay's and report's closing sentences (93 and 114 columns) wrap between words too.
    const replay = await cli(['replay', join(out, 'run')]);
    expect(replay.out.join('\n')).toMatch(/replayed exactly/);
    const drawn = await cli(['report', join(out, 'run')]);
    expect(drawn.out.join('\n')).toMatch(/^drawn again by/);
    // detcd check's verdict and checkers' lines too (the checkers' line ran to 270 columns), each under its own indent.
    const checked = await cli(['check', '--model', 'etcd', join(out, 'run', 'history.jsonl')]);
    expect(checked.out.join('\n')).toMatch(/\n {2}linearizable: valid; watch: /);
    expect([...replay.out, ...drawn.out, ...checked.out].join('\n').split('\n').filter((l) => width(l) > 80)).toEqual([]);
  }, 120_000);
});

describe("a sweep's opening line", () => {
  const stderrOwn = { isTTY: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY'), columns: Object.getOwnPropertyDescriptor(process.stderr, 'columns') };
  afterEach(() => {
    for (const [name, d] of Object.entries(stderrOwn)) {
      if (d === undefined) delete (process.stderr as unknown as Record<string, unknown>)[name];
      else Object.defineProperty(process.stderr, name, d);
    }
    vi.restoreAllMocks();
  });

  it('wraps between words on a terminal of 80 columns (npm start printed 128 with its workers\' V8 flags)', async () => {
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true, writable: true });
    Object.defineProperty(process.stderr, 'columns', { value: 80, configurable: true, writable: true });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the progress bar
    const r = await cli(['sweep', '--scenario', 'single-member-crash', '--seeds', '1..2', '--jobs', '2', '--out', join(scratchDir('detcd-eighty-sweep-'), 's')]);
    expect(r.code).toBe(0);
    const opening = r.err.join('\n').split('\n');
    expect(opening[0]).toMatch(/^detcd sweep: 2 runs over 1 scenario, seeds 1\.\.2, 2 workers/);
    expect(opening.filter((l) => width(l) > 80)).toEqual([]);
  }, 120_000);
});

describe('the sweep table', () => {
  const row = (scenario: string) => ({ scenario, seeds: 4, valid: 4, invalid: 0, unknown: 0, okOps: 900, wallMs: 1234 });

  it('is as wide as its longest scenario name needs, and says its time column in words', () => {
    const lines = sweepTable([row('kill-leader')]).split('\n');
    // "│ kill-leader  │": the name and a space each side, not the 33 columns an 80-column terminal left over.
    expect(lines[1]).toMatch(/^│ scenario\s{0,6}│ seeds/);
    expect(lines[1]).toContain('run time');
    expect(lines[3]).toMatch(/│ 1\.2 s\s+│$/);
    expect(width(lines[0]!)).toBeLessThan(70);
  });

  it('rules the header off alone: one line a scenario (69 scenarios drew 141 lines)', () => {
    const lines = sweepTable([row('kill-leader'), row('lease'), row('swarm')]).split('\n');
    expect(lines).toHaveLength(3 + 4);
    expect(lines[2]).toMatch(/^├─+┼/);
    expect(lines.slice(3, 6).map((l) => l.split('│')[1]!.trim())).toEqual(['kill-leader', 'lease', 'swarm']);
    expect(lines[6]).toMatch(/^└/);
  });

  it('fits 80 columns with a long scenario name, wrapping the name', () => {
    const lines = sweepTable([row('a-scenario-whose-name-is-long-enough-to-fill-the-table-and-more')]).split('\n');
    expect(lines.filter((l) => width(l) > 80)).toEqual([]);
  });
});
