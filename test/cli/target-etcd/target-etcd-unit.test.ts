// The real-etcd target's pure parts, without etcd: detcd-owned names and how leftovers are
// recognised, the faults refused before a run starts, the nemesis's world over the cluster (what
// each capability becomes, what it refuses), the nftables rules a fault set becomes, and which
// known bugs a version has.
import { describe, expect, it } from 'vitest';
import { knownBugsOf, mitigatedScenario, PAST_RANGE_TXN } from '../../../sim/cli/target-etcd/known-bugs.ts';
import { ownerOfLink, ownerOfNetns, runNames } from '../../../sim/cli/target-etcd/names.ts';
import { healedPairs, namespacesAvailable, nftRules, severedPairs, type NetworkFaults } from '../../../sim/cli/target-etcd/network.ts';
import { thinTraffic } from '../../../sim/cli/target-etcd/thin-traffic.ts';
import { quorumAvailableUs } from '../../../sim/cli/target-etcd/quorum-time.ts';
import type { RealCluster } from '../../../sim/cli/target-etcd/real-cluster.ts';
import { RealNemesisWorld } from '../../../sim/cli/target-etcd/real-nemesis-world.ts';
import { refusal } from '../../../sim/cli/target-etcd/refusals.ts';
import { drawRealSwarm } from '../../../sim/cli/target-etcd/real-swarm.ts';
import { drawDifference } from '../../../sim/cli/target-etcd/replay-draw.ts';
import { notApplied } from '../../../sim/cli/target-etcd/etcd-own-settings.ts';
import { runRealEtcd } from '../../../sim/cli/target-etcd/real-run.ts';
import { UsageError } from '../../../sim/cli/errors.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { drawSwarm } from '../../../sim/nemesis/swarm.ts';
import { expandSchedule } from '../../../sim/nemesis/schedule.ts';
import { UNINJECTABLE } from '../../../sim/cli/target-etcd/uninjectable.ts';
import type { TimedFault } from '../../../sim/scenario/fault.ts';
import { defineScenario, parseScenario } from '../../../sim/scenario/parse.ts';
import { Prng } from '../../../sim/world/prng.ts';

const scenario = (extra: Record<string, unknown> = {}) => parseScenario({ name: 'x', ...extra }, 'test.json');
const at = (fault: TimedFault['fault']): TimedFault => ({ atMs: 100, durationMs: 500, fault });

describe('names', () => {
  it('every name carries its owner, fits an interface name, and parses back', () => {
    const n = runNames(4_194_303);
    expect(n.bridge.length).toBeLessThanOrEqual(15);
    expect(n.veth(9).length).toBeLessThanOrEqual(15);
    expect(ownerOfNetns(n.netns(3))).toBe(4_194_303);
    expect(ownerOfLink(n.bridge)).toBe(4_194_303);
    expect(ownerOfLink(n.veth(2))).toBe(4_194_303);
  });

  it('names detcd did not make are never claimed', () => {
    for (const name of ['eth0', 'docker0', 'detcd', 'detcd-x-n1', 'my-detcd-1-n1', 'detcd-12-n1-extra']) expect(ownerOfNetns(name)).toBeUndefined();
    for (const name of ['eth0', 'docker0', 'dtb', 'dtv12', 'dtb-1', 'dtvabcn', 'xdtb12', 'dtb12.100']) expect(ownerOfLink(name)).toBeUndefined();
  });
});

describe('refusals', () => {
  it('refuses each fault a real cluster cannot suffer, naming the fault and the target', () => {
    const cases: [TimedFault['fault'], RegExp][] = [
      [{ kind: 'clock-skew', target: 'leader', offsetMs: 100 }, /clock skew leader 100 ms.*target etcd/],
      [{ kind: 'clock-jump', target: 'n1', jumpMs: -5 }, /clock jump/],
      [{ kind: 'clock-drift', target: 'n1', driftPpm: 5 }, /clock drift/],
      [{ kind: 'kill', target: 'leader', tornWrites: true }, /torn writes/],
      [{ kind: 'slow-disk', target: 'n2', fsyncMs: 50 }, /slow disk/],
      [{ kind: 'buggify' }, /buggify/],
      [{ kind: 'figure8', crashDelayMs: 10 }, /figure 8/],
      [{ kind: 'membership', action: 'replace', target: 'n1' }, /membership/],
      [{ kind: 'lossy', dropPercent: 5, duplicatePercent: 5 }, /only random drops/],
    ];
    for (const [fault, re] of cases) expect(refusal(scenario(), [at(fault)], 'netns')).toMatch(re);
  });

  it('accepts kills, pauses, partitions, one-way cuts, clogs and random loss with namespaces', () => {
    const ok: TimedFault['fault'][] = [
      { kind: 'kill', target: 'leader' },
      { kind: 'pause', target: 'follower' },
      { kind: 'partition', shape: 'halves' },
      { kind: 'one-way', target: 'leader', direction: 'in' },
      { kind: 'clog', target: 'n1' },
      { kind: 'lossy', dropPercent: 10 },
    ];
    expect(refusal(scenario(), ok.map(at), 'netns')).toBeUndefined();
  });

  it('refuses the auth workload (the real liveness probes do not log in), naming the field', () => {
    expect(refusal({ ...scenario(), workload: { ...scenario().workload, kind: 'auth' } }, [], 'netns')).toMatch(/^workload\.kind 'auth' cannot run on target etcd/);
  });

  it('without namespaces, network faults are refused and process faults still run', () => {
    expect(refusal(scenario(), [at({ kind: 'partition', shape: 'halves' })], 'loopback')).toMatch(/network namespaces/);
    expect(refusal(scenario(), [at({ kind: 'kill', target: 'leader' }), at({ kind: 'pause', target: 'n2' })], 'loopback')).toBeUndefined();
  });
});

