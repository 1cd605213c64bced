// What each fault kind does to the world when it starts and what healing it undoes: one entry
// per kind of the fault table (../scenario/fault-kinds.ts), and the compiler refuses a kind
// without one. The nemesis (nemesis.ts) resolves nothing itself: it asks the effect, records
// the interval, composes the cuts of every active fault, and heals in reverse.
import type { CrashMoment, Fault, FaultKind, FaultOf, Target } from '../scenario/fault.ts';
import type { Cut } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import { CutThenPause } from './cut-then-pause.ts';
import { Figure8Sequence } from './figure8.ts';
import type { NemesisWorld } from './nemesis-world-port.ts';
import { partitionCuts } from './partition-shapes.ts';

/** What an effect may use: the world, the nemesis stream, and the nemesis's own bookkeeping. */
export interface NemesisContext {
  readonly world: NemesisWorld;
  readonly prng: Prng;
  /** Members a target names now, leaving out `avoid`; [] when none is left. */
  resolve(target: Target, avoid: ReadonlySet<string>): string[];
  /** Members the nemesis has crashed or paused and not yet brought back. */
  down(): ReadonlySet<string>;
  crash(node: string, tornWrites: boolean): void;
  /** Crashes `node` at its next `moment` (whenever that comes before the final heal) and restarts it `downMs` later. */
  armCrash(node: string, moment: CrashMoment, tornWrites: boolean, downMs: number): void;
  /** Restarts a member this nemesis crashed (no-op otherwise). */
  restart(node: string): void;
  pause(node: string): void;
  /** Resumes a member this nemesis paused (no-op otherwise). */
  resume(node: string): void;
  /** Replaces the cuts of the running fault (a sequence whose cuts change as it goes). */
  setOwnCuts(cuts: readonly Cut[]): void;
}

/** A started fault: the members it hit, its cuts, and a sequence that runs on by itself. */
export interface Started {
  readonly nodes: string[];
  readonly cuts: Cut[];
  /** Started by the nemesis once the fault is registered; false from start() refuses the fault. */
  readonly sequence?: { start(): boolean; stop(): void };
}

export interface FaultEffect<F extends Fault> {
  /** Applies the fault; undefined when it has no target left (e.g. every member is down). */
  start(fault: F, ctx: NemesisContext): Started | undefined;
  /** The fault's cuts must be re-composed when it heals even if it holds none now. */
  readonly cutsOnHeal?: boolean;
  /** Undoes what the fault changed network-wide, after its cuts are lifted. */
  healWorld?(fault: F, ctx: NemesisContext): void;
  /** Undoes what the fault did to one of its members. */
  healNode?(fault: F, node: string, ctx: NemesisContext): void;
}

const NO_CUTS: Cut[] = [];

/** An operator on the member API gives up on a change it has not seen applied after this long (unless the fault says). */
const MEMBER_API_REQUEST_TIMEOUT_MS = 300;

/** A member crashed at its moment comes back this long after (unless the fault says). */
const CRASH_DOWN_MS_DEFAULT = 10;

/** A fault applied to each member its target resolves to, among those up. */
function onEachMember<F extends FaultOf<FaultKind> & { target: Target }>(apply: (fault: F, node: string, ctx: NemesisContext) => void): FaultEffect<F>['start'] {
  return (fault, ctx) => {
    const nodes = ctx.resolve(fault.target, ctx.down());
    if (nodes.length === 0) return undefined;
    for (const node of nodes) apply(fault, node, ctx);
    return { nodes, cuts: NO_CUTS };
  };
}

// A skewed clock stays skewed until the liveness phase: NTP does not fix a clock at once.
const clockStaysSkewed = {};

