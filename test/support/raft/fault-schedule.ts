// Fault schedules for Raft cluster runs, in the scenario's fault vocabulary
// (sim/scenario/fault-kinds.ts: partitions incl. one-way, kills with restarts, pauses, clock
// skews, jumps and drift, lossy links, clogs, slow disks), applied and healed by the one
// nemesis (sim/nemesis/nemesis.ts) through RaftNemesisWorld, on top of a lossy, duplicating,
// reordering network; then a heal that removes every fault so that liveness can be checked.
import { Nemesis } from '../../../sim/nemesis/nemesis.ts';
import type { FaultKind, Target, TimedFault } from '../../../sim/scenario/fault.ts';
import { FAULT_KIND_NAMES } from '../../../sim/scenario/fault.ts';
import { NEVER } from '../../../sim/world/ratio.ts';
import type { Prng } from '../../../sim/world/prng.ts';
import type { RaftCluster } from './raft-cluster.ts';
import { RaftNemesisWorld } from './raft-nemesis-world.ts';

export type { TimedFault } from '../../../sim/scenario/fault.ts';

/** Fault kinds a RaftCluster cannot act on, and why; every other kind of the table is in its mix. */
export const RAFT_UNSUPPORTED_KINDS: ReadonlyMap<FaultKind, string> = new Map<FaultKind, string>([
  ['membership', 'a RaftCluster has fixed membership (RaftNemesisWorld refuses the change)'],
  ['member-api', 'a RaftCluster has no member API (RaftNemesisWorld starts no operators); sim runs cover it (scenarios/conf-change-race.json)'],
  ['figure8', 'the sequence needs five members and long faults; sim runs cover it (scenarios/figure8.json)'],
]);

/** The fault kinds the Raft property tests draw: the table's, less the unsupported ones. */
export const RAFT_FAULT_KINDS: readonly FaultKind[] = FAULT_KIND_NAMES.filter((k) => !RAFT_UNSUPPORTED_KINDS.has(k));

export interface FaultSchedule {
  /** Faults, times relative to when the schedule is applied. */
  readonly faults: readonly TimedFault[];
  /** Network misbehaviour during the fault phase (every link, the client's too), in percent. */
  readonly dropPct: number;
  readonly duplicatePct: number;
  readonly reorderPct: number;
}

/** The faults of one run, under way: `healAll` ends them all. */
export interface AppliedSchedule {
  readonly nemesis: Nemesis;
  /** Heals every fault now, restarts and resumes members, resets clocks, and makes every link clean. */
  healAll(): void;
}

export function describeSchedule(s: FaultSchedule): string {
  return JSON.stringify(s);
}

const percent = (n: number) => ({ num: n, den: 100 });

/** Schedules every fault on the cluster's event loop, relative to now, with the nemesis stream forked from the world's. */
export function applySchedule(c: RaftCluster, s: FaultSchedule): AppliedSchedule {
  const world = new RaftNemesisWorld(c, { drop: percent(s.dropPct), duplicate: percent(s.duplicatePct), reorder: percent(s.reorderPct) });
  const nemesis = new Nemesis(world, c.world.prng.fork('nemesis'));
  nemesis.schedule(s.faults, c.world.loop.now());
  return {
    nemesis,
    healAll: () => {
      world.setBase({ drop: NEVER, duplicate: NEVER, reorder: NEVER });
      nemesis.healAll();
    },
  };
}

/**
 * A schedule drawn from a seeded stream (for sweeps outside fast-check): `count` faults in
 * [0, faultEndMs), each 100 ms to 2.1 s: partitions (one member alone, halves), one-way cuts,
 * pauses and kills (crashes tear the last unsynced write, as the world's crash does by default).
 */
export function randomSchedule(prng: Prng, members: number, count: number, faultEndMs: number): FaultSchedule {
  const faults: TimedFault[] = [];
  for (let i = 0; i < count; i++) {
    const target: Target = `n${prng.int(members) + 1}`;
    const atMs = prng.int(faultEndMs);
    const durationMs = 100 + prng.int(2_000);
    switch (prng.int(6)) {
      case 0:
        faults.push({ atMs, durationMs, fault: { kind: 'partition', shape: 'isolate-one', target } });
        break;
      case 1:
        faults.push({ atMs, durationMs, fault: { kind: 'one-way', target, direction: prng.int(2) === 0 ? 'in' : 'out' } });
        break;
      case 2:
        faults.push({ atMs, durationMs, fault: { kind: 'partition', shape: 'halves' } });
        break;
      case 3:
        faults.push({ atMs, durationMs, fault: { kind: 'pause', target } });
        break;
      default:
        faults.push({ atMs, durationMs, fault: { kind: 'kill', target, tornWrites: true } });
        break;
    }
  }
  faults.sort((a, b) => a.atMs - b.atMs);
  return { faults, dropPct: prng.int(6), duplicatePct: prng.int(6), reorderPct: prng.int(11) };
}
