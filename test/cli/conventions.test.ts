// The command line's conventions: --help for every command (listing every option it parses),
// --version, one voice, plain messages for negative and out-of-range seeds, no colour codes off
// a terminal or with NO_COLOR, tables within 80 columns, failures in seed order with report
// paths that work from the current directory, and a nemesis package that cannot act refused.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_HELP } from '../../sim/cli/help.ts';
import { failureLines } from '../../sim/cli/harness/sweep-summary-table.ts';
import { runTable, sweepTable } from '../../sim/cli/harness/table.ts';
import { summarizeRun } from '../../sim/report/index.ts';
import { defineScenario, explain, runResults } from '../../sim/property/index.ts';
import * as fx from '../fixtures/report/fixtures.ts';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-conv-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 300, rateOpsPerSecond: 50 } }));
const COMMANDS = ['run', 'replay', 'sweep', 'shrink', 'check', 'serve', 'scenarios', 'bugs', 'campaign', 'report'];
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('help and version', () => {
  for (const name of COMMANDS) {
    it(`detcd ${name} --help lists every option the command parses`, async () => {
      const r = await cli([name, '--help']);
      expect(r.code).toBe(0);
      const text = r.out.join('\n');
      expect(text.split('\n')[0]).toMatch(new RegExp(`^usage: detcd ${name}\\b`));
      const source = readFileSync(join('sim/cli/commands', `${name}.ts`), 'utf8');
      const parsed = [...source.matchAll(/^\s+'?([a-z][a-z-]*)'?: \{ type: '(string|boolean)' \}/gm)].map((m) => m[1]!);
      const checkFlags = name === 'check' ? [...source.matchAll(/a === '--([a-z-]+)'/g)].map((m) => m[1]!) : [];
      for (const option of [...parsed, ...checkFlags]) expect(text, `--${option} in detcd ${name} --help`).toContain(`--${option}`);
      expect(text).toMatch(/exit codes: 0 valid, 1 violation/);
      const long = text.split('\n').filter((l) => l.length > 80);
      expect(long, 'help lines within 80 columns').toEqual([]);
      // Options under "options:", each description starting at one column: an option longer than
      // the gutter ("--initial-revision N  the revision…") broke the column in check's help.
      const lines = text.split('\n');
      const options = lines.slice(lines.indexOf('options:') + 1, lines.indexOf('environment:') - 1);
      if (lines.some((l) => /^ {2}--/.test(l))) expect(lines, 'an options: heading').toContain('options:');
      const starts = new Set(options.map((l) => (/^ {2}--/.test(l) ? /^ {2}\S+(?: \S+)? +/.exec(l)![0].length : l.length - l.trimStart().length)));
      expect([...starts], `detcd ${name} --help: the column descriptions start at`).toHaveLength(options.length === 0 ? 0 : 1);
    });
  }

  it('covers every command main knows, and prints the version from package.json with the build', async () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual([...COMMANDS].sort());
    const r = await cli(['--version']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    // The release, then the build: 12 hex of the hash of the sources that decide a run (README, "results.json").
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(new RegExp(`^detcd ${pkg.version.replace(/[.]/g, '\\.')}\\+[0-9a-f]{12}$`));
  });
});

describe('messages: one voice, plain words for bad numbers, one seed range', () => {
  const cases: [string[], RegExp][] = [
    [['run', '--seed', '-1'], /^detcd run: --seed: must be a whole number from 0 to 2147483647, got -1$/],
    [['run', '--seed', '2147483648'], /^detcd run: --seed: must be a whole number from 0 to 2147483647, got 2147483648$/],
    [['sweep', '--seeds', '1..2147483648'], /^detcd sweep: --seeds: 1\.\.2147483648: seeds are whole numbers from 0 to 2147483647$/],
    [['sweep', '--seeds', '-5..3'], /^detcd sweep: --seeds: expected A\.\.B or a count N/],
    [['sweep', '--jobs', '-2'], /^detcd sweep: --jobs: must be a whole number from 1 to/],
    [['serve', '--seed', '-3'], /^detcd serve: --seed: must be a whole number/],
    [['shrink', '--runs', '-1', root], /^detcd shrink: --runs: must be a whole number from 1/],
    [['bugs', '--verbose'], /^detcd bugs: /],
    [['scenarios', 'extra'], /^detcd scenarios: /],
    [['nope'], /^detcd: unknown command 'nope'/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const r = await cli(argv);
      expect(r.code).toBe(3);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    });
  }

  it('a results.json whose seed is out of range is refused by replay and shrink', async () => {
    const d = join(root, 'big-seed');
    expect((await cli(['run', '--scenario', tiny, '--seed', '3', '--out', d])).code).toBeLessThan(3);
    const results = JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(d, 'results.json'), JSON.stringify({ ...results, seed: 2 ** 31 }));
    for (const command of ['replay', 'shrink']) {
      const r = await cli([command, d]);
      expect(r.code).toBe(3);
      expect(r.err[0]).toMatch(/seed: must be a whole number from 0 to 2147483647, got 2147483648/);
    }
  });
});

