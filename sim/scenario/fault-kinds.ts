// The one fault vocabulary: every fault kind a scenario, the nemesis, swarm, shrink and the
// property tests know, one entry each, in one table. An entry is the kind's schema (what a
// scenario file may write), how it reads in a table, how property tests draw it, and what it
// asks of the cluster before the run starts. What it does to the world is its effect, one
// entry of sim/nemesis/fault-effects.ts (the compiler insists on one per kind). How runs draw
// it: the entry's own `package` (a nemesis package that scenarios name, swarm draws and the
// schema accepts, appended after the built-in ones of sim/nemesis/packages.ts), or a built-in
// package that already draws the kind.
//
// To add a fault kind: one entry here (with its `package`) and its effect there. Everything
// that lists kinds or packages derives them from this table through ./fault.ts; nothing else
// reads it, so that a test can add a kind by replacing this one export (see
// test/sim/scenario/fault-kind-added.test.ts).
import type fc from 'fast-check';
import { z } from 'zod';
import type { Prng } from '../world/prng.ts';

/**
 * A member by role, resolved when the fault starts, or by id ("n1", "n2", ...). "majority" is a
 * random majority of the members at once (a kill of a majority loses all their unsynced writes).
 */
export const TargetSchema = z.union([
  z.enum(['leader', 'follower', 'random', 'all', 'majority']),
  z.string().regex(/^n[1-9][0-9]?$/, 'a member id is n1, n2, ...'),
]);
export type Target = z.infer<typeof TargetSchema>;

const percent = z.number().int().min(0).max(100);

/** Raft settings a member may restart with (the kill fault's `restartWith`). */
export const RaftRestartSettingsSchema = z.strictObject({ preVote: z.boolean().optional(), checkQuorum: z.boolean().optional() });
export type RaftRestartSettings = z.infer<typeof RaftRestartSettingsSchema>;

function restartSettingsText(s: RaftRestartSettings): string {
  const parts: string[] = [];
  if (s.preVote !== undefined) parts.push(`PreVote ${s.preVote ? 'on' : 'off'}`);
  if (s.checkQuorum !== undefined) parts.push(`CheckQuorum ${s.checkQuorum ? 'on' : 'off'}`);
  return parts.length === 0 ? 'its settings' : parts.join(', ');
}

/**
 * The moments a kill can wait for (see the kill fault's `after`): right after the member sends a
 * granted vote ("vote") or a successful append acknowledgement ("append-ack"); right after it
 * accepts an append that overwrites entries of its durable log, before that write's fsync
 * completes ("truncate": its unsynced truncation is lost, the stale tail comes back on restart);
 * right after a leader's commit index advances, before the leader's hard state with it is durable
 * and before any member hears of it ("leader-commit": every member armed so crashes at that one
 * instant, so a target of "majority" or "all" is a power loss at the worst moment); right after
 * a member restarted from its disk makes its first write durable ("recovered": what a recovery
 * left on the disk, a torn tail kept or a file not synced, is read only by the restart after);
 * right after it acknowledges a snapshot from the leader ("snapshot-ack": the leader counts it
 * as holding the snapshot; a crash shows whether the member does); right after a snapshot of its
 * own became durable and then one more write ("snapshot-written": the restart reads the WAL the
 * snapshot rewrote, with what was appended behind it).
 * A one-way cut can wait for a moment of its own (CutMoments): right after a leader's commit
 * index passes an entry that enters a joint configuration, before any member hears of it
 * ("joint-commit": the leader applies the joint configuration while the others still use the
 * old one, and a cut of its sends leaves them there).
 */
export const CrashMoments = ['vote', 'append-ack', 'truncate', 'leader-commit', 'joint-add', 'recovered', 'snapshot-ack', 'snapshot-written'] as const;
export type CrashMoment = (typeof CrashMoments)[number];
/** The moments a one-way cut can wait for (see the one-way fault's `after`). */
export const CutMoments = ['joint-commit', 'elected'] as const;
export type CutMoment = (typeof CutMoments)[number];
/** Any moment the cluster can report: a crash's or a cut's. */
export type Moment = CrashMoment | CutMoment;

