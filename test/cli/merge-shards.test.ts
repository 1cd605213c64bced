// sweep --merge of shards that do not make one sweep: of other seed ranges or scenarios, the
// same shard twice, a shard missing, a hand-edited sweep.json holding a run of another shard,
// a shard from before plans were recorded beside one that has its plan, and --out naming one
// of the shards. Each is refused with one line naming the directory and the field (exit 3), and
// nothing is written; the shards of one sweep still merge.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-merge-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'register', durationMs: 300, rateOpsPerSecond: 50 }, nemesis: { packages: [] } }));

async function shard(name: string, seeds: string, which: string): Promise<string> {
  const out = join(root, name);
  const r = await cli(['sweep', '--scenario', tiny, '--seeds', seeds, '--shard', which, '--jobs', '1', '--rerun-percent', '0', '--out', out]);
  expect(r.code).toBeLessThan(3);
  return out;
}

function copyWith(from: string, name: string, edit: (sweep: Record<string, unknown>) => void): string {
  const dir = join(root, name);
  cpSync(from, dir, { recursive: true });
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as Record<string, unknown>;
  edit(sweep);
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
  return dir;
}

async function refused(dirs: string[], message: RegExp, out = join(root, `merged-${Math.random().toString(36).slice(2)}`)): Promise<void> {
  const r = await cli(['sweep', '--merge', ...dirs, '--out', out]);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^detcd sweep --merge: /);
  expect(r.err[0]).toMatch(message);
  expect(r.code).toBe(3);
}

describe('sweep --merge takes only the shards of one sweep, all of them', () => {
  let a1: string;
  let a2: string;
  let b2: string;
  beforeAll(async () => {
    a1 = await shard('a1', '1..4', '1/2');
    a2 = await shard('a2', '1..4', '2/2');
    b2 = await shard('b2', '1..6', '2/2');
  }, 600_000);

  it('merges the two shards of one sweep', async () => {
    const out = join(root, 'merged-ok');
    const r = await cli(['sweep', '--merge', a1, a2, '--out', out]);
    expect(r.err).toEqual([]);
    // A run this short may be too little traffic to judge (unknown, exit 2): either is a merge.
    expect(r.code).toBeLessThan(3);
    const merged = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { runs: { seed: number }[]; plan: { shard: unknown; seeds: unknown } };
    expect(merged.runs.map((run) => run.seed).sort()).toEqual([1, 2, 3, 4]);
    expect(merged.plan).toMatchObject({ seeds: [1, 4], shard: { index: 1, count: 1 } });
  });

  it('refuses shards of another seed range, naming the field', async () => {
    await refused([a1, b2], /b2 is a shard of another sweep: its seeds is 1\.\.6, .*a1's is 1\.\.4/);
  });

  it('refuses a shard of another scenario and of another detcd version', async () => {
    const other = copyWith(a2, 'other-scenario', (s) => void ((s['plan'] as { scenarios: string[] }).scenarios = ['register']));
    await refused([a1, other], /other-scenario is a shard of another sweep: its scenarios is register/);
    const newer = copyWith(a2, 'newer', (s) => void ((s['plan'] as { detcd: string }).detcd = 'detcd 99.0.0'));
    await refused([a1, newer], /newer is a shard of another sweep: its detcd version is detcd 99\.0\.0/);
  });

  it('refuses the same shard twice and a missing shard', async () => {
    await refused([a1, copyWith(a1, 'a1-again', () => {})], /a1 and .*a1-again are both shard 1\/2/);
    await refused([a1], /shard 2\/2 of the sweep is missing/);
  });

  it('refuses a hand-edited shard holding a run of another shard, and one without its plan beside one with', async () => {
    const edited = copyWith(a2, 'edited', (s) => void ((s['runs'] as { seed: number }[])[0]!.seed = 1));
    await refused([a1, edited], /edited\/sweep\.json holds tiny seed 1, which is not a run of shard 2\/2/);
    const old = copyWith(a2, 'old', (s) => void delete s['plan']);
    await refused([a1, old], /old\/sweep\.json records no sweep plan/);
  });

  it('refuses --out naming one of the shards: its own sweep.json would be replaced', async () => {
    const before = readFileSync(join(a1, 'sweep.json'), 'utf8');
    await refused([a1, a2], /--out .*a1 is one of the shards to merge/, a1);
    expect(readFileSync(join(a1, 'sweep.json'), 'utf8')).toBe(before);
    expect(existsSync(join(root, 'merged-none'))).toBe(false);
  });
});
