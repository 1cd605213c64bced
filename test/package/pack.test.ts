// The package as another project meets it: `npm pack`, installed into a scratch project (its
// dependencies from npm's cache, which `npm ci` filled), whose own vitest suite imports
// `detcd/property` and `detcd/check`, type-checks against the shipped declarations, and runs a
// fast-check property over fault schedules, a failing one (a planted bug) whose shrunk failure
// prints the command that replays it (run with the installed bin: the same failure), a user's
// own history checked in code, and a bad argument; the installed bin answers `detcd --help`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { withFields } from '../../src/object/with-fields.ts';
import { scratchDir } from '../scratch-dir.ts';

const ROOT = join(import.meta.dirname, '../..');

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The environment without this vitest's own variables, so the scratch project's vitest starts clean. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST'));
}

const CONSUMER_TEST = `import fc from 'fast-check';
import { expect, test } from 'vitest';
import { defineScenario, explain, faultScheduleArbitrary, runResults, UsageError, withSchedule } from 'detcd/property';
import { checkHistory, parseHistory } from 'detcd/check';
import type { OpObject, ParsedHistory } from 'detcd/check';
import type { Results } from 'detcd/property';

const base = defineScenario({ name: 'consumer', clients: { count: 3 }, workload: { kind: 'etcd', durationMs: 600, rateOpsPerSecond: 50 } });

test('no fault schedule breaks linearizability', () => {
  fc.assert(fc.property(faultScheduleArbitrary({ members: 3, safetyMs: 600 }), fc.integer({ min: 1, max: 1000 }), (schedule, seed) => {
    const r: Results = runResults(withSchedule(base, schedule), seed);
    expect(r.valid, explain(r)).not.toBe(false);
  }), { seed: 7, numRuns: 2 });
  // An empty history is "unknown: no operations" (issue 11), never valid.
  expect(checkHistory({ ops: [], lines: [] }, 'register').valid).toBe('unknown');
});

test('a failing property shrinks to the smallest schedule, and its error holds the one command that replays it', () => {
  const planted = defineScenario({ name: 'planted', clients: { count: 3 }, workload: { kind: 'register', durationMs: 800, rateOpsPerSecond: 60 } });
  let failure: Error | undefined;
  try {
    fc.assert(fc.property(faultScheduleArbitrary({ members: 3, safetyMs: 800 }), fc.integer({ min: 1, max: 50 }), (schedule, seed) => {
      const r = runResults(withSchedule(planted, schedule), seed, { bug: 'read-without-readindex' });
      if (r.valid === false) throw new Error(explain(r));
    }), { seed: 3, numRuns: 30 });
  } catch (err) {
    failure = err as Error;
  }
  expect(failure?.message).toMatch(/Counterexample: \\[\\[\\],\\d+\\]/);
  const cause = failure?.cause instanceof Error ? failure.cause.message : '';
  const replay = cause.slice(cause.indexOf('replay: printf ') + 'replay: '.length);
  expect(replay).toMatch(/^printf '%s\\\\n' '.*' \\| detcd run --scenario - --seed \\d+ --bug read-without-readindex$/);
  console.log(\`REPLAY-COMMAND \${replay}\`);
});

test("a user's own history, as text or as the op objects a test recorded, is checked in code", () => {
  const log = 'INFO  jepsen.util - 0\\t:invoke\\t:write\\t1\\nINFO  jepsen.util - 0\\t:ok\\t:write\\t1\\nINFO  jepsen.util - 1\\t:invoke\\t:read\\tnil\\nINFO  jepsen.util - 1\\t:ok\\t:read\\t2\\n';
  const parsed: ParsedHistory = parseHistory(log);
  expect(checkHistory(parsed, 'register').valid).toBe(false);
  const ops: OpObject[] = [
    { process: 0, type: 'invoke', f: 'write', value: 1 },
    { process: 0, type: 'ok', f: 'write', value: 1 },
    { process: 1, type: 'invoke', f: 'read', value: null },
    { process: 1, type: 'ok', f: 'read', value: 1 },
  ];
  expect(checkHistory(ops, 'register').valid).toBe(true);
});

test('a bad argument is one UsageError naming the function and the argument', () => {
  expect(() => runResults(base, -1)).toThrow(UsageError);
  expect(() => runResults(base, -1)).toThrow('runResults: seed: must be a whole number from 0 to 2147483647, got -1');
  expect(() => faultScheduleArbitrary({ members: 0, safetyMs: 600 })).toThrow('faultScheduleArbitrary: shape.members: must be a whole number from 1 up, got 0');
});
`;

test('npm pack installs into a scratch project whose vitest suite imports detcd/property with types', () => {
  const dir = scratchDir('detcd-pack-');
  const env = cleanEnv();
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  expect(tarball, 'npm pack made no tarball').toBeDefined();
  const project = join(dir, 'consumer');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'consumer.test.ts'), CONSUMER_TEST);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ['consumer.test.ts'] }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball!), `vitest@${versionOf('vitest')}`, `fast-check@${versionOf('fast-check')}`], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The shipped declarations type-check a consumer's test under strict NodeNext resolution.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.json')], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // vitest's default 5 s per test is too little for two simulated runs on a loaded machine.
  const out = execFileSync(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--testTimeout=120000'], { cwd: project, env: withFields(env, { NO_COLOR: '1', FORCE_COLOR: '0' }), encoding: 'utf8' });
  expect(out).toMatch(/4 passed/);
  // The command the failing property printed replays it with the installed bin: the same failure.
  const replay = /REPLAY-COMMAND (printf .*)$/m.exec(out)?.[1];
  expect(replay, out).toBeDefined();
  const replayed = spawnSync('sh', ['-c', `${replay!} --quiet --out replayed`], { cwd: project, env: withFields(env, { PATH: `${join(project, 'node_modules/.bin')}:${env['PATH'] ?? ''}` }), encoding: 'utf8' });
  expect(replayed.status, replayed.stderr).toBe(1);
  expect((JSON.parse(readFileSync(join(project, 'replayed/results.json'), 'utf8')) as { valid: unknown }).valid).toBe(false);
  const help = execFileSync(process.execPath, [join(project, 'node_modules/detcd/bin/detcd.js'), '--help'], { cwd: project, env, encoding: 'utf8' });
  expect(help).toMatch(/usage: detcd/);
  // A bound that catches a hang: npm pack, npm install, tsc, a vitest run and a replay take 15 s
  // idle, 60-110 s at load 22-40, 222 s with the test's processes held to 10 % of a CPU (240 s was the bound).
}, 600_000);