describe('swarm testing on a real target', () => {
  const swarm = loadScenario('swarm').scenario;
  const runs = (seed: number, mode: 'netns' | 'loopback', draw: typeof drawRealSwarm): string | undefined => {
    const root = new Prng(seed);
    const { scenario: s } = draw(swarm, root.fork('swarm'), mode);
    return refusal(s, expandSchedule(s, root.fork('nemesis-schedule')), mode);
  };

  it('every seed of 1..100 runs, with namespaces and without (the simulation\'s draw: nearly every seed is refused)', () => {
    const seeds = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(seeds.filter((seed) => runs(seed, 'netns', (s, p) => drawSwarm(s, p)) === undefined).length).toBeLessThan(5);
    for (const mode of ['netns', 'loopback'] as const) expect(seeds.filter((seed) => runs(seed, mode, drawRealSwarm) !== undefined), mode).toEqual([]);
  });

  it('a focused seed with its own schedule (lease-checkpoint-restart, swarm 65) runs it and is drawn no package', () => {
    const real = drawRealSwarm(swarm, new Prng(65).fork('swarm'), 'netns');
    expect([real.options['focus'], real.scenario.nemesis.packages, real.options['packages']]).toEqual(['lease-checkpoint-restart', [], []]);
    expect(real.scenario.schedule).toEqual([{ atMs: 8000, durationMs: 300, fault: { kind: 'kill', target: 'all' } }]);
  });

  it('a seed keeps every knob and injectable package it drew, and lists what it left out', () => {
    let kept = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sim = drawSwarm(swarm, new Prng(seed).fork('swarm'));
      const real = drawRealSwarm(swarm, new Prng(seed).fork('swarm'), 'netns');
      const packages = real.scenario.nemesis.packages;
      const left = (real.options['leftOut'] ?? []) as string[];
      for (const p of sim.scenario.nemesis.packages) expect(packages.includes(p) !== left.includes(p), `seed ${seed} ${p}`).toBe(true);
      if (packages.every((p) => sim.scenario.nemesis.packages.includes(p))) kept++;
      // The real target runs no auth workload: a seed that drew it sends its etcd traffic.
      const authDrawn = sim.scenario.workload.kind === 'auth';
      expect(real.scenario.workload).toEqual(authDrawn ? { ...sim.scenario.workload, kind: 'etcd' } : sim.scenario.workload);
      if (authDrawn) expect(left).toContain('workload.kind auth');
      // Nor does it balance the auth run's clients round robin: the seed's etcd traffic connects as the scenario says.
      if (authDrawn) expect(real.scenario.clients.connect, `seed ${seed}`).toBe(swarm.clients.connect);
      expect(real.scenario.cluster.members).toBe(sim.scenario.cluster.members);
      expect(real.scenario.cluster.raft.tickMs).toBe(sim.scenario.cluster.raft.tickMs);
      expect(real.scenario.network.dropPercent).toBe(sim.scenario.network.dropPercent);
      expect([real.scenario.network.duplicatePercent, real.scenario.network.reorderPercent, real.scenario.cluster.raft.checkQuorum]).toEqual([0, 0, true]);
      if (sim.scenario.network.duplicatePercent > 0) expect(left).toContain(`network.duplicatePercent ${sim.scenario.network.duplicatePercent}`);
      if (!sim.scenario.cluster.raft.checkQuorum) expect(left).toContain('raft.checkQuorum false');
    }
    // Most seeds drew an injectable package; the others got one drawn for them.
    expect(kept).toBeGreaterThan(30);
  });

  it('a setting the target does not apply runs as etcd has it: the scenario as run holds etcd\'s, and leftOut names what the seed drew', () => {
    // What a real member takes from the scenario (real-cluster.ts: etcd's flags); every other
    // member setting is etcd's own, so a knob the swarm draws there must show as left out.
    const applied = { etcd: ['snapshotCount', 'progressNotifyIntervalMs'], raft: ['tickMs', 'electionTicks', 'heartbeatTicks', 'preVote'] };
    const defaults = scenario().cluster;
    for (let seed = 1; seed <= 200; seed++) {
      const sim = drawSwarm(swarm, new Prng(seed).fork('swarm'));
      const real = drawRealSwarm(swarm, new Prng(seed).fork('swarm'), 'netns');
      const left = (real.options['leftOut'] ?? []) as string[];
      for (const part of ['etcd', 'raft'] as const) {
        for (const [key, value] of Object.entries(defaults[part])) {
          if (applied[part].includes(key)) continue;
          expect((real.scenario.cluster[part] as Record<string, unknown>)[key], `seed ${seed} cluster.${part}.${key}`).toEqual(value);
          const drawn = (sim.scenario.cluster[part] as Record<string, unknown>)[key];
          const named = left.some((l) => l.includes(key) || (key.startsWith('leaseCheckpoint') && l.includes('leaseCheckpointing')));
          if (drawn !== value && !(part === 'raft' && key === 'checkQuorum')) expect(named, `seed ${seed} drew cluster.${part}.${key} ${String(drawn)}: ${left.join('; ')}`).toBe(true);
        }
      }
      expect([real.scenario.network.snapshotDelayUsMax, real.scenario.network.snapshotDuplicatePercent], `seed ${seed}`).toEqual([0, 0]);
      if (sim.scenario.network.snapshotDelayUsMax > 0) expect(left).toContain(`network.snapshotDelayUsMax ${sim.scenario.network.snapshotDelayUsMax}`);
      expect(left.some((l) => l.startsWith('network latency ')), `seed ${seed}`).toBe(true);
    }
  });

  it('a replay runs the draw the run recorded or is refused before anything starts, naming where the draws part', async () => {
    // Recorded with namespaces (as root); replayed without: the swarm would keep no network fault.
    // (Seed 560 was this test's until the swarm focused it on one graceful leader move, which both modes inject.)
    const seed = 561;
    const root = new Prng(seed);
    const { scenario: s, options } = drawRealSwarm(swarm, root.fork('swarm'), 'netns');
    const recordedOptions = { ...options, schedule: expandSchedule(s, root.fork('nemesis-schedule')), expect: s.expect };
    const replay = runRealEtcd(swarm, seed, { replay: 'x', loopback: true, binary: '/nonexistent/etcd', recordedOptions });
    await expect(replay).rejects.toThrow(/^the replay would not run what ran: seed 561 draws another run here \(options\.\S+: recorded .*, now .*\); without network namespaces \(run as root\) the swarm keeps no network fault$/);
    await expect(replay).rejects.toBeInstanceOf(UsageError);
    // The same draw goes on to run (here: to the binary, which does not run).
    const netns = runRealEtcd(swarm, seed, { replay: 'x', binary: '/nonexistent/etcd', recordedOptions: { ...recordedOptions, leftOut: ['words of another build'] } });
    if (namespacesAvailable()) await expect(netns).rejects.toThrow(/^--etcd \/nonexistent\/etcd: cannot run it/);
    else await expect(netns).rejects.toThrow(/would not run what ran/);
  });

  it('the member settings real etcd does not take are named with the value that ran', () => {
    expect(notApplied(scenario())).toEqual([
      "cluster.etcd.snapshotCatchUpEntries 100: etcd's 5000 ran (a constant of etcd's build)",
      "cluster.raft.inflightMsgsMax 256: etcd's 512 ran (a constant of etcd's build)",
    ]);
    const trickle = scenario({ cluster: { etcd: { watchStreamBuffer: 1, snapshotCatchUpEntries: 5000, leaseCheckpointing: true }, raft: { inflightMsgsMax: 512 } }, network: { snapshotDelayUsMax: 300_000 } });
    expect(notApplied(trickle)).toEqual([
      "cluster.etcd.watchStreamBuffer 1: etcd's 128 ran (a constant of etcd's build)",
      "cluster.etcd.leaseCheckpointing true: etcd's false ran (etcd 3.4 sets no checkpoint interval: every 5 min)",
      "network.snapshotDelayUsMax 300000: etcd's 0 ran (snapshots go over the members' own connections)",
    ]);
    // The swarm's draw already runs etcd's own: only the two defaults every scenario has are left.
    for (let seed = 1; seed <= 50; seed++) expect(notApplied(drawRealSwarm(swarm, new Prng(seed).fork('swarm'), 'netns').scenario), `seed ${seed}`).toHaveLength(2);
  });

  it('where two draws part: the first field, element or value that differs', () => {
    expect(drawDifference({ a: [1, 2], b: { c: 3 } }, { a: [1, 2], b: { c: 3 } })).toBeUndefined();
    expect(drawDifference({ packages: ['kill-leader'] }, { packages: ['kill-leader', 'clog'] })).toBe('options.packages[1]: recorded absent, now "clog"');
    expect(drawDifference({ raft: { tickMs: 100 } }, { raft: { tickMs: 50 } })).toBe('options.raft.tickMs: recorded 100, now 50');
    expect(drawDifference({ x: 1, y: undefined }, { x: 1 })).toBeUndefined();
  });

  it('without namespaces, a seed keeps only process faults and drops no messages', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { scenario: s } = drawRealSwarm(swarm, new Prng(seed).fork('swarm'), 'loopback');
      expect(s.network.dropPercent, `seed ${seed}`).toBe(0);
      for (const p of s.nemesis.packages) expect(p, `seed ${seed}`).not.toMatch(/partition|one-way|clog|lagging/);
    }
  });
});

