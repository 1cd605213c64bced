// Focused swarm runs: a few of the swarm's runs draw one shape that only a named scenario reached
// before, its few fault packages and the knobs it needs, and keep the rest of the seed's draw
// (network, disks, Raft timings where the shape does not fix them, watchers, mix). A swarm run
// draws about a dozen packages and runs their faults one after another, so a shape that needs one
// fault at the right moment, quiet around it, or a workload the swarm never sent is diluted out
// (Groce et al.: leaving features out finds what crowded configurations hide). Swarm seeds 1..200
// caught none of the mutants these four scenarios catch (holdouts 8, 12, 13, 14). A fifth,
// lease-failed-transfer (leases left to expire while leader transfers that fail drop their
// revokes), replaces one in five of the four's draws: picking among five would have given most
// focused seeds another shape, and every pinned focused run a new trace. A sixth,
// lease-checkpoint-restart, is drawn by one in twenty of the runs that draw no focus.
import type { TimedFault } from '../scenario/fault.ts';
import type { CheckerName, NemesisPackageName, WorkloadKind } from '../scenario/schema.ts';
import { LEASE_TTL_SECONDS_DEFAULT } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';

export const FOCUS_SHAPES = ['snapshot-ack-crash', 'deposed-lessor', 'lease-checkpoint-leader-change', 'conf-change-slow-apply'] as const;
export type FocusShape = (typeof FOCUS_SHAPES)[number] | 'lease-failed-transfer' | 'lease-checkpoint-restart';

/** The parts of a swarm draw a focused shape sets (the swarm's own objects, changed in place). */
export interface FocusParts {
  nemesis: { packages: NemesisPackageName[]; startMs: number | { min: number; max: number }; intervalMs: { min: number; max: number }; faultDurationMs: { min: number; max: number }; faultsMax: number; tornKills: boolean };
  etcd: { snapshotCount: number; snapshotCatchUpEntries: number; leaseCheckpointing: boolean; leaseCheckpointIntervalMs: number };
  raft: { tickMs: number; electionTicks: number; preVote: boolean; checkQuorum: boolean };
  network: { latencyUsMin: number; latencyUsMax: number };
  workload: { kind: WorkloadKind; rateOpsPerSecond: number; durationMs: number; keys: number; leaseTtlSeconds: number; mix?: Record<string, number> | undefined };
}

/** What a focused draw decided beyond the parts: its shape, members, and the checkers it judges by. */
export interface Focus {
  shape: FocusShape;
  members: number;
  /** The lease shapes' linearizability search runs out of steps over 10-18 s of lease traffic (their scenarios leave it out). */
  checkers?: CheckerName[];
  /** An explicit schedule, which replaces the nemesis draw (a shape that needs one fault no package draws). */
  schedule?: TimedFault[];
}

const range = (min: number, max: number): { min: number; max: number } => ({ min, max });

/**
 * One in twenty of the etcd runs that draw no other focus restart every member of a lease run
 * with checkpoints and a small snapshotCount (scenario lease-checkpoint-restart): no package kills
 * every member at once, and only that restart makes the new leader take leases' remaining TTLs
 * from a restored lessor, so holdout 17's restore-forgets-checkpoints (a restore that drops the
 * snapshot's checkpoints) went unjudged by swarm 1..200. Drawn after the focus draw failed, from
 * the focus stream (nothing reads it after): no seed that drew a focus, or none, moves.
 */
const RESTART_ODDS = 20;

/**
 * One run in six of the etcd workload draws a focused shape, each of the four alike, and one in
 * five of those lease-failed-transfer instead, from a stream of its own (a seed that draws none
 * keeps its draw). Undefined: no focus.
 */
