// The one registry of planted bugs: every bug `--bug NAME` can put back into the simulated
// stack, where it happened in the wild, where its switch lives, and a scenario and seed whose
// run catches it. A new bug is one entry here plus its switch in MemberUnsafeOptions
// (src/server/member-config.ts) and the code that reads it.
import { violated } from '../../src/invariant-violation.ts';
import type { MemberUnsafeOptions } from '../../src/server/member-config.ts';

export interface PlantedBugEntry {
  readonly name: string;
  readonly description: string;
  /** Where it happened in the wild (issue, paper, Jepsen report). */
  readonly reference: string;
  /** The file whose code the switch changes. */
  readonly plantedIn: string;
  /** The member's switches that plant it. */
  readonly unsafe: MemberUnsafeOptions;
  /**
   * A run that catches it (`detcd run --scenario S --seed N --bug NAME`) and the checker that
   * does; or, while no shipped scenario catches it yet, the test that does.
   */
  readonly caughtBy: CaughtByRun | CaughtByTest;
}

export interface CaughtByRun {
  readonly scenario: string;
  readonly seed: number;
  readonly checker: string;
}

export interface CaughtByTest {
  readonly test: string;
  readonly checker: string;
}

export const PLANTED_BUGS = [
  {
    name: 'figure8',
    description: "a leader commits an older term's entry by counting replicas (Raft paper, Figure 8)",
    reference: 'Raft paper §5.4.2; logcabin#44, canonical/raft#220',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { figure8: true } },
    caughtBy: { scenario: 'figure8', seed: 1, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'read-without-readindex',
    description: 'a leader answers linearizable reads from its own state, without ReadIndex',
    reference: 'Jepsen etcd 2014 (stale reads)',
    plantedIn: 'src/server/member.ts',
    unsafe: { readWithoutReadIndex: true },
    caughtBy: { scenario: 'kill-leader', seed: 1, checker: 'raft (answer-covers-commit)' },
  },
  {
    name: 'vote-without-log-check',
    description: 'a member votes without the up-to-date-log check',
    reference: 'Raft paper §5.4.1',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { voteWithoutLogCheck: true } },
    caughtBy: { scenario: 'rolling-restart', seed: 1, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'read-index-without-quorum',
    description: "raft answers ReadIndex from the leader's own commit index, without a heartbeat quorum",
    reference: 'Jepsen etcd 2014, etcd#20418',
    plantedIn: 'src/raft/read-only.ts',
    unsafe: { raft: { readWithoutReadIndex: true } },
    caughtBy: { scenario: 'duplicating-network', seed: 3, checker: 'raft (answer-covers-commit)' },
  },
  {
    name: 'send-before-fsync',
    description: 'a member sends votes and append acknowledgements before its hard state and entries are durable',
    reference: 'hashicorp/raft#661',
    plantedIn: 'src/server/member.ts',
    unsafe: { sendBeforeSync: true },
    caughtBy: { scenario: 'torn-writes', seed: 2, checker: 'raft' },
  },
  {
    name: 'vote-before-durable',
    description: 'a member answers a vote before the term and vote it grants are durable; a crash makes it vote twice in one term',
    reference: 'hashicorp/raft#661',
    plantedIn: 'src/server/member.ts',
    unsafe: { voteBeforeSync: true },
    caughtBy: { scenario: 'crash-after-vote', seed: 2, checker: 'raft (vote-once)' },
  },
  {
    name: 'up-to-date-term-only',
    description: 'the up-to-date-log vote check compares only the last terms: a shorter log of the same term wins',
    reference: 'Raft paper §5.4.1 (weakened)',
    plantedIn: 'src/raft/raft-log.ts',
    unsafe: { raft: { upToDateCheck: 'term-only' } },
    caughtBy: { scenario: 'divergent-logs', seed: 5, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'up-to-date-vs-commit',
    description: "the up-to-date-log vote check compares the candidate's last index with our commit index, not our last index: a candidate missing entries we acknowledged wins once the leader that committed them crashes before telling us",
    reference: 'Raft paper §5.4.1 (weakened)',
    plantedIn: 'src/raft/raft-log.ts',
    unsafe: { raft: { upToDateCheck: 'vs-commit' } },
    caughtBy: { scenario: 'crash-moments', seed: 1, checker: 'raft (vote-up-to-date)' },
  },
  {
    name: 'up-to-date-index-only',
    description: 'the up-to-date-log vote check compares only the last indexes: a longer log of an older term wins',
    reference: 'Raft paper §5.4.1 (weakened)',
    plantedIn: 'src/raft/raft-log.ts',
    unsafe: { raft: { upToDateCheck: 'index-only' } },
    caughtBy: { scenario: 'older-longer-log', seed: 1, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'check-quorum-stale-activity',
    description: 'CheckQuorum never resets follower activity: a leader cut off from its quorum never steps down',
    reference: 'etcd#8243 class (CheckQuorum)',
    plantedIn: 'src/raft/step-leader.ts',
    unsafe: { raft: { checkQuorumKeepsActivity: true } },
    caughtBy: { scenario: 'quorum-loss', seed: 2, checker: 'raft (check-quorum-unheard)' },
  },
  {
    name: 'pre-vote-bumps-term',
    description: 'a pre-candidate moves to its campaign term: a member cut off alone inflates its term and deposes the leader when it rejoins',
    reference: 'etcd#9586 class (PreVote)',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { preVoteBumpsTerm: true } },
    caughtBy: { scenario: 'quorum-loss', seed: 1, checker: 'raft (pre-vote-term)' },
  },
  {
    name: 'candidate-counts-pre-votes',
    description: 'a candidate counts late pre-vote grants as votes: a pre-vote binds nobody, so it can lead with fewer real votes than a quorum, and two leaders can win one term',
    reference: 'etcd-raft stepCandidate (only the response type of its own campaign counts)',
    plantedIn: 'src/raft/step-candidate.ts',
    unsafe: { raft: { countPreVotes: true } },
    caughtBy: { scenario: 'buggify', seed: 1, checker: 'raft (leader-has-votes)' },
  },
  {
    name: 'compaction-drops-delete',
    description: 'compaction drops a delete made at exactly the compact revision: a watch from there misses it',
    reference: 'etcd#19179',
    plantedIn: 'src/mvcc/store.ts',
    unsafe: { stateMachine: ['compaction-drops-delete'] },
    caughtBy: { scenario: 'watch-compaction-churn', seed: 1, checker: 'watch' },
  },
  {
    name: 'watch-replay-after-restore',
    description: 'synced watchers do not record what they were sent: after a snapshot restore they get events again',
    reference: 'etcd#15271',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['watch-replay-after-restore'] },
    caughtBy: { scenario: 'snapshot-catch-up', seed: 1, checker: 'watch' },
  },
  {
    name: 'progress-while-unsynced',
    description: 'a progress request is answered while a watch of the stream is still unsynced',
    reference: 'etcd#15220',
    plantedIn: 'src/watch/watch-stream.ts',
    unsafe: { stateMachine: ['progress-while-unsynced'] },
    caughtBy: { scenario: 'swarm', seed: 1, checker: 'watch' },
  },
  {
    name: 'progress-before-start',
    description: 'a watch on a future revision gets progress notifications before its start revision',
    reference: 'etcd#20221 (notifications)',
    plantedIn: 'src/watch/watch-stream.ts',
    unsafe: { stateMachine: ['progress-before-start'] },
    caughtBy: { scenario: 'watch-rotation', seed: 1, checker: 'watch' },
  },
  {
    name: 'truncate-on-stale-append',
    description: 'a follower truncates its log after a stale AppendEntries whose entries all match',
    reference: 'etcd#1811, etcd#2808',
    plantedIn: 'src/raft/raft-log.ts',
    unsafe: { raft: { truncateOnStaleAppend: true } },
    caughtBy: { scenario: 'duplicating-network', seed: 1, checker: 'raft (acked-entries-kept)' },
  },
  {
    name: 'install-older-snapshot',
    description: 'a follower installs a snapshot older than its commit index',
    reference: 'etcd#2808',
    plantedIn: 'src/raft/membership.ts',
    unsafe: { raft: { installOlderSnapshot: true } },
    caughtBy: { scenario: 'snapshot-storm', seed: 5, checker: 'raft (commit-monotonic)' },
  },
  {
    name: 'conf-change-before-term-commit',
    description: 'a new leader accepts a membership change before an entry of its term commits',
    reference: 'Ongaro, raft-dev, July 2015',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { confChangeBeforeTermCommit: true } },
    caughtBy: { scenario: 'conf-change-race', seed: 1, checker: 'raft (conf-change-pending)' },
  },
  {
    name: 'conf-change-while-pending',
    description: 'a leader accepts a membership change while an earlier one is still unapplied (the pending check left out)',
    reference: 'Raft thesis §4.1; etcd raft pendingConfIndex',
    plantedIn: 'src/raft/step-leader.ts',
    unsafe: { raft: { confChangeIgnoresPending: true } },
    caughtBy: { scenario: 'conf-change-race', seed: 1, checker: 'raft (conf-change-pending)' },
  },
  {
    name: 'lease-never-expires',
    description: "a follower's CheckQuorum leader lease never runs out: it refuses every (pre)vote while it knows a leader, so a dead leader is never replaced",
    reference: 'etcd#8243, etcd#9586',
    plantedIn: 'src/raft/step.ts',
    unsafe: { raft: { leaseNeverExpires: true } },
    caughtBy: { scenario: 'quorum-loss', seed: 2, checker: 'liveness' },
  },
  {
    name: 'check-quorum-never-steps-down',
    description: 'CheckQuorum never steps an isolated leader down',
    reference: 'etcd#8243, etcd#9586',
    plantedIn: 'src/raft/step-leader.ts',
    unsafe: { raft: { checkQuorumNeverStepsDown: true } },
    caughtBy: { scenario: 'quorum-loss', seed: 2, checker: 'raft (check-quorum-unheard)' },
  },
  {
    name: 'deposed-lessor-revokes',
    description: 'a deposed (stalled) leader keeps its lessor and goes on revoking leases others keep alive',
    reference: 'etcd#15247, Jepsen etcd 3.4.3',
    plantedIn: 'src/server/member.ts',
    unsafe: { deposedLessorRevokes: true },
    caughtBy: { scenario: 'deposed-lessor', seed: 1, checker: 'lease (revoked-early)' },
  },
  {
    name: 'apply-before-persist',
    description: 'a member applies and answers committed entries before its WAL write is durable: a single member loses acknowledged writes on a crash',
    reference: 'etcd#14370',
    plantedIn: 'src/server/member.ts',
    unsafe: { applyBeforePersist: true },
    caughtBy: { scenario: 'single-member-crash', seed: 1, checker: 'raft' },
  },
  {
    name: 'snapshot-at-commit-index',
    description: 'the state machine snapshot is stamped with the raft commit index, ahead of what it holds',
    reference: 'etcd#13766',
    plantedIn: 'src/server/member.ts',
    unsafe: { snapshotAtCommitIndex: true },
    caughtBy: { scenario: 'snapshot-catch-up', seed: 1, checker: 'invariants' },
  },
  {
    name: 'read-index-reuses-context',
    description: 'a ReadIndex retry reuses its request context and reads join the retried round; read states win over a leader change',
    reference: 'etcd#20418',
    plantedIn: 'src/server/read-index-loop.ts',
    unsafe: { readIndexReusesContext: true },
    caughtBy: { scenario: 'slow-network', seed: 4, checker: 'raft (answer-covers-commit)' },
  },
  {
    name: 'two-snapshots-forgotten',
    description: 'persisting one snapshot forgets a newer one that arrived meanwhile',
    reference: 'etcd#18055',
    plantedIn: 'src/raft/log-unstable.ts',
    unsafe: { raft: { forgetNewerSnapshot: true } },
    caughtBy: { scenario: 'snapshot-reorder', seed: 17, checker: 'raft (slice-within-log)' },
  },
  {
    name: 'watch-skips-compact-revision',
    description: 'catching up an unsynced watch skips the compact revision itself, losing a delete made there',
    reference: 'etcd#18089',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['watch-skips-compact-revision'] },
    caughtBy: { scenario: 'watch-compaction-churn', seed: 1, checker: 'watch' },
  },
  {
    name: 'future-watch-rev-lowered',
    description: 'a resync after a restore lowers a future watch\'s next revision: it gets events before its start revision',
    reference: 'etcd#20221 (old events)',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['future-watch-rev-lowered'] },
    caughtBy: { scenario: 'watch-rotation', seed: 1, checker: 'watch' },
  },
  {
    name: 'compacted-watcher-starved',
    description: 'a compacted watch whose cancel does not fit its starved stream is synced on, losing events',
    reference: 'etcd#17529',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['compacted-watcher-starved'] },
    caughtBy: { scenario: 'watch-starvation', seed: 1, checker: 'watch' },
  },
  {
    name: 'victim-replay',
    description: 'a watcher that became a victim keeps its old next revision: the resync sends the events again',
    reference: 'etcd#17247',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['victim-replay'] },
    caughtBy: { scenario: 'watch-starvation', seed: 1, checker: 'watch' },
  },
  {
    name: 'restore-rev-from-log',
    description: 'restore reads the revision from the last one in the log; compacting a delete at the latest revision makes it go backwards',
    reference: 'etcd#17780',
    plantedIn: 'src/mvcc/snapshot.ts',
    unsafe: { stateMachine: ['restore-rev-from-log'] },
    caughtBy: { scenario: 'compaction-restore', seed: 2, checker: 'invariants (lessor-restore-revision)' },
  },
  {
    name: 'txn-ranges-stripped',
    description: "members that did not propose a txn drop its ranges and their revision checks: a range at a compacted revision fails the txn on its proposer only",
    reference: 'etcd#18667',
    plantedIn: 'src/server/etcd-state-machine.ts',
    unsafe: { stateMachine: ['txn-ranges-stripped'] },
    caughtBy: { scenario: 'kv-api', seed: 2, checker: 'convergence' },
  },
] as const satisfies readonly PlantedBugEntry[];

export type PlantedBug = (typeof PLANTED_BUGS)[number]['name'];

export function isPlantedBug(name: string): name is PlantedBug {
  return PLANTED_BUGS.some((b) => b.name === name);
}

/** The registry entry of a bug name; throws for a name isPlantedBug refuses. */
export function plantedBug(name: PlantedBug): PlantedBugEntry {
  const entry = PLANTED_BUGS.find((b) => b.name === name);
  if (entry === undefined) throw violated('harness', 'planted-bug-known', `no planted bug '${name}'`);
  return entry;
}