/** How each moment reads in a fault description. */
const CRASH_MOMENT_TEXT: { readonly [M in CrashMoment]: string } = {
  vote: 'after its next granted vote',
  'append-ack': 'after its next append acknowledgement',
  truncate: 'after it next accepts an append that overwrites its log, before the fsync',
  'leader-commit': "right after a leader's commit index next advances, before anyone learns it",
  'joint-add': 'once it and another member apply a joint configuration that adds a voter',
  recovered: 'after it next restarts and makes its first write durable',
  'snapshot-ack': 'after it next acknowledges a snapshot from the leader',
  'snapshot-written': 'after a snapshot of its own next becomes durable and then one more write',
};
const CUT_MOMENT_TEXT: { readonly [M in CutMoment]: string } = {
  'joint-commit': "right after a leader's commit index next passes an entry that enters a joint configuration, before anyone learns it",
  elected: 'right after it next becomes leader, before any answer to its first appends reaches it',
};

/**
 * What the crash-moments package draws: a moment and the members it arms. A truncation happens
 * on a member that holds a stale tail, most often a deposed leader: "leader" arms the member
 * that leads now, so that it crashes when it is deposed and its tail is overwritten.
 */
const CRASH_MOMENT_DRAWS = [
  { after: 'truncate', target: 'leader' },
  { after: 'truncate', target: 'all' },
  { after: 'leader-commit', target: 'leader' },
  { after: 'leader-commit', target: 'leader' },
  { after: 'leader-commit', target: 'majority' },
  { after: 'leader-commit', target: 'all' },
] as const;
/** A member crashed at a chosen moment comes back within an election or two. */
const CRASH_MOMENT_DOWN_MS_MIN = 1;
const CRASH_MOMENT_DOWN_MS_MAX = 20;

export const PartitionShapes = [
  'isolate-leader', // the leader alone on one side
  'isolate-one', // one member (target) alone
  'leader-minority', // the leader with a minority; the majority must elect a new leader
  'follower-minority', // a minority of followers cut off; the leader keeps its quorum
  'halves', // a random split into a majority and a minority
  'ring', // every member sees only its neighbours: each has a majority, none the same one
  'bridge', // two halves joined by one member that sees both
  'leader-with-learners', // the leader and every learner; the other voters must elect a new leader
] as const;

/** What a property test hands a kind to draw a fault: fast-check itself and a target arbitrary. */
export interface ArbitraryContext {
  readonly fc: typeof fc;
  readonly target: fc.Arbitrary<string>;
}

/**
 * A nemesis package a kind declares: runs name it in `nemesis.packages`, the swarm draws it
 * (after the built-in packages, so no built-in draw moves), and each occurrence is one fault of
 * the kind, drawn from the nemesis stream, lasting the occurrence's duration.
 */
export interface KindPackage<F, N extends string = string> {
  readonly name: N;
  readonly description: string;
  /** The smallest cluster it acts on (default 1); the swarm grows its cluster to it. */
  readonly membersMin?: number;
  /** A mode of the whole run rather than an episode (drawn once, on from the start to the end of the workload). */
  readonly wholeRun?: boolean;
  draw(prng: Prng, members: number): F;
}

export interface FaultKindEntry<S extends z.ZodObject, N extends string = never> {
  readonly schema: S;
  /** The fault in a few words, for tables and the fault timeline. */
  describe(fault: z.infer<S>): string;
  /** How property tests draw it; shrinking goes toward the first alternatives. */
  arbitrary(ctx: ArbitraryContext): fc.Arbitrary<z.infer<S>>;
  /** In the property tests' default mix (false: needs a cluster shape the default lacks). */
  readonly inPropertyMix: boolean;
  /** True when a schedule holding this fault needs the server's buggify sites wired in. */
  needsBuggify?(fault: z.infer<S>): boolean;
  /** True when a schedule holding this fault needs disks that can tear the last write. */
  needsTornWrites?(fault: z.infer<S>): boolean;
  /** The package that draws it in runs; leave out when a built-in package does. */
  readonly package?: KindPackage<z.infer<S>, N>;
}

function kind<S extends z.ZodObject, N extends string = never>(entry: FaultKindEntry<S, N>): FaultKindEntry<S, N> {
  return entry;
}

