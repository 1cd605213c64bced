// Nemesis packages (Jepsen's term): each one knows how to draw its next fault from the nemesis
// stream. The fault itself is data (../scenario/fault.ts); the nemesis (nemesis.ts) applies it
// and heals it when its duration ends, and the liveness phase heals everything left. Drawing
// is separate from applying so that a run's whole schedule exists before it starts: it goes
// into results.json, and `detcd shrink` edits it.
import type { Fault } from '../scenario/fault.ts';
import { KIND_PACKAGES, PartitionShapes } from '../scenario/fault.ts';
import type { CrashMoment } from '../scenario/fault.ts';
import { BuiltinNemesisPackages } from '../scenario/schema.ts';
import type { BuiltinNemesisPackageName, NemesisPackageName } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';
import { withFields } from '../../src/object/with-fields.ts';

/** A fault with its own duration (packages like rolling restarts emit several in sequence). */
export interface DrawnFault {
  fault: Fault;
  durationMs: number;
}

export interface PackageContext {
  readonly members: number;
  /** Duration drawn for this occurrence from the scenario's faultDurationMs. */
  readonly durationMs: number;
}

export interface NemesisPackage {
  readonly name: NemesisPackageName;
  readonly description: string;
  /**
   * The smallest cluster the package can act on (a follower to kill, a minority to cut, the
   * five members of Figure 8); a scenario naming it for a smaller cluster is refused.
   */
  readonly membersMin: number;
  /** The faults of one occurrence, run back to back. */
  draw(prng: Prng, ctx: PackageContext): DrawnFault[];
  /** A mode of the whole run rather than an episode: drawn once, on from the start to the end of the workload. */
  readonly wholeRun?: boolean;
}

/** Figure 8 of the Raft paper takes five servers (S1..S5). */
export const FIGURE8_MEMBERS_MIN = 5;
const FIGURE8_CRASH_DELAY_MS_MIN = 5;
const FIGURE8_CRASH_DELAY_MS_MAX = 40;

/** At most this many operators call the member API at once. */
const MEMBER_API_OPERATORS_MAX = 3;

/** The moments crash-after-send draws (the kill kind's own package, crash-moments, draws the others). */
const AFTER_SEND_MOMENTS: readonly CrashMoment[] = ['vote', 'append-ack'];

/** prevote-rollout: the partition after each restart (a member cut off without PreVote moves its term on; one with PreVote does not). */
const ROLLOUT_PARTITIONS = ['isolate-leader', 'isolate-one', 'leader-minority', 'follower-minority', 'halves'] as const;

/** A member crashed at the worst moment comes back within an election or two. */
const CRASH_DOWN_MS_MIN = 1;
const CRASH_DOWN_MS_MAX = 20;

/** late-answers: what the others send the leader arrives this much later (past etcd's 500 ms ReadIndex retry at the top). */
const LATE_ANSWERS_MS_MIN = 200;
const LATE_ANSWERS_MS_MAX = 600;
/** late-answers: the leader pauses this soon after its links are cut, and runs again this soon after a new leader. */
const LATE_ANSWERS_PAUSE_AFTER_MS_MAX = 40;
const LATE_ANSWERS_RESUME_MS_MIN = 20;
const LATE_ANSWERS_RESUME_MS_MAX = 150;
/** joint-swap: the leader's sends are cut from its commit of a joint entry to this long after the change started. */
const JOINT_SWAP_CUT_MS_MIN = 150;
const JOINT_SWAP_CUT_MS_MAX = 400;
/** joint-membership: the crash is armed this long before the joint change starts (it stays armed until it fires). */
const JOINT_CRASH_ARM_MS = 5;
const JOINT_CRASH_DOWN_MS_MAX = 50;

/** crash-after-recovery and crash-after-snapshot-ack: the crash is armed this long before the fault that leads to its moment. */
const MOMENT_ARM_MS = 5;

