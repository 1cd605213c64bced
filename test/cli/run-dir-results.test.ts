// replay and shrink read back a run directory: a results.json another detcd version wrote (or one
// from before results.json recorded its version) and a damaged one are refused in one line
// naming the file and the field (exit 3). Before, an older run replayed to other verdicts and
// ended "internal error"-like (exit 4: "a checker is not deterministic (a harness bug)"), a
// missing traceHash or stats was blamed on the harness (exit 4), a checker entry of null was a
// TypeError in shrink (exit 4), target {kind: etcd} without its binary started the etcd on PATH,
// and a scenario name "-" or a path with no scenario.json read standard input or that file.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detcdBuild } from '../../sim/cli/harness/detcd-build.ts';
import { scratchDir } from '../scratch-dir.ts';
import { cli, refused } from './capture-cli.ts';
import { runCopy } from './run-dir-copy.ts';

const root = scratchDir('detcd-run-dir-results-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }));
const run = join(root, 'run');

type Json = Record<string, unknown>;
/** A copy of the run directory whose results.json `edit` changed (and without scenario.json when `scenarioFile` is false). */
function edited(edit: (r: Json) => unknown, scenarioFile = true): string {
  const dir = runCopy(run, root, edit);
  if (!scenarioFile) rmSync(join(dir, 'scenario.json'));
  return dir;
}

beforeAll(async () => {
  const r = await cli(['run', '--scenario', tiny, '--seed', '1', '--quiet', '--out', run]);
  expect(r.code).toBe(0);
});

describe('shrink of a run against real etcd', () => {
  // It shrank the schedule in the simulation and wrote a scenario that never failed on etcd.
  it('is refused naming target.kind and what to do instead, failing or not', async () => {
    for (const valid of [false, true]) {
      const dir = edited((r) => ({ ...r, valid, target: { kind: 'etcd', binary: '/usr/bin/etcd', version: '3.4.23', exposed: [] } }));
      await refused(['shrink', dir], `detcd shrink: ${dir}: target.kind: a run against real etcd 3.4.23`, /detcd replay /);
      expect(existsSync(join(dir, 'shrunk.json'))).toBe(false);
    }
  });
});

describe('results.json records the detcd that wrote it', () => {
  it('a run writes version, and replays exactly', async () => {
    expect((JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Json)['version']).toBe(detcdBuild());
    expect((await cli(['replay', run])).code).toBe(0);
  });

  it('a run directory from before the field: replay and shrink refuse it, naming the field and how to run it again', async () => {
    const old = edited((r) => void delete r['version']);
    for (const command of ['replay', 'shrink']) {
      const line = await refused([command, old], `${join(old, 'results.json')}: version: missing`, `this is ${detcdBuild()}`);
      expect(line).toContain(`detcd run --scenario ${join(old, 'scenario.json')} --seed 1`);
    }
  });

  it('another version: named beside this one', async () => {
    const other = edited((r) => ({ ...r, version: 'detcd 0.0.9', valid: false }));
    await refused(['replay', other], 'version: written by detcd 0.0.9', `this is ${detcdBuild()}`);
    await refused(['shrink', other], 'version: written by detcd 0.0.9');
    await refused(['replay', edited((r) => ({ ...r, version: 7 }))], 'version: not a detcd version', 'got 7');
  });
});

describe('a damaged results.json: one line naming the field, exit 3', () => {
  const cases: [string, (r: Json) => unknown, string][] = [
    ['not an object', () => [1, 2], '(file): not a run\'s results'],
    ['valid missing', (r) => void delete r['valid'], 'valid: missing'],
    ['valid a word', (r) => ({ ...r, valid: 'maybe' }), 'valid: must be true, false or "unknown", got "maybe"'],
    ['checkers missing', (r) => void delete r['checkers'], 'checkers: missing'],
    ['a checker null', (r) => ({ ...r, checkers: { ...(r['checkers'] as Json), raft: null } }), 'checkers.raft: must be an object'],
    ['a checker without valid', (r) => ({ ...r, checkers: { watch: { summary: 'x' } } }), 'checkers.watch.valid: missing'],
    ['stats missing', (r) => void delete r['stats'], 'stats: missing'],
    ['stats.ops null', (r) => ({ ...r, stats: { ...(r['stats'] as Json), ops: null } }), 'stats.ops: must be the counts'],
    ['stats.ops.ok negative', (r) => ({ ...r, stats: { ...(r['stats'] as Json), ops: { ok: -1, fail: 0, info: 0 } } }), 'stats.ops.ok: must be a whole number'],
    ['stats.events a string', (r) => ({ ...r, stats: { ...(r['stats'] as Json), events: '5' } }), 'stats.events: must be a whole number'],
    ['traceHash missing', (r) => void delete r['traceHash'], 'traceHash: missing'],
    ['traceHash a number', (r) => ({ ...r, traceHash: 5 }), 'traceHash: must be the 16 hex digits'],
    ['target etcd without its binary', (r) => ({ ...r, target: { kind: 'etcd' } }), 'target.binary: missing'],
    ['target of another kind', (r) => ({ ...r, target: { kind: 'raft' } }), 'target.kind: must be "simulation" or "etcd"'],
    ['replay missing', (r) => void delete r['replay'], 'replay: missing'],
    ['error a number', (r) => ({ ...r, error: 3 }), 'error: must be the error the run stopped on'],
    ['seed past the bound', (r) => ({ ...r, seed: 2 ** 31 }), 'seed: must be a whole number from 0 to 2147483647'],
    ['an unknown bug', (r) => ({ ...r, bug: 'nope' }), 'bug: unknown bug'],
  ];
  it.each(cases)('%s', async (_name, edit, field) => {
    const dir = edited(edit);
    await refused(['replay', dir], join(dir, 'results.json'), field);
  });

  it('shrink of a failing run whose checker entry is null: refused, not a TypeError', async () => {
    const dir = edited((r) => ({ ...r, valid: 'unknown', checkers: { linearizable: null } }));
    await refused(['shrink', dir], 'checkers.linearizable: must be an object');
  });
});

describe('without scenario.json, only a shipped scenario is looked up by its name', () => {
  it.each([['-'], ['/etc/passwd'], ['tiny'], ['../tiny']])('scenario %j', async (name) => {
    const dir = edited((r) => ({ ...r, scenario: name }), false);
    await refused(['replay', dir], `${join(dir, 'scenario.json')}: (file): missing`, `scenario '${name}' is not a shipped one`);
  });
});
