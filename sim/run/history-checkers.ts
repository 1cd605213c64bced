// The checkers that judge the recorded history (sim/check/): linearizability of every etcd
// request against the etcd model, and etcd's watch and lease guarantees. Each runs inside a
// bound: when the linearizability search runs out of steps the verdict is "unknown", never
// "valid".
import { EXPIRED_LEASE_RETRY_INTERVAL_MS, LEASE_CHECK_INTERVAL_MS } from '../../src/server/member-config.ts';
import { checkRecordedHistory } from '../check/check-history.ts';
import type { CheckBudget } from '../check/linearizability/check.ts';
import { checkLease } from '../check/lease.ts';
import type { LeaseCheckOptions } from '../check/lease.ts';
import type { LeaderInOffice } from '../check/lease-revoked-early.ts';
import type { RenewalProof } from '../check/renewal-proof.ts';
import { clockErrorOf } from '../nemesis/clock-error.ts';
import type { CheckResult } from '../check/verdict.ts';
import { checkWatch, type WatchCheckOptions } from '../check/watch.ts';
import { checkErrorReplies } from '../check/error-replies.ts';
import { writesOnly } from '../check/writes-only.ts';
import { allowsAnomalyOf } from '../check/documented-anomalies.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import type { CheckerName, Scenario } from '../scenario/schema.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { packedNumbers } from '../check/packed-map.ts';
import { fixedShapeOps } from '../check/fixed-shape.ts';
import { checkAuth } from '../check/auth.ts';
import { isAuthOp } from '../check/auth-ops.ts';

/** Model steps the linearizability search may take per history op, and in all (seconds of search). */
const LINEARIZABILITY_STEPS_PER_OP = 500;
const LINEARIZABILITY_STEPS_MIN = 200_000;
const LINEARIZABILITY_STEPS_MAX = 2_000_000;

export interface HistoryContext {
  scenario: Scenario;
  /** The history log hit its bound and stopped recording: nothing checked on it can be "valid". */
  historyTruncated?: boolean;
  /** Simulated µs of each leader change (a new leader restarts every lease's TTL). */
  leaderChangesUs: readonly number[];
  /** Per leader change (as leaderChangesUs), the checkpointed remaining TTL (s) of each lease its leader promoted with. */
  leaderChangeTtls?: readonly (ReadonlyMap<string, number> | undefined)[] | undefined;
  /** Simulated µs of each leader transfer asked for (the leader drops proposals, lease revokes too, while it lasts). */
  transfersUs?: readonly number[];
  /** Per transfer (as transfersUs), the latest moment it may still have dropped proposals (a real run: the fault's heal). */
  transferEndsUs?: readonly number[];
  /**
   * Leaders as they took office (term > 0), exactly when they did: a lease keep-alive answered in
   * an older term than a leader in office renewed nothing. Without them only grants renew.
   */
  leaders?: readonly LeaderInOffice[];
  /**
   * The lease answers' raft_term is the term of the leader that served them: true for detcd's
   * simulated members (a follower passes the leader's answer through), not for a real etcd.
   */
  leaseAnswersFromLeader?: boolean;
  /** A real etcd run's polled leader timeline: which keep-alives renewed on the leader in office (sim/check/renewal-proof.ts). */
  renewalProof?: RenewalProof;
  /**
   * The linearizability search's step bound, when a caller can afford more than a simulated run
   * (a real-etcd run costs seconds of machine time; its timed-out writes make searches longer).
   */
  linearizabilityStepsMax?: number;
  /** The search's memory probe (CheckBudget.memory), for a caller that owns a real process's heap. */
  linearizabilityMemory?: () => string | undefined;
  /**
   * The revision the run's liveness phase found every member at and every open watcher past
   * before the run ended (watchesCaughtUpRevision in liveness.ts): the watch checker then judges
   * that each open watch delivered everything up to it.
   */
  watchesCaughtUpRevision?: number;
}

