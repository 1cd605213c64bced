// The sweep engine: lazy tasks, the jobs cap, worker threads started once and reused, and the
// determinism re-run (a share of the seeds again in another worker; a mismatch says where the
// traces part and exits 4), with nondeterminism injected through the task runner.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { countTasks, executeSweep, planTasks, sweep } from '../../sim/cli/commands/sweep.ts';
import type { SweepPlan } from '../../sim/cli/commands/sweep.ts';
import { reportDirOf } from '../../sim/cli/harness/execute.ts';
import { runReportDir } from '../../sim/report/index.ts';
import { driveTasks, inlineRunner, inRerunShare, runTasks } from '../../sim/cli/harness/sweep-engine.ts';
import type { TaskRunner } from '../../sim/cli/harness/sweep-engine.ts';
import type { ScenarioFile } from '../../sim/cli/harness/scenario-files.ts';
import { runSweepTask } from '../../sim/cli/harness/sweep-task.ts';
import type { SweepTask } from '../../sim/cli/harness/sweep-task.ts';
import { defineScenario } from '../../sim/scenario/parse.ts';
import { scratchDir } from '../scratch-dir.ts';

const scenario = defineScenario({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 1000, rateOpsPerSecond: 50 } });
const file: ScenarioFile = { scenario, ref: 'tiny' } as ScenarioFile;

function plan(over: Partial<SweepPlan> = {}): SweepPlan {
  const outDir = scratchDir('detcd-sweep-engine-');
  return { files: [file], seeds: [1, 4], bug: undefined, shard: { index: 1, count: 1 }, jobs: 1, stopOnFail: false, outDir, reportAll: false, title: 'test sweep', ...over };
}

function tasks(n: number): SweepTask[] {
  return Array.from({ length: n }, (_, i) => ({ scenario, scenarioRef: 'tiny', seed: i + 1, reportsDir: tmpdir(), sweepDir: tmpdir(), reportAll: false }));
}

/** Two lanes in this thread; worker 1 is nondeterministic: its runs draw from another seed. */
function nondeterministicRunner(): TaskRunner & { calls: { seed: number; worker: number; rerun: boolean }[] } {
  const calls: { seed: number; worker: number; rerun: boolean }[] = [];
  let turn = 0;
  return {
    workers: 2,
    calls,
    async run(task, avoid) {
      const worker = avoid === undefined ? turn++ % 2 : 1 - avoid;
      calls.push({ seed: task.seed, worker, rerun: task.rerun === true });
      const result = await runSweepTask(worker === 1 && task.rerun === true ? { ...task, seed: task.seed + 1000 } : task);
      return { result: { ...result, summary: { ...result.summary, seed: task.seed } }, worker };
    },
    async close() {},
  };
}

describe('sweep tasks', () => {
  it('are made lazily: a sweep of three million seeds yields its first task at once, and counts its shard without listing it', () => {
    const p = plan({ seeds: [1, 3_000_000], shard: { index: 2, count: 7 } });
    const it0 = planTasks(p);
    expect(it0.next().value?.seed).toBe(2);
    expect(it0.next().value?.seed).toBe(9);
    expect(countTasks(p)).toBe(428_572);
  });

  it('count exactly what the shard enumerates, for every shard of small sweeps', () => {
    for (const seeds of [[1, 1], [1, 5], [3, 17]] as [number, number][]) {
      for (const count of [1, 2, 3, 8]) {
        for (let index = 1; index <= count; index++) {
          const p = plan({ files: [file, file], seeds, shard: { index, count } });
          expect(countTasks(p), `seeds ${seeds.join('..')} shard ${index}/${count}`).toBe([...planTasks(p)].length);
        }
      }
    }
  });

  it('re-run an evenly spread share: the first task always, then 5 % of the rest', () => {
    const picked = Array.from({ length: 100 }, (_, i) => i).filter((i) => inRerunShare(i, 5));
    expect(picked).toEqual([0, 19, 39, 59, 79, 99]);
    expect(Array.from({ length: 10 }, (_, i) => i).filter((i) => inRerunShare(i, 0))).toEqual([0]);
  });
});