/** A RealCluster without processes or namespaces: it records what the world asks of it. */
function recordingCluster(calls: string[]): RealCluster {
  const members = ['n1', 'n2', 'n3'];
  return {
    options: { scenario: scenario({ network: { dropPercent: 3 } }), clock: { nowUs: () => 7, at: (t: number) => calls.push(`at ${t}`) } },
    memberIds: () => members,
    urls: new Map(members.map((m) => [m, `http://${m}`])),
    poller: { leader: () => 'n2', status: (n: string) => (n === 'n2' ? { isLeader: true, term: 4, revision: 9 } : undefined) },
    network: {
      setCuts: (cuts: unknown) => calls.push(`cuts ${JSON.stringify(cuts)}`),
      setDropPercent: (p: number) => calls.push(`drop ${p}`),
      setClogged: (i: number, on: boolean) => calls.push(`clog ${i} ${on}`),
    },
    member: (name: string) => ({ spec: { index: Number(name.slice(1)) }, pause: () => calls.push(`pause ${name}`), resume: () => calls.push(`resume ${name}`) }),
    kill: (name: string) => calls.push(`kill ${name}`),
    restart: (name: string) => calls.push(`restart ${name}`),
    pause: (name: string) => calls.push(`pause ${name}`),
    resume: (name: string) => calls.push(`resume ${name}`),
  } as unknown as RealCluster;
}

