// The faults a scenario can schedule, as data. A fault names its targets by role ("leader",
// "follower", "random") or by member id; roles resolve when the fault starts, from the nemesis
// stream, so a schedule written by `detcd shrink` replays exactly. Every fault but `buggify`
// has a duration after which the nemesis heals it; the liveness phase heals whatever is left.
// The kinds themselves are one table (./fault-kinds.ts); this file derives from it everything
// else reads: the kind names, the schemas, the descriptions and the packages the kinds declare.
import { z } from 'zod';
import { FAULT_KINDS } from './fault-kinds.ts';
import type { Fault, FaultKind, FaultKindEntry, FaultOf, KindPackage, KindPackageName } from './fault-kinds.ts';
import { withFields } from '../../src/object/with-fields.ts';

export { CrashMoments, PartitionShapes, TargetSchema } from './fault-kinds.ts';
export type { CrashMoment, Moment, Fault, FaultKind, FaultOf, KindPackage, KindPackageName, RaftRestartSettings, Target } from './fault-kinds.ts';

/** Every fault kind, in the table's order. */
export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKind[];

/** The table entry of a fault's kind, typed for that fault. */
export function faultKind<K extends FaultKind>(kindName: K): FaultKindEntry<z.ZodObject> & { describe(f: FaultOf<K>): string } {
  const entry = FAULT_KINDS[kindName] as unknown as (FaultKindEntry<z.ZodObject> & { describe(f: FaultOf<K>): string }) | undefined;
  if (entry === undefined) throw new Error(`fault: no kind ${kindName} in the fault table`);
  return entry;
}

/** The packages the table's kinds declare, in the table's order, each with the kind it draws. */
export const KIND_PACKAGES: readonly (KindPackage<Fault, KindPackageName> & { readonly kind: FaultKind })[] = FAULT_KIND_NAMES.flatMap((k) => {
  const p = (FAULT_KINDS[k] as FaultKindEntry<z.ZodObject, KindPackageName>).package as KindPackage<Fault, KindPackageName> | undefined;
  return p === undefined ? [] : [withFields(p, { kind: k })];
});
/** Their names, as the scenario schema appends them to the built-in packages. */
export const KIND_PACKAGE_NAMES: readonly KindPackageName[] = KIND_PACKAGES.map((p) => p.name);

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
  const entry = (f: Fault): FaultKindEntry<z.ZodObject, KindPackageName> => FAULT_KINDS[f.kind];
  return {
    buggify: schedule.some((t) => entry(t.fault).needsBuggify?.(t.fault) === true),
    tornWrites: schedule.some((t) => entry(t.fault).needsTornWrites?.(t.fault) === true),
  };
}
