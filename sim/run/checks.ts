// The checkers of a run, by name, each with its own verdict (composed by results-build.ts):
// linearizability of the etcd history, watch and lease guarantees, lock mutual exclusion, the
// Raft invariants (checked online, on every event), liveness after healing and convergence.
import type { CheckResult } from '../check/verdict.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import type { CheckerName, Scenario } from '../scenario/schema.ts';
import { checkMutex } from '../check/mutex.ts';
import { convergenceOf } from '../etcd/member-status.ts';
import { LEADER_SAMPLE_US } from '../etcd/leader-timeline.ts';
import { leaseRestarts } from './lease-restarts.ts';
import type { LeaderSpan } from '../etcd/leader-timeline.ts';
import { historyCheckers, type HistoryContext } from './history-checkers.ts';
import type { LeaderInOffice } from '../check/lease-revoked-early.ts';
import { watchesCaughtUpRevision, type LivenessResult } from './liveness.ts';
import type { RunStop } from './run-stop.ts';
import { withFields } from '../../src/object/with-fields.ts';

export interface ChecksInput {
  scenario: Scenario;
  history: readonly Op[];
  watches: readonly WatchRecord[];
  lockHistory: readonly Op[] | undefined;
  liveness: LivenessResult | undefined;
  /** The "raft" checker's verdict (sim/run/scenario-cluster.ts raftVerdict). */
  raft: CheckResult;
  leaders: readonly LeaderSpan[];
  /** The history log hit its bound (sim/etcd/history-log.ts): history verdicts cannot be "valid". */
  historyTruncated?: boolean;
  /** The broken invariant that stopped the run, if one did. */
  stop: RunStop | undefined;
  /** Simulated µs of each leader transfer the nemesis asked for (the leader drops proposals while it lasts). */
  transfersUs?: readonly number[];
  /**
   * The checkpointed remaining TTL (s) of each lease when term `term`'s leader promoted its lessor,
   * read from the committed log (sim/etcd/lease-checkpoint-log.ts); undefined: no such promotion seen.
   */
  leaseTtlsAtPromotion?: (term: number) => ReadonlyMap<string, number> | undefined;
  /** Every term whose leader could have promoted its lessor (its first entry applied), ascending. */
  leasePromotedTerms?: () => readonly number[];
}

/** The checkers a scenario runs when it names none. */
export function defaultCheckers(scenario: Scenario): CheckerName[] {
  const base: CheckerName[] = ['linearizable', 'convergence', 'raft'];
  if (scenario.clients.watchers) base.push('watch');
  // The lock recipe's sessions are leases (grants, keep-alives, revokes on release): their
  // answers are judged like any lease's, beside mutual exclusion.
  if (scenario.workload.kind === 'lease' || scenario.workload.kind === 'etcd' || scenario.workload.kind === 'lock') base.push('lease');
  if (scenario.workload.kind === 'lock') base.push('lock');
  if (scenario.workload.kind === 'auth') base.push('auth');
  return base;
}

export function runChecks(input: ChecksInput): Record<string, CheckResult> {
  const names = new Set<CheckerName>(input.scenario.checkers ?? defaultCheckers(input.scenario));
  names.add('raft');
  const out: Record<string, CheckResult> = {};
  const stop = input.stop;
  if (names.has('raft')) {
    const raft = input.raft;
    out['raft'] = stop?.checker === 'raft' ? withFields(raft, { valid: false, summary: stop.message, stop }) : raft;
  }
  if (stop !== undefined && stop.checker !== 'raft') out[stop.checker] = { valid: false, summary: stop.message, stop };
  if (input.liveness !== undefined) {
    const { valid, summary, ...detail } = input.liveness;
    out['liveness'] = { valid, summary, ...detail };
  } else if (stop !== undefined) {
    out['liveness'] = { valid: 'unknown', summary: 'not reached: the safety phase stopped on a violation' };
  }
  if (names.has('convergence') && input.liveness !== undefined) out['convergence'] = convergence(input.liveness);
  const ctx = historyContextOf(input);
  if (names.has('lock')) out['lock'] = checkMutex(input.lockHistory ?? [], ctx.leaders);
  Object.assign(out, historyCheckers(names, input.history, input.watches, ctx));
  return out;
}

/** What the history checkers of a simulated run judge with beyond the history (its report keeps it: leader-timeline-of.ts). */
export function historyContextOf(input: ChecksInput): HistoryContext & { leaders: readonly LeaderInOffice[] } {
  // The timeline samples every LEADER_SAMPLE_US: a leader may have taken office that much earlier.
  const leaders = input.leaders.filter((l) => l.term > 0).map((l) => ({ term: l.term, startUs: Math.max(0, l.startUs - LEADER_SAMPLE_US) }));
  const caughtUp = watchesCaughtUpRevision(input.liveness);
  const atPromotion = input.leaseTtlsAtPromotion;
  const promotedTerms = input.leasePromotedTerms;
  const promotions = atPromotion === undefined ? undefined : { ttlsAt: atPromotion, ...(promotedTerms === undefined ? {} : { terms: promotedTerms }) };
  const restarts = leaseRestarts(input.leaders, promotions);
  const leaderChangesUs = restarts.changesUs;
  const leaderChangeTtls = atPromotion === undefined ? undefined : restarts.ttls;
  return { scenario: input.scenario, leaderChangesUs, leaders, historyTruncated: input.historyTruncated === true, leaseAnswersFromLeader: true, transfersUs: input.transfersUs ?? [], leaderChangeTtls, ...(caughtUp === undefined ? {} : { watchesCaughtUpRevision: caughtUp }) };
}

/** Every member at one revision, compact revision and KV hash at the end of the liveness phase. */
export function convergence(l: LivenessResult): CheckResult {
  const c = convergenceOf(Object.entries(l.members));
  return { valid: c.valid, summary: c.valid === true ? c.summary : `at the end: ${c.summary}`, members: l.members };
}