describe("the nemesis's world over real processes", () => {
  it('each capability it has becomes a signal, a rule or a read of the status poller', () => {
    const calls: string[] = [];
    const w = new RealNemesisWorld(recordingCluster(calls));
    expect([w.nowUs(), w.members(), w.leader(), w.raftStatus('n2'), w.raftStatus('n1')]).toEqual([7, ['n1', 'n2', 'n3'], 'n2', { isLeader: true, term: 4 }, undefined]);
    w.at(100, () => undefined);
    w.setCuts([['n1', 'n2'], ['client-1', 'n3'], ['n3', 'n1']]);
    w.setLossy({ dropPercent: 20, duplicatePercent: 0, reorderPercent: 0, delayMsMax: 0 });
    w.setLossy(undefined);
    w.clog('n3');
    w.unclog('n3');
    w.crash('n1', false);
    w.restart('n1');
    w.pause('n2');
    w.resume('n2');
    w.clockReset('n1');
    w.setFsyncLatency('n1', undefined);
    w.buggify(false);
    expect(calls).toEqual([
      'at 100', 'cuts [{"from":1,"to":2},{"from":3,"to":1}]', 'drop 20', 'drop 3', 'clog 3 true', 'clog 3 false', 'kill n1', 'restart n1', 'pause n2', 'resume n2',
    ]);
  });

  it('each capability it lacks throws one line naming the target and the reason refusals give before a run', () => {
    const calls: string[] = [];
    const w = new RealNemesisWorld(recordingCluster(calls));
    const cases: [() => unknown, string][] = [
      [() => w.crash('n1', true), UNINJECTABLE['torn-writes']],
      [() => w.crashAfter('n1', 'vote', false, () => undefined), UNINJECTABLE['crash-after']],
      [() => w.clockOffset('n1', 5), UNINJECTABLE.clock],
      [() => w.clockJump('n1', 5), UNINJECTABLE.clock],
      [() => w.clockDrift('n1', 5), UNINJECTABLE.clock],
      [() => w.setFsyncLatency('n1', 50_000), UNINJECTABLE['slow-disk']],
      [() => w.membership('replace', 'n1'), UNINJECTABLE.membership],
      [() => w.setRaftSettings('n1', { preVote: true }), UNINJECTABLE['raft-settings']],
      [() => w.memberOperators(2, 300_000, new Prng(1)), UNINJECTABLE['member-api']],
      [() => w.buggify(true), UNINJECTABLE.buggify],
      [() => w.setLossy({ dropPercent: 5, duplicatePercent: 5, reorderPercent: 0, delayMsMax: 0 }), UNINJECTABLE['lossy-shape']],
    ];
    for (const [call, why] of cases) {
      expect(call).toThrow(/^real etcd target: .* cannot be injected: /);
      expect(call).toThrow(why);
    }
    expect(calls).toEqual([]);
    for (const [fault, why] of [
      [{ kind: 'kill', target: 'leader', tornWrites: true }, UNINJECTABLE['torn-writes']],
      [{ kind: 'kill', target: 'leader', after: 'vote' }, UNINJECTABLE['crash-after']],
      [{ kind: 'clock-drift', target: 'n1', driftPpm: 5 }, UNINJECTABLE.clock],
      [{ kind: 'slow-disk', target: 'n2', fsyncMs: 50 }, UNINJECTABLE['slow-disk']],
      [{ kind: 'membership', action: 'replace', target: 'n1' }, UNINJECTABLE.membership],
      [{ kind: 'kill', target: 'n1', restartWith: { preVote: true } }, UNINJECTABLE['raft-settings']],
      [{ kind: 'member-api', operators: 2 }, UNINJECTABLE['member-api']],
      [{ kind: 'buggify' }, UNINJECTABLE.buggify],
      [{ kind: 'figure8', crashDelayMs: 10 }, UNINJECTABLE.figure8],
      [{ kind: 'lossy', dropPercent: 5, delayMsMax: 10 }, UNINJECTABLE['lossy-shape']],
    ] as [TimedFault['fault'], string][]) {
      expect(refusal(scenario(), [at(fault)], 'netns')).toContain(why);
    }
  });
});

