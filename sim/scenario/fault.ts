// The faults a scenario can schedule, as data. A fault names its targets by role ("leader",
// "follower", "random") or by member id; roles resolve when the fault starts, from the nemesis
// stream, so a schedule written by `detcd shrink` replays exactly. Every fault but `buggify`
// has a duration after which the nemesis heals it; the liveness phase heals whatever is left.
// The kinds themselves are one table (./fault-kinds.ts); this file derives the schemas.
import { z } from 'zod';
import { FAULT_KINDS, faultKind } from './fault-kinds.ts';
import type { Fault, FaultKindEntry } from './fault-kinds.ts';

export { PartitionShapes, TargetSchema } from './fault-kinds.ts';
export type { Fault, FaultKind, FaultOf, Target } from './fault-kinds.ts';

const positiveMs = z.number().int().min(1).max(3_600_000);

type KindSchema = (typeof FAULT_KINDS)[keyof typeof FAULT_KINDS]['schema'];

/** Any fault of the table, told apart by `kind`. */
export const FaultSchema = z.discriminatedUnion('kind', Object.values(FAULT_KINDS).map((k) => k.schema) as unknown as [KindSchema, ...KindSchema[]]) as unknown as z.ZodType<Fault>;

/** One fault in an explicit schedule: it starts at `atMs` and is healed after `durationMs`. */
export const TimedFaultSchema = z.strictObject({
  atMs: z.number().int().min(0).max(3_600_000),
  durationMs: positiveMs,
  fault: FaultSchema,
});
export type TimedFault = z.infer<typeof TimedFaultSchema>;

/** Renders a fault in a few words, for tables and the fault timeline. */
export function describeFault(fault: Fault): string {
  return faultKind(fault.kind).describe(fault);
}

/** What a schedule asks of the cluster before the run starts (buggify sites, tearing disks). */
export function scheduleNeeds(schedule: readonly TimedFault[]): { buggify: boolean; tornWrites: boolean } {
  const entry = (f: Fault): FaultKindEntry<z.ZodObject> => FAULT_KINDS[f.kind];
  return {
    buggify: schedule.some((t) => entry(t.fault).needsBuggify?.(t.fault) === true),
    tornWrites: schedule.some((t) => entry(t.fault).needsTornWrites?.(t.fault) === true),
  };
}