export function historyCheckers(names: ReadonlySet<CheckerName>, recorded: readonly Op[], watches: readonly WatchRecord[], ctx: HistoryContext): Record<string, CheckResult> {
  const out: Record<string, CheckResult> = {};
  // Every checker reads one copy in fixed shapes (sim/check/fixed-shape.ts): a cold worker then
  // compiles each checker once instead of again at every new shape of op, request or array.
  const all = fixedShapeOps(recorded);
  // Auth requests change who may do what, not the key space, and a watch's create (the auth
  // workload's) reads nothing: the etcd model judges the rest (auth.ts judges them).
  const history = all.some(isAuthOp) ? all.filter((op) => !isAuthOp(op)) : all;
  if (names.has('auth')) out['auth'] = checkAuth(all);
  if (names.has('linearizable')) {
    const lines = packedNumbers(history, (_, i) => i + 1);
    const maxSteps = linearizabilityStepsMax(ctx, history.length);
    const budget: CheckBudget = ctx.linearizabilityMemory === undefined ? { maxSteps } : { maxSteps, memory: ctx.linearizabilityMemory };
    const leaseClock = clockErrorOf(ctx.scenario);
    const result = checkRecordedHistory({ ops: [...history], lines }, 'etcd', budget, { watches, leaseClock });
    const summary = result.valid === true ? `${result.ops} ops linearizable (${result.steps} model steps)` : result.valid === false ? `not linearizable (${result.ops} ops)` : `unknown: ${result.unknownReason ?? 'budget'}`;
    out['linearizable'] = withFields(result, { summary: result.summary ?? summary });
    // A scenario that allows stale-read anomalies still judges its writes: linearized without the
    // reads, they must be linearizable (this verdict is never excused; it is also the evidence
    // that a linearizability violation is stale reads only: sim/check/documented-anomalies.ts).
    if (allowsAnomalyOf(ctx.scenario, 'linearizable')) {
      const writes = writesOnly(history);
      const w = checkRecordedHistory({ ops: writes, lines: packedNumbers(writes, (op) => op.index + 1) }, 'etcd', budget, { watches, leaseClock });
      const wSummary = w.valid === true ? `writes linearizable without the reads: ${w.ops} ops` : w.valid === false ? `writes not linearizable even without the reads (${w.ops} ops)` : `unknown: ${w.unknownReason ?? 'budget'}`;
      out['linearizable-writes'] = withFields(w, { summary: wSummary });
    }
    // The error replies among the answers: etcd's code and text for each message.
    out['error-replies'] = checkErrorReplies(history);
  }
  if (names.has('watch') && watches.length > 0) out['watch'] = checkWatch(watches, history, watchCheckOptions(ctx));
  if (names.has('lease')) out['lease'] = checkLease(history, leaseCheckOptions(ctx));
  return ctx.historyTruncated === true ? truncatedVerdicts(out, history.length) : out;
}

/** The linearizability search's step bound for a history of `ops` ops (auth requests left out). */
export function linearizabilityStepsMax(ctx: HistoryContext, ops: number): number {
  return ctx.linearizabilityStepsMax ?? Math.min(LINEARIZABILITY_STEPS_MAX, Math.max(LINEARIZABILITY_STEPS_MIN, LINEARIZABILITY_STEPS_PER_OP * ops));
}

/** The ops of a history the etcd model judges: all but the auth requests (auth.ts judges those). */
export const modelOpCount = (recorded: readonly Op[]): number => recorded.reduce((n, op) => (isAuthOp(op) ? n : n + 1), 0);

/** The watch checker's options for a run. */
export function watchCheckOptions(ctx: HistoryContext): WatchCheckOptions {
  const options: WatchCheckOptions = { expectRevisionUnique: ctx.scenario.workload.kind === 'kubernetes' };
  if (ctx.watchesCaughtUpRevision !== undefined) options.caughtUpRevision = ctx.watchesCaughtUpRevision;
  return options;
}