describe('the determinism re-run', () => {
  it('finds nothing on the real harness: the re-run in this thread gives the same trace hashes', async () => {
    const r = await driveTasks(tasks(3), inlineRunner, { stopOnFail: false, rerunPercent: 100 });
    expect(r.runs.map((s) => s.seed).sort()).toEqual([1, 2, 3]);
    expect(r.reruns).toBe(3);
    expect(r.mismatches).toEqual([]);
  });

  it('runs each re-run on another worker than the original, and reports where the traces part when they differ', async () => {
    const runner = nondeterministicRunner();
    const r = await driveTasks(tasks(4), runner, { stopOnFail: false, rerunPercent: 100 });
    expect(r.reruns).toBe(4);
    for (const c of runner.calls.filter((x) => x.rerun)) {
      const first = runner.calls.find((x) => !x.rerun && x.seed === c.seed);
      expect(c.worker).not.toBe(first?.worker);
    }
    // The originals that ran on worker 0 are re-run on worker 1, which is nondeterministic.
    const expected = runner.calls.filter((x) => !x.rerun && x.worker === 0).map((x) => x.seed).sort();
    expect(r.mismatches.map((m) => m.seed).sort()).toEqual(expected);
    expect(r.mismatches.length).toBeGreaterThan(0);
    for (const m of r.mismatches) {
      expect(m.traceHashes[0]).not.toBe(m.traceHashes[1]);
      expect(m.where).toMatch(/the traces part between 0 ms and \d+ ms of simulated time/);
    }
  });

  it('makes the sweep exit 4 and print where the traces part, with the replay command', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const p = plan({ jobs: 2, rerunPercent: 100, runner: () => nondeterministicRunner() });
      expect(await executeSweep(p)).toBe(4);
      const text = lines.join('\n');
      expect(text).toMatch(/nondeterminism: tiny seed \d+ gave trace hash \w+ on worker 0 and \w+ on worker 1; the traces part between/);
      expect(text).toMatch(/replay: detcd run --scenario tiny --seed \d+/);
      const saved = JSON.parse(readFileSync(join(p.outDir, 'determinism.json'), 'utf8')) as { reruns: number; mismatches: unknown[] };
      expect(saved.reruns).toBe(4);
      expect(saved.mismatches.length).toBeGreaterThan(0);
      // The reports say it too: summary.md (a CI job summary), index.html and sweep.json.
      const md = readFileSync(join(p.outDir, 'summary.md'), 'utf8');
      expect(md).toContain(`❌ **Determinism:** 4 seeds re-run in another worker: **${saved.mismatches.length} gave different trace hashes**`);
      expect(md).toMatch(/\| tiny \| \d+ \| `\w+` \(0\), `\w+` \(1\) \| the traces part between .* \| `detcd run --scenario tiny --seed \d+/);
      const html = readFileSync(join(p.outDir, 'index.html'), 'utf8');
      expect(html).toContain(`Determinism: 4 seeds re-run in another worker: ${saved.mismatches.length} gave different trace hashes`);
      const sweepJson = JSON.parse(readFileSync(join(p.outDir, 'sweep.json'), 'utf8')) as { determinism: { reruns: number; mismatches: unknown[] } };
      expect(sweepJson.determinism.reruns).toBe(4);
      expect(sweepJson.determinism.mismatches).toEqual(saved.mismatches);
      // Merging the shard keeps the mismatch, and the merge exits 4 too.
      lines.length = 0;
      expect(await sweep(['--merge', p.outDir, '--out', join(p.outDir, 'merged')])).toBe(4);
      expect(lines.join('\n')).toContain(`determinism: 4 seeds re-run in another worker: ${saved.mismatches.length} differ`);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

describe('worker threads', () => {
  it('find a failing run\'s report where the report module puts it, without loading the report renderers first', () => {
    for (const [dir, name, seed] of [['reports', 'kill-leader', 7], ['/tmp/x', 'odd name/../x', 12]] as const) expect(reportDirOf(dir, name, seed)).toBe(runReportDir(dir, name, seed));
  });

  it('run the compiled package, agree with the inline run seed by seed, and re-run the sampled seeds in another thread', async () => {
    const inline = await runTasks(tasks(4), 4, { jobs: 1, stopOnFail: false, progress: false, rerunPercent: 0 });
    const threads = await runTasks(tasks(4), 4, { jobs: 2, stopOnFail: false, progress: false, rerunPercent: 50 });
    const bySeed = (rs: { seed: number; traceHash: string }[]): string[] => [...rs].sort((a, b) => a.seed - b.seed).map((s) => `${s.seed}:${s.traceHash}`);
    expect(bySeed(threads.runs)).toEqual(bySeed(inline.runs));
    expect(threads.reruns).toBe(3);
    expect(threads.mismatches).toEqual([]);
  });

  it('never outnumber the runs: one run with --jobs 8 starts one worker', async () => {
    const errs: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errs.push(a.join(' ')));
    try {
      expect(await executeSweep(plan({ seeds: [1, 1], jobs: 8 }))).toBe(0);
      expect(errs.join('\n')).toMatch(/1 run over 1 scenario, seeds 1\.\.1, 1 worker/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