/** A slow network delays member messages by up to this long: past etcd's 500 ms ReadIndex retry and its election timeout. */
const SLOW_NETWORK_DELAY_MS_MIN = 300;
const SLOW_NETWORK_DELAY_MS_MAX = 1500;

/** The clock packages skew or jump a clock by at most this much either way, and drift it by at most this many ppm. */
export const CLOCK_STEP_MS_MAX = 5000;
export const CLOCK_DRIFT_PPM_MAX = 200_000;

const one = (fault: Fault, ctx: PackageContext): DrawnFault[] => [{ fault, durationMs: ctx.durationMs }];

/** The built-in packages; the fault table's kinds may declare more (../scenario/fault-kinds.ts). */
const BUILTIN: { readonly [N in BuiltinNemesisPackageName]: Omit<NemesisPackage, 'name'> } = {
  'partition-leader': {
    membersMin: 2,
    description: 'isolate the leader from every other member',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'isolate-leader' }, ctx),
  },
  'partition-minority': {
    membersMin: 3,
    description: 'cut a minority of followers off; the leader keeps its quorum',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'follower-minority' }, ctx),
  },
  'partition-majority': {
    membersMin: 2,
    description: 'leave the leader with a minority; the majority must elect a new leader',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'leader-minority' }, ctx),
  },
  'partition-halves': {
    membersMin: 2,
    description: 'a random split into a majority and a minority',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'halves' }, ctx),
  },
  'partition-leader-learners': {
    membersMin: 2,
    description: 'cut the leader off together with every learner; the other voters must elect a new leader',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'leader-with-learners' }, ctx),
  },
  'partition-ring': {
    membersMin: 4,
    description: 'a majority ring: every member sees a majority, no two the same one',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'ring' }, ctx),
  },
  'partition-bridge': {
    membersMin: 3,
    description: 'two halves joined by one member that sees both',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'bridge' }, ctx),
  },
  'one-way': {
    membersMin: 2,
    description: 'cut the messages into or out of one member (an asymmetric partition)',
    draw: (p, ctx) =>
      one({ kind: 'one-way', target: p.pick(['leader', 'follower'] as const), direction: p.pick(['in', 'out'] as const) }, ctx),
  },
  'kill-leader': {
    membersMin: 1,
    description: 'crash the leader, restart it when the fault heals',
    draw: (_p, ctx) => one({ kind: 'kill', target: 'leader' }, ctx),
  },
  'kill-follower': {
    membersMin: 2,
    description: 'crash a follower, restart it when the fault heals',
    draw: (_p, ctx) => one({ kind: 'kill', target: 'follower' }, ctx),
  },
  'kill-random': {
    membersMin: 1,
    description: 'crash any member, restart it when the fault heals',
    draw: (_p, ctx) => one({ kind: 'kill', target: 'random' }, ctx),
  },
  'kill-majority': {
    membersMin: 2,
    description: 'crash a majority of the members at once (their unsynced writes are lost), restart them when the fault heals',
    draw: (_p, ctx) => one({ kind: 'kill', target: 'majority' }, ctx),
  },
  'crash-after-send': {
    membersMin: 2,
    description: 'arm a member to crash right after its next granted vote or append acknowledgement, before its fsync in flight completes; it restarts a few ms later',
    draw: (p, ctx) =>
      one({
        kind: 'kill',
        target: p.pick(['follower', 'random', 'all'] as const),
        after: p.pick(AFTER_SEND_MOMENTS),
        downMs: p.intRange(CRASH_DOWN_MS_MIN, CRASH_DOWN_MS_MAX),
      }, ctx),
  },
  'rolling-restart': {
    membersMin: 1,
    description: 'restart every member in turn',
    draw: (p, ctx) => {
      const order = p.shuffle(Array.from({ length: ctx.members }, (_, i) => `n${i + 1}`));
      const each = Math.max(1, Math.floor(ctx.durationMs / ctx.members));
      return order.map((target) => ({ fault: { kind: 'kill', target }, durationMs: each }));
    },
  },
  'prevote-rollout': {
    membersMin: 3,
    description:
      'restart every member in turn with PreVote on, as a rolling upgrade does, each restart followed by a partition: members with and without PreVote elect together, their terms apart (etcd#8501)',
    draw: (p, ctx) => {
      const order = p.shuffle(Array.from({ length: ctx.members }, (_, i) => `n${i + 1}`));
      const half = Math.max(1, Math.floor(ctx.durationMs / ctx.members / 2));
      return order.flatMap((target): DrawnFault[] => [
        { fault: { kind: 'kill', target, restartWith: { preVote: true } }, durationMs: half },
        { fault: { kind: 'partition', shape: p.pick(ROLLOUT_PARTITIONS) }, durationMs: half },
      ]);
    },
  },
  pause: {
    membersMin: 1,
    description: 'stop a member process (a GC pause), resume it when the fault heals',
    draw: (p, ctx) => one({ kind: 'pause', target: p.pick(['leader', 'follower', 'random'] as const) }, ctx),
  },
  clock: {
    membersMin: 1,
    description: 'skew, jump or drift one member clock',
    draw: (p, ctx) => {
      const target = p.pick(['leader', 'follower', 'random'] as const);
      const which = p.int(3);
      if (which === 0) return one({ kind: 'clock-skew', target, offsetMs: p.intRange(-CLOCK_STEP_MS_MAX, CLOCK_STEP_MS_MAX) }, ctx);
      if (which === 1) return one({ kind: 'clock-jump', target, jumpMs: p.intRange(-CLOCK_STEP_MS_MAX, CLOCK_STEP_MS_MAX) }, ctx);
      return one({ kind: 'clock-drift', target, driftPpm: p.intRange(-CLOCK_DRIFT_PPM_MAX, CLOCK_DRIFT_PPM_MAX) }, ctx);
    },
  },
  'clock-jumps': {
    membersMin: 1,
    description: 'skew or jump one member clock (no drift: elapsed time stays true)',
    draw: (p, ctx) => {
      const target = p.pick(['leader', 'follower', 'random'] as const);
      return p.int(2) === 0
        ? one({ kind: 'clock-skew', target, offsetMs: p.intRange(-CLOCK_STEP_MS_MAX, CLOCK_STEP_MS_MAX) }, ctx)
        : one({ kind: 'clock-jump', target, jumpMs: p.intRange(-CLOCK_STEP_MS_MAX, CLOCK_STEP_MS_MAX) }, ctx);
    },
  },
  lossy: {
    membersMin: 1,
    description: 'drop, duplicate, reorder and delay messages on every link',
    draw: (p, ctx) =>
      one({ kind: 'lossy', dropPercent: p.intRange(5, 50), duplicatePercent: p.intRange(0, 20), reorderPercent: p.intRange(0, 30), delayMsMax: p.intRange(0, 100) }, ctx),
  },
  'slow-network': {
    membersMin: 1,
    description: 'every link between members slows down to hundreds of ms (a congested network), nothing lost: answers arrive after their requests were retried',
    draw: (p, ctx) => one({ kind: 'lossy', dropPercent: 0, duplicatePercent: 0, reorderPercent: 0, delayMsMax: p.intRange(SLOW_NETWORK_DELAY_MS_MIN, SLOW_NETWORK_DELAY_MS_MAX) }, ctx),
  },
  clog: {
    membersMin: 1,
    description: "hold a member's messages and release them late",
    draw: (p, ctx) => one({ kind: 'clog', target: p.pick(['leader', 'follower'] as const) }, ctx),
  },
  'slow-disk': {
    membersMin: 1,
    description: "make one member's fsyncs slow",
    draw: (p, ctx) => one({ kind: 'slow-disk', target: p.pick(['leader', 'follower'] as const), fsyncMs: p.intRange(20, 500) }, ctx),
  },
  'torn-writes': {
    membersMin: 1,
    description: 'crash a member so that its last unsynced write is torn',
    draw: (p, ctx) => one({ kind: 'kill', target: p.pick(['leader', 'follower'] as const), tornWrites: true }, ctx),
  },
  'lagging-member': {
    membersMin: 2,
    description: 'isolate a follower long enough to need a snapshot to catch up',
    draw: (_p, ctx) => one({ kind: 'partition', shape: 'isolate-one', target: 'follower' }, withFields(ctx, { durationMs: ctx.durationMs * 2 })),
  },
  membership: {
    membersMin: 1,
    description: 'replace a member, or remove it and add it back, through joint consensus',
    draw: (p, ctx) => one({ kind: 'membership', action: p.pick(['replace', 'remove-add'] as const), target: p.pick(['leader', 'follower'] as const) }, ctx),
  },
  'member-api': {
    membersMin: 1,
    description: 'operators add and remove learners through the member API all run long, several at once, each sending a different change to the current leader when it cannot tell whether its last one applied',
    draw: (p, ctx) => one({ kind: 'member-api', operators: p.intRange(1, MEMBER_API_OPERATORS_MAX) }, ctx),
    wholeRun: true,
  },
  'late-answers': {
    membersMin: 3,
    description: "slow what the others send the leader by hundreds of ms, then cut its links and pause it; it runs again after a new leader, takes the reads that reached it meanwhile, and only then gets the late answers to its earlier heartbeat rounds (etcd#20418)",
    draw: (p, ctx) =>
      one({
        kind: 'cut-then-pause',
        pauseAfterMs: p.intRange(0, LATE_ANSWERS_PAUSE_AFTER_MS_MAX),
        resumeAfterLeaderMs: p.intRange(LATE_ANSWERS_RESUME_MS_MIN, LATE_ANSWERS_RESUME_MS_MAX),
        lateAnswersMs: p.intRange(LATE_ANSWERS_MS_MIN, LATE_ANSWERS_MS_MAX),
      }, ctx),
  },
  'joint-membership': {
    membersMin: 3,
    description: 'replace a member through joint consensus (the removal and the promotion each a joint configuration, left automatically); half the time the leader is armed first to crash once it and another member apply the joint configuration that adds a voter, so the others elect while both majorities count',
    draw: (p, ctx) => {
      const change: Fault = { kind: 'membership', action: 'joint-replace', target: p.pick(['leader', 'follower'] as const) };
      if (!p.chance(1, 2)) return one(change, ctx);
      const crash: Fault = { kind: 'kill', target: 'leader', after: 'joint-add', downMs: p.intRange(CRASH_DOWN_MS_MIN, JOINT_CRASH_DOWN_MS_MAX) };
      return [{ fault: crash, durationMs: JOINT_CRASH_ARM_MS }, { fault: change, durationMs: ctx.durationMs }];
    },
  },
  'crash-after-recovery': {
    membersMin: 2,
    description: "crash a member right after a leader's commit index advances, while its write is in flight (torn writes: the unsynced record may be left half-written), and crash it again right after it restarted and made its first write durable: what the first recovery left on the disk (a torn tail, records appended behind it) is read by the second",
    draw: (p, ctx) => {
      const again: Fault = { kind: 'kill', target: 'all', after: 'recovered', downMs: p.intRange(CRASH_DOWN_MS_MIN, CRASH_DOWN_MS_MAX) };
      const torn: Fault = { kind: 'kill', target: p.pick(['leader', 'follower'] as const), after: 'leader-commit', tornWrites: true, downMs: p.intRange(CRASH_DOWN_MS_MIN, CRASH_DOWN_MS_MAX) };
      return [{ fault: again, durationMs: MOMENT_ARM_MS }, { fault: torn, durationMs: ctx.durationMs }];
    },
  },
  'crash-after-snapshot-ack': {
    membersMin: 2,
    description: 'cut a follower off long enough to need a snapshot, with every member armed to crash right after it next acknowledges a snapshot from the leader (before anything else it writes is synced); it restarts a few ms later',
    draw: (p, ctx) => {
      const armed: Fault = { kind: 'kill', target: 'all', after: 'snapshot-ack', downMs: p.intRange(CRASH_DOWN_MS_MIN, CRASH_DOWN_MS_MAX) };
      const lag: Fault = { kind: 'partition', shape: 'isolate-one', target: 'follower' };
      return [{ fault: armed, durationMs: MOMENT_ARM_MS }, { fault: lag, durationMs: ctx.durationMs * 2 }];
    },
  },
  'joint-swap': {
    membersMin: 3,
    description: "change several voters in one ConfChangeV2 each (two followers demoted at once, one member swapped in for another, all promoted again), the leader's sends cut right after its commit index passes the first joint entry: it uses the joint configuration while the others still use the old one, and a majority of the incoming voters alone must not commit",
    draw: (p, _ctx) => {
      const cut: Fault = { kind: 'one-way', target: 'leader', direction: 'out', after: 'joint-commit' };
      const change: Fault = { kind: 'membership', action: 'joint-swap', target: p.pick(['leader', 'follower'] as const) };
      // The change first (its first proposal takes a round trip to commit), the cut armed 1 ms later.
      return [{ fault: change, durationMs: 1 }, { fault: cut, durationMs: p.intRange(JOINT_SWAP_CUT_MS_MIN, JOINT_SWAP_CUT_MS_MAX) }];
    },
  },
  'failed-transfer': {
    membersMin: 2,
    description: "move the leader to a follower cut off as the transfer starts (etcd's MoveLeader to a member that cannot answer): the leader drops every proposal, its own lease revokes included, until it gives the transfer up an election timeout later and stays leader",
    draw: (_p, ctx) => one({ kind: 'move-leader', target: 'follower', unreachable: true }, ctx),
  },
  buggify: {
    membersMin: 1,
    description: 'switch on the buggify fault sites in the server for the rest of the run',
    draw: (_p, ctx) => one({ kind: 'buggify' }, ctx),
    wholeRun: true,
  },
  figure8: {
    membersMin: FIGURE8_MEMBERS_MIN,
    description: "the Raft paper's Figure 8: a leader counts an older term's entry onto a majority, crashes, and a leader of a higher last term overwrites it",
    // The crash must land while the new leader is catching the others up on the old term's
    // entries, before its own entry reaches a majority: a few ms after its election.
    draw: (p, ctx) => one({ kind: 'figure8', crashDelayMs: p.intRange(FIGURE8_CRASH_DELAY_MS_MIN, FIGURE8_CRASH_DELAY_MS_MAX) }, ctx),
  },
};

