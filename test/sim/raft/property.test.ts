// The safety and liveness property of the Raft core on the simulated world: under random fault
// schedules in the scenario's fault vocabulary (partitions incl. one-way, kills and restarts,
// pauses, clock skews, jumps and drift, lossy links, clogs, slow disks; drops, duplicates and
// reordering throughout) no invariant breaks at any event; after the faults heal a
// leader is elected within LEADER_AFTER_HEAL_MS and every proposal made after that commits
// within COMMIT_BOUND_MS. Replay a failure with RAFT_PROPERTY_SEED=<seed> (printed on failure).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RaftCluster } from '../../support/raft/raft-cluster.ts';
import { applySchedule, describeSchedule, RAFT_FAULT_KINDS } from '../../support/raft/fault-schedule.ts';
import type { FaultSchedule } from '../../support/raft/fault-schedule.ts';
import { faultScheduleArbitrary } from '../../../sim/property/arbitraries.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { propertySeed, replayCommand } from '../../property-seed.ts';

const SAFETY_PHASE_MS = 8_000;
const FAULT_END_MS = 6_000;
/** etcd defaults: 100 ms heartbeat, 1 s election timeout (randomized to [1 s, 2 s)), PreVote. */
const LEADER_AFTER_HEAL_MS = 10_000;
/** A proposal to the leader of a healed cluster: one round trip plus an fsync, with margin. */
const COMMIT_BOUND_MS = 1_000;
const PROPOSALS_AFTER_HEAL = 5;
const PROPOSAL_INTERVAL_MS = 50;

/** Faults in the scenario vocabulary, as the property arbitraries draw them: every kind a RaftCluster supports. */
const scheduleArb = (members: number): fc.Arbitrary<FaultSchedule> =>
  fc.record({
    faults: faultScheduleArbitrary({ members, safetyMs: FAULT_END_MS, faultsMax: 8, faultMsMax: 3_000, kinds: RAFT_FAULT_KINDS }),
    dropPct: fc.integer({ min: 0, max: 10 }),
    duplicatePct: fc.integer({ min: 0, max: 10 }),
    reorderPct: fc.integer({ min: 0, max: 20 }),
  });

/** One run; throws (with the invariant, member, term and index) on any violation. */
function runOnce(members: number, worldSeed: number, schedule: FaultSchedule): void {
  // Frequent snapshots, so compaction and snapshot transfer happen under the faults too.
  const host = { snapshotEveryEntries: 40, catchUpEntries: 10 };
  const c = new RaftCluster({ seed: worldSeed, members, host, replay: `world seed ${worldSeed}, schedule ${describeSchedule(schedule)}` });
  const workload = new Prng(`${worldSeed}/workload`);
  const faults = applySchedule(c, schedule);
  // Safety phase: proposals to random members while faults come and go.
  for (let t = 0; t < SAFETY_PHASE_MS; t += PROPOSAL_INTERVAL_MS) {
    c.propose(workload.pick(c.ids), `s${t}`);
    c.runForUs(PROPOSAL_INTERVAL_MS * 1000);
  }
  faults.healAll();
  const leader = c.runUntilLeader(LEADER_AFTER_HEAL_MS * 1000);
  expect(leader, `no leader within ${LEADER_AFTER_HEAL_MS} ms of healing`).toBeDefined();
  // Liveness phase: every proposal to the leader commits within the bound.
  for (let i = 0; i < PROPOSALS_AFTER_HEAL; i++) {
    const l = c.leader() ?? leader!;
    const reqId = c.propose(l.id, `after-heal-${i}`);
    c.runForUs(COMMIT_BOUND_MS * 1000);
    const p = c.proposals.get(reqId)!;
    expect(p.ok, `proposal ${i} after heal to ${l.id} not acknowledged within ${COMMIT_BOUND_MS} ms`).toBe(true);
    expect(p.ackedUs! - p.proposedUs).toBeLessThanOrEqual(COMMIT_BOUND_MS * 1000);
  }
  // Convergence: every member ends with the same state, holding every acknowledged entry.
  c.runForUs(2_000_000);
  const views = c.views();
  expect(views.length).toBe(members);
  const l = c.leader()!;
  for (const p of c.proposals.values()) {
    if (p.ok === true && p.index! >= l.firstIndex) expect(l.entry(p.index!)?.term).toBe(p.term);
  }
  const digests = new Set(views.map((v) => JSON.stringify((v as typeof l).stateDigest())));
  expect(digests.size).toBe(1);
}

const seed = propertySeed();

function check(members: number, numRuns: number): void {
  try {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), scheduleArb(members), (worldSeed, schedule) => runOnce(members, worldSeed, schedule)),
      { seed, numRuns },
    );
  } catch (e) {
    throw new Error(`raft property failed (${members} members). Replay: ${replayCommand(seed)}\n${(e as Error).message}`);
  }
}

describe('Raft on the simulated world under random faults', () => {
  it(`3 members: no invariant breaks; after heal a leader within ${LEADER_AFTER_HEAL_MS} ms and each proposal commits within ${COMMIT_BOUND_MS} ms`, () => {
    check(3, 50);
  });

  it(`5 members: no invariant breaks; after heal a leader within ${LEADER_AFTER_HEAL_MS} ms and each proposal commits within ${COMMIT_BOUND_MS} ms`, () => {
    check(5, 30);
  });
});
