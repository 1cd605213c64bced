// `detcd serve --scenario` as a user runs it: the scenario's faults happen in real time while
// etcdctl loops write unique values through one member and read them back through another; at
// --duration serve heals, checks the history the clients made and writes the same report as
// `detcd run`. With the leader partitioned again and again the report is valid; with a planted
// bug (reads served from local state, no ReadIndex) and long partitions it is not.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { etcdctl } from './etcdctl.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';

interface ServeRun {
  code: number | null;
  stdout: string;
  results: { valid: unknown; stats: { ops: { ok: number; fail: number; info: number }; faults: number }; checkers: Record<string, { valid: unknown; summary?: string }> };
  loops: { ok: number; failed: number };
}

const work = mkdtempSync(join(tmpdir(), 'detcd-serve-scenario-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts serve, runs `loops` etcdctl loops until serve exits, returns its report. */
async function serveWithEtcdctl(args: string[], out: string, loops: number): Promise<ServeRun> {
  const child = spawn(process.execPath, ['bin/detcd.js', 'serve', '--port', '0', '--out', out, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exited = true;
    resolve(code);
  }));
  child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
  const endpoints = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no endpoints printed: ${stdout}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      // The member lines (README), complete once the try: line after them is out.
      if (/^try: /m.test(stdout)) {
        clearTimeout(timer);
        resolve([...stdout.matchAll(/^ {2}n\d+ {2}http:\/\/(127\.0\.0\.1:\d+) {2}gRPC and JSON gateway$/gm)].map((m) => m[1]!));
      }
    });
  });
  const tally = { ok: 0, failed: 0 };
  const loop = async (l: number): Promise<void> => {
    for (let i = 0; !exited; i++) {
      const key = `k${(l + i) % 3}`;
      const put = await etcdctl(endpoints[(l + i) % endpoints.length]!, ['put', key, `v-${l}-${i}`], { commandTimeout: '2s' });
      const get = await etcdctl(endpoints[(l + i + 1) % endpoints.length]!, ['get', key], { commandTimeout: '2s' });
      for (const r of [put, get]) {
        if (r.code === 0) tally.ok++;
        else tally.failed++;
      }
    }
  };
  // A client watch on every key the loops write, failing over across all endpoints like clientv3.
  const watch = etcdctl(endpoints.join(','), ['watch', 'k', '--prefix', '--prev-kv'], { until: exit });
  const code = (await Promise.all([exit, ...Array.from({ length: loops }, (_, l) => loop(l))]))[0];
  await watch;
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ServeRun['results'];
  return { code, stdout, results, loops: tally };
}

describeWithRealEtcd('detcd serve --scenario with an etcdctl loop', ['etcdctl'], () => {
  test('leader-partition: faults are printed as they start and heal, the report is valid, exit 0', async () => {
    const out = join(work, 'leader-partition');
    const run = await serveWithEtcdctl(['--scenario', 'leader-partition', '--seed', '3', '--duration', '10'], out, 3);
    expect(run.stdout).toMatch(/fault +partition isolate-leader/);
    expect(run.stdout).toMatch(/healed +partition isolate-leader/);
    expect(run.results.stats.faults).toBeGreaterThan(0);
    expect(run.results.stats.ops.ok).toBeGreaterThanOrEqual(20);
    expect(run.loops.ok).toBeGreaterThan(0);
    expect(run.results.checkers['linearizable']?.valid).toBe(true);
    // The per-member watchers and etcdctl's own watch stream are both judged.
    expect(run.results.checkers['watch']?.valid, run.results.checkers['watch']?.summary).toBe(true);
    expect(readFileSync(join(out, 'watches.jsonl'), 'utf8')).toMatch(/"process":"client-watch-\d+"/);
    expect(run.results.valid, run.stdout).toBe(true);
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(/leader-partition/);
    expect(readFileSync(join(out, 'history.jsonl'), 'utf8')).toMatch(/"f":"kv\/put"/);
  }, 90_000);

  test('a planted bug (reads without ReadIndex) under long leader partitions: the report is invalid, exit 1', async () => {
    const scenario = join(work, 'long-leader-partitions.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'long-leader-partitions',
      description: 'the leader cut off for seconds at a time, so a new leader takes writes while the old one still answers',
      nemesis: { packages: ['partition-leader'], startMs: 300, faultDurationMs: { min: 2500, max: 3000 }, intervalMs: 300 },
    }));
    const out = join(work, 'bug');
    // Found at the first stale answer by the answer-covers-commit invariant (the simulation
    // stops there, and serve with it: in the first partition, 2-3 s in, on an idle machine), or
    // by the linearizability checker on what the clients saw. The duration is a bound, not the
    // run's length: 9 s were too few on a loaded machine (the test's processes held to 10 % of a
    // CPU: the first partition 4.5 s in, 12 etcdctl answers in 14 s, no stale read, 'too little
    // successful traffic', exit 2).
    const run = await serveWithEtcdctl(['--scenario', scenario, '--seed', '4', '--duration', '40', '--bug', 'read-without-readindex'], out, 3);
    expect(run.results.checkers['raft']?.valid === false || run.results.checkers['linearizable']?.valid === false, run.stdout).toBe(true);
    expect(run.results.valid).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/check again: detcd check --model etcd .*history\.jsonl/);
  }, 180_000);
});
