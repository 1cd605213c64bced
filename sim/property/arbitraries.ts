// fast-check arbitraries for fault schedules. A schedule is a plain array of timed faults, so
// fast-check shrinks it the way it shrinks any array: it drops faults, then moves times and
// durations toward zero and fault kinds toward the first (mildest) alternative.
import fc from 'fast-check';
import type { Fault, FaultKind, TimedFault } from '../scenario/fault.ts';
import { FAULT_KINDS } from '../scenario/fault-kinds.ts';
import { FAULT_KIND_NAMES } from '../scenario/fault.ts';

export interface ScheduleShape {
  /** Members n1..nN the faults may name. */
  members: number;
  /** Faults start inside [0, safetyMs). */
  safetyMs: number;
  /** Most faults in one schedule (default 8). */
  faultsMax?: number;
  /** @deprecated the old spelling of faultsMax, still read. */
  maxFaults?: number;
  /** Longest fault. */
  faultMsMax?: number;
  /** Fault kinds to draw from (default: all but membership, which needs the cluster's support). */
  kinds?: readonly FaultKind[];
}

/** The property tests' default mix: every kind of the fault table that needs no special cluster. */
const ALL_KINDS: readonly FaultKind[] = FAULT_KIND_NAMES.filter((k) => FAULT_KINDS[k].inPropertyMix);

function targetArb(members: number): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom('leader', 'follower', 'random'), fc.integer({ min: 1, max: members }).map((i) => `n${i}`));
}

/** A fault of one of `kinds`, each drawn as its entry of the fault table says. */
export function faultArbitrary(members: number, kinds: readonly FaultKind[] = ALL_KINDS): fc.Arbitrary<Fault> {
  const ctx = { fc, target: targetArb(members) };
  return fc.oneof(...kinds.map((k) => FAULT_KINDS[k].arbitrary(ctx) as fc.Arbitrary<Fault>));
}

/** An explicit fault schedule, sorted by start time, that shrinks toward fewer, shorter, earlier faults. */
export function faultScheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<TimedFault[]> {
  const timed = fc.record({
    atMs: fc.integer({ min: 0, max: Math.max(0, shape.safetyMs - 1) }),
    durationMs: fc.integer({ min: 1, max: shape.faultMsMax ?? 2000 }),
    fault: faultArbitrary(shape.members, shape.kinds),
  });
  return fc.array(timed, { maxLength: shape.faultsMax ?? shape.maxFaults ?? 8 }).map((faults) => [...faults].sort((a, b) => a.atMs - b.atMs));
}
