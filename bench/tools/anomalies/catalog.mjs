// Every anomaly class the campaign plants, with the checker expected to convict it (any
// checker's conviction counts; the expected one is reported beside it).
import { deleteCountShort, deleteCountWrong, deletePrevKvPhantom, duplicateRevision, lostDelete, lostWrite, putPrevKvStale, pastReadHeaderBehind, pastReadLaterKv, pastReadLaterVersion, phantomRead, putPrevKvPhantom, rangeCountWrong, readWrongVersion, revisionBackwards, staleRead, txnHalfApplied, compactedReadAnswered, revisionBackwardsClient, staleReadOwnWrite, txnCompareWrongRevision, txnCompareNegated, rangeOrderWrong, rangeMoreWrong, compactedAnswerUncompacted, rangeLimitCountCapped, rangeLimitExceeded, rangeSortIgnored, txnCompactedReadAnswered, txnCompactedAnswerUncompacted } from './kv-anomalies.mjs';
import { leaseGrantLiveId, leaseKeepAliveAfterExpiry, leaseTtlAfterRevoke, leaseKeepAliveTtlNotGranted, leaseKeyOutlivesTtl, leaseKeySurvivesRevoke, leaseRenewedAfterRevoke, leaseTtlAboveGrant, leaseTtlAboveOwnGranted, leaseTtlDisagreeUngranted, lockOverlap, leaseRegrantRevivesKey, leaseRevokedEarly } from './lease-anomalies.mjs';
import { watchHeaderBehindEvents, watchStreamStops, watchWrongVersion, watchEventAfterCancel, watchEventDuplicated, watchEventMissing, watchEventsReordered, watchPhantomValue, watchProgressEarly, watchWrongPrevKv, watchPrevKvOlder, watchPrevKvBeforeWatch, watchDeleteNeverPut, watchEventAfterClientCancel, watchFilterViolated } from './watch-anomalies.mjs';
import { lockOwnerNotFirstCreated, lockWaiterSkipsOwner } from './lock-anomalies.mjs';

