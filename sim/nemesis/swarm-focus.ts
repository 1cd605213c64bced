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
// lease-checkpoint-restart, is drawn by one in twenty of the runs that draw no focus, and one in
// eight of the rest draws one of three moment shapes (MOMENT_SHAPES) the named scenarios of the
// nineteenth and twentieth sessions reached alone.
import type { TimedFault } from '../scenario/fault.ts';
import type { CheckerName, NemesisPackageName, WorkloadKind } from '../scenario/schema.ts';
import { LEASE_TTL_SECONDS_DEFAULT } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';

export const FOCUS_SHAPES = ['snapshot-ack-crash', 'deposed-lessor', 'lease-checkpoint-leader-change', 'conf-change-slow-apply'] as const;
/**
 * Shapes that need one fault at one moment, which only a named scenario drew (swarm-fault-fields
 * listed their moments as named-scenario only): leader-cut-at-election (leadership moved to one
 * member again and again, its incoming links cut the instant it wins: one-way after "elected"),
 * snapshot-write-crash (members replaced while every member is armed to crash right after a
 * snapshot of its own became durable: kill after "snapshot-written"), snapshot-pipeline (five
 * members, a lagging one caught up from snapshots every 5 entries that travel late and twice on
 * their own connection: a vote request stepped while a received snapshot waits unstable, which
 * holdout 18's unstable-term-skips-snapshot needs and swarm 1..200 never reached).
 */
export const MOMENT_SHAPES = ['leader-cut-at-election', 'snapshot-write-crash', 'snapshot-pipeline'] as const;
export type MomentShape = (typeof MOMENT_SHAPES)[number];
export type FocusShape = (typeof FOCUS_SHAPES)[number] | 'lease-failed-transfer' | 'lease-checkpoint-restart' | MomentShape | 'prevote-rollout';

