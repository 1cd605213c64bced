// fast-check arbitraries for fault schedules. A schedule is a plain array of timed faults, so
// fast-check shrinks it the way it shrinks any array: it drops faults, then moves times and
// durations toward zero and fault kinds toward the first (mildest) alternative.
import fc from 'fast-check';
import type { Fault, TimedFault } from '../scenario/fault.ts';
import { PartitionShapes } from '../scenario/fault.ts';

export interface ScheduleShape {
  /** Members n1..nN the faults may name. */
  members: number;
  /** Faults start inside [0, safetyMs). */
  safetyMs: number;
  maxFaults?: number;
  /** Longest fault. */
  faultMsMax?: number;
  /** Fault kinds to draw from (default: all but membership, which needs the cluster's support). */
  kinds?: readonly Fault['kind'][];
}

const ALL_KINDS: readonly Fault['kind'][] = ['partition', 'one-way', 'kill', 'pause', 'clock-skew', 'clock-jump', 'clock-drift', 'lossy', 'clog', 'slow-disk', 'buggify'];

function targetArb(members: number): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom('leader', 'follower', 'random'), fc.integer({ min: 1, max: members }).map((i) => `n${i}`));
}

export function faultArbitrary(members: number, kinds: readonly Fault['kind'][] = ALL_KINDS): fc.Arbitrary<Fault> {
  const t = targetArb(members);
  const byKind: Record<Fault['kind'], fc.Arbitrary<Fault>> = {
    partition: fc.record({ kind: fc.constant('partition' as const), shape: fc.constantFrom(...PartitionShapes) }),
    'one-way': fc.record({ kind: fc.constant('one-way' as const), target: t, direction: fc.constantFrom('in' as const, 'out' as const) }),
    kill: fc.record({ kind: fc.constant('kill' as const), target: t, tornWrites: fc.boolean() }),
    pause: fc.record({ kind: fc.constant('pause' as const), target: t }),
    'clock-skew': fc.record({ kind: fc.constant('clock-skew' as const), target: t, offsetMs: fc.integer({ min: -5000, max: 5000 }) }),
    'clock-jump': fc.record({ kind: fc.constant('clock-jump' as const), target: t, jumpMs: fc.integer({ min: -5000, max: 5000 }) }),
    'clock-drift': fc.record({ kind: fc.constant('clock-drift' as const), target: t, driftPpm: fc.integer({ min: -100_000, max: 100_000 }) }),
    lossy: fc.record({ kind: fc.constant('lossy' as const), dropPercent: fc.integer({ min: 0, max: 50 }), duplicatePercent: fc.integer({ min: 0, max: 20 }), reorderPercent: fc.integer({ min: 0, max: 30 }) }),
    clog: fc.record({ kind: fc.constant('clog' as const), target: t }),
    'slow-disk': fc.record({ kind: fc.constant('slow-disk' as const), target: t, fsyncMs: fc.integer({ min: 1, max: 500 }) }),
    membership: fc.record({ kind: fc.constant('membership' as const), action: fc.constantFrom('replace' as const, 'remove-add' as const), target: t }),
    buggify: fc.constant({ kind: 'buggify' as const }),
    // Not in ALL_KINDS: the sequence needs five members and a long fault to mean anything.
    figure8: fc.record({ kind: fc.constant('figure8' as const), crashDelayMs: fc.integer({ min: 0, max: 20 }) }),
  };
  return fc.oneof(...kinds.map((k) => byKind[k]));
}

/** An explicit fault schedule, sorted by start time, that shrinks toward fewer, shorter, earlier faults. */
export function faultScheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<TimedFault[]> {
  const timed = fc.record({
    atMs: fc.integer({ min: 0, max: Math.max(0, shape.safetyMs - 1) }),
    durationMs: fc.integer({ min: 1, max: shape.faultMsMax ?? 2000 }),
    fault: faultArbitrary(shape.members, shape.kinds),
  });
  return fc.array(timed, { maxLength: shape.maxFaults ?? 8 }).map((faults) => [...faults].sort((a, b) => a.atMs - b.atMs));
}
