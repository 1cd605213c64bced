// The same scenarios, checkers and reports against real etcd 3.4 processes (Debian's etcd-server,
// installed by .ci/run), in network namespaces as root. In CI a missing etcd fails the suite
// instead of skipping it: a test that cannot run must not pass silently.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunReportTo } from '../../../sim/report/run-report.ts';
import { removeLeftovers } from '../../../sim/cli/target-etcd/leftovers.ts';
import { etcdVersion, runRealEtcd } from '../../../sim/cli/target-etcd/real-run.ts';
import { knownBugsOf } from '../../../sim/cli/target-etcd/known-bugs.ts';
import { startEtcd } from '../../differential/etcd-process.ts';
import type { RealRunOutput } from '../../../sim/cli/target-etcd/real-run.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { scratchDir } from '../../scratch-dir.ts';

const haveEtcd = spawnSync('etcd', ['--version']).status === 0;
const root = process.getuid?.() === 0;
if (process.env['CI'] === 'true' && (!haveEtcd || !root)) throw new Error('CI must run the real-etcd tests: etcd-server installed and root (for network namespaces)');
const haveEtcdctl = spawnSync('etcdctl', ['version']).status === 0;
if (process.env['CI'] === 'true' && !haveEtcdctl) throw new Error('CI must run the real-etcd tests: etcd-client (etcdctl) installed');
const BIN = join(import.meta.dirname, '../../../bin/detcd.js');
const RUN_MS_MAX = 120_000;

function run(name: string, seed: number, extra: { serializableReadsOnTheWire?: boolean } = {}): Promise<RealRunOutput> {
  const { scenario, ref } = loadScenario(name);
  return runRealEtcd(scenario, seed, { replay: `detcd run --target etcd --scenario ${ref} --seed ${seed}`, ...extra });
}

/**
 * A real run that did not pass cannot be replayed exactly: its report (history, watches,
 * verdicts) and the members' data and logs are kept under reports/ (where CI keeps its
 * artifacts), and the failure message says how to check the history again.
 */
async function keep(out: RealRunOutput): Promise<string> {
  const dir = resolve('reports', 'real-etcd-failures', `${out.results.scenario}-seed${out.results.seed}-${process.pid}-${Date.now()}`);
  await writeRunReportTo(dir, { results: out.results, history: out.history, watches: out.watches, trace: [], scenario: out.scenario });
  cpSync(out.workDir, join(dir, 'etcd'), { recursive: true });
  return `run kept in ${dir}; check it again: detcd check --model etcd ${join(dir, 'history.jsonl')}`;
}

function ours(): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`detcd-${process.pid}-`));
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').filter((l) => / dt[bv]/.test(l) && l.includes(process.pid.toString(36)));
  return [...ns, ...links];
}

