// The lease checker on the history of a run's report, judged as the run judged it: with the
// leader timeline and options its report keeps (leader-timeline.jsonl,
// sim/history/leader-timeline-file.ts). Without them a history from elsewhere is judged with what
// its answers show alone (lease-of-history.ts), which cannot tell which keep-alives renewed on
// the leader in office: an early revoke after such a renewal (etcd#15247) goes unseen there.
// A real run's file holds the members' polled Status answers, from which the renewal proof is
// rebuilt; a simulated run's names its leaders as they took office (lease.leaders), which its
// answers' raft_term is judged against, as the run did.
import { checkLease, type LeaseCheckOptions, type LeaseCheckResult } from '../lease.ts';
import { renewalProof } from '../renewal-proof.ts';
import type { LeaderTimelineFile } from '../../history/leader-timeline-file.ts';
import type { Op } from '../../history/op.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { count } from '../../text/count.ts';
import { leaseTimesUnknown, timesBackward } from './lease-times.ts';

/** The run's lease checker options: its own, and the renewal proof its polls and stopped spans give (a real run's). */
export function runLeaseOptions(t: LeaderTimelineFile): LeaseCheckOptions {
  if (t.lease.leaders !== undefined) return t.lease;
  return withFields(t.lease as LeaseCheckOptions, { renewalProof: renewalProof(t.members, t.samples, t.stopped) });
}

export function checkRunLeases(ops: readonly Op[], t: LeaderTimelineFile, file: string, deadline?: () => boolean): LeaseCheckResult {
  // A report's history, edited since (a run's times only go forward).
  const backward = timesBackward(ops);
  if (backward !== undefined) return leaseTimesUnknown(ops, backward);
  const r = checkLease(ops, withFields(runLeaseOptions(t), { deadline }));
  const how = t.lease.leaders !== undefined
    ? `judged as the run did: the leader timeline of ${file}, ${count(t.lease.leaders.length, 'leader')} in office`
    : `judged as the run did: the leader timeline of ${file}, ${count(t.samples.length, 'status answer')}${t.samplesTruncated ? ' (cut at their bound)' : ''}, ${count(t.stopped.length, 'stopped span')}`;
  return withFields(r, { summary: `${r.summary ?? String(r.valid)} (${how})` });
}