export const ANOMALIES = [
  { name: 'stale-read', checker: 'linearizable', inject: staleRead },
  { name: 'phantom-read', checker: 'linearizable', inject: phantomRead },
  { name: 'lost-write', checker: 'linearizable', inject: lostWrite },
  { name: 'revision-backwards', checker: 'linearizable', inject: revisionBackwards },
  { name: 'duplicate-revision', checker: 'linearizable', inject: duplicateRevision },
  { name: 'txn-half-applied', checker: 'linearizable', inject: txnHalfApplied },
  { name: 'range-count-wrong', checker: 'linearizable', inject: rangeCountWrong },
  { name: 'range-order-wrong', checker: 'linearizable', inject: rangeOrderWrong },
  { name: 'range-more-wrong', checker: 'linearizable', inject: rangeMoreWrong },
  { name: 'range-limit-count-capped', checker: 'linearizable', inject: rangeLimitCountCapped },
  { name: 'range-limit-exceeded', checker: 'linearizable', inject: rangeLimitExceeded },
  // The robustness format's range has no sort (Start, End, Limit, Revision): its ranges answer in key order.
  { name: 'range-sort-ignored', checker: 'linearizable', inject: rangeSortIgnored, forms: ['run', 'jsonl', 'edn'] },
  { name: 'read-wrong-version', checker: 'linearizable', inject: readWrongVersion },
  { name: 'put-prev-kv-phantom', checker: 'linearizable', inject: putPrevKvPhantom },
  { name: 'delete-count-wrong', checker: 'linearizable', inject: deleteCountWrong },
  { name: 'delete-count-short', checker: 'linearizable', inject: deleteCountShort },
  { name: 'past-read-header-behind', checker: 'linearizable', inject: pastReadHeaderBehind },
  { name: 'past-read-later-version', checker: 'linearizable', inject: pastReadLaterVersion },
  { name: 'past-read-later-kv', checker: 'linearizable', inject: pastReadLaterKv },
  { name: 'lost-delete', checker: 'linearizable', inject: lostDelete },
  { name: 'delete-prev-kv-phantom', checker: 'linearizable', inject: deletePrevKvPhantom },
  { name: 'put-prev-kv-stale', checker: 'linearizable', inject: putPrevKvStale },
  { name: 'compacted-read-answered', checker: 'linearizable', inject: compactedReadAnswered },
  // The robustness format keeps no return of a failed request (etcd's tests record it past the end
  // of the run, as its export does): a compaction asked for later explains the "compacted" answer.
  { name: 'compacted-answer-uncompacted', checker: 'linearizable', inject: compactedAnswerUncompacted, forms: ['run', 'jsonl', 'edn'] },
  { name: 'txn-compacted-read-answered', checker: 'linearizable', inject: txnCompactedReadAnswered },
  { name: 'txn-compacted-answer-uncompacted', checker: 'linearizable', inject: txnCompactedAnswerUncompacted, forms: ['run', 'jsonl', 'edn'] },
  { name: 'revision-backwards-client', checker: 'linearizable', inject: revisionBackwardsClient },
  { name: 'stale-read-own-write', checker: 'linearizable', inject: staleReadOwnWrite },
  { name: 'txn-compare-wrong-revision', checker: 'linearizable', inject: txnCompareWrongRevision },
  // The robustness format's txn conditions are EQUAL ones only (EtcdCondition: a key's expected
  // mod revision or version): its export refuses any other compare.
  { name: 'txn-compare-negated', checker: 'linearizable', inject: txnCompareNegated, forms: ['run', 'jsonl', 'edn'] },
  { name: 'watch-event-missing', checker: 'watch', inject: watchEventMissing },
  { name: 'watch-event-duplicated', checker: 'watch', inject: watchEventDuplicated },
  { name: 'watch-events-reordered', checker: 'watch', inject: watchEventsReordered },
  { name: 'watch-wrong-prev-kv', checker: 'watch', inject: watchWrongPrevKv },
  { name: 'watch-prev-kv-older', checker: 'watch', inject: watchPrevKvOlder },
  { name: 'watch-prev-kv-before-watch', checker: 'watch', inject: watchPrevKvBeforeWatch },
  { name: 'watch-phantom-value', checker: 'watch', inject: watchPhantomValue },
  { name: 'watch-progress-early', checker: 'watch', inject: watchProgressEarly },
  { name: 'watch-event-after-cancel', checker: 'watch', inject: watchEventAfterCancel },
  // The robustness form's watch.json keeps what clientv3 delivered: nothing after a cancel, and no
  // Canceled response to put an event after (a response holds Events, IsProgressNotify, Revision,
  // Time and Error only: sim/history/etcd-robustness-watch.ts).
  { name: 'watch-event-after-client-cancel', checker: 'watch', inject: watchEventAfterClientCancel, forms: ['run', 'jsonl', 'edn'] },
  // Planted only in runs whose watches filter (watch-shapes). The robustness format's WatchRequest
  // has no filter (Key, Revision, WithPrefix, WithProgressNotify, WithPrevKV): its export refuses a
  // filtered watch, so that form cannot carry the class.
  { name: 'watch-filter-violated', checker: 'watch', inject: watchFilterViolated, forms: ['run', 'jsonl', 'edn'] },
  { name: 'watch-header-behind-events', checker: 'watch', inject: watchHeaderBehindEvents },
  { name: 'watch-wrong-version', checker: 'watch', inject: watchWrongVersion },
  { name: 'watch-delete-never-put', checker: 'watch', inject: watchDeleteNeverPut },
  // Judged only where the recording waited for every open watch (a run's converged liveness phase):
  // the files detcd check reads do not say so, and it says delivery up to the end was not judged.
  { name: 'watch-stream-stops', checker: 'watch', inject: watchStreamStops, forms: ['run'] },
  { name: 'lease-key-survives-revoke', checker: 'lease', inject: leaseKeySurvivesRevoke },
  // A TTL is judged with the run's leader timeline, or in the files detcd check reads with the
  // leader changes their answers' raft_term shows (answer-terms.ts): the robustness export keeps
  // no lease TTL nor raft_term.
  { name: 'lease-key-outlives-ttl', checker: 'lease', inject: leaseKeyOutlivesTtl, forms: ['run', 'jsonl', 'edn'] },
  // Judged only where lease answers carry the lessor that served them (detcd's members, a run's
  // checkers): a real etcd follower fills in its own header and forwards to a leader that may not
  // have applied the revoke, so detcd check does not judge these (lease-renewed-ended.ts).
  { name: 'lease-renewed-after-revoke', checker: 'lease', inject: leaseRenewedAfterRevoke, forms: ['run'] },
  // Judged with a leader timeline, as lease-key-outlives-ttl.
  { name: 'lease-keepalive-after-expiry', checker: 'lease', inject: leaseKeepAliveAfterExpiry, forms: ['run', 'jsonl', 'edn'] },
  { name: 'lease-keepalive-ttl-not-granted', checker: 'lease', inject: leaseKeepAliveTtlNotGranted },
  { name: 'lease-ttl-above-grant', checker: 'lease', inject: leaseTtlAboveGrant },
  // The robustness format has no TimeToLive.
  { name: 'lease-ttl-above-own-granted', checker: 'lease', inject: leaseTtlAboveOwnGranted, forms: ['run', 'jsonl', 'edn'] },
  // The robustness format has no keep-alive.
  { name: 'lease-ttl-disagree-ungranted', checker: 'lease', inject: leaseTtlDisagreeUngranted, forms: ['run', 'jsonl', 'edn'] },
  { name: 'lease-grant-live-id', checker: 'lease', inject: leaseGrantLiveId },
  { name: 'lease-regrant-revives-key', checker: 'lease', inject: leaseRegrantRevivesKey },
  { name: 'lease-ttl-after-revoke', checker: 'lease', inject: leaseTtlAfterRevoke, forms: ['run'] },
  // Judged with a leader timeline that says which keep-alives the leader in office renewed: a run's
  // checkers, and detcd check of a real run's report with its leader-timeline.jsonl (the jsonl
  // form of a real run keeps it; of a simulated run it has none, and the edn and robustness forms never).
  { name: 'lease-revoked-early', checker: 'lease', inject: leaseRevokedEarly, forms: ['run', 'jsonl'] },
  { name: 'lock-overlap', checker: 'lock', inject: lockOverlap },
  // The lock recipe's acquire order by create revision, in the answers it reads (lock-anomalies.mjs):
  // the robustness format's range has no sort nor create-revision filter, its export refuses them.
  { name: 'lock-owner-not-first-created', checker: 'linearizable', inject: lockOwnerNotFirstCreated, forms: ['run', 'jsonl', 'edn'] },
  { name: 'lock-waiter-skips-owner', checker: 'linearizable', inject: lockWaiterSkipsOwner, forms: ['run', 'jsonl', 'edn'] },
];
