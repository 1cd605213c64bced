// The package as another project meets it: `npm pack`, installed into a scratch project (its
// dependencies from npm's cache, which `npm ci` filled), whose own vitest suite imports
// `detcd/property` and `detcd/check`, type-checks against the shipped declarations, and runs a
// fast-check property over fault schedules; the installed bin answers `detcd --help`.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
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
import { defineScenario, faultScheduleArbitrary, runResults, withSchedule } from 'detcd/property';
import { checkHistory } from 'detcd/check';
import type { Results } from 'detcd/property';

const base = defineScenario({ name: 'consumer', clients: { count: 3 }, workload: { kind: 'etcd', durationMs: 600, rateOpsPerSecond: 50 } });

test('no fault schedule breaks linearizability', () => {
  fc.assert(fc.property(faultScheduleArbitrary({ members: 3, safetyMs: 600 }), fc.integer({ min: 1, max: 1000 }), (schedule, seed) => {
    const r: Results = runResults(withSchedule(base, schedule), seed);
    return r.valid !== false;
  }), { seed: 7, numRuns: 2 });
  // An empty history is "unknown: no operations" (issue 11), never valid.
  expect(checkHistory({ ops: [], lines: [] }, 'register').valid).toBe('unknown');
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
  const out = execFileSync(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--testTimeout=120000'], { cwd: project, env, encoding: 'utf8' });
  expect(out).toMatch(/1 passed/);
  const help = execFileSync(process.execPath, [join(project, 'node_modules/detcd/bin/detcd.js'), '--help'], { cwd: project, env, encoding: 'utf8' });
  expect(help).toMatch(/usage: detcd/);
}, 240_000);
