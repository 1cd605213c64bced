// fast-check arbitraries for fault schedules. A schedule is a plain array of timed faults, so
// fast-check shrinks it the way it shrinks any array: it drops faults, then moves times and
// durations toward zero and fault kinds toward the first (mildest) alternative.
import { checkArrayArgument } from '../errors/array-argument.ts';
import fc from 'fast-check';
import type { Fault, FaultKind, TimedFault } from '../scenario/fault.ts';
import { FAULT_KINDS } from '../scenario/fault-kinds.ts';
import { FAULT_KIND_NAMES } from '../scenario/fault.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';

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

/** The kinds a caller named, each in the fault table; refused naming `fn` and `field` otherwise. */
function checkKinds(fn: string, field: string, kinds: unknown): readonly FaultKind[] {
  if (checkArrayArgument(fn, field, kinds, 'fault kinds').length === 0) throw badArgument(fn, field, 'must be a non-empty array of fault kinds', kinds);
  const known: readonly string[] = FAULT_KIND_NAMES;
  for (const [i, k] of (kinds as unknown[]).entries()) {
    if (typeof k !== 'string' || !known.includes(k)) throw badArgument(fn, `${field}[${i}]`, `not a fault kind (the kinds: ${FAULT_KIND_NAMES.join(', ')})`, k);
  }
  return kinds as FaultKind[];
}

/** A fault of one of `kinds`, each drawn as its entry of the fault table says. */
export function faultArbitrary(members: number, kinds: readonly FaultKind[] = ALL_KINDS): fc.Arbitrary<Fault> {
  checkWholeArgument('faultArbitrary', 'members', members, 1);
  checkKinds('faultArbitrary', 'kinds', kinds);
  const ctx = { fc, target: targetArb(members) };
  return fc.oneof(...kinds.map((k) => FAULT_KINDS[k].arbitrary(ctx) as fc.Arbitrary<Fault>));
}

/** An explicit fault schedule, sorted by start time, that shrinks toward fewer, shorter, earlier faults. */
export function faultScheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<TimedFault[]> {
  const fn = 'faultScheduleArbitrary';
  checkObjectArgument(fn, 'shape', shape, 'an object ({ members, safetyMs, ... })');
  const members = checkWholeArgument(fn, 'shape.members', shape.members, 1);
  const safetyMs = checkWholeArgument(fn, 'shape.safetyMs', shape.safetyMs, 1);
  const faultMsMax = checkWholeArgument(fn, 'shape.faultMsMax', shape.faultMsMax ?? 2000, 1);
  const faultsMax = checkWholeArgument(fn, shape.faultsMax === undefined && shape.maxFaults !== undefined ? 'shape.maxFaults' : 'shape.faultsMax', shape.faultsMax ?? shape.maxFaults ?? 8, 0);
  const kinds = shape.kinds === undefined ? ALL_KINDS : checkKinds(fn, 'shape.kinds', shape.kinds);
  const timed = fc.record({
    atMs: fc.integer({ min: 0, max: safetyMs - 1 }),
    durationMs: fc.integer({ min: 1, max: faultMsMax }),
    fault: faultArbitrary(members, kinds),
  });
  return fc.array(timed, { maxLength: faultsMax }).map((faults) => [...faults].sort((a, b) => a.atMs - b.atMs));
}