describe.skipIf(!haveEtcd || !root)('run --target etcd against etcd 3.4', () => {
  it.each(['leader-partition', 'kill-leader', 'gc-pause', 'one-way-partition'])('%s seed 1 is valid, faults on the timeline with their targets, nothing left behind', async (name) => {
    const out = await run(name, 1);
    const r = out.results;
    const kept = r.valid === true ? '' : `${await keep(out)}: `;
    expect(r.target?.kind).toBe('etcd');
    expect(r.target?.kind === 'etcd' ? r.target.version : '').toMatch(/^3\.4\./);
    expect(r.faults?.length).toBeGreaterThan(0);
    for (const f of r.faults ?? []) expect(f.targets?.length).toBeGreaterThan(0);
    // The leader timeline the lease and lock checkers use: status answers of every member, and the
    // spans a pause or a kill stopped one (sim/check/renewal-proof.ts).
    const timeline = r.target?.kind === 'etcd' ? r.target.leaderTimeline : undefined;
    expect(timeline?.statusAnswers).toBeGreaterThan(3 * 10);
    if (name === 'gc-pause' || name === 'kill-leader') expect(timeline?.stoppedSpans).toBeGreaterThan(0);
    // How long the cluster could serve (thin traffic is judged against it): a leader killed or
    // cut off takes an election to replace, time with no leader to serve.
    const servable = r.target?.kind === 'etcd' ? r.target.servable : undefined;
    expect(servable?.trafficMs).toBeGreaterThanOrEqual(3000);
    expect(servable?.ledMs).toBeLessThanOrEqual(servable?.quorumMs ?? -1);
    expect(servable?.quorumMs).toBeLessThanOrEqual(servable?.trafficMs ?? -1);
    if (name === 'kill-leader' || name === 'leader-partition') expect(servable?.ledMs).toBeLessThan(servable?.trafficMs ?? -1);
    expect(r.checkers['linearizable']?.valid, kept + JSON.stringify(r.checkers['linearizable']?.summary)).toBe(true);
    expect(r.checkers['liveness']?.valid, kept + r.checkers['liveness']?.summary).toBe(true);
    expect(r.checkers['convergence']?.valid, kept).toBe(true);
    expect(r.checkers['watch']?.valid, kept + r.checkers['watch']?.summary).toBe(true);
    expect(r.stats.ops.ok).toBeGreaterThan(50);
    expect(r.valid, kept + (r.error ?? '')).toBe(true);
    // The history ends with a read whose revision covers every watched one: a write whose client
    // timed out and that took effect after the last other answer still lies inside the history.
    const end = out.history.at(-1);
    const watched = out.watches.flatMap((w) => ((w.response as { events?: { kv: { mod_revision: string } }[] }).events ?? []).map((e) => Number(e.kv.mod_revision)));
    expect(end?.f).toBe('kv/range');
    expect(end?.type).toBe('ok');
    expect(Number((end?.value as { header: { revision: string } }).header.revision)).toBeGreaterThanOrEqual(Math.max(...watched));
    expect(ours()).toEqual([]);
  }, RUN_MS_MAX);

  it('a restarted member is killed again only once it serves, the schedule\'s distance after: acknowledged writes between every restart and the next kill', async () => {
    // Kills 400 ms apart, each 100 ms long: a restarted single member elects itself only after up
    // to two election timeouts (1-2 s), so kills on the schedule's own times found it never serving.
    const out = await run(join(import.meta.dirname, '../../fixtures/real/single-member-restarts.json'), 1);
    const r = out.results;
    const faults = r.faults ?? [];
    // All three run: the traffic lasts until the last kill is in force (about 5 s in), past the
    // scenario's 3 s by as much as it came late; it stopped at 3 s before, and the third never ran.
    expect(faults).toHaveLength(3);
    expect(r.target?.kind === 'etcd' ? r.target.faultsNotRun : undefined).toBe(0);
    const pastMs = r.target?.kind === 'etcd' ? r.target.trafficPastDurationMs ?? 0 : 0;
    expect(pastMs).toBeGreaterThan(0);
    expect(r.target?.kind === 'etcd' ? r.target.servable?.trafficMs : 0).toBeGreaterThanOrEqual(3000 + pastMs);
    // Down or restarting, the one member could not serve: the time thin traffic is judged against says so.
    const servable = r.target?.kind === 'etcd' ? r.target.servable : undefined;
    expect(servable?.quorumMs).toBeLessThan((servable?.trafficMs ?? 0) - 2 * 100);
    expect(servable?.ledMs).toBeLessThanOrEqual(servable?.quorumMs ?? -1);
    const writes = out.history.filter((op) => op.type === 'ok' && op.f !== 'kv/range');
    for (const [before, after] of faults.slice(0, -1).map((f, k) => [f, faults[k + 1]!] as const)) {
      expect(after.askedUs ?? after.startUs).toBeLessThanOrEqual(after.startUs);
      const between = writes.filter((op) => op.time > before.endUs! && op.time < after.startUs);
      expect(between.length, `no acknowledged write between the restart at ${before.endUs} µs and the kill at ${after.startUs} µs`).toBeGreaterThan(0);
    }
    expect(ours()).toEqual([]);
  }, RUN_MS_MAX);

  it('rolling-restart restarts one member at a time: each kill once the member restarted before it serves', async () => {
    // The schedule kills the next member as the last one's fault heals: a restarted etcd 3.4
    // member serves 0.5-2 s later, so kills on the schedule's own times left two of three down.
    const out = await run('rolling-restart', 1);
    const r = out.results;
    const kept = r.valid === true ? '' : `${await keep(out)}: `;
    const faults = r.faults ?? [];
    // Every kill of the schedule runs: the traffic lasts until the last is in force, past the run's
    // 3 s by as much as it came late (the three need about 5 s; the third never ran before).
    const schedule = r.options?.['schedule'] as { fault: { target: string } }[];
    expect(schedule).toHaveLength(3);
    expect(faults.map((f) => f.targets)).toEqual(schedule.map((t) => [t.fault.target]));
    for (const [before, after] of faults.slice(0, -1).map((f, k) => [f, faults[k + 1]!] as const)) expect(after.askedUs).toBeGreaterThan(before.endUs!);
    const servable = r.target?.kind === 'etcd' ? r.target.servable : undefined;
    expect(servable?.quorumMs, 'a quorum of members up and serving all along').toBe(servable?.trafficMs);
    expect(r.target?.kind === 'etcd' ? r.target.faultsNotRun : undefined).toBe(0);
    const pastMs = r.target?.kind === 'etcd' ? r.target.trafficPastDurationMs ?? 0 : 0;
    expect(pastMs).toBeGreaterThan(0);
    expect(servable?.trafficMs).toBeGreaterThanOrEqual(3000 + pastMs);
    expect(r.target?.kind === 'etcd' ? r.target.notApplied : undefined).toContain("cluster.etcd.snapshotCatchUpEntries 100: etcd's 5000 ran (a constant of etcd's build)");
    expect(r.valid, kept + (r.error ?? '')).toBe(true);
    expect(ours()).toEqual([]);
  }, RUN_MS_MAX);

  it('txns that put and range at a past revision make etcd 3.4 members diverge (etcd#18667) unless stepped around', async () => {
    // Four txns in five put a key and range another at a recent past revision, beside compactions
    // every 100 ms: the member the client talks to fails the ones whose revision it has compacted,
    // the others drop the range and apply the put. Likely in one run of 2 s, not certain.
    const fixture = join(import.meta.dirname, '../../fixtures/real/past-range-txns.json');
    const { scenario } = loadScenario(fixture);
    const exposed: string[] = [];
    for (let seed = 1; seed <= 3 && !exposed.includes('false'); seed++) {
      const r = (await runRealEtcd(scenario, seed, { replay: `detcd run --target etcd --scenario ${fixture} --seed ${seed} --no-mitigations`, mitigations: false })).results;
      expect(r.target?.kind === 'etcd' ? r.target.exposed : []).toContainEqual(expect.stringMatching(/^etcd#18667: /));
      exposed.push(String(r.checkers['convergence']?.valid), `(seed ${seed}: ${r.checkers['convergence']?.summary ?? 'no convergence checker'})`);
    }
    expect(exposed, exposed.join(' ')).toContain('false');
    const out = await runRealEtcd(scenario, 1, { replay: `detcd run --target etcd --scenario ${fixture} --seed 1` });
    const r = out.results;
    const kept = r.valid === true ? '' : `${await keep(out)}: `;
    expect(r.target?.kind === 'etcd' ? r.target.mitigations : []).toContainEqual(expect.stringMatching(/^etcd#18667: clients send no txn with a range at a past revision/));
    expect(r.checkers['convergence']?.valid, kept + r.checkers['convergence']?.summary).toBe(true);
    expect(r.valid, kept + (r.error ?? '')).toBe(true);
    expect(ours()).toEqual([]);
  }, 4 * RUN_MS_MAX);

  it('lock holders that pause longer than the lease TTL break mutual exclusion (Jepsen, etcd 3.4.3)', async () => {
    // Every holder pauses 3.5-4.5 s on a 2 s lease while four clients wait for the lock, so each
    // acquire is a chance (lock-gc-pause draws a pause for one acquire in two and also pauses
    // members, whose leader changes extend leases: a violation there is likely, not certain).
    const verdicts: string[] = [];
    for (let seed = 1; seed <= 3 && !verdicts.includes('false'); seed++) {
      const r = (await run(join(import.meta.dirname, '../../fixtures/real/lock-client-pauses.json'), seed)).results;
      verdicts.push(String(r.checkers['lock']?.valid), `(seed ${seed}: ${r.checkers['lock']?.summary ?? 'no lock checker'})`);
      if (r.checkers['lock']?.valid === false) expect(r.checkers['lock'].summary).toMatch(/acquired the lock .* while process .* held it/);
    }
    expect(verdicts, verdicts.join(' ')).toContain('false');
  }, 3 * RUN_MS_MAX);

  it('serializable reads recorded as linearizable ones are caught: the checker sees a real stale read', async () => {
    // One key, six clients per member, a follower cut off for two to three seconds: a client
    // pinned to it reads its stale copy of the key the others keep writing, until its first write
    // there times out and moves it to another member. With three clients per member a seed had no
    // stale read about one time in eight (all three wrote first); with six none of 10 seeds missed
    // (each fault gives six chances), and the few timed-out writes keep the search decidable.
    const verdicts: string[] = [];
    for (let seed = 1; seed <= 4 && !verdicts.includes('false'); seed++) {
      const r = (await run(join(import.meta.dirname, '../../fixtures/real/stale-follower-reads.json'), seed, { serializableReadsOnTheWire: true })).results;
      verdicts.push(`${String(r.checkers['linearizable']?.valid)}`);
      if (r.checkers['linearizable']?.valid !== false) verdicts.push(`(seed ${seed}: ${r.checkers['linearizable']?.summary ?? 'no linearizable checker'}; ops ${JSON.stringify(r.stats.ops)})`);
    }
    expect(verdicts, verdicts.join(' ')).toContain('false');
  }, 4 * RUN_MS_MAX);

  it('the command line writes the report with the target, the members\' logs (and data when the run did not pass), and the faults on the timeline', () => {
    const out = join(scratchDir('detcd-real-'), 'report');
    const p = spawnSync(process.execPath, [BIN, 'run', '--target', 'etcd', '--scenario', 'kill-leader', '--seed', '2', '--out', out, '--quiet'], { encoding: 'utf8', timeout: RUN_MS_MAX });
    // The verdict of these scenarios is the it.each above; here the command's report is the point
    // (a real run on a starved machine may say unknown or invalid, and still writes it).
    expect([0, 1, 2], p.stderr).toContain(p.status);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { target: { kind: string; replayable: string }; faults: { description: string; targets: string[] }[] };
    expect(results.target.kind).toBe('etcd');
    expect(results.target.replayable).toMatch(/not the interleaving/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const f of results.faults) expect(html).toContain(f.description);
    // A passing run keeps the logs only; a failing one keeps the data directories as evidence.
    expect(existsSync(join(out, 'etcd', 'n1', 'member'))).toBe(p.status !== 0);
    expect(existsSync(join(out, 'etcd', 'n1.log'))).toBe(true);
    expect(html).toContain('real etcd 3.4');
    expect(html).toContain('it is not exact');
  }, RUN_MS_MAX);

  it('sweep --target etcd runs seeds one at a time and writes the sweep report; a scenario file can name the target', () => {
    const dir = scratchDir('detcd-real-sweep-');
    const file = join(dir, 'real.json');
    writeFileSync(file, JSON.stringify({ name: 'real-one-way', target: 'etcd', workload: { durationMs: 2000 }, nemesis: { packages: ['one-way'] } }));
    const p = spawnSync(process.execPath, [BIN, 'sweep', '--scenario', file, '--seeds', '1..1', '--out', join(dir, 'sweep')], { encoding: 'utf8', timeout: RUN_MS_MAX });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/1 worker/);
    expect(existsSync(join(dir, 'sweep', 'sweep.json'))).toBe(true);
  }, RUN_MS_MAX);

  it('a fault the target cannot inject is refused before anything starts: one line, exit 3', () => {
    const p = spawnSync(process.execPath, [BIN, 'run', '--target', 'etcd', '--scenario', 'torn-writes', '--seed', '1'], { encoding: 'utf8', timeout: RUN_MS_MAX });
    expect(p.status, p.stderr).toBe(3);
    expect(p.stderr.trim().split('\n')).toHaveLength(1);
    expect(p.stderr).toMatch(/torn writes.*cannot run on target etcd/);
  }, RUN_MS_MAX);

  it('Ctrl-C in the middle of a run stops every etcd and removes every namespace and link it made', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--target', 'etcd', '--scenario', 'leader-partition', '--seed', '1', '--out', join(scratchDir('detcd-int-'), 'r')], { stdio: 'ignore' });
    const pid = child.pid as number;
    const mine = (): string[] => [
      ...execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`detcd-${pid}-`)),
      ...execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`dtb${pid.toString(36)}:`) || l.includes(`dtv${pid.toString(36)}n`)),
      ...execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`detcd-token-${pid}`)),
    ];
    // Wait until the run has built its namespaces and started etcd (a rebuild of dist/ or a slow
    // start may take a while), then a moment more so that traffic is flowing.
    const deadline = Date.now() + 60_000;
    while (mine().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(mine().length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2_000));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(mine()).toEqual([]);
  }, RUN_MS_MAX);

  it('on an etcd with etcd#18089, watchers cancelled by a compaction end instead of watching again from the compact revision', async () => {
    // watch-compaction-churn's watchers come back behind compactions, are cancelled, and resume at
    // the compact revision; stepped around, the cancelled ones must end (their clients send no new create).
    const seen: string[] = [];
    for (let seed = 16; seed <= 19 && !seen.some((s) => s.startsWith('cancel')); seed++) {
      const out = await run('watch-compaction-churn', seed);
      const version = out.results.target?.kind === 'etcd' ? out.results.target.version : '';
      if (!knownBugsOf(version).some((b) => b.id === 'etcd#18089')) return;
      expect(out.results.target?.kind === 'etcd' ? (out.results.target.mitigations ?? []).join(' ') : '').toMatch(/etcd#18089/);
      const cancelled = new Set<string | number>();
      for (const w of out.watches) {
        const r = w.response as { canceled?: boolean; compact_revision?: string };
        if (w.request !== undefined && cancelled.has(w.process)) seen.push(`resumed ${String(w.process)} at ${w.time} (seed ${seed})`);
        if (r.canceled === true && r.compact_revision !== undefined) {
          cancelled.add(w.process);
          seen.push(`cancel ${String(w.process)}`);
        }
      }
    }
    expect(seen.filter((s) => s.startsWith('resumed'))).toEqual([]);
    expect(seen.some((s) => s.startsWith('cancel')), 'no watcher was cancelled by a compaction in 4 runs').toBe(true);
  }, 4 * RUN_MS_MAX);

  it.skipIf(!haveEtcdctl)('the known-bugs table is right about etcd#18089 for this binary: a watch opened at the compact revision misses its delete', async () => {
    const etcd = await startEtcd('etcd');
    const client = etcd.endpoint.replace(/^http:\/\//, '');
    try {
      const ctl = (...args: string[]) => spawnSync('etcdctl', [`--endpoints=${client}`, '--command-timeout=5s', ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, timeout: args[0] === 'watch' ? 5000 : 10_000 });
      // put k (rev 2), delete k (rev 3), put k (rev 4), compact at 3 (the delete's revision), watch from 3.
      for (const args of [['put', 'k', 'v1'], ['del', 'k'], ['put', 'k', 'v2'], ['compact', '3', '--physical']]) expect(ctl(...args).status, args.join(' ')).toBe(0);
      // The watch runs until killed: its first response is printed at once.
      const watched = ctl('watch', 'k', '--rev', '3', '-w', 'json');
      const first = JSON.parse(watched.stdout.split('\n')[0] ?? '{}') as { Events?: { type?: number; kv: { mod_revision: number } }[] };
      const missesDelete = (first.Events ?? [])[0]?.kv.mod_revision === 4;
      expect(first.Events?.length, watched.stdout + watched.stderr).toBeGreaterThan(0);
      expect(missesDelete).toBe(knownBugsOf(etcdVersion('etcd')).some((b) => b.id === 'etcd#18089'));
    } finally {
      await etcd.stop();
    }
  }, RUN_MS_MAX);

  it('leftovers of a dead harness are removed by name; a live owner\'s are kept', () => {
    // Above the kernel's pid_max (32768, or 4194304 where systemd raises it): never a live process.
    const dead = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1 + (process.pid % 100_000);
    const deadNs = `detcd-${dead}-n1`;
    const liveNs = `detcd-${process.pid}-n9`;
    const deadBridge = `dtb${dead.toString(36)}`;
    execFileSync('ip', ['netns', 'add', deadNs]);
    execFileSync('ip', ['netns', 'add', liveNs]);
    execFileSync('ip', ['link', 'add', deadBridge, 'type', 'bridge']);
    try {
      const removed = removeLeftovers();
      // Judged by what is left, not by which call removed it: any other harness starting on this
      // machine (a parallel test file, a user's run) runs the same removal and may take the dead
      // owner's leftovers first (CI on ba3626b failed so: the bridge was gone before this call).
      const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
      const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
      expect(namespaces).not.toMatch(new RegExp(`^${deadNs}\\b`, 'm'));
      expect(links).not.toContain(`: ${deadBridge}:`);
      expect(namespaces).toContain(liveNs);
      expect(removed.namespaces).not.toContain(liveNs);
    } finally {
      spawnSync('ip', ['netns', 'del', liveNs]);
      spawnSync('ip', ['netns', 'del', deadNs]);
      spawnSync('ip', ['link', 'del', deadBridge]);
    }
  });
});