export const FAULT_KINDS = {
  partition: kind({
    schema: z.strictObject({ kind: z.literal('partition'), shape: z.enum(PartitionShapes), target: TargetSchema.optional() }),
    describe: (f) => `partition ${f.shape}${f.target === undefined ? '' : ` ${f.target}`}`,
    arbitrary: ({ fc }) => fc.record({ kind: fc.constant('partition' as const), shape: fc.constantFrom(...PartitionShapes) }),
    inPropertyMix: true,
  }),
  'one-way': kind({
    schema: z.strictObject({
      kind: z.literal('one-way'),
      /** The member whose incoming ("in") or outgoing ("out") messages are cut. */
      target: TargetSchema,
      direction: z.enum(['in', 'out']),
      /**
       * Cut at that moment instead of at once (CutMoments): "joint-commit" cuts a leader's sends
       * right after its commit index passes an entry that enters a joint configuration, so that
       * it uses the joint configuration and the others the old one; "elected" cuts the member's
       * incoming messages right after it next becomes leader (its appends and heartbeats still
       * arrive, so nobody elects another: only CheckQuorum may depose it).
       */
      after: z.enum(CutMoments).optional(),
    }),
    describe: (f) => `one-way cut ${f.direction} of ${f.target}${f.after === undefined ? '' : ` ${CUT_MOMENT_TEXT[f.after]}`}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('one-way' as const), target, direction: fc.constantFrom('in' as const, 'out' as const) }),
    inPropertyMix: true,
  }),
  kill: kind({
    schema: z.strictObject({
      kind: z.literal('kill'),
      target: TargetSchema,
      tornWrites: z.boolean().optional(),
      /**
       * Crash at the worst moment instead of at once (CrashMoments): right after the member next
       * sends a granted vote ("vote") or a successful append acknowledgement ("append-ack"), or
       * accepts an append that overwrites its log ("truncate"), before any fsync it has in flight
       * completes; or right after a leader's commit index advances ("leader-commit"); or once it
       * and another member are in a joint configuration that adds a voter ("joint-add": the
       * others then elect while both majorities count, and a majority of the incoming voters
       * is not one of the outgoing). The trigger
       * stays armed past the fault's end, until it fires or the run heals everything; the member
       * restarts `downMs` after its crash.
       */
      after: z.enum(CrashMoments).optional(),
      /** With `after`: restart the member this long after the crash (default 10 ms). */
      downMs: z.number().int().min(0).max(3_600_000).optional(),
      /**
       * The member restarts with these raft settings, and keeps them: an operator's rolling change
       * of its configuration (PreVote or CheckQuorum turned on member by member, as an upgrade
       * does), so that for a while members with different settings run together (etcd#8501).
       */
      restartWith: RaftRestartSettingsSchema.optional(),
    }),
    describe: (f) => `kill ${f.target}${f.after === undefined ? '' : ` ${CRASH_MOMENT_TEXT[f.after]}`}${f.tornWrites === true ? ' (torn writes)' : ''}${f.restartWith === undefined ? '' : ` (restarts with ${restartSettingsText(f.restartWith)})`}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('kill' as const), target, tornWrites: fc.boolean() }),
    inPropertyMix: true,
    needsTornWrites: (f) => f.tornWrites === true,
    package: {
      name: 'crash-moments',
      description:
        "crash at a chosen event: a member (the leader, once deposed, or any) right after it accepts an append that overwrites its log, before the fsync (the stale tail comes back); a leader, a majority or every member right after a leader's commit index advances, before anyone learns it; back within 20 ms",
      membersMin: 3,
      draw: (prng) => {
        const { after, target } = prng.pick(CRASH_MOMENT_DRAWS);
        return { kind: 'kill' as const, target, after, downMs: prng.intRange(CRASH_MOMENT_DOWN_MS_MIN, CRASH_MOMENT_DOWN_MS_MAX) };
      },
    },
  }),
  pause: kind({
    schema: z.strictObject({ kind: z.literal('pause'), target: TargetSchema }),
    describe: (f) => `pause ${f.target}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('pause' as const), target }),
    inPropertyMix: true,
  }),
  'clock-skew': kind({
    schema: z.strictObject({ kind: z.literal('clock-skew'), target: TargetSchema, offsetMs: z.number().int().min(-600_000).max(600_000) }),
    describe: (f) => `clock skew ${f.target} ${f.offsetMs} ms`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('clock-skew' as const), target, offsetMs: fc.integer({ min: -5000, max: 5000 }) }),
    inPropertyMix: true,
  }),
  'clock-jump': kind({
    schema: z.strictObject({ kind: z.literal('clock-jump'), target: TargetSchema, jumpMs: z.number().int().min(-600_000).max(600_000) }),
    describe: (f) => `clock jump ${f.target} ${f.jumpMs} ms`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('clock-jump' as const), target, jumpMs: fc.integer({ min: -5000, max: 5000 }) }),
    inPropertyMix: true,
  }),
  'clock-drift': kind({
    schema: z.strictObject({ kind: z.literal('clock-drift'), target: TargetSchema, driftPpm: z.number().int().min(-500_000).max(500_000) }),
    describe: (f) => `clock drift ${f.target} ${f.driftPpm} ppm`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('clock-drift' as const), target, driftPpm: fc.integer({ min: -100_000, max: 100_000 }) }),
    inPropertyMix: true,
  }),
  lossy: kind({
    schema: z.strictObject({
      kind: z.literal('lossy'),
      dropPercent: percent,
      duplicatePercent: percent.optional(),
      reorderPercent: percent.optional(),
      delayMsMax: z.number().int().min(0).max(10_000).optional(),
    }),
    describe: (f) => `lossy network drop ${f.dropPercent}% dup ${f.duplicatePercent ?? 0}% reorder ${f.reorderPercent ?? 0}%`,
    arbitrary: ({ fc }) =>
      fc.record({ kind: fc.constant('lossy' as const), dropPercent: fc.integer({ min: 0, max: 50 }), duplicatePercent: fc.integer({ min: 0, max: 20 }), reorderPercent: fc.integer({ min: 0, max: 30 }) }),
    inPropertyMix: true,
  }),
  clog: kind({
    schema: z.strictObject({ kind: z.literal('clog'), target: TargetSchema }),
    describe: (f) => `clog ${f.target}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('clog' as const), target }),
    inPropertyMix: true,
  }),
  'slow-disk': kind({
    schema: z.strictObject({ kind: z.literal('slow-disk'), target: TargetSchema, fsyncMs: z.number().int().min(1).max(10_000) }),
    describe: (f) => `slow disk ${f.target} fsync ${f.fsyncMs} ms`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('slow-disk' as const), target, fsyncMs: fc.integer({ min: 1, max: 500 }) }),
    inPropertyMix: true,
  }),
  membership: kind({
    schema: z.strictObject({ kind: z.literal('membership'), action: z.enum(['replace', 'remove-add', 'joint-replace', 'joint-swap']), target: TargetSchema }),
    describe: (f) => `membership ${f.action} ${f.target}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('membership' as const), action: fc.constantFrom('replace' as const, 'remove-add' as const), target }),
    // Membership changes need the cluster's support, which small property clusters skip.
    inPropertyMix: false,
  }),
  'member-api': kind({
    schema: z.strictObject({
      kind: z.literal('member-api'),
      /**
       * Operators calling etcd's member API at once (MemberAdd as a learner, MemberRemove), each
       * sending a different change to the current leader as soon as it cannot tell whether its
       * last one applied (leader changed, request timed out): nothing serialises them.
       */
      operators: z.number().int().min(1).max(8),
      /** An operator gives up on a change it has not seen applied after this long (default 300 ms). */
      requestTimeoutMs: z.number().int().min(1).max(60_000).optional(),
    }),
    describe: (f) => `member API: ${f.operators} operator${f.operators === 1 ? '' : 's'} adding and removing learners at once`,
    arbitrary: ({ fc }) => fc.record({ kind: fc.constant('member-api' as const), operators: fc.integer({ min: 1, max: 3 }) }),
    // Membership changes need the cluster's support, which small property clusters skip.
    inPropertyMix: false,
  }),
  'move-leader': kind({
    schema: z.strictObject({
      kind: z.literal('move-leader'),
      /** The member to hand leadership to (never the leader itself; a fault naming only it starts nothing). */
      target: TargetSchema,
      /**
       * Cut the transferee off from every member as the transfer starts, for the fault's
       * duration: the transfer fails, and the leader, which drops proposals while it lasts
       * (its own too: lease revokes, checkpoints), stays leader after an election timeout.
       */
      unreachable: z.boolean().optional(),
    }),
    describe: (f) => `move the leader to ${f.target}${f.unreachable === true ? ' (cut off: the transfer fails)' : ''}`,
    arbitrary: ({ fc, target }) => fc.record({ kind: fc.constant('move-leader' as const), target }),
    inPropertyMix: true,
    package: {
      name: 'move-leader',
      description:
        "etcd's MoveLeader (etcdctl move-leader; a graceful stop of the leader does the same): the leader catches a follower up, sends it MsgTimeoutNow and drops proposals until it steps down or gives up after an election timeout",
      membersMin: 2,
      draw: () => ({ kind: 'move-leader' as const, target: 'follower' as const }),
    },
  }),
  buggify: kind({
    schema: z.strictObject({ kind: z.literal('buggify') }),
    describe: () => 'buggify on',
    arbitrary: ({ fc }) => fc.constant({ kind: 'buggify' as const }),
    inPropertyMix: true,
    needsBuggify: () => true,
  }),
  'cut-then-pause': kind({
    schema: z.strictObject({
      kind: z.literal('cut-then-pause'),
      /** The leader is cut off from every other member, then paused this long after (a GC pause as its network fails). */
      pauseAfterMs: z.number().int().min(0).max(10_000),
      /** It runs again this long after another member leads in a later term (or when the fault heals, if sooner). */
      resumeAfterLeaderMs: z.number().int().min(0).max(60_000),
      /**
       * When set, what the others send the leader arrives this much later from the start (its
       * inbound links slowed), not cut; its own links are cut when it pauses: answers to the
       * heartbeat rounds it sent until the pause reach it after it runs again, after the reads
       * that came in meanwhile (etcd#20418's late heartbeat responses).
       */
      lateAnswersMs: z.number().int().min(1).max(10_000).optional(),
    }),
    describe: (f) => f.lateAnswersMs === undefined
      ? `cut the leader off, pause it ${f.pauseAfterMs} ms later, resume it ${f.resumeAfterLeaderMs} ms after a new leader`
      : `slow what the others send the leader by ${f.lateAnswersMs} ms, cut its own links and pause it ${f.pauseAfterMs} ms later, resume it ${f.resumeAfterLeaderMs} ms after a new leader`,
    arbitrary: ({ fc }) => fc.record({ kind: fc.constant('cut-then-pause' as const), pauseAfterMs: fc.integer({ min: 0, max: 20 }), resumeAfterLeaderMs: fc.integer({ min: 0, max: 300 }) }),
    // Needs a leader to cut and a quorum left to elect another: kept out of the small property clusters' mix.
    inPropertyMix: false,
    package: {
      name: 'cut-then-pause',
      description: 'cut the leader off and pause it a few ms later; it runs again, still cut off, after the others elected a new leader and wrote: reads that reached it meanwhile come before any tick lets CheckQuorum notice the lost quorum',
      membersMin: 3,
      draw: (p) => ({ kind: 'cut-then-pause' as const, pauseAfterMs: p.intRange(0, 20), resumeAfterLeaderMs: p.intRange(20, 300) }),
    },
  }),
  figure8: kind({
    schema: z.strictObject({
      kind: z.literal('figure8'),
      /** How long after the term t+2 leader is elected it crashes (while it catches the others up). */
      crashDelayMs: z.number().int().min(0).max(10_000),
      /**
       * How long L2 leads the majority side before it is isolated (0, the paper's sequence:
       * at once, before its entry leaves it). Long enough for L2 to commit entries of term t+1
       * on a majority, while L1's term-t log stays longer: only a vote check that compares last
       * terms keeps L1 from winning and erasing them.
       */
      l2RunMs: z.number().int().min(0).max(10_000).optional(),
    }),
    describe: (f) => `figure 8 sequence, crash the new leader after ${f.crashDelayMs} ms${f.l2RunMs === undefined || f.l2RunMs === 0 ? '' : `, the second leader runs ${f.l2RunMs} ms`}`,
    arbitrary: ({ fc }) => fc.record({ kind: fc.constant('figure8' as const), crashDelayMs: fc.integer({ min: 0, max: 20 }) }),
    // The sequence needs five members and a long fault to mean anything.
    inPropertyMix: false,
  }),
};

type Kinds = typeof FAULT_KINDS;
export type FaultKind = keyof Kinds;
/** One fault, as data: the union of every kind's schema. */
export type Fault = { [K in FaultKind]: z.infer<Kinds[K]['schema']> }[FaultKind];
export type FaultOf<K extends FaultKind> = Extract<Fault, { kind: K }>;
/** The names of the packages the table's entries declare. */
export type KindPackageName = { [K in FaultKind]: NonNullable<Kinds[K]['package']>['name'] }[FaultKind];