/**
 * The lease checker's options for a run: its leader timeline, the scenario's election timeout and
 * clock bounds. A real run's report keeps them (leader-timeline.jsonl) for `detcd check`.
 */
export function leaseCheckOptions(ctx: HistoryContext): LeaseCheckOptions {
  const raft = ctx.scenario.cluster.raft;
  const clock = clockErrorOf(ctx.scenario);
  const options: LeaseCheckOptions = {
    leaderChangesUs: ctx.leaderChangesUs,
    electionTimeoutUs: raft.electionTicks * raft.tickMs * 1000,
    clockDriftPpmMax: clock.driftPpmMax,
    clockJumpUsMax: clock.jumpUsMax,
    slowClock: slowClockOf(ctx.scenario),
    answersCarryLeaderTerm: ctx.leaseAnswersFromLeader === true,
  };
  if (ctx.leaders !== undefined) options.leaders = ctx.leaders;
  if (ctx.leaderChangeTtls !== undefined && ctx.scenario.cluster.etcd.leaseCheckpointing) options.leaderChangeTtls = ctx.leaderChangeTtls;
  if (ctx.renewalProof !== undefined) options.renewalProof = ctx.renewalProof;
  if (ctx.transfersUs !== undefined && ctx.transfersUs.length > 0) {
    // Sorted by start, each with its end where the run knows one.
    const order = ctx.transfersUs.map((_, i) => i).sort((a, b) => ctx.transfersUs![a]! - ctx.transfersUs![b]!);
    options.transfersUs = order.map((i) => ctx.transfersUs![i]!);
    if (ctx.transferEndsUs !== undefined) options.transferEndsUs = order.map((i) => ctx.transferEndsUs![i]!);
    // The lessor finds a lease whose revoke was dropped again 3 s after it proposed it, at its next check.
    options.revokeRetryUs = (EXPIRED_LEASE_RETRY_INTERVAL_MS + LEASE_CHECK_INTERVAL_MS) * 1000;
  }
  return options;
}

/**
 * How far a member clock may run slow or step back in a scenario (the mirror of clockErrorOf,
 * which bounds fast clocks and forward steps): drift of either sign, steps of either direction.
 */
export function slowClockOf(scenario: Scenario): { driftPpmMax: number; jumpUsMax: number } {
  if (scenario.schedule === undefined) {
    const packages = new Set(scenario.nemesis.packages);
    const clock = clockErrorOf(scenario);
    return { driftPpmMax: clock.driftPpmMax, jumpUsMax: packages.has('clock') || packages.has('clock-jumps') ? Infinity : 0 };
  }
  let driftPpmMax = 0;
  let jumpUsMax = 0;
  for (const { fault } of scenario.schedule) {
    if (fault.kind === 'clock-drift') driftPpmMax = Math.max(driftPpmMax, Math.abs(fault.driftPpm));
    else if (fault.kind === 'clock-skew') jumpUsMax += Math.abs(fault.offsetMs) * 1000;
    else if (fault.kind === 'clock-jump') jumpUsMax += Math.abs(fault.jumpMs) * 1000;
  }
  return { driftPpmMax, jumpUsMax };
}

/**
 * A history cut at its bound lacks what happened after the cut: a violation found in it is
 * still one, but "valid" only covers part of the run, so it becomes "unknown".
 */
export function truncatedVerdicts(results: Record<string, CheckResult>, recordedOps: number): Record<string, CheckResult> {
  const out: Record<string, CheckResult> = {};
  for (const [name, r] of Object.entries(results)) {
    out[name] = r.valid !== true ? r : withFields(r, { valid: 'unknown' as const, unknownReason: 'history truncated at its bound', summary: `unknown: the history was truncated at its bound (${recordedOps} ops recorded); ${r.summary ?? 'valid'} for the recorded part only` });
  }
  return out;
}