describe('nftables rules', () => {
  it('a cut drops its source on the receiving side only; clog drops everything but loopback; loss spares the clients', () => {
    const n = runNames(4242);
    const faults: NetworkFaults = { cuts: [{ from: 1, to: 2 }], clogged: new Set(), dropPercent: 0 };
    expect(nftRules(n, 2, faults)).toContain(`ip saddr ${n.memberIp(1)} drop`);
    expect(nftRules(n, 1, faults)).not.toContain('drop');
    faults.clogged.add(3);
    expect(nftRules(n, 3, faults)).toMatch(/iifname != "lo" drop[\s\S]*oifname != "lo" drop/);
    faults.dropPercent = 20;
    expect(nftRules(n, 1, faults)).toContain(`ip saddr != ${n.hostIp} iifname != "lo" numgen random mod 100 < 20 drop`);
  });
});

describe('a heal resets the healed members\' connections', () => {
  it('the pairs a fault set severs, either direction: cuts, a clogged member with every other, total loss; and which a change heals', () => {
    const none: NetworkFaults = { cuts: [], clogged: new Set(), dropPercent: 0 };
    const isolate: NetworkFaults = { cuts: [{ from: 1, to: 2 }, { from: 2, to: 1 }, { from: 1, to: 3 }, { from: 3, to: 1 }], clogged: new Set(), dropPercent: 0 };
    const oneWay: NetworkFaults = { cuts: [{ from: 3, to: 2 }], clogged: new Set(), dropPercent: 0 };
    expect([...severedPairs(3, isolate)].sort()).toEqual(['1-2', '1-3']);
    expect([...severedPairs(3, oneWay)]).toEqual(['2-3']);
    expect([...severedPairs(3, { ...none, clogged: new Set([2]) })].sort()).toEqual(['1-2', '2-3']);
    expect([...severedPairs(3, { ...none, dropPercent: 100 })].sort()).toEqual(['1-2', '1-3', '2-3']);
    expect([...severedPairs(3, { ...none, dropPercent: 30 })]).toEqual([]);
    // Healing the isolation resets both of its pairs; moving to a one-way cut resets the two it left.
    expect(healedPairs(severedPairs(3, isolate), severedPairs(3, none)).sort()).toEqual(['1-2', '1-3']);
    expect(healedPairs(severedPairs(3, isolate), severedPairs(3, { ...isolate, cuts: isolate.cuts.slice(0, 2) }))).toEqual(['1-3']);
    expect(healedPairs(severedPairs(3, none), severedPairs(3, oneWay))).toEqual([]);
  });
});