/** A package a fault kind declares: one fault of the kind per occurrence. */
function declaredByKind(p: (typeof KIND_PACKAGES)[number]): NemesisPackage {
  return { name: p.name, description: p.description, membersMin: p.membersMin ?? 1, wholeRun: p.wholeRun === true, draw: (prng, ctx) => one(p.draw(prng, ctx.members), ctx) };
}

/** Every package, in the schema's order (NemesisPackages): the built-in ones, then the table's. */
const PACKAGES: readonly NemesisPackage[] = [
  ...BuiltinNemesisPackages.map((name): NemesisPackage => ({ name, ...BUILTIN[name] })),
  ...KIND_PACKAGES.map(declaredByKind),
];

const BY_NAME = new Map(PACKAGES.map((p) => [p.name, p]));
if (BY_NAME.size !== PACKAGES.length) throw new Error(`nemesis: a fault kind declares a package whose name is taken (${PACKAGES.map((p) => p.name).join(', ')})`);

export function nemesisPackage(name: NemesisPackageName): NemesisPackage {
  const p = BY_NAME.get(name);
  if (p === undefined) throw new Error(`nemesis: unknown package ${name}`);
  return p;
}

export function allPackages(): readonly NemesisPackage[] {
  return PACKAGES;
}

/** Shapes a partition fault can take, for property-test arbitraries. */
export const partitionShapes = PartitionShapes;
