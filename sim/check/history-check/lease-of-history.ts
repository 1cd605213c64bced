// The lease checker (lease.ts) on an etcd history from elsewhere (`detcd check --model etcd`),
// which comes without the scenario and the leader timeline a run has. What the history does not
// say is taken at its worst for the lease, so only answers no etcd 3.4 gives are convicted:
// - leader changes: where the answers' raft_term first shows a higher term (answer-terms.ts);
//   each may restart every TTL (Promote) for etcd's largest election timeout + TTL. A history
//   whose answers carry no raft_term, or no times, leaves them unknown and a lease outliving its
//   TTL (rule 3) is not judged;
// - a lease's deadline (rule 3) gets a grace of etcd's largest election timeout (a leader may
//   apply its term's first entry, and promote, that much after the member that answered first
//   in its term; a leader transfer that aborts, with no new term, drops proposals, the revoke
//   too, for as long) + the lessor's retry of a revoke that failed (3 s) and its expiry check
//   (500 ms) + the drift of the leader's clock over the TTL;
// - the election timeout a new leader adds (rule 5's TimeToLive ceiling): etcd's largest
//   (--election-timeout must stay under 50 s);
// - clocks: etcd expires leases on the leader's monotonic clock (no steps), which may run up to
//   LEASE_CLOCK_DRIFT_PPM_MAX fast or slow against the clock that timed the history;
// - a lease answer's raft_term is the answering member's, not the renewing leader's (rules 6, 7 off).
// A robustness-test report records no TTL, keep-alive nor lease lookup: its leases are the
// etcd model's (revokes delete keys), and this checker does not run on it.
import { checkLease, type LeaseCheckOptions, type LeaseCheckResult } from '../lease.ts';
import type { Op } from '../../history/op.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { answerTermChanges } from './answer-terms.ts';
import { int } from '../models/etcd/json.ts';

/** etcd 3.4 refuses an --election-timeout of 50 s or more (embed/config.go). */
export const ETCD_ELECTION_TIMEOUT_US_MAX = 50_000_000;
import { LEASE_CLOCK_DRIFT_PPM_MAX } from './options.ts';
import { count } from '../../text/count.ts';
import { leaseTimesUnknown, timesBackward } from './lease-times.ts';
import type { NotJudged } from '../not-judged.ts';
import { ungrantedAnswersNotJudged } from '../lease-ttl-agree.ts';
import { pairLeaseOps } from '../lease-pairs.ts';
export { LEASE_CLOCK_DRIFT_PPM_MAX };

export const HISTORY_LEASE_OPTIONS: LeaseCheckOptions = {
  leaderChangesUnknown: true,
  electionTimeoutUs: ETCD_ELECTION_TIMEOUT_US_MAX,
  clockDriftPpmMax: LEASE_CLOCK_DRIFT_PPM_MAX,
  clockJumpUsMax: 0,
  slowClock: { driftPpmMax: LEASE_CLOCK_DRIFT_PPM_MAX, jumpUsMax: 0 },
  answersCarryLeaderTerm: false,
};

const grants = (ops: readonly Op[]): boolean => ops.some((op) => op.type === 'invoke' && op.f === 'lease/grant');

/**
 * Whether the history has leases to judge: a grant asked for, or a keep-alive or TimeToLive
 * answered (judged against its own grantedTTL, or against the other answers about its lease,
 * grant or not: lease-ttl-answers.ts, lease-ttl-agree.ts).
 */
export function hasLeases(ops: readonly Op[]): boolean {
  return grants(ops) || ops.some((op) => op.type === 'ok' && (op.f === 'lease/timetolive' || op.f === 'lease/keepalive'));
}

/**
 * A history's keep-alive and TimeToLive answers about a lease no grant of it made before them
 * that no rule judges (lease-ttl-agree.ts): the lease checker's other rules start from a lease's
 * grant, and the etcd model leaves lease reads to it, so the verdict says so.
 */
export function leaseReadsWithoutGrant(ops: readonly Op[]): NotJudged | undefined {
  const n = ungrantedAnswersNotJudged(ops, pairLeaseOps(ops).grants);
  return n === 0 ? undefined : { count: n, what: 'keep-alive or TimeToLive answer', why: 'no grant of the history made its lease before it, and no other answer about that lease says a TTL to compare with (a "not found", or the only answer): the lease checker\'s other rules start from a grant' };
}

/** etcd 3.4's lessor: a revoke that failed is tried again 3 s later (expiredLeaseRetryInterval); expiries are looked for every 500 ms. */
export const LEASE_REVOKE_RETRY_US = 3_000_000;
export const LEASE_EXPIRY_CHECK_US = 500_000;

/** Rule 3's grace on a history (see the head of this file), for its longest granted TTL. */
export function historyGraceUs(ops: readonly Op[]): number {
  let ttlSecondsMax = 0;
  for (const op of ops) if (op.type === 'ok' && op.f === 'lease/grant') ttlSecondsMax = Math.max(ttlSecondsMax, int((op.value as Record<string, unknown> | null)?.['TTL']));
  return ETCD_ELECTION_TIMEOUT_US_MAX + LEASE_REVOKE_RETRY_US + LEASE_EXPIRY_CHECK_US + Math.ceil((ttlSecondsMax * 1e6 * LEASE_CLOCK_DRIFT_PPM_MAX) / 1e6);
}

/** `deadline`: the check's time budget (--timeout-ms), past which the verdict is unknown. */
export function checkHistoryLeases(ops: readonly Op[], deadline?: () => boolean): LeaseCheckResult {
  // Without a grant only TimeToLive answers against their own grantedTTL are judged: no time, no leader change read.
  if (!grants(ops)) return checkLease(ops, withFields(HISTORY_LEASE_OPTIONS, { deadline }));
  const backward = timesBackward(ops);
  if (backward !== undefined) return leaseTimesUnknown(ops, backward);
  const terms = answerTermChanges(ops);
  if ('unknown' in terms) {
    const r = checkLease(ops, withFields(HISTORY_LEASE_OPTIONS, { deadline }));
    return r.valid === true ? withFields(r, { summary: `${r.summary ?? ''} (leases outliving their TTL not judged: no leader timeline, and ${terms.unknown})` }) : r;
  }
  const r = checkLease(ops, withFields(HISTORY_LEASE_OPTIONS, { leaderChangesUnknown: false, leaderChangesUs: terms.changesUs, graceUs: historyGraceUs(ops), deadline }));
  const judged = `leases outliving their TTL judged against the ${count(terms.changesUs.length, 'leader change')} the answers' raft_term shows, each restarting every TTL`;
  return r.valid === true ? withFields(r, { summary: `${r.summary ?? ''} (${judged})` }) : r;
}
