// The faults a scenario can schedule, as data. A fault names its targets by role ("leader",
// "follower", "random") or by member id; roles resolve when the fault starts, from the nemesis
// stream, so a schedule written by `detcd shrink` replays exactly. Every fault but `buggify`
// has a duration after which the nemesis heals it; the liveness phase heals whatever is left.
import { z } from 'zod';

/**
 * A member by role, resolved when the fault starts, or by id ("n1", "n2", ...). "majority" is a
 * random majority of the members at once (a kill of a majority loses all their unsynced writes).
 */
export const TargetSchema = z.union([
  z.enum(['leader', 'follower', 'random', 'all', 'majority']),
  z.string().regex(/^n[1-9][0-9]?$/, 'a member id is n1, n2, ...'),
]);
export type Target = z.infer<typeof TargetSchema>;

/** The moments a kill can wait for (see the kill fault's `after`). */
export const CrashMoments = ['vote', 'append-ack'] as const;
export type CrashMoment = (typeof CrashMoments)[number];

const percent = z.number().int().min(0).max(100);
const positiveMs = z.number().int().min(1).max(3_600_000);

export const PartitionShapes = [
  'isolate-leader', // the leader alone on one side
  'isolate-one', // one member (target) alone
  'leader-minority', // the leader with a minority; the majority must elect a new leader
  'follower-minority', // a minority of followers cut off; the leader keeps its quorum
  'halves', // a random split into a majority and a minority
  'ring', // every member sees only its neighbours: each has a majority, none the same one
  'bridge', // two halves joined by one member that sees both
] as const;

export const FaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('partition'), shape: z.enum(PartitionShapes), target: TargetSchema.optional() }),
  z.strictObject({
    kind: z.literal('one-way'),
    /** The member whose incoming ("in") or outgoing ("out") messages are cut. */
    target: TargetSchema,
    direction: z.enum(['in', 'out']),
  }),
  z.strictObject({
    kind: z.literal('kill'),
    target: TargetSchema,
    tornWrites: z.boolean().optional(),
    /**
     * Crash at the worst moment instead of at once: right after the member next sends a granted
     * vote ("vote") or a successful append acknowledgement ("append-ack"), before any fsync it
     * has in flight completes. The trigger stays armed past the fault's end, until it fires or
     * the run heals everything; the member restarts `downMs` after its crash.
     */
    after: z.enum(CrashMoments).optional(),
    /** With `after`: restart the member this long after the crash (default 10 ms). */
    downMs: z.number().int().min(0).max(3_600_000).optional(),
  }),
  z.strictObject({ kind: z.literal('pause'), target: TargetSchema }),
  z.strictObject({ kind: z.literal('clock-skew'), target: TargetSchema, offsetMs: z.number().int().min(-600_000).max(600_000) }),
  z.strictObject({ kind: z.literal('clock-jump'), target: TargetSchema, jumpMs: z.number().int().min(-600_000).max(600_000) }),
  z.strictObject({ kind: z.literal('clock-drift'), target: TargetSchema, driftPpm: z.number().int().min(-500_000).max(500_000) }),
  z.strictObject({
    kind: z.literal('lossy'),
    dropPercent: percent,
    duplicatePercent: percent.optional(),
    reorderPercent: percent.optional(),
    delayMsMax: z.number().int().min(0).max(10_000).optional(),
  }),
  z.strictObject({ kind: z.literal('clog'), target: TargetSchema }),
  z.strictObject({ kind: z.literal('slow-disk'), target: TargetSchema, fsyncMs: z.number().int().min(1).max(10_000) }),
  z.strictObject({ kind: z.literal('membership'), action: z.enum(['replace', 'remove-add']), target: TargetSchema }),
  z.strictObject({ kind: z.literal('buggify') }),
  z.strictObject({
    kind: z.literal('figure8'),
    /** How long after the term t+2 leader is elected it crashes (while it catches the others up). */
    crashDelayMs: z.number().int().min(0).max(10_000),
  }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultKind = Fault['kind'];

/** One fault in an explicit schedule: it starts at `atMs` and is healed after `durationMs`. */
export const TimedFaultSchema = z.strictObject({
  atMs: z.number().int().min(0).max(3_600_000),
  durationMs: positiveMs,
  fault: FaultSchema,
});
export type TimedFault = z.infer<typeof TimedFaultSchema>;

/** Renders a fault in a few words, for tables and the fault timeline. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `partition ${fault.shape}${fault.target === undefined ? '' : ` ${fault.target}`}`;
    case 'one-way':
      return `one-way cut ${fault.direction} of ${fault.target}`;
    case 'kill':
      return `kill ${fault.target}${fault.after === undefined ? '' : ` after its next ${fault.after === 'vote' ? 'granted vote' : 'append acknowledgement'}`}${fault.tornWrites === true ? ' (torn writes)' : ''}`;
    case 'pause':
      return `pause ${fault.target}`;
    case 'clock-skew':
      return `clock skew ${fault.target} ${fault.offsetMs} ms`;
    case 'clock-jump':
      return `clock jump ${fault.target} ${fault.jumpMs} ms`;
    case 'clock-drift':
      return `clock drift ${fault.target} ${fault.driftPpm} ppm`;
    case 'lossy':
      return `lossy network drop ${fault.dropPercent}% dup ${fault.duplicatePercent ?? 0}% reorder ${fault.reorderPercent ?? 0}%`;
    case 'clog':
      return `clog ${fault.target}`;
    case 'slow-disk':
      return `slow disk ${fault.target} fsync ${fault.fsyncMs} ms`;
    case 'membership':
      return `membership ${fault.action} ${fault.target}`;
    case 'buggify':
      return 'buggify on';
    case 'figure8':
      return `figure 8 sequence, crash the new leader after ${fault.crashDelayMs} ms`;
  }
}