describe('terminal output', () => {
  it('has no colour codes when not a terminal, nor with NO_COLOR on a terminal', async () => {
    const plain = await cli(['run', '--scenario', tiny, '--seed', '1', '--out', join(root, 'plain')]);
    expect(plain.out.join('\n')).not.toMatch(ANSI);
    const wasTTY = process.stdout.isTTY;
    process.stdout.isTTY = true;
    vi.stubEnv('NO_COLOR', '1');
    try {
      const r = await cli(['run', '--scenario', tiny, '--seed', '1', '--out', join(root, 'no-color')]);
      expect(r.out.join('\n')).not.toMatch(ANSI);
    } finally {
      process.stdout.isTTY = wasTTY;
      vi.unstubAllEnvs();
    }
  });

  it('draws run and sweep tables within 80 columns', () => {
    vi.stubEnv('COLUMNS', '80');
    try {
      const results = fx.linearizabilityFailingRun().results;
      const lines = [...runTable(results).split('\n'), ...sweepTable([{ scenario: 'watch-partition-compaction', seeds: 20, valid: 18, invalid: 1, unknown: 1, okOps: 12345, wallMs: 98_765 }]).split('\n')];
      const widest = Math.max(...lines.map((l) => l.length));
      expect(widest).toBeLessThanOrEqual(80);
      expect(lines.some((l) => l.includes('INVALID'))).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('shows an allowed violation as allowed beside a valid run, never as valid', () => {
    const results = fx.linearizabilityFailingRun().results;
    const allowed = { ...results, valid: true as const };
    const text = runTable(allowed);
    expect(text).toMatch(/: valid\n\(violation allowed by the scenario: linearizability\)/);
    expect(text).toMatch(/linearizability\s+│\s+allowed/);
  });

  it('lists failures in scenario and seed order, with report paths from the current directory', () => {
    const base = fx.linearizabilityFailingRun().results;
    const runs = [9, 2, 5].map((seed) => summarizeRun({ ...base, seed, replay: `detcd run --seed ${seed}` }, `runs/x/${seed}`));
    const lines = failureLines(runs, 'reports/sweep-x');
    expect(lines.filter((l) => l.startsWith('FAIL')).map((l) => /seed (\d+)/.exec(l)?.[1])).toEqual(['2', '5', '9']);
    expect(lines).toContain('  report: reports/sweep-x/runs/x/2/index.html');
    expect(failureLines([...runs].reverse(), 'reports/sweep-x')).toEqual(lines);
  });
});

describe('replay checks the whole result', () => {
  it('an edited verdict or statistic does not "replay exactly"; missing checkpoints are said', async () => {
    const d = join(root, 'edited');
    const first = await cli(['run', '--scenario', tiny, '--seed', '4', '--out', d]);
    expect(first.code).toBeLessThan(3);
    const again = await cli(['replay', d]);
    expect(again.out.join('\n')).toMatch(/replayed exactly/);
    const results = JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as { valid: unknown; stats: Record<string, unknown> };
    writeFileSync(join(d, 'results.json'), JSON.stringify({ ...results, valid: results.valid === true ? false : true, stats: { ...results.stats, events: 1 } }));
    const edited = await cli(['replay', d]);
    expect(edited.code).toBe(4);
    const text = edited.out.join('\n');
    expect(text).not.toMatch(/replayed exactly/);
    expect(text).toMatch(/valid: was (true|false), now/);
    expect(text).toMatch(/stats\.events: was 1, now \d+/);
    writeFileSync(join(d, 'results.json'), JSON.stringify(results));
    execFileSync('rm', [join(d, 'checkpoints.json')]);
    const bare = await cli(['replay', d]);
    expect(bare.err.join('\n')).toMatch(/checkpoints\.json is missing: a difference can be detected, not located/);
  });
});

describe('shrink explains why it will not', () => {
  it('a valid run and an unknown run', async () => {
    const d = join(root, 'to-shrink');
    expect((await cli(['run', '--scenario', tiny, '--seed', '1', '--out', d])).code).toBeLessThan(3);
    const results = JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(d, 'results.json'), JSON.stringify({ ...results, valid: true }));
    expect((await cli(['shrink', d])).err).toEqual([`detcd shrink: ${d}: the run passed (exit 0): there is no failure to keep while shrinking`]);
    writeFileSync(join(d, 'results.json'), JSON.stringify({ ...results, valid: 'unknown', error: undefined, checkers: { linearizability: { valid: 'unknown', summary: 'search bound hit' } } }));
    const r = await cli(['shrink', d]);
    expect(r.code).toBe(3);
    expect(r.err[0]).toMatch(/verdict is unknown \(exit 2\): linearizability \(search bound hit\) could not decide/);
  });
});

describe('scenario validation and the property API', () => {
  it('a nemesis package that cannot act on the cluster is a validation error', async () => {
    const f = join(root, 'figure8-3.json');
    writeFileSync(f, JSON.stringify({ name: 'f8', cluster: { members: 3 }, nemesis: { packages: ['figure8'] } }));
    const r = await cli(['run', '--scenario', f]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`detcd run: ${f}: nemesis.packages: figure8 needs at least 5 members to act, the cluster has 3`]);
    expect(() => defineScenario({ name: 'k', cluster: { members: 1 }, nemesis: { packages: ['kill-follower'] } })).toThrow(/kill-follower needs at least 2 members/);
    expect(() => defineScenario({ name: 'r', cluster: { members: 3 }, nemesis: { packages: ['partition-ring'] } })).toThrow(/partition-ring needs at least 4/);
    expect(defineScenario({ name: 'ok', cluster: { members: 5 }, nemesis: { packages: ['figure8'] } }).nemesis.packages).toEqual(['figure8']);
  });

  it("explain() says a failed run's verdict as the terminal does and names only the checkers that judged and did not pass", () => {
    const scenario = defineScenario({ name: 'explained', clients: { count: 3 }, workload: { kind: 'register', durationMs: 800, rateOpsPerSecond: 60 } });
    // The first seed the planted bug fails (the package test's property finds such seeds with no faults).
    let results = runResults(scenario, 1, { bug: 'read-without-readindex' });
    for (let seed = 2; seed <= 30 && results.valid !== false; seed++) results = runResults(scenario, seed, { bug: 'read-without-readindex' });
    expect(results.valid).toBe(false);
    const text = explain(results);
    // It read "seed 1 false (…the raft summary…); raft: …the same summary…; error-replies: nothing to check: …".
    expect(text).toMatch(new RegExp(`^explained seed ${results.seed}: INVALID; `));
    expect(text).not.toContain('nothing to check');
    const error = results.error!;
    expect(text.split(error)).toHaveLength(2); // said once
    expect(text).toMatch(new RegExp(`; replay: printf .* \\| detcd run --scenario - --seed ${results.seed} --bug read-without-readindex$`));
  });

  it('explain() prints a replay command that works for a scenario built in code', () => {
    const scenario = defineScenario({ name: 'only-in-memory', description: "it's nowhere on disk", clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 300, rateOpsPerSecond: 50 } });
    const results = runResults(scenario, 7);
    const command = /replay: (printf .*)$/.exec(explain(results))?.[1];
    expect(command).toBeDefined();
    const out = join(root, 'from-explain');
    const shell = `${command!.replace(/\bdetcd run\b/, `${process.execPath} ${join(process.cwd(), 'bin/detcd.js')} run`)} --out ${out}`;
    let code = 0;
    try {
      execFileSync('sh', ['-c', shell], { stdio: 'pipe' });
    } catch (err) {
      code = (err as { status: number }).status;
    }
    expect(code).toBeLessThan(3);
    const replayed = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { traceHash: string; replay: string };
    expect(replayed.traceHash).toBe(results.traceHash);
    expect(existsSync(join(out, 'scenario.json'))).toBe(true);
    expect(replayed.replay).toBe(`detcd run --scenario ${join(out, 'scenario.json')} --seed 7`);
  });
});
