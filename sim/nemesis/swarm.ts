// Swarm testing (FoundationDB, Groce et al.): instead of every fault at a little, each run draws
// which fault packages are on and how the network, disks and Raft timings behave, so that
// different seeds explore different corners. The draw replaces the scenario's knobs; the
// options it drew go into results.json so the report shows them.
import type { NemesisPackageName, Scenario } from '../scenario/schema.ts';
import { NemesisPackages } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';

/** Every package is drawn, figure8 and membership included; figure8 needs five members. */
const FIGURE8_MEMBERS = 5;
/**
 * Packages drawn after every other knob, each on the same odds as the others: they joined the
 * swarm last, and drawing them last keeps what a seed drew before (its network, timings and
 * workload); only the schedule of a seed that draws one of them changes.
 */
const DRAWN_LAST: readonly NemesisPackageName[] = ['slow-network', 'kill-majority', 'crash-after-send', 'member-api'];

export interface SwarmDraw {
  scenario: Scenario;
  options: Record<string, unknown>;
}

export function drawSwarm(scenario: Scenario, prng: Prng): SwarmDraw {
  if (!scenario.swarm.enabled) return { scenario, options: {} };
  const odds = scenario.swarm.packageOdds;
  const candidates: readonly NemesisPackageName[] = NemesisPackages.filter((p) => !DRAWN_LAST.includes(p));
  let packages = candidates.filter(() => prng.chance(1, odds));
  if (packages.length === 0) packages = [prng.pick(candidates)];
  const latencyUsMin = prng.pick([100, 500, 1000, 5000]);
  const network = {
    ...scenario.network,
    latencyUsMin,
    latencyUsMax: latencyUsMin * prng.pick([1, 2, 5, 10]),
    dropPercent: prng.chance(1, 3) ? prng.intRange(1, 10) : 0,
    duplicatePercent: prng.chance(1, 3) ? prng.intRange(1, 10) : 0,
    reorderPercent: prng.chance(1, 3) ? prng.intRange(1, 20) : 0,
  };
  const fsyncUsMin = prng.pick([100, 500, 2000]);
  network.fsyncUsMin = fsyncUsMin;
  network.fsyncUsMax = fsyncUsMin * prng.pick([1, 4, 20]);
  // etcd robustness's tick/election variations, scaled to a tick of 10 to 100 ms.
  const [tickMs, electionTicks] = prng.pick([[10, 10], [29, 9], [50, 10], [100, 10], [100, 20]] as const);
  const raft = { ...scenario.cluster.raft, tickMs, electionTicks, preVote: prng.chance(3, 4), checkQuorum: prng.chance(3, 4) };
  // Small stream buffers make slow watchers (victims) common; small snapshot counts, snapshots.
  const etcd = { ...scenario.cluster.etcd, snapshotCount: prng.pick([50, 100, 1000]), watchStreamBuffer: prng.pick([128, 128, 4]) };
  const members = packages.includes('figure8') ? Math.max(FIGURE8_MEMBERS, scenario.cluster.members) : scenario.cluster.members;
  const intervalMs = { min: prng.intRange(50, 300), max: prng.intRange(300, 1500) };
  const faultDurationMs = { min: prng.intRange(50, 500), max: prng.intRange(500, 3000) };
  // Workload knobs, drawn last (a seed's earlier draws stay what they were): half the runs send
  // the whole KV API, a third compact every 100 to 500 ms.
  const workload = {
    ...scenario.workload,
    api: prng.chance(1, 2) ? ('full' as const) : scenario.workload.api,
    compactionIntervalMs: prng.chance(1, 3) ? prng.pick([100, 200, 500]) : scenario.workload.compactionIntervalMs,
  };
  // A third of the runs' watchers resume at the compact revision after a compaction cancel.
  const clients = { ...scenario.clients, watchResumeAtCompactRevision: prng.chance(1, 3) || scenario.clients.watchResumeAtCompactRevision };
  const nemesis = { ...scenario.nemesis, packages: [...packages, ...DRAWN_LAST.filter(() => prng.chance(1, odds))], intervalMs, faultDurationMs };
  const drawn: Scenario = { ...scenario, network, nemesis, cluster: { ...scenario.cluster, members, raft, etcd }, workload, clients };
  return {
    scenario: drawn,
    options: {
      packages: nemesis.packages, network, raft: { tickMs, electionTicks, preVote: raft.preVote, checkQuorum: raft.checkQuorum }, snapshotCount: etcd.snapshotCount, watchStreamBuffer: etcd.watchStreamBuffer, members, intervalMs: nemesis.intervalMs, faultDurationMs: nemesis.faultDurationMs,
      api: workload.api, compactionIntervalMs: workload.compactionIntervalMs, watchResumeAtCompactRevision: clients.watchResumeAtCompactRevision,
    },
  };
}
