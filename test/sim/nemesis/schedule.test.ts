import { describe, expect, it } from 'vitest';
import { allPackages } from '../../../sim/nemesis/packages.ts';
import { expandSchedule } from '../../../sim/nemesis/schedule.ts';
import { drawSwarm } from '../../../sim/nemesis/swarm.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { NemesisPackages } from '../../../sim/scenario/schema.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { minLeaseTtlSeconds } from '../../../src/lease/lessor.ts';
import { DRAWN_AFTER_DECLARED_PIN, drawnAfterDeclared } from '../../support/swarm-drawn-after.ts';

describe('nemesis schedule', () => {
  it('has a package for every package name a scenario may use', () => {
    expect(allPackages().map((p) => p.name).sort()).toEqual([...NemesisPackages].sort());
  });

  it('draws faults one after another inside the safety phase, within the bounds', () => {
    const s = defineScenario({ name: 'x', workload: { durationMs: 10_000 }, nemesis: { packages: ['partition-leader', 'kill-random', 'pause'], faultDurationMs: { min: 100, max: 300 }, intervalMs: { min: 50, max: 60 } } });
    const schedule = expandSchedule(s, new Prng(3));
    expect(schedule.length).toBeGreaterThan(10);
    for (const [i, f] of schedule.entries()) {
      expect(f.atMs).toBeLessThan(10_000);
      expect(f.durationMs).toBeGreaterThanOrEqual(100);
      expect(f.durationMs).toBeLessThanOrEqual(300);
      const next = schedule[i + 1];
      if (next !== undefined) expect(next.atMs).toBeGreaterThanOrEqual(f.atMs + f.durationMs + 50);
    }
  });

  it('is a function of the seed, and differs between seeds', () => {
    const s = defineScenario({ name: 'x', nemesis: { packages: ['clock', 'lossy', 'one-way'] } });
    expect(expandSchedule(s, new Prng(9))).toEqual(expandSchedule(s, new Prng(9)));
    expect(expandSchedule(s, new Prng(9))).not.toEqual(expandSchedule(s, new Prng(10)));
  });

  it('uses an explicit schedule exactly as written', () => {
    const schedule = [{ atMs: 5, durationMs: 7, fault: { kind: 'pause' as const, target: 'n2' } }];
    const s = defineScenario({ name: 'x', schedule, nemesis: { packages: ['kill-leader'] } });
    expect(expandSchedule(s, new Prng(1))).toEqual(schedule);
  });

  it('runs no fault when no package is named', () => {
    expect(expandSchedule(defineScenario({ name: 'x' }), new Prng(1))).toEqual([]);
  });

  it('rolling restart kills every member once', () => {
    const s = defineScenario({ name: 'x', cluster: { members: 5 }, workload: { durationMs: 20_000 }, nemesis: { packages: ['rolling-restart'], faultsMax: 5 } });
    const targets = expandSchedule(s, new Prng(2)).map((f) => (f.fault.kind === 'kill' ? f.fault.target : ''));
    expect([...targets].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('swarm draws different packages and knobs per seed and leaves a plain scenario alone', () => {
    const s = defineScenario({ name: 'x', swarm: { enabled: true } });
    const a = drawSwarm(s, new Prng(2));
    const b = drawSwarm(s, new Prng(4));
    expect(a.scenario.nemesis.packages.length).toBeGreaterThan(0);
    // Seed 1 draws a moment shape (snapshot-write-crash): no package, an explicit schedule.
    const moment = drawSwarm(s, new Prng(1)).scenario;
    expect([moment.nemesis.packages, (moment.schedule ?? []).length > 0]).toEqual([[], true]);
    expect(JSON.stringify(a.options)).not.toEqual(JSON.stringify(b.options));
    const plain = defineScenario({ name: 'y' });
    expect(drawSwarm(plain, new Prng(1)).scenario).toBe(plain);
    // The pin test/sim/scenario/fault-kind-added.test.ts holds a table with one more kind to.
    expect(drawnAfterDeclared(40)).toEqual(DRAWN_AFTER_DECLARED_PIN);
  });

  it('swarm checkpoints leases every 1 s: checkpoints are saved within the 3 s run', () => {
    // Before: two thirds of the draws were 200 or 500 ms; a due checkpoint whose remaining TTL,
    // rounded up to seconds, is still the granted TTL is dropped with no next one, so those runs
    // never checkpointed.
    const swarm = defineScenario({ name: 's', swarm: { enabled: true }, workload: { kind: 'etcd', durationMs: 3000 } });
    let checkpointing = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const drawn = drawSwarm(swarm, new Prng(seed));
      const d = drawn.scenario;
      // A focused lease-checkpoint-leader-change run checkpoints every 3 s over 18 s.
      if (!d.cluster.etcd.leaseCheckpointing || drawn.options['focus'] !== undefined) continue;
      checkpointing++;
      expect(d.cluster.etcd.leaseCheckpointIntervalMs, `seed ${seed}`).toBe(1000);
    }
    expect(checkpointing).toBeGreaterThan(10);
  });

  it('an eighth of swarm runs send the auth workload, without the harness watchers (which do not log in)', () => {
    // Before: no swarm run sent auth requests; holdout 13's auth mutants met the one auth scenario only.
    const swarm = defineScenario({ name: 's', swarm: { enabled: true }, workload: { kind: 'etcd' } });
    const auth: number[] = [];
    let roundRobin = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const d = drawSwarm(swarm, new Prng(seed));
      if (d.scenario.workload.kind !== 'auth') continue;
      auth.push(seed);
      expect(d.scenario.clients.watchers, `seed ${seed}`).toBe(false);
      expect(d.options['workloadKind']).toBe('auth');
      expect(d.scenario.workload.durationMs, `seed ${seed}`).toBeGreaterThanOrEqual(6000);
      // Half balance round robin (token-wait-one-short was caught at one seed of 200 with connect "member").
      if (d.scenario.clients.connect === 'round-robin') roundRobin++;
      expect(d.options['connect'], `seed ${seed}`).toBe(d.scenario.clients.connect === 'round-robin' ? 'round-robin' : undefined);
    }
    expect(auth.length).toBeGreaterThan(4);
    expect(auth.length).toBeLessThan(20);
    expect(roundRobin).toBeGreaterThan(0);
    expect(roundRobin).toBeLessThan(auth.length);
  });

  it('a third of the swarm runs that send the whole KV API send the wide one (range filters, sorts), only with the etcd workload', () => {
    // Before: only kv-api-wide sent them, and holdout 17's max-create-filter-exclusive passed swarm 1..200.
    const swarm = defineScenario({ name: 's', swarm: { enabled: true }, workload: { kind: 'etcd' } });
    const apis = new Map<string, number>();
    for (let seed = 1; seed <= 120; seed++) {
      const d = drawSwarm(swarm, new Prng(seed));
      const api = d.scenario.workload.api;
      apis.set(api, (apis.get(api) ?? 0) + 1);
      expect(d.options['api'], `seed ${seed}`).toBe(api);
      if (api === 'wide') expect(d.scenario.workload.kind, `seed ${seed}`).toBe('etcd');
    }
    expect(apis.get('wide') ?? 0).toBeGreaterThan(10);
    expect(apis.get('full') ?? 0).toBeGreaterThan(apis.get('wide') ?? 0);
  });

  it('a sixth of the etcd workload\'s swarm runs focus on one shape only a named scenario reached, with its few packages and knobs', () => {
    // Before: a swarm run drew about a dozen packages and no lease workload; swarm 1..200 caught
    // none of the mutants snapshot-ack-crash, deposed-lessor, lease-checkpoint-leader-change and
    // conf-change-slow-apply catch (holdouts 12-14).
    const swarm = defineScenario({ name: 's', swarm: { enabled: true }, workload: { kind: 'etcd' } });
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= 200; seed++) {
      const d = drawSwarm(swarm, new Prng(seed));
      const focus = d.options['focus'] as string | undefined;
      if (focus === undefined) continue;
      seen.set(focus, (seen.get(focus) ?? 0) + 1);
      const s = d.scenario;
      const at = `seed ${seed} ${focus}`;
      expect(s.cluster.members, at).toBe(focus === 'snapshot-pipeline' || focus === 'prevote-rollout' ? 5 : 3);
      if (focus === 'leader-cut-at-election') {
        // Moment shapes (twenty-first session): what only named scenarios drew.
        const faults = expandSchedule(s, new Prng(1)).map((f) => f.fault);
        expect(faults.length, at).toBe(16);
        expect(faults.filter((f) => f.kind === 'one-way' && f.after === 'elected' && f.target === 'n1').length, at).toBe(8);
        expect([s.cluster.raft.tickMs, s.cluster.raft.electionTicks, s.cluster.raft.checkQuorum, s.nemesis.packages], at).toEqual([10, 10, true, []]);
      } else if (focus === 'snapshot-write-crash') {
        const faults = expandSchedule(s, new Prng(1)).map((f) => f.fault);
        expect(faults.filter((f) => f.kind === 'kill' && f.after === 'snapshot-written' && f.target === 'all').length, at).toBe(4);
        expect(faults.filter((f) => f.kind === 'membership' && f.action === 'replace').length, at).toBe(4);
        expect([s.network.fsyncUsMin, s.network.fsyncUsMax, s.workload.rateOpsPerSecond], at).toEqual([4000, 12_000, 400]);
      } else if (focus === 'snapshot-pipeline') {
        expect([s.nemesis.packages, s.cluster.etcd.snapshotCount, s.cluster.etcd.snapshotCatchUpEntries, s.network.snapshotDelayUsMax, s.network.snapshotDuplicatePercent], at).toEqual([['lagging-member'], 5, 0, 300_000, 100]);
      } else if (focus === 'snapshot-ack-crash') {
        expect([s.nemesis.packages, s.cluster.etcd.snapshotCount, s.cluster.etcd.snapshotCatchUpEntries], at).toEqual([['crash-after-snapshot-ack', 'buggify'], 50, 10]);
      } else if (focus === 'deposed-lessor') {
        expect([s.workload.kind, s.nemesis.packages, s.nemesis.faultsMax, s.nemesis.faultDurationMs], at).toEqual(['lease', ['partition-leader'], 1, { min: 4000, max: 6500 }]);
        expect(s.checkers, at).not.toContain('linearizable');
      } else if (focus === 'lease-checkpoint-leader-change') {
        expect([s.workload.kind, s.cluster.etcd.leaseCheckpointing, s.cluster.etcd.leaseCheckpointIntervalMs, s.nemesis.packages, s.workload.mix], at).toEqual(['lease', true, 3000, ['move-leader'], { keepalive: 5 }]);
        expect(expandSchedule(s, new Prng(1)).map((f) => [f.atMs, f.fault.kind]), at).toEqual([[8000, 'move-leader']]);
      } else if (focus === 'lease-checkpoint-restart') {
        // Every member of a checkpointing lease run killed at once, snapshots every 20 entries: restore-forgets-checkpoints, missed by swarm 1..200 before.
        expect([s.workload.kind, s.cluster.etcd.leaseCheckpointing, s.cluster.etcd.leaseCheckpointIntervalMs, s.cluster.etcd.snapshotCount, s.nemesis.packages, s.workload.mix], at).toEqual(['lease', true, 3000, 20, [], { keepalive: 5 }]);
        expect(expandSchedule(s, new Prng(1)).map((f) => [f.atMs, f.durationMs, f.fault]), at).toEqual([[8000, 300, { kind: 'kill', target: 'all' }]]);
        expect(s.checkers, at).toEqual(['lease', 'convergence', 'raft']);
      } else if (focus === 'lease-failed-transfer') {
        // Leases left to expire while failed transfers drop their revokes: revoke-never-retried, missed by swarm 1..200 before.
        expect([s.workload.kind, s.workload.leaseTtlSeconds, s.workload.mix?.['keepalive'], s.nemesis.packages, s.nemesis.faultsMax, s.workload.durationMs], at).toEqual(['lease', 3, 0, ['failed-transfer'], 4, 24_000]);
        expect(s.checkers, at).toEqual(['lease', 'convergence', 'raft']);
      } else if (focus === 'prevote-rollout') {
        // PreVote off at the start, each member restarted with it on, then a partition (twenty-third session; holdout 19's stale-prevote-unanswered).
        expect([s.cluster.raft.preVote, s.cluster.raft.tickMs, s.cluster.raft.electionTicks, s.nemesis.packages], at).toEqual([false, 10, 10, ['prevote-rollout']]);
        const faults = expandSchedule(s, new Prng(1)).map((f) => f.fault);
        expect(faults.filter((f) => f.kind === 'kill' && f.restartWith?.preVote === true).length, at).toBeGreaterThan(0);
      } else {
        expect(focus).toBe('conf-change-slow-apply');
        expect([s.cluster.raft.tickMs, s.cluster.raft.electionTicks, s.nemesis.packages.filter((p) => p === 'slow-disk').length], at).toEqual([10, 10, 2]);
        expect(s.nemesis.packages, at).toContain('membership');
      }
    }
    expect([...seen.keys()].sort()).toEqual([
      'conf-change-slow-apply', 'deposed-lessor', 'leader-cut-at-election', 'lease-checkpoint-leader-change', 'lease-checkpoint-restart', 'lease-failed-transfer',
      'prevote-rollout', 'snapshot-ack-crash', 'snapshot-pipeline', 'snapshot-write-crash',
    ]);
    const focused = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(focused).toBeGreaterThan(30);
    expect(focused).toBeLessThan(70);
  });

  it('swarm grants leases short enough to expire within the run in some seeds, and makes every kill of some seeds tear', () => {
    // Before: every swarm lease lived 7,200 s and only the torn-writes package's kills tore a
    // record (coverage of 300 seeds: lease-expired and torn-write-recovered never reached).
    const swarm = defineScenario({ name: 's', swarm: { enabled: true }, workload: { kind: 'etcd' } });
    let short = 0;
    let tornRuns = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const d = drawSwarm(swarm, new Prng(seed)).scenario;
      const ttl = d.workload.leaseTtlSeconds;
      // (A focused lease shape names its lease workload's own longest TTL.)
      if (ttl !== swarm.workload.leaseTtlSeconds && d.workload.kind === 'etcd') {
        short++;
        expect(ttl).toBe(Math.max(2, minLeaseTtlSeconds(d.cluster.raft.electionTicks, d.cluster.raft.tickMs)));
        expect(d.workload.durationMs).toBeGreaterThanOrEqual(2 * ttl * 1000 + 1000);
      }
      const kills = expandSchedule(d, new Prng(seed)).filter((t) => t.fault.kind === 'kill');
      if (d.nemesis.tornKills) {
        tornRuns++;
        for (const k of kills) expect(k.fault).toMatchObject({ tornWrites: true });
      }
    }
    expect(short).toBeGreaterThan(5);
    expect(tornRuns).toBeGreaterThan(15);
    // Named scenarios keep their kills as drawn: clean unless the package tears.
    const plain = defineScenario({ name: 'k', workload: { durationMs: 10_000 }, nemesis: { packages: ['kill-random'] } });
    expect(plain.nemesis.tornKills).toBe(false);
    expect(expandSchedule(plain, new Prng(1)).every((t) => t.fault.kind !== 'kill' || t.fault.tornWrites !== true)).toBe(true);
    const torn = defineScenario({ name: 'k', workload: { durationMs: 10_000 }, nemesis: { packages: ['kill-random'], tornKills: true } });
    const tornKills = expandSchedule(torn, new Prng(1));
    expect(tornKills.length).toBeGreaterThan(0);
    expect(tornKills.every((t) => t.fault.kind === 'kill' && t.fault.tornWrites === true)).toBe(true);
  });

  it('swarm draws the workload knobs (watch rotation, op mix, compaction revision) and keeps the election timeout at least 10 one-way latencies, the liveness budget 20 election timeouts', () => {
    const s = defineScenario({ name: 'x', swarm: { enabled: true } });
    const drawn = Array.from({ length: 200 }, (_, seed) => drawSwarm(s, new Prng(seed)).scenario);
    expect(drawn.filter((d) => d.clients.watchRotateMs > 0).length).toBeGreaterThan(30);
    expect(drawn.filter((d) => d.workload.mix !== undefined).length).toBeGreaterThan(30);
    expect(drawn.filter((d) => d.workload.compactionRevision === 'newest').length).toBeGreaterThan(30);
    for (const d of drawn) {
      const r = d.cluster.raft;
      expect(r.tickMs * r.electionTicks * 1000, JSON.stringify(r)).toBeGreaterThanOrEqual(10 * d.network.latencyUsMax);
      expect(d.liveness.budgetMs, JSON.stringify(r)).toBeGreaterThanOrEqual(20 * r.tickMs * r.electionTicks);
      // Every drawn scenario is one the schema accepts (a mix that leaves an op in, ticks in range).
      expect(() => defineScenario(d)).not.toThrow();
    }
  });

  it('swarm draws the shapes once only named scenarios reached: short progress-notify intervals, even clusters, the read-mostly mix, snapshots on a slow connection, cut-then-pause', () => {
    const s = defineScenario({ name: 'x', swarm: { enabled: true } });
    const drawn = Array.from({ length: 300 }, (_, seed) => drawSwarm(s, new Prng(seed)).scenario);
    const count = (f: (d: (typeof drawn)[number]) => boolean): number => drawn.filter(f).length;
    expect(count((d) => d.cluster.etcd.progressNotifyIntervalMs <= 250)).toBeGreaterThan(60);
    expect(count((d) => d.cluster.members === 4)).toBeGreaterThan(20);
    expect(count((d) => d.workload.mix?.['put'] === 3 && d.workload.mix['delete'] === 0)).toBeGreaterThan(20);
    expect(count((d) => d.network.snapshotDelayUsMax > 0)).toBeGreaterThan(20);
    expect(count((d) => d.nemesis.packages.includes('cut-then-pause'))).toBeGreaterThan(60);
    // Figure 8 keeps its five members; an even cluster replaces only the scenario's three.
    for (const d of drawn) if (d.nemesis.packages.includes('figure8')) expect(d.cluster.members).toBe(5);
  });
});