export const FAULT_EFFECTS: { readonly [K in FaultKind]: FaultEffect<FaultOf<K>> } = {
  partition: {
    start: (f, ctx) => {
      const [nodes, cuts] = partitionCuts(ctx, f.shape, f.target);
      return { nodes, cuts };
    },
    cutsOnHeal: true,
  },
  'one-way': {
    start: (f, ctx) => {
      const nodes = ctx.resolve(f.target, new Set());
      const others = ctx.world.members().filter((m) => !nodes.includes(m));
      const cuts = nodes.flatMap((n) => others.map((o): Cut => (f.direction === 'in' ? [o, n] : [n, o])));
      if (f.after === undefined || nodes.length === 0) return { nodes, cuts };
      // Armed: the cuts come in force at the moment (in the instant it happens), until the heal.
      const moment = f.after;
      let disarm: (() => void) | undefined;
      const sequence = {
        start: (): boolean => {
          disarm = ctx.world.afterMoment(nodes[0]!, moment, () => ctx.setOwnCuts(cuts));
          return true;
        },
        stop: (): void => disarm?.(),
      };
      return { nodes, cuts: [], sequence };
    },
    cutsOnHeal: true,
  },
  kill: {
    start: onEachMember((f, node, ctx) => {
      // Read at the member's next start, whichever restart brings it back.
      if (f.restartWith !== undefined) ctx.world.setRaftSettings(node, f.restartWith);
      if (f.after === undefined) ctx.crash(node, f.tornWrites === true);
      else ctx.armCrash(node, f.after, f.tornWrites === true, f.downMs ?? CRASH_DOWN_MS_DEFAULT);
    }),
    // A crash waiting for its moment stays armed past the heal (the moment may come later) and
    // restarts the member itself, downMs after the crash.
    healNode: (f, node, ctx) => {
      if (f.after === undefined) ctx.restart(node);
    },
  },
  pause: {
    start: onEachMember((_f, node, ctx) => ctx.pause(node)),
    healNode: (_f, node, ctx) => ctx.resume(node),
  },
  'clock-skew': { start: onEachMember((f, node, ctx) => ctx.world.clockOffset(node, f.offsetMs * 1000)), ...clockStaysSkewed },
  'clock-jump': { start: onEachMember((f, node, ctx) => ctx.world.clockJump(node, f.jumpMs * 1000)), ...clockStaysSkewed },
  'clock-drift': { start: onEachMember((f, node, ctx) => ctx.world.clockDrift(node, f.driftPpm)), ...clockStaysSkewed },
  lossy: {
    start: (f, ctx) => {
      ctx.world.setLossy({ dropPercent: f.dropPercent, duplicatePercent: f.duplicatePercent ?? 0, reorderPercent: f.reorderPercent ?? 0, delayMsMax: f.delayMsMax ?? 0 });
      return { nodes: [], cuts: NO_CUTS };
    },
    healWorld: (_f, ctx) => ctx.world.setLossy(undefined),
  },
  clog: {
    start: onEachMember((_f, node, ctx) => ctx.world.clog(node)),
    healNode: (_f, node, ctx) => ctx.world.unclog(node),
  },
  'slow-disk': {
    start: onEachMember((f, node, ctx) => ctx.world.setFsyncLatency(node, f.fsyncMs * 1000)),
    healNode: (_f, node, ctx) => ctx.world.setFsyncLatency(node, undefined),
  },
  membership: {
    // One change at a time: the first member the target names; refused changes start nothing.
    start: (f, ctx) => {
      const nodes = ctx.resolve(f.target, ctx.down());
      const first = nodes[0];
      if (first === undefined || !ctx.world.membership(f.action, first)) return undefined;
      return { nodes, cuts: NO_CUTS };
    },
  },
  'member-api': {
    // Operators on the member API while the fault lasts (its package runs it the whole run).
    start: (f, ctx) => {
      let running: { stop(): void } | undefined;
      const sequence = {
        start: (): boolean => {
          running = ctx.world.memberOperators(f.operators, (f.requestTimeoutMs ?? MEMBER_API_REQUEST_TIMEOUT_MS) * 1000, ctx.prng.fork('member-operators'));
          return running !== undefined;
        },
        stop: (): void => running?.stop(),
      };
      return { nodes: [], cuts: NO_CUTS, sequence };
    },
  },
  'move-leader': {
    // Asked once, at the start: raft finishes the transfer or abandons it by itself, and nothing
    // is left to heal. The leader is never its own transferee. An unreachable transferee is cut
    // off in the same instant, before its catch-up or MsgTimeoutNow arrives: the transfer fails.
    start: (f, ctx) => {
      const leader = ctx.world.leader();
      const avoid = new Set(ctx.down());
      if (leader !== undefined) avoid.add(leader);
      const to = ctx.resolve(f.target, avoid)[0];
      if (to === undefined || !ctx.world.moveLeader(to)) return undefined;
      if (f.unreachable !== true) return { nodes: [to], cuts: NO_CUTS };
      const others = ctx.world.members().filter((m) => m !== to);
      return { nodes: [to], cuts: others.flatMap((o): Cut[] => [[o, to], [to, o]]) };
    },
    cutsOnHeal: true,
  },
  buggify: {
    start: (_f, ctx) => {
      ctx.world.buggify(true);
      return { nodes: [], cuts: NO_CUTS };
    },
  },
  'cut-then-pause': {
    // The leader cut off, then paused (./cut-then-pause.ts): its cuts are this fault's, and a
    // pause still on when the fault heals ends with it.
    start: (f, ctx) => {
      const [nodes, cuts] = partitionCuts(ctx, 'isolate-leader', undefined);
      const leader = nodes[0]!;
      if (f.lateAnswersMs === undefined) return { nodes, cuts, sequence: new CutThenPause(ctx, leader, f.pauseAfterMs * 1000, f.resumeAfterLeaderMs * 1000) };
      // Late answers: the sequence slows the others' links to the leader now and cuts the
      // leader's own links when it pauses it; until then the leader's rounds are answered, late.
      const late = { outboundCuts: cuts.filter(([from]) => from === leader), answersUs: f.lateAnswersMs * 1000 };
      return { nodes, cuts: [], sequence: new CutThenPause(ctx, leader, f.pauseAfterMs * 1000, f.resumeAfterLeaderMs * 1000, late) };
    },
    cutsOnHeal: true,
    healNode: (_f, node, ctx) => ctx.resume(node),
  },
  figure8: {
    // The Figure 8 sequence (./figure8.ts): its cuts and crashes are this fault's, healed with it.
    start: (f, ctx) => {
      const nodes: string[] = [];
      const sequence = new Figure8Sequence(ctx.world, ctx.prng, {
        setCuts: (cuts) => ctx.setOwnCuts(cuts),
        crash: (node) => {
          if (!ctx.down().has(node)) ctx.crash(node, false);
        },
        targeted: (node) => {
          if (!nodes.includes(node)) nodes.push(node);
        },
      }, f.crashDelayMs * 1000, (f.l2RunMs ?? 0) * 1000);
      return { nodes, cuts: [], sequence };
    },
    cutsOnHeal: true,
    healNode: (_f, node, ctx) => ctx.restart(node),
  },
};