export function drawFocus(prng: Prng, parts: FocusParts): Focus | undefined {
  if (parts.workload.kind !== 'etcd') return undefined;
  if (!prng.chance(1, 6)) return prng.chance(1, RESTART_ODDS) ? checkpointRestart(parts) : undefined;
  const drawn: FocusShape = prng.pick(FOCUS_SHAPES);
  const shape: FocusShape = prng.chance(1, 5) ? 'lease-failed-transfer' : drawn;
  const { nemesis, etcd, raft, network, workload } = parts;
  switch (shape) {
    case 'snapshot-ack-crash':
      // A lagging follower needs a snapshot after 10 entries past one taken every 50; buggify on.
      Object.assign(nemesis, { packages: ['crash-after-snapshot-ack', 'buggify'], startMs: range(500, 500), intervalMs: range(100, 300), faultDurationMs: range(300, 600) });
      Object.assign(etcd, { snapshotCount: 50, snapshotCatchUpEntries: 10 });
      workload.rateOpsPerSecond = 300;
      return { shape, members: 3 };
    case 'deposed-lessor':
      // The leader cut off longer than its leases' TTLs (2-6 s) while the new leader keeps them alive, then healed.
      Object.assign(nemesis, { packages: ['partition-leader'], startMs: range(500, 1500), intervalMs: range(200, 800), faultDurationMs: range(4000, 6500), faultsMax: 1 });
      leaseWorkload(workload, 150, 10_000, LEASE_TTL_SECONDS_DEFAULT, undefined);
      return { shape, members: 3, checkers: ['lease', 'watch', 'convergence', 'raft'] };
    case 'lease-checkpoint-leader-change':
      // Checkpoints every 3 s of leases of 2-12 s mostly left to run down, one graceful leader move at 8 s.
      Object.assign(nemesis, { packages: ['move-leader'], startMs: range(8000, 8000), intervalMs: range(200, 800), faultDurationMs: range(1000, 1000), faultsMax: 1 });
      Object.assign(etcd, { leaseCheckpointing: true, leaseCheckpointIntervalMs: 3000 });
      leaseWorkload(workload, 60, 18_000, 12, { keepalive: 5 });
      return { shape, members: 3, checkers: ['lease', 'convergence', 'raft'] };
    case 'conf-change-slow-apply':
      // Voter replacements while fsyncs (20-500 ms) outlast a 100 ms election timeout, leaders cut off and killed.
      Object.assign(nemesis, { packages: ['membership', 'membership', 'slow-disk', 'slow-disk', 'kill-leader', 'partition-leader'], startMs: range(100, 100), intervalMs: range(50, 200), faultDurationMs: range(150, 600) });
      Object.assign(raft, { tickMs: 10, electionTicks: 10, preVote: true, checkQuorum: true });
      Object.assign(network, { latencyUsMin: 1000, latencyUsMax: 5000 });
      workload.rateOpsPerSecond = 100;
      return { shape, members: 3 };
    case 'lease-failed-transfer':
      // Leases of 3 s left to run down (no keep-alives nor revokes, one grant a second) while the
      // leader is asked every 5-6 s to move to a follower that cannot answer: it drops every
      // proposal, expired leases' revokes too, for an election timeout, and must propose them
      // again 3 s later. 24 s, four transfers: the scenario's 40 s and six cost a swarm too much.
      Object.assign(nemesis, { packages: ['failed-transfer'], startMs: range(3000, 4000), intervalMs: range(5000, 6000), faultDurationMs: range(1000, 1200), faultsMax: 4 });
      leaseWorkload(workload, 60, 24_000, 3, { grant: 1, 'put-with-lease': 40, keepalive: 0, revoke: 0, 'time-to-live': 4, get: 25, list: 15 });
      // The scenario's 200 keys: a key put again with a newer lease leaves the expiring one's keys.
      workload.keys = 200;
      return { shape, members: 3, checkers: ['lease', 'convergence', 'raft'] };
  }
}

/**
 * lease-checkpoint-restart's shape: checkpoints every 3 s of leases of 2-12 s mostly left to run
 * down, a snapshot every 20 entries, then every member killed at 8 s for 300 ms: each restarts from
 * its last snapshot, whose lessor must hold the checkpointed remaining TTLs.
 */
function checkpointRestart(parts: FocusParts): Focus {
  const { nemesis, etcd, workload } = parts;
  // The scenario's kill tears nothing (torn kills apply to the packages' kills, not a schedule's).
  Object.assign(nemesis, { packages: [], tornKills: false });
  Object.assign(etcd, { leaseCheckpointing: true, leaseCheckpointIntervalMs: 3000, snapshotCount: 20, snapshotCatchUpEntries: 5 });
  leaseWorkload(workload, 60, 18_000, 12, { keepalive: 5 });
  const schedule: TimedFault[] = [{ atMs: 8000, durationMs: 300, fault: { kind: 'kill', target: 'all' } }];
  return { shape: 'lease-checkpoint-restart', members: 3, checkers: ['lease', 'convergence', 'raft'], schedule };
}

function leaseWorkload(workload: FocusParts['workload'], rate: number, durationMs: number, ttlSeconds: number, mix: Record<string, number> | undefined): void {
  Object.assign(workload, { kind: 'lease', rateOpsPerSecond: rate, durationMs, keys: 10, leaseTtlSeconds: ttlSeconds });
  if (mix === undefined) delete workload.mix;
  else workload.mix = mix;
}