/** The parts of a swarm draw a focused shape sets (the swarm's own objects, changed in place). */
export interface FocusParts {
  nemesis: { packages: NemesisPackageName[]; startMs: number | { min: number; max: number }; intervalMs: { min: number; max: number }; faultDurationMs: { min: number; max: number }; faultsMax: number; tornKills: boolean };
  etcd: { snapshotCount: number; snapshotCatchUpEntries: number; leaseCheckpointing: boolean; leaseCheckpointIntervalMs: number };
  raft: { tickMs: number; electionTicks: number; preVote: boolean; checkQuorum: boolean };
  network: { latencyUsMin: number; latencyUsMax: number; fsyncUsMin: number; fsyncUsMax: number; snapshotDelayUsMax: number; snapshotDuplicatePercent: number };
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
 * One in eight of the runs that draw neither a focus nor the restart draws a moment shape, each
 * of the three alike, from the focus stream after the restart's draw (nothing reads it after): no
 * seed that drew a focus, the restart, or none of the three, moves.
 */
const MOMENT_ODDS = 8;

/**
 * One in ten of the runs that draw no focus, no restart and no moment shape roll PreVote out
 * member by member (scenario prevote-rollout), from the focus stream after the moment's draw
 * (nothing reads it after): no seed that drew any of those, or none of the four, moves. A run
 * draws PreVote once for all its members, so members with and without it, their terms apart,
 * never elected together in a swarm run (holdout 19's stale-prevote-unanswered, etcd#8501).
 */
const ROLLOUT_ODDS = 10;

/**
 * One run in six of the etcd workload draws a focused shape, each of the four alike, and one in
 * five of those lease-failed-transfer instead, from a stream of its own (a seed that draws none
 * keeps its draw). Undefined: no focus.
 */
export function drawFocus(prng: Prng, parts: FocusParts): Focus | undefined {
  if (parts.workload.kind !== 'etcd') return undefined;
  if (!prng.chance(1, 6)) {
    if (prng.chance(1, RESTART_ODDS)) return checkpointRestart(parts);
    if (prng.chance(1, MOMENT_ODDS)) return momentShape(prng.pick(MOMENT_SHAPES), parts);
    return prng.chance(1, ROLLOUT_ODDS) ? prevoteRollout(parts) : undefined;
  }
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

/** The named scenarios' cadence: a leader move or a replacement every 600 ms or 1.2 s, each 400 ms or 1 s long. */
const CUT_EVERY_MS = 600;
const CUT_MS = 400;
const REPLACE_EVERY_MS = 1200;
const REPLACE_MS = 1000;

/**
 * A moment shape, as its named scenario (scenarios/NAME.json) runs it, on the seed's drops,
 * duplicates, reorders, watchers and mix; the timings the shape needs replace the seed's (an
 * election timeout of 100 ms against at most 10 ms of one-way latency).
 */
function momentShape(shape: MomentShape, parts: FocusParts): Focus {
  const { nemesis, etcd, raft, network, workload } = parts;
  Object.assign(raft, { tickMs: 10, electionTicks: 10 });
  switch (shape) {
    case 'leader-cut-at-election': {
      // Leadership moved to n1 every 600 ms and n1's incoming links cut the instant it wins (its
      // appends still arrive, so nobody elects another): CheckQuorum must depose it at its first
      // check; a leader that credits answers it never got leads on (check-quorum-unheard).
      Object.assign(nemesis, { packages: [] });
      raft.checkQuorum = true;
      Object.assign(network, { latencyUsMin: 200, latencyUsMax: 2000 });
      Object.assign(workload, { rateOpsPerSecond: 200, durationMs: 5000 });
      const schedule: TimedFault[] = [];
      for (let at = 300; at + CUT_MS < workload.durationMs; at += CUT_EVERY_MS) {
        schedule.push({ atMs: at, durationMs: CUT_MS, fault: { kind: 'one-way', target: 'n1', direction: 'in', after: 'elected' } });
        schedule.push({ atMs: at + 5, durationMs: 1, fault: { kind: 'move-leader', target: 'n1' } });
      }
      return { shape, members: 3, schedule };
    }
    case 'snapshot-write-crash': {
      // Four replacements, each asking every member for a join snapshot while 400 writes/s keep
      // Readies in flight on 4-12 ms fsyncs, every member armed to crash right after its next
      // snapshot became durable and one more write.
      // The scenario's kills tear nothing (torn kills apply to the packages' kills, not a schedule's).
      Object.assign(nemesis, { packages: [], tornKills: false });
      Object.assign(network, { latencyUsMin: 200, latencyUsMax: 2000, fsyncUsMin: 4000, fsyncUsMax: 12_000 });
      Object.assign(workload, { rateOpsPerSecond: 400, durationMs: 5500 });
      const schedule: TimedFault[] = [];
      const targets = ['n2', 'n3', 'n1', 'n2'] as const;
      for (let i = 0; i < targets.length; i++) {
        const at = 300 + i * REPLACE_EVERY_MS;
        schedule.push({ atMs: at, durationMs: REPLACE_MS, fault: { kind: 'kill', target: 'all', after: 'snapshot-written', downMs: 10 } });
        schedule.push({ atMs: at + 5, durationMs: REPLACE_MS, fault: { kind: 'membership', action: 'replace', target: targets[i] as string } });
      }
      return { shape, members: 3, schedule };
    }
    case 'snapshot-pipeline':
      // Five members; a follower lags and catches up from snapshots every 5 entries (the log
      // compacted at once), each sent late (up to 300 ms) and twice on its own connection.
      Object.assign(nemesis, { packages: ['lagging-member'], faultDurationMs: range(200, 500), intervalMs: range(50, 200) });
      Object.assign(etcd, { snapshotCount: 5, snapshotCatchUpEntries: 0 });
      Object.assign(network, { latencyUsMin: 2000, latencyUsMax: 10_000, fsyncUsMin: 20_000, fsyncUsMax: 60_000, snapshotDelayUsMax: 300_000, snapshotDuplicatePercent: 100 });
      workload.rateOpsPerSecond = 400;
      return { shape, members: 5 };
  }
}

/**
 * prevote-rollout's shape: five members start without PreVote (etcd 3.4's default) and each
 * restarts in turn with it on, each restart followed by a partition, on the timings of the
 * named scenario (an election timeout of 100 ms against at most 2 ms of one-way latency); the
 * seed's drops, duplicates, reorders, CheckQuorum, watchers and mix stay.
 */
function prevoteRollout(parts: FocusParts): Focus {
  const { nemesis, raft, network, workload } = parts;
  Object.assign(nemesis, { packages: ['prevote-rollout'], startMs: 100, faultsMax: 10, faultDurationMs: range(2500, 3500), intervalMs: range(50, 200) });
  Object.assign(raft, { tickMs: 10, electionTicks: 10, preVote: false });
  Object.assign(network, { latencyUsMin: 200, latencyUsMax: 2000 });
  Object.assign(workload, { rateOpsPerSecond: 150, durationMs: 4000 });
  return { shape: 'prevote-rollout', members: 5 };
}

function leaseWorkload(workload: FocusParts['workload'], rate: number, durationMs: number, ttlSeconds: number, mix: Record<string, number> | undefined): void {
  Object.assign(workload, { kind: 'lease', rateOpsPerSecond: rate, durationMs, keys: 10, leaseTtlSeconds: ttlSeconds });
  if (mix === undefined) delete workload.mix;
  else workload.mix = mix;
}
