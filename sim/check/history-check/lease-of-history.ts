// The lease checker (lease.ts) on an etcd history from elsewhere (`detcd check --model etcd`),
// which comes without the scenario and the leader timeline a run has. What the history does not
// say is taken at its worst for the lease, so only answers no etcd 3.4 gives are convicted:
// - leader changes: unknown; each may restart every TTL (Promote), so a lease outliving its TTL
//   (rule 3) is not judged;
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

/** etcd 3.4 refuses an --election-timeout of 50 s or more (embed/config.go). */
export const ETCD_ELECTION_TIMEOUT_US_MAX = 50_000_000;
/** A generous bound on a quartz clock's drift against another (NTP keeps them within 500 ppm). */
export const LEASE_CLOCK_DRIFT_PPM_MAX = 1000;

export const HISTORY_LEASE_OPTIONS: LeaseCheckOptions = {
  leaderChangesUnknown: true,
  electionTimeoutUs: ETCD_ELECTION_TIMEOUT_US_MAX,
  clockDriftPpmMax: LEASE_CLOCK_DRIFT_PPM_MAX,
  clockJumpUsMax: 0,
  slowClock: { driftPpmMax: LEASE_CLOCK_DRIFT_PPM_MAX, jumpUsMax: 0 },
  answersCarryLeaderTerm: false,
};

/** Whether the history has leases to judge: a grant asked for. */
export function hasLeases(ops: readonly Op[]): boolean {
  return ops.some((op) => op.type === 'invoke' && op.f === 'lease/grant');
}

export function checkHistoryLeases(ops: readonly Op[]): LeaseCheckResult {
  const r = checkLease(ops, HISTORY_LEASE_OPTIONS);
  return r.valid === true ? withFields(r, { summary: `${r.summary ?? ''} (leases outliving their TTL not judged: no leader timeline)` }) : r;
}