describe('a real run\'s verdict on thin traffic', () => {
  const sc = (extra: Record<string, unknown> = {}) => defineScenario({ name: 'thin', workload: { kind: 'etcd', rateOpsPerSecond: 300, durationMs: 3000, ...extra } });
  it('unknown, saying why, under workload.okOpsMin or under a tenth of what the workload offered (rate over duration)', () => {
    expect(thinTraffic(sc(), { ok: 93, fail: 2, info: 18 })).toBeUndefined();
    expect(thinTraffic(sc(), { ok: 45, fail: 2, info: 30 })).toMatch(/45 ok ops, under a tenth of the 900 the workload offered \(300\/s for 3000 ms; 30 outcome unknown \(timeouts\), 2 failed\)/);
    expect(thinTraffic(sc(), { ok: 18, fail: 0, info: 22 })).toMatch(/18 ok ops < workload.okOpsMin 20/);
    // A slow workload offers little: its own okOpsMin decides.
    expect(thinTraffic(sc({ rateOpsPerSecond: 50, durationMs: 2000, okOpsMin: 5 }), { ok: 10, fail: 0, info: 0 })).toBeUndefined();
    expect(thinTraffic(sc({ okOpsMin: 0 }), { ok: 89, fail: 0, info: 0 })).toMatch(/under a tenth of the 900/);
    expect(thinTraffic(sc({ okOpsMin: 0 }), { ok: 90, fail: 0, info: 0 })).toBeUndefined();
  });

  it('judged against the time the cluster could serve: a quorum up and connected, with an elected leader', () => {
    const us = (ms: number) => ms * 1000;
    // Single-member-crash's shape: the member down or restarting 2.4 s of 3 s; 34 ok ops in the 0.6 s it served.
    const downMostly = { trafficUs: us(3000), quorumUs: us(700), ledUs: us(600) };
    expect(thinTraffic(sc(), { ok: 34, fail: 0, info: 16 }, downMostly)).toBeUndefined();
    // Its okOpsMin still holds, and says how long the cluster could serve.
    expect(thinTraffic(sc(), { ok: 12, fail: 0, info: 16 }, downMostly)).toMatch(/12 ok ops < workload.okOpsMin 20 \(16 outcome unknown \(timeouts\), 0 failed; a quorum of members was up, serving and connected 700 of the traffic's 3000 ms, with an elected leader 600 ms\)/);
    // A cluster that could serve the whole run and served little: unknown, and it says it could serve.
    expect(thinTraffic(sc(), { ok: 60, fail: 0, info: 40 }, { trafficUs: us(3000), quorumUs: us(3000), ledUs: us(2900) })).toMatch(/60 ok ops, under a tenth of the 870 the workload offered while the cluster could serve \(300\/s for 2900 ms; .*\): the real cluster could serve and served too little/);
    // On a loaded machine it says so.
    expect(thinTraffic(sc(), { ok: 60, fail: 0, info: 40 }, { trafficUs: us(3000), quorumUs: us(3000), ledUs: us(2900), loadPerCore: 15.2 })).toMatch(/with an elected leader 2900 ms; the machine's load average was 15\.2 per core: its members answered slowly/);
    // Elections are the cluster's own: a run between leaders most of the time could serve little.
    expect(thinTraffic(sc(), { ok: 60, fail: 0, info: 40 }, { trafficUs: us(3000), quorumUs: us(3000), ledUs: us(1000) })).toBeUndefined();
    // Without the leaders' word (its record cut short) the quorum's time decides; without either, the whole run.
    expect(thinTraffic(sc(), { ok: 60, fail: 0, info: 40 }, { trafficUs: us(3000), quorumUs: us(3000), ledUs: undefined })).toMatch(/under a tenth of the 900 the workload offered while/);
    expect(thinTraffic(sc(), { ok: 60, fail: 0, info: 40 }, { trafficUs: us(3000), quorumUs: undefined, ledUs: undefined })).toMatch(/under a tenth of the 900 the workload offered \(300\/s for 3000 ms/);
  });
});

describe('how long a real cluster could serve', () => {
  const three = ['n1', 'n2', 'n3'];
  it('a quorum: some member up that reaches enough up members both ways', () => {
    expect(quorumAvailableUs(three, [], [], 0, 1000)).toBe(1000);
    // One member down: the other two still make a quorum; two down: none.
    expect(quorumAvailableUs(three, [{ member: 'n1', fromUs: 100, toUs: 900 }], [], 0, 1000)).toBe(1000);
    expect(quorumAvailableUs(three, [{ member: 'n1', fromUs: 100, toUs: 900 }, { member: 'n2', fromUs: 300, toUs: Infinity }], [], 0, 1000)).toBe(300 + 100);
    // A one-member cluster serves while its member is up.
    expect(quorumAvailableUs(['n1'], [{ member: 'n1', fromUs: 250, toUs: 700 }], [], 0, 1000)).toBe(550);
    // Isolating n1 leaves n2-n3; a ring of five (each member cut from the two farthest) leaves every member three.
    expect(quorumAvailableUs(three, [], [{ atUs: 200, pairs: [['n1', 'n2'], ['n1', 'n3']] }], 0, 1000)).toBe(1000);
    expect(quorumAvailableUs(three, [{ member: 'n3', fromUs: 0, toUs: Infinity }], [{ atUs: 200, pairs: [['n1', 'n2']] }, { atUs: 600, pairs: [] }], 0, 1000)).toBe(200 + 400);
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const ring: [string, string][] = [['n1', 'n3'], ['n1', 'n4'], ['n2', 'n4'], ['n2', 'n5'], ['n3', 'n5']];
    expect(quorumAvailableUs(five, [], [{ atUs: 0, pairs: ring }], 0, 1000)).toBe(1000);
    // Three bridges of five cut off two ways each: no member reaches two others.
    const split: [string, string][] = [['n1', 'n2'], ['n1', 'n3'], ['n1', 'n4'], ['n2', 'n3'], ['n2', 'n5'], ['n3', 'n4'], ['n3', 'n5'], ['n4', 'n5']];
    expect(quorumAvailableUs(five, [], [{ atUs: 500, pairs: split }], 0, 1000)).toBe(500);
  });

  it('with the members\' word on who leads, only a member that answered it leads counts: the time between leaders is off', () => {
    // n1 leads, is killed at 300; n2 answers it leads from 800 (the election); the traffic ends at 1000.
    const claims = [{ member: 'n1', atUs: 0, leads: true }, { member: 'n2', atUs: 800, leads: true }];
    const killed = [{ member: 'n1', fromUs: 300, toUs: Infinity }];
    expect(quorumAvailableUs(three, killed, [], 0, 1000, claims)).toBe(300 + 200);
    expect(quorumAvailableUs(three, killed, [], 0, 1000)).toBe(1000);
    // An isolated leader that still says it leads leads no quorum; n3 elected at 700 does.
    const isolated = [{ atUs: 100, pairs: [['n1', 'n2'], ['n1', 'n3']] as [string, string][] }];
    expect(quorumAvailableUs(three, [], isolated, 0, 1000, [{ member: 'n1', atUs: 0, leads: true }, { member: 'n3', atUs: 700, leads: true }])).toBe(100 + 300);
    // A member that stops leading (it answered so) is off from that answer.
    expect(quorumAvailableUs(three, [], [], 0, 1000, [{ member: 'n1', atUs: 0, leads: true }, { member: 'n1', atUs: 400, leads: false }])).toBe(400);
  });
});

describe('known bugs of a target version', () => {
  it('etcd 3.4.23 has etcd#15220; 3.4.24, 3.5.8 and 3.6 do not', () => {
    const ids = (v: string) => knownBugsOf(v).map((b) => b.id).filter((id) => id === 'etcd#15220');
    expect(ids('3.4.23')).toEqual(['etcd#15220']);
    expect(ids('3.5.7')).toEqual(['etcd#15220']);
    expect(ids('3.4.24')).toEqual([]);
    expect(ids('3.5.8')).toEqual([]);
    expect(ids('3.6.0')).toEqual([]);
  });

  it('etcd#18667 (no 3.4, 3.5 or 3.6 release fixes it) only for scenarios whose clients send txns ranging at a past revision', () => {
    for (const v of ['3.4.23', '3.4.40', '3.5.21', '3.6.5']) expect(knownBugsOf(v).map((b) => b.id)).toContain('etcd#18667');
    expect(knownBugsOf('3.7.0')).toEqual([]);
    const wide = defineScenario({ name: 'wide', workload: { kind: 'etcd', api: 'wide' } });
    const robustness = defineScenario({ name: 'robustness', workload: { kind: 'etcd' } });
    const without = defineScenario({ name: 'without', workload: { kind: 'etcd', api: 'full', mix: { [PAST_RANGE_TXN]: 0 } } });
    const steppable = (sc: typeof wide) => knownBugsOf('3.4.23', sc).filter((b) => b.mitigation !== 'none').map((b) => b.id);
    expect(steppable(wide)).toEqual(['etcd#15220', 'etcd#18667']);
    expect(steppable(robustness)).toEqual(['etcd#15220']);
    expect(steppable(without)).toEqual(['etcd#15220']);
    // Stepped around: the clients' mix leaves that op out, and nothing else changes.
    const sent = mitigatedScenario(wide, knownBugsOf('3.4.23', wide));
    expect(sent.workload.mix).toEqual({ [PAST_RANGE_TXN]: 0 });
    expect({ ...sent, workload: { ...sent.workload, mix: undefined } }).toEqual({ ...wide, workload: { ...wide.workload, mix: undefined } });
    expect(mitigatedScenario(robustness, knownBugsOf('3.4.23', robustness))).toBe(robustness);
  });

  it('etcd#15247 (only mitigated, in 3.4.30 and 3.5.13) for lock and lease scenarios, with nothing a client can step around', () => {
    const lock = defineScenario({ name: 'lock', workload: { kind: 'lock' } });
    const lease = defineScenario({ name: 'lease', workload: { kind: 'lease' } });
    const kv = defineScenario({ name: 'kv', workload: { kind: 'etcd' } });
    for (const v of ['3.4.23', '3.4.30', '3.5.21', '3.6.5']) expect(knownBugsOf(v, lock).map((b) => b.id), v).toContain('etcd#15247');
    expect(knownBugsOf('3.4.23', lease).find((b) => b.id === 'etcd#15247')?.mitigation).toBe('none');
    expect(knownBugsOf('3.4.23', kv).map((b) => b.id)).not.toContain('etcd#15247');
    expect(mitigatedScenario(lock, knownBugsOf('3.4.23', lock))).toBe(lock);
  });

  it('etcd#18089 (fixed in 3.4.34 and 3.5.16) only for scenarios whose watchers resume at the compact revision; stepped around by ending them', () => {
    const resume = defineScenario({ name: 'resume', workload: { kind: 'etcd' }, clients: { watchResumeAtCompactRevision: true } });
    const plain = defineScenario({ name: 'plain', workload: { kind: 'etcd' } });
    const noWatchers = defineScenario({ name: 'no-watchers', workload: { kind: 'etcd' }, clients: { watchers: false, watchResumeAtCompactRevision: true } });
    const has = (v: string, sc = resume) => knownBugsOf(v, sc).some((b) => b.id === 'etcd#18089');
    for (const v of ['3.4.23', '3.4.33', '3.5.15']) expect(has(v), v).toBe(true);
    for (const v of ['3.4.34', '3.5.16', '3.6.0']) expect(has(v), v).toBe(false);
    expect(has('3.4.23', plain)).toBe(false);
    expect(has('3.4.23', noWatchers)).toBe(false);
    const sent = mitigatedScenario(resume, knownBugsOf('3.4.23', resume));
    expect(sent.clients.watchResumeAtCompactRevision).toBe(false);
    expect({ ...sent, clients: resume.clients }).toEqual(resume);
    // Both mitigations at once compose.
    const both = defineScenario({ name: 'both', workload: { kind: 'etcd', api: 'wide' }, clients: { watchResumeAtCompactRevision: true } });
    const sentBoth = mitigatedScenario(both, knownBugsOf('3.4.23', both));
    expect([sentBoth.clients.watchResumeAtCompactRevision, sentBoth.workload.mix]).toEqual([false, { [PAST_RANGE_TXN]: 0 }]);
  });

  it('etcd#20221 (no release known to fix all of it) for scenarios with watchers, named by its shape only, with nothing a client can step around', () => {
    const watchers = defineScenario({ name: 'watchers', workload: { kind: 'etcd' } });
    const none = defineScenario({ name: 'none', workload: { kind: 'etcd' }, clients: { watchers: false } });
    for (const v of ['3.4.23', '3.5.21', '3.6.5']) expect(knownBugsOf(v, watchers).map((b) => b.id), v).toContain('etcd#20221');
    expect(knownBugsOf('3.4.23', none).map((b) => b.id)).not.toContain('etcd#20221');
    const bug = knownBugsOf('3.4.23').find((b) => b.id === 'etcd#20221');
    expect([bug?.mitigation, bug?.watchShape !== undefined]).toEqual(['none', true]);
    expect(mitigatedScenario(watchers, knownBugsOf('3.4.23', watchers).filter((b) => b.mitigation !== 'none'))).toEqual(mitigatedScenario(watchers, knownBugsOf('3.4.23', watchers)));
  });
});
