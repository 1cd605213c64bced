// The fast mutants CI plants (test/bench/mutant-lane.ts), each with the one run (one scenario,
// one seed) measured to catch it and the checker that fails it
// (node bench/tools/mutants.mjs --only NAME --scenario SCENARIO --seeds SEED --jobs 1).

/** A mutant of bench/tools/mutants/list.mjs, the run that catches it, and the checker that does. */
export interface Pin {
  name: string;
  scenario: string;
  seed: number;
  checker: string;
}

export const PINNED: readonly Pin[] = [
  { name: 'hard-state-not-written-alone', scenario: 'buggify', seed: 1, checker: 'raft' },
  { name: 'compare-mod-uses-create', scenario: 'buggify', seed: 2, checker: 'linearizable' },
  { name: 'prevote-ignores-lease', scenario: 'prevote-rejoin', seed: 1, checker: 'raft' },
  { name: 'progress-for-unsynced', scenario: 'watch-progress', seed: 1, checker: 'watch' },
  { name: 'snapshot-older-than-applied', scenario: 'snapshot-pipeline', seed: 5, checker: 'raft' },
  // Caught first by answer-covers-commit (the run stops at its first stale answer), before: linearizable.
  { name: 'readindex-trusts-checkquorum', scenario: 'gc-pause', seed: 2, checker: 'raft' },
  { name: 'watch-cancelled-at-compact-rev', scenario: 'watch-compaction-churn', seed: 1, checker: 'watch' },
  // Holdout-2 (house): each caught only by what its blind spot's fix added.
  { name: 'learner-promotable', scenario: 'learner-churn', seed: 1, checker: 'raft' },
  { name: 'watch-filter-swapped', scenario: 'watch-shapes', seed: 1, checker: 'watch' },
  { name: 'error-code-compacted', scenario: 'kv-api', seed: 1, checker: 'error-replies' },
  { name: 'lease-ttl-rounds-up', scenario: 'lease-expiry-partition', seed: 1, checker: 'lease' },
  // Holdout-4 (bugs): caught only by the late keep-alives of lease-renew-expiry and lease rule 6.
  { name: 'renew-ready-ignores-expiry', scenario: 'lease-renew-expiry', seed: 4, checker: 'lease' },
  // Holdout-7 (bugs, eighth session): each missed by the campaign until the fix named.
  // A starved watcher delivered one revision behind: watch-trickle (about one request per tick).
  { name: 'victim-synced-one-early', scenario: 'watch-trickle', seed: 1, checker: 'watch' },
  // A lower-term leader not told of the newer term with PreVote alone: invariant stale-leader-answered.
  // Swarm seeds re-measured in the eleventh session, when the swarm began to draw the tenth
  // session's packages, watch batch limits and late duplicates (seeds 26 and 62 before).
  { name: 'stale-leader-not-told', scenario: 'swarm', seed: 22, checker: 'raft' },
  // Checkpoints saving the elapsed time: reached only once the swarm draws lease checkpointing
  // (seed 1 until s23's auth and lease workload shapes moved its draws; seed 24 is the first since).
  { name: 'lease-checkpoint-saves-elapsed', scenario: 'swarm', seed: 24, checker: 'invariants' },
  // The first hard state of the WAL read back on restart: invariant recovered-durable (holdout 8).
  // Seed 3 since the swarm draws joint-swap (twelfth session): seed 2 draws it and no longer
  // restarts a member where the mutant shows (caught by 22 of swarm 1..40, seed 3 the first).
  { name: 'restart-first-hard-state', scenario: 'swarm', seed: 3, checker: 'raft' },
  // A watcher synced after one partial catch-up batch: reached once the swarm draws small watch
  // batch limits (watchBatchMaxRevs 5-50; etcd's 1,000 was never a batch behind), holdout 9.
  { name: 'synced-after-partial-batch', scenario: 'swarm', seed: 15, checker: 'watch' },
  // Applied checkpoints dropped (holdout 12): a lease run down past a checkpoint, one leader move,
  // and a TimeToLive on the new leader answering more than the checkpoint left. Seed 1 since the
  // lease workload's grant-with-id and 1 s TTLs (s22) moved the draws: the lease checker catches it
  // on 4 of seeds 1..6 (1, 3, 4, 6), the invariants on all 6.
  { name: 'lease-checkpoints-ignored', scenario: 'lease-checkpoint-leader-change', seed: 1, checker: 'lease' },
  // A txn put reading the key as before the txn (holdout 13): reached once the wide API sends a
  // from-key delete and a put inside its range in one txn (4 of kv-api-wide 1..4).
  { name: 'put-reads-index-before-txn', scenario: 'kv-api-wide', seed: 1, checker: 'linearizable' },
  // A campaign with a committed conf change unapplied (holdout 13): followers that learn of the
  // commit while their fsync is slower than an election timeout, the leader gone; invariant
  // campaign-conf-applied (3 of conf-change-slow-apply 1..8).
  { name: 'campaign-with-unapplied-conf-change', scenario: 'conf-change-slow-apply', seed: 4, checker: 'raft' },
  // Holdout 13 (bugs, sixteenth session): an applied checkpoint that schedules no next one, by the
  // invariant lease-checkpoint-cadence (4 of seeds 1..4); a role revoke that keeps the auth
  // revision, by auth-revision-rises (4 of 4); a password change that keeps the user's tokens, by
  // the auth checker's stale-token rule (2 of 4).
  { name: 'checkpoint-not-rescheduled', scenario: 'lease-checkpoint-leader-change', seed: 1, checker: 'invariants' },
  { name: 'revoke-role-keeps-auth-revision', scenario: 'auth-permissions', seed: 1, checker: 'invariants' },
  // Seed 3 since role ra's second permission on key1 (holdout 18) moved the auth draws (3 of seeds 1..8: 3, 5, 6).
  { name: 'password-change-keeps-tokens', scenario: 'auth-permissions', seed: 3, checker: 'auth' },
  // A watch permission checked on its first key only: reached once the auth workload's users watch (4 of 4).
  { name: 'watch-perm-checks-key-only', scenario: 'auth-permissions', seed: 1, checker: 'auth' },
  // A lease revoke dropped by a failed leader transfer, never proposed again (holdout 8): the
  // lease's puts and keys outlive the 3 s retry (lease-failed-transfer: 7 of seeds 1..8).
  { name: 'revoke-never-retried', scenario: 'lease-failed-transfer', seed: 1, checker: 'lease' },
  // A promotion that schedules no checkpoint of the leases it holds: the cadence rule now judges
  // promotions too (lease-checkpoint-leader-change 4 of 4; 0 of 4 before).
  { name: 'promote-schedules-no-checkpoint', scenario: 'lease-checkpoint-leader-change', seed: 1, checker: 'invariants' },
  // Holdout 15 (raft, sixteenth session), each missed by the campaign until the fix named.
  // A leader transfer never abandoned: scenario failed-transfer (4 of seeds 1..4, liveness).
  { name: 'transfer-never-abandoned', scenario: 'failed-transfer', seed: 1, checker: 'liveness' },
  // A new leader restarting checkpointed leases in full: the lease checker no longer takes the few
  // leaderless ms of a graceful move for a restart at the full TTL (3 of seeds 1..4).
  { name: 'checkpoint-ignored-at-promotion', scenario: 'lease-checkpoint-leader-change', seed: 1, checker: 'lease' },
  // WAL replay skipping conf changes (holdout 13): invariant config-at-applied, keyed on raft's
  // applied index (conf-change-voters 3 of 3, learner-churn 3 of 3, membership-change 1 of 3).
  { name: 'membership-replay-skipped', scenario: 'conf-change-voters', seed: 1, checker: 'raft' },
  // A partial catch-up batch that forgets where it stopped: scenario watch-catch-up-batches (5
  // revisions a batch, members restarted, watchers re-opened: 4 of seeds 1..4; swarm seed 15).
  { name: 'partial-batch-forgets-next-rev', scenario: 'watch-catch-up-batches', seed: 1, checker: 'watch' },
  // A snapshot taken while a restarted member's state machine is ahead of raft's re-delivery
  // (holdout 13): invariant snapshot-at-its-index and scenario snapshot-during-replay (a crash
  // before a snapshot is durable, one committed entry per Ready): 2 of seeds 1..8, 0 before. Since
  // a follower's Ready sends one MsgAppResp (etcd's processMessages): 0 of seeds 1..8, seeds 9..19 2.
  { name: 'snapshot-while-replaying', scenario: 'snapshot-during-replay', seed: 14, checker: 'invariants' },
  // Holdout 16 (raft, seventeenth session): compactions whose deletes are pending on some members
  // and done on others (scenario compaction-deferred-restore); the campaign missed both.
  { name: 'pending-deletes-hide-compact-rev', scenario: 'compaction-deferred-restore', seed: 1, checker: 'invariants' },
  { name: 'restore-keeps-pending-deletes', scenario: 'compaction-deferred-restore', seed: 1, checker: 'invariants' },
  // A read index confirmed by learners' heartbeat answers (holdout 16): partition shape
  // leader-with-learners in scenario learner-partition (CheckQuorum off, so the old leader keeps
  // leading while the other voters elect): 4 of seeds 1..4, 0 with isolate-leader instead.
  { name: 'read-quorum-counts-learners', scenario: 'learner-partition', seed: 1, checker: 'raft' },
  // Elections no fault caused (holdout 16 and 17): scenario idle-elections (writes rarer than an
  // election timeout, so only heartbeats keep members following) and invariant campaign-while-led.
  { name: 'heartbeat-keeps-election-timer', scenario: 'idle-elections', seed: 1, checker: 'raft' },
  { name: 'candidate-ignores-heartbeat', scenario: 'idle-elections', seed: 1, checker: 'raft' },
  // A member cut off while another is replaced catches up from a snapshot that holds conf changes
  // it never applied (holdout 17): scenario membership-behind-snapshot, invariant config-at-applied.
  { name: 'snapshot-conf-state-ignored', scenario: 'membership-behind-snapshot', seed: 1, checker: 'raft' },
  // A conf change accepted while the previous one is committed but unapplied (holdout 17):
  // invariant conf-change-applied-first on the racing operators of conf-change-race.
  { name: 'conf-pending-checked-against-commit', scenario: 'conf-change-race', seed: 1, checker: 'raft' },
  // Holdout 17 (bugs, nineteenth session): a lessor restored from a snapshot that forgets each
  // lease's checkpointed remaining TTL, missed by the campaign and swarm 1..200; scenario
  // lease-checkpoint-restart (a snapshot every 20 entries, every member killed at once at 8 s):
  // 4 of seeds 1..4 (lease), the correct build 16 of 16 valid.
  { name: 'restore-forgets-checkpoints', scenario: 'lease-checkpoint-restart', seed: 1, checker: 'lease' },
  // A simple token looked up one applied entry early (holdout 17): clients balanced round robin
  // over the members (scenario auth-round-robin) reach a member right behind a login, and the
  // cluster invariant token-index-waited sees the early "invalid auth token" (4 of seeds 1..4;
  // 0 of 4 without the invariant, 0 of 4 on auth-permissions, whose clients stay on one member).
  { name: 'token-wait-one-short', scenario: 'auth-round-robin', seed: 1, checker: 'raft' },
  // The same early lookup by a watch stream's create (twenty-first session): token-index-waited
  // judges the refused create against its stream's token (2 of seeds 1..4, 0 of 4 before).
  { name: 'watch-token-wait-one-short', scenario: 'auth-round-robin', seed: 2, checker: 'raft' },
  // A waiter left registered after its answer (holdout 17): answered again at its deadline,
  // which a client ignores; the cluster invariant reply-once, in runs longer than the request
  // timeout (lease-checkpoint-leader-change 2 of seeds 1..2, 0 of 2 without it).
  { name: 'pending-take-keeps-waiter', scenario: 'lease-checkpoint-leader-change', seed: 1, checker: 'raft' },
  // Holdout 18 (raft, twentieth session), each missed by the campaign until the fix named.
  // A member keeping its membership past an installed snapshot: config-at-applied now also judges
  // the member's recorded ConfState against raft's (membership-behind-snapshot 4 of 4, 0 before).
  { name: 'installed-snapshot-keeps-conf-state', scenario: 'membership-behind-snapshot', seed: 1, checker: 'raft' },
  // A new term crediting every follower as active: invariant check-quorum-unheard and scenario
  // leader-cut-at-election (n1's incoming links cut in the instant it wins): 4 of 4.
  { name: 'new-leader-trusts-all-active', scenario: 'leader-cut-at-election', seed: 1, checker: 'raft' },
  // Open classes of the nineteenth session: a MsgTimeoutNow that overtakes the appends sent
  // before it (links reordering a third of their messages: transfer-reordered 3 of 4, 0 of 4 on
  // FIFO links), and a snapshot written while a Ready's fsync is in flight, found by a crash
  // after the next durable write (crash moment snapshot-written: snapshot-write-crash 3 of 4).
  { name: 'transfer-to-lagging-member', scenario: 'transfer-reordered', seed: 1, checker: 'raft' },
  { name: 'snapshot-write-during-ready-fsync', scenario: 'snapshot-write-crash', seed: 1, checker: 'invariants' },
  // Holdout 18 (bugs, twentieth session): a grant of a point replacing the range its role holds
  // from the same key, missed by the campaign and swarm 1..200: the auth workload's role ra now
  // holds key1 beside [key1, key4): 4 of auth-permissions 1..4 (0 of 4 before).
  { name: 'grant-perm-same-key-replaces', scenario: 'auth-permissions', seed: 1, checker: 'auth' },
  // A put at a txn delete's range end refused as a duplicate key (holdout 18): the wide API's
  // from-key-delete-txn ends its delete at the put key in one of three, error-replies judges the
  // refusal (sim/check/txn-intervals.ts): 4 of kv-api-wide 1..4 (0 of the campaign before).
  { name: 'put-at-delete-end-duplicate', scenario: 'kv-api-wide', seed: 1, checker: 'error-replies' },
  // Holdout 19 (raft, twenty-first session), missed by the campaign: a leader that does not count
  // its own ack for a ReadIndex (reads need every follower: unavailable while one is down) and a
  // transferee that campaigns on MsgTimeoutNow with plain vote requests (the lease ignores them:
  // the transfer only deposes the leader). Invariants read-index-served and transfer-campaign-forced:
  // 4 of kv-api 1..4 and 4 of transfer-reordered 1..4 (0 of the campaign before).
  { name: 'read-index-forgets-own-ack', scenario: 'kv-api', seed: 1, checker: 'raft' },
  { name: 'timeout-now-without-transfer-context', scenario: 'transfer-reordered', seed: 1, checker: 'raft' },
  // Watch ids on a stream of several watches (holdout 18's cancel-keeps-watch-state, holdout 19's
  // auto-watch-id-collides): clients.watchIds in watch-shapes, and the watch checker's rule that a
  // cancelled id is free (each 0 of the campaign before; caught on watch-shapes seed 1, the first tried).
  { name: 'cancel-keeps-watch-state', scenario: 'watch-shapes', seed: 1, checker: 'watch' },
  { name: 'auto-watch-id-collides', scenario: 'watch-shapes', seed: 1, checker: 'watch' },
  // A compaction cancel naming the current revision (holdout 19): the watch checker bounds a
  // compact_revision by the compactions asked for by then (0 of the campaign before; watch-shapes seed 1).
  { name: 'compacted-cancel-reports-current-rev', scenario: 'watch-shapes', seed: 1, checker: 'watch' },
  // Holdout 20 (bugs, s22), each missed by the campaign until the close named: a keep-alive of a
  // gone lease answered "lease not found" (error-replies' per-request table: etcd answers TTL 0);
  // from-key watches refused as empty ranges (the watch checker's refusal rule); a grant with a
  // held id replacing the lease, and holdout 19's grant answering the requested TTL (the lease
  // workload's grant-with-id and 1 s TTLs).
  { name: 'keepalive-unknown-lease-errors', scenario: 'lease-renew-expiry', seed: 1, checker: 'error-replies' },
  { name: 'watch-from-key-end-literal', scenario: 'watch-shapes', seed: 1, checker: 'watch' },
  { name: 'grant-replaces-existing-lease', scenario: 'lease-renew-expiry', seed: 1, checker: 'lease' },
  { name: 'grant-answers-requested-ttl', scenario: 'lease-renew-expiry', seed: 1, checker: 'lease' },
  // A pre-vote of an older term dropped unanswered (holdout 19, etcd#8501): invariant
  // stale-pre-vote-answered in prevote-rollout, where members restart one by one with PreVote on
  // (only those send pre-votes) and partitions move their terms apart (2 of seeds 1..6; 0 of the
  // campaign and the swarm before).
  { name: 'stale-prevote-unanswered', scenario: 'prevote-rollout', seed: 1, checker: 'raft' },
  // Holdout 20 (raft, twenty-second session), missed by the campaign: every election's vote
  // requests marked as a transfer (they break the lease), and a joint configuration's candidate
  // asking its incoming half only. Invariants transfer-campaign-forced (its other half: only a
  // campaign on MsgTimeoutNow marks them) and campaign-asks-every-voter, as the requests leave.
  { name: 'campaign-forces-every-election', scenario: 'prevote-rejoin', seed: 1, checker: 'raft' },
  { name: 'joint-votes-incoming-only', scenario: 'joint-swap', seed: 1, checker: 'raft' },
  // A periodic heartbeat without the pending read's context (holdout 20, missed: reads only wait
  // longer under loss): raft invariant heartbeat-carries-newest-read (twenty-third session).
  { name: 'heartbeat-drops-read-context', scenario: 'kv-api', seed: 1, checker: 'raft' },
  // Holdout 20 and 19 (bugs, s23), missed by the campaign until the shape named: txns at etcd's op
  // limit (compares count) and nested txns whose then and else put one key, judged by error-replies
  // from the request (kv-api-wide); roles deleted and added again, users' leases revoked by others
  // (auth rule 6), deletes with prev_kv (auth-permissions).
  { name: 'txn-op-limit-ignores-compares', scenario: 'kv-api-wide', seed: 1, checker: 'error-replies' },
  { name: 'nested-then-else-same-key-duplicate', scenario: 'kv-api-wide', seed: 1, checker: 'error-replies' },
  { name: 'role-delete-keeps-user-grants', scenario: 'auth-permissions', seed: 3, checker: 'auth' },
  { name: 'lease-revoke-skips-key-permissions', scenario: 'auth-permissions', seed: 1, checker: 'auth' },
  // Holdout 21 (bugs, s23): a delete with prev_kv checked for write only; an entry of an older auth
  // revision applied (invariant auth-revision-checked); a response header cached across an election
  // (invariant header-term-not-stale). Each 0 of the campaign before.
  { name: 'delete-prev-kv-skips-read-check', scenario: 'auth-permissions', seed: 1, checker: 'auth' },
  { name: 'old-auth-revision-accepted', scenario: 'auth-permissions', seed: 2, checker: 'invariants' },
  { name: 'header-cache-ignores-term', scenario: 'idle-elections', seed: 1, checker: 'raft' },
];
