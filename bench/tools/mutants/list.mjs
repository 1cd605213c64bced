// Realistic programmer's mistakes planted in the product (src/) and in the simulated host's
// persistence (sim/etcd/member-host.ts, where fsync ordering lives), one edit each: `find` must
// occur exactly once in `file` (bench/tools/mutants.mjs refuses otherwise), `replace` is what a
// programmer plausibly wrote instead, `why` says why it is wrong. `aimed` names the shipped
// scenarios meant to catch that class (the tool's --aimed-seeds sweeps them when the main sweep
// did not). `equivalent`, when set, says why no run can tell the mutant from the correct build.
// These are not the --bug flags: nothing here is known to the harness.

/** @typedef {{ name: string, class: string, file: string, find: string, replace: string, why: string, aimed?: string[], equivalent?: string, holdout2?: boolean, holdout3?: boolean }} Mutant */

/** @type {Mutant[]} */
export const MUTANTS = [
  // ---- persistence ordering ----
  {
    name: 'hard-state-not-written-alone', class: 'persistence', file: 'sim/etcd/member-host.ts',
    find: 'if (rd.hardState !== undefined) appendHardState(disk, rd.hardState);',
    replace: 'if (rd.hardState !== undefined && rd.entries.length > 0) appendHardState(disk, rd.hardState);',
    why: 'the hard state is written only along with entries: a term or vote granted without new entries is never durable, so a restarted member votes again in the same term',
    aimed: ['crash-after-vote', 'rolling-restart', 'kill-leader', 'crash-moments'],
  },
  {
    name: 'hard-state-ready-skips-fsync', class: 'persistence', file: 'sim/etcd/member-host.ts',
    find: 'if (!this.write(rd)) {',
    replace: 'if (!this.write(rd) || rd.entries.length === 0) {',
    why: 'a Ready holding only a hard state is handed back without waiting for its fsync: the vote is sent before it is durable (hashicorp/raft#661)',
    aimed: ['crash-after-vote', 'rolling-restart', 'crash-moments'],
  },
  {
    name: 'recovery-replays-uncommitted', class: 'persistence', file: 'src/server/member-recovery.ts',
    find: 'if (e.index <= sm.consistentIndex() || e.index > durable.hardState.commit) continue;',
    replace: 'if (e.index <= sm.consistentIndex()) continue;',
    why: 'recovery replays the whole WAL into the state machine, also entries that were never committed and may be overwritten by the next leader',
    aimed: ['kill-leader', 'divergent-logs', 'figure8', 'crash-moments'],
  },
  // ---- elections ----
  {
    name: 'double-vote-without-leader', class: 'election', file: 'src/raft/step.ts',
    find: 'r.vote === m.from || (r.vote === NONE && r.lead === NONE) ||',
    replace: 'r.vote === m.from || r.lead === NONE ||',
    why: 'a member that knows no leader grants its vote again in a term where it already voted for someone else: two leaders in one term',
    aimed: ['leader-churn', 'partition-shapes'],
  },
  {
    name: 'up-to-date-term-ge', class: 'up-to-date', file: 'src/raft/raft-log.ts',
    find: 'return term > ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());',
    replace: 'return term >= ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());',
    why: 'with equal last terms a shorter log wins the vote: a candidate missing committed entries can lead',
    aimed: ['divergent-logs', 'older-longer-log', 'figure8'],
  },
  {
    name: 'up-to-date-vs-commit', class: 'up-to-date', file: 'src/raft/raft-log.ts',
    find: 'return term > ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());',
    replace: 'return term > ourTerm || (term === ourTerm && lastIndex >= this.committed);',
    why: 'the candidate\'s last index is compared with our commit index, not our last index: a candidate lacking entries we acknowledged (committed on a quorum we are part of) can win',
    aimed: ['divergent-logs', 'older-longer-log', 'crash-moments'],
  },
  {
    name: 'up-to-date-strict-index', class: 'up-to-date', file: 'src/raft/raft-log.ts',
    find: 'return term > ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());',
    replace: 'return term > ourTerm || (term === ourTerm && lastIndex > this.lastIndex());',
    why: '> instead of >=: members with identical logs refuse each other, so a cluster whose logs all match never elects a leader again',
    aimed: ['kill-leader', 'leader-partition'],
  },
  {
    name: 'prevote-ignores-lease', class: 'prevote-checkquorum', file: 'src/raft/step.ts',
    find: "if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {\n    const force",
    replace: "if (m.type === 'MsgVote') {\n    const force",
    why: 'the leader lease only guards real votes: a member rejoining after a partition wins its pre-vote while the others still hear from a stable leader, campaigns, and its higher term deposes that leader (etcd#8243 class)',
    aimed: ['prevote-rejoin', 'quorum-loss', 'one-way-partition'],
  },
  {
    name: 'prevote-asks-current-term', class: 'prevote-checkquorum', file: 'src/raft/raft.ts',
    find: 'term = this.term + 1; // the term we would campaign in',
    replace: 'term = this.term; // the term we would campaign in',
    why: 'the pre-vote asks about the current term, not the next one: members that voted or know a leader refuse it, so after a leader dies no pre-candidate ever wins',
    aimed: ['kill-leader', 'leader-partition'],
  },
  {
    name: 'checkquorum-trusts-replicating', class: 'prevote-checkquorum', file: 'src/raft/step-leader.ts',
    find: "if (id !== r.id) pr.recentActive = false;",
    replace: "if (id !== r.id && pr.state !== 'replicate') pr.recentActive = false;",
    why: 'followers being streamed to are assumed alive: a leader cut off from them never notices it lost its quorum and never steps down',
    aimed: ['quorum-loss', 'leader-partition', 'majority-partition'],
  },
  {
    name: 'quorum-ceil', class: 'quorum', file: 'src/raft/quorum/majority.ts',
    find: 'const q = Math.floor(this.ids.size / 2) + 1;',
    replace: 'const q = Math.ceil(this.ids.size / 2);',
    why: 'ceil(n/2) is a majority only for odd n: with 4 voters 2 votes win, so two leaders can be elected in one term',
    aimed: ['even-cluster', 'membership-change'],
  },
  // ---- replication and commit ----
  {
    name: 'commit-previous-term', class: 'commit', file: 'src/raft/raft-log.ts',
    find: 'if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {',
    replace: 'if (maxIndex > this.committed && this.termOrZero(maxIndex) <= term) {',
    why: 'an entry of an earlier term is committed by counting replicas (Raft Figure 8)',
    aimed: ['figure8', 'older-longer-log', 'divergent-logs'],
  },
  {
    name: 'follower-commit-beyond-append', class: 'commit', file: 'src/raft/raft-log.ts',
    find: 'this.commitTo(Math.min(committed, lastNewIndex));',
    replace: 'this.commitTo(Math.min(committed, this.lastIndex()));',
    why: 'a follower commits up to the leader\'s commit index within its own log, including stale entries after the ones this append checked',
    aimed: ['divergent-logs', 'figure8', 'crash-moments'],
  },
  {
    name: 'heartbeat-commit-beyond-match', class: 'commit', file: 'src/raft/replication.ts',
    find: 'const commit = Math.min(pr?.match ?? 0, r.raftLog.committed);',
    replace: 'const commit = r.raftLog.committed;',
    why: 'a heartbeat tells a lagging follower to commit beyond what it is known to hold: it commits stale entries of its own, or beyond its log',
    aimed: ['divergent-logs', 'snapshot-catch-up'],
  },
  {
    name: 'match-updated-on-reject', class: 'commit', file: 'src/raft/leader-responses.ts',
    find: 'let nextProbeIdx = m.rejectHint;',
    replace: 'let nextProbeIdx = m.rejectHint; pr.maybeUpdate(m.rejectHint);',
    why: 'the reject hint is taken as a match: the follower\'s entry there may be of another term, yet counts towards the quorum',
    aimed: ['divergent-logs', 'figure8'],
  },
  {
    name: 'find-conflict-by-term-strict', class: 'commit', file: 'src/raft/raft-log.ts',
    find: 'if (t <= term) return i;',
    replace: 'if (t < term) return i;',
    why: 'the fast-backtracking hint skips one term too many; the leader probes further back than needed (only slower)',
    equivalent: 'the hint only chooses where the next probe starts; the consistency check still decides every append, so a lower hint costs messages, never safety',
  },
  // ---- snapshots and applied state ----
  {
    name: 'snapshot-older-than-applied', class: 'snapshot', file: 'src/raft/membership.ts',
    find: 'const older = meta.index <= r.raftLog.committed;',
    replace: 'const older = meta.index <= r.raftLog.applied;',
    why: 'a snapshot older than the commit index but newer than the applied index is installed: the commit index and the log go backwards (etcd#2808 class)',
    aimed: ['snapshot-pipeline', 'snapshot-reorder', 'snapshot-storm'],
  },
  {
    name: 'readindex-before-term-commit', class: 'read', file: 'src/raft/step-leader.ts',
    find: 'if (!r.committedEntryInCurrentTerm()) {',
    replace: 'if (r.raftLog.committed === 0) {',
    why: 'a new leader answers ReadIndex before an entry of its term commits: its commit index may lag the last leader\'s, so a read misses an acknowledged write (Raft thesis §6.4)',
    aimed: ['kill-leader', 'leader-churn', 'slow-network'],
  },
  {
    name: 'readindex-trusts-checkquorum', class: 'read', file: 'src/raft/step-leader.ts',
    find: "if (r.readOnly.option === 'lease-based') {\n    respondToReadIndex",
    replace: "if (r.readOnly.option === 'lease-based' || r.prs.quorumActive()) {\n    respondToReadIndex",
    why: 'a leader that recently heard from a quorum (CheckQuorum bookkeeping) skips the heartbeat round: a deposed leader serves stale reads',
    aimed: ['gc-pause', 'stale-leader-reads', 'leader-partition'],
  },
  {
    name: 'read-served-one-short', class: 'read', file: 'src/server/read-index-loop.ts',
    // Both comparisons of onApplied: since the early return (64a4670) changing only the second one is
    // inert unless another batch is due at the same apply.
    find: 'if (b.index <= appliedIndex) due = true;\n    if (!due) return;\n    const still: Indexed<W>[] = [];\n    for (const b of this.indexed) {\n      if (b.index <= appliedIndex) this.out.served.push(...b.waiters);',
    replace: 'if (b.index <= appliedIndex + 1) due = true;\n    if (!due) return;\n    const still: Indexed<W>[] = [];\n    for (const b of this.indexed) {\n      if (b.index <= appliedIndex + 1) this.out.served.push(...b.waiters);',
    why: 'off by one: a read is served when the member has applied up to the entry before its read index, missing the write at the read index',
    aimed: ['slow-disk', 'leader-churn', 'kill-leader'],
  },
  // ---- leases ----
  {
    name: 'lease-expiry-grace', class: 'lease', file: 'src/lease/lease.ts',
    find: 'return this.expiryMs - nowMs <= 0;',
    replace: 'return this.expiryMs - nowMs < -1000;',
    why: 'a second of "grace for clock error" after the TTL: a keep-alive in that second renews a lease whose TTL already ran out',
    aimed: ['lease-expiry-partition', 'lease-long-partition'],
  },
  {
    name: 'deposed-lessor-stays-primary', class: 'lease', file: 'src/server/member.ts',
    find: 'if (this.isLeader && !isLeader && this.config.unsafe?.deposedLessorRevokes !== true) {',
    replace: 'if (this.isLeader && !isLeader && lead !== 0 && this.config.unsafe?.deposedLessorRevokes !== true) {',
    why: 'the lessor is demoted only when a new leader is already known: a leader that steps down to "no leader" keeps a primary lessor whose expiries it proposes as a follower (etcd#15247 class)',
    aimed: ['deposed-lessor', 'lease-expiry-partition', 'quorum-loss'],
  },
  {
    name: 'put-skips-lease-check', class: 'apply-exception', file: 'src/server/apply/kv-ops.ts',
    find: '  if (lease !== NO_LEASE && lessor.lookup(lease) === undefined) return ErrLeaseNotFound;\n  const txn = store.write();',
    replace: '  const txn = store.write();',
    why: 'a put with a lease that was revoked meanwhile is applied anyway (the check was "done by the client"): the lessor\'s attach throws inside apply',
    aimed: ['lease-expiry-partition', 'lock'],
  },
  // ---- MVCC ----
  {
    name: 'range-refuses-compact-rev', class: 'mvcc', file: 'src/mvcc/store.ts',
    find: "if (rev < this.compactMainRev) return 'compacted';",
    replace: "if (rev <= this.compactMainRev) return 'compacted';",
    why: 'off by one: a read at exactly the compact revision, which etcd still serves, answers "compacted"',
    aimed: ['kv-api', 'watch-compaction-churn'],
  },
  {
    name: 'compaction-drops-single-rev-key', class: 'mvcc', file: 'src/mvcc/key-index.ts',
    find: 'if (g.revs.length === 1 && genIdx !== this.generations.length - 1) {',
    replace: 'if (g.revs.length === 1) {',
    why: 'compaction drops a generation reduced to one revision even when it is the open one: the latest version of a key written once is deleted',
    aimed: ['compaction-restore', 'watch-compaction-churn'],
  },
  {
    name: 'delete-always-bumps-revision', class: 'mvcc', file: 'src/mvcc/store.ts',
    find: 'const rev = live.length !== 0 || this.changes.length > 0 ? this.beginRev + 1 : this.beginRev;',
    replace: 'const rev = this.beginRev + 1;',
    why: 'a delete that deleted nothing reports the next revision in its header, though the store did not move',
    aimed: ['kv-api', 'kv-transactions'],
  },
  {
    name: 'version-survives-delete', class: 'mvcc', file: 'src/mvcc/key-index.ts',
    find: 'this.generations.push({ ver: 0, created: ZERO, revs: [] });',
    replace: 'this.generations.push({ ver: last.ver, created: ZERO, revs: [] });',
    why: 'the new generation opened by a delete keeps counting versions: a key put again after a delete gets version n+1, not 1',
    aimed: ['kv-api', 'kv-transactions'],
  },
  {
    name: 'compare-greater-swapped', class: 'txn', file: 'src/server/apply/compare.ts',
    find: 'case \'GREATER\':\n      return result > 0;',
    replace: 'case \'GREATER\':\n      return result < 0;',
    why: 'GREATER evaluates as LESS (the operands read the wrong way round)',
    aimed: ['kv-api', 'swarm'],
  },
  {
    name: 'compare-mod-uses-create', class: 'txn', file: 'src/server/apply/compare.ts',
    find: 'result = cmp(kv.mod_revision, c.mod_revision ?? 0);',
    replace: 'result = cmp(kv.create_revision, c.mod_revision ?? 0);',
    why: 'copy and paste from CREATE: a MOD compare reads the create revision, so a CAS on mod_revision succeeds on a key modified since',
    aimed: ['kv-transactions', 'lock'],
  },
  {
    name: 'compare-range-some', class: 'txn', file: 'src/server/apply/compare.ts',
    find: 'return rr.kvs.every((kv) => compareKV(c, kv));',
    replace: 'return rr.kvs.some((kv) => compareKV(c, kv));',
    why: 'a compare over a key range passes when one key passes, not every key',
    aimed: ['kv-api'],
  },
  // ---- watch ----
  {
    name: 'watch-start-at-current-synced', class: 'watch', file: 'src/watch/watchable-store.ts',
    find: 'const synced = startRev > cur || startRev === 0;',
    replace: 'const synced = startRev >= cur || startRev === 0;',
    why: 'off by one: a watch from exactly the current revision is treated as synced and misses the events of that revision',
    aimed: ['watch-rotation', 'watch-partition-compaction'],
  },
  {
    name: 'watch-prev-kv-at-mod-rev', class: 'watch', file: 'src/watch/watch-stream.ts',
    find: '{ rev: e.kv.mod_revision - 1 }',
    replace: '{ rev: e.kv.mod_revision }',
    why: 'prev_kv is read at the event\'s own revision: it carries the new value, not the previous one',
    aimed: ['watch-partition-compaction', 'kv-api'],
  },
  {
    name: 'watch-prev-kv-deletes-only', class: 'watch', file: 'src/watch/watch-stream.ts',
    find: "if (e.type === 'PUT' && e.kv.create_revision === e.kv.mod_revision) return e;",
    replace: "if (e.type === 'PUT') return e;",
    why: 'prev_kv is attached to DELETE events only; a PUT over an existing key carries none',
    aimed: ['watch-partition-compaction', 'kv-api'],
  },
  // ---- written after the fixes above, never used to choose a fix: a holdout of the catch rate ----
  {
    name: 'lease-ttl-units', class: 'lease', file: 'src/lease/lease.ts',
    find: 'this.expiryMs = nowMs + extendMs + this.remainingTtl() * 1000;',
    replace: 'this.expiryMs = nowMs + extendMs + this.remainingTtl() * 100;',
    why: 'a units slip (seconds times 100, not 1000): every lease expires after a tenth of its TTL, keys vanish while their client keeps the lease alive',
    aimed: ['lease-expiry-partition', 'lock'],
  },
  {
    name: 'range-current-rev-future', class: 'mvcc', file: 'src/mvcc/store.ts',
    find: "if (rev > curRev) return 'future-rev';",
    replace: "if (rev >= curRev) return 'future-rev';",
    why: 'off by one: a read at exactly the current revision, asked for by number, answers "future revision"',
    aimed: ['kv-api', 'watch-compaction-churn'],
  },
  {
    name: 'watch-cancelled-at-compact-rev', class: 'watch', file: 'src/watch/watchable-store.ts',
    find: 'if (w.minRev < compactRev) {',
    replace: 'if (w.minRev <= compactRev) {',
    why: 'off by one: a watch from exactly the compact revision, which is still readable, is cancelled as compacted',
    aimed: ['watch-compaction-churn', 'watch-partition-compaction'],
  },
  {
    name: 'reads-kept-on-new-leader', class: 'read', file: 'src/server/member.ts',
    find: 'if (lead !== this.lead) this.reads.onLeaderChange(now);',
    replace: 'if (lead !== this.lead && lead === 0) this.reads.onLeaderChange(now);',
    why: 'the ReadIndex round is failed only when the leader is lost, not when another one is learned directly: a late answer from the old leader serves it (etcd#20418 class)',
    aimed: ['slow-network', 'leader-churn', 'stale-leader-reads'],
    equivalent: 'probably: every read state answers the round\'s current context, and a leader answers only after a heartbeat quorum confirmed it after the request reached it, so the index is current after the read was invoked (etcd fails the round to be conservative); not caught in 282 + 60 aimed runs',
  },
  {
    name: 'txn-range-at-compact-rev-refused', class: 'txn', file: 'src/server/apply/kv-ops.ts',
    find: "if (rev < view.firstRev()) return mvccErrorToEtcd('compacted');",
    replace: "if (rev <= view.firstRev()) return mvccErrorToEtcd('compacted');",
    why: 'off by one in the txn pre-check: a range at the compact revision fails the whole write txn as compacted',
    aimed: ['kv-api', 'compaction-restore'],
  },
  {
    name: 'append-skips-conflicting-entry', class: 'commit', file: 'src/raft/raft-log.ts',
    find: 'this.append(ents.slice(ci - (index + 1)));',
    replace: 'this.append(ents.slice(ci - index));',
    why: 'off by one after a conflict: the follower appends from the entry after the conflicting one, keeping its own stale entry there',
    aimed: ['divergent-logs', 'figure8'],
  },
  {
    name: 'progress-for-unsynced', class: 'watch', file: 'src/watch/watchable-store.ts',
    find: 'if (this.synced.has(w)) w.send(',
    replace: 'if (this.synced.has(w) || this.unsynced.has(w)) w.send(',
    why: 'a progress notification goes to a watcher still catching up: it promises the current revision before the events below it arrive (etcd#15220 class)',
    aimed: ['watch-progress', 'watch-rotation'],
  },
  {
    name: 'candidate-forgets-own-vote', class: 'election', file: 'src/raft/raft.ts',
    find: "    this.vote = this.id;\n    this.state = 'candidate';",
    replace: "    this.state = 'candidate';",
    why: 'a candidate counts its own vote but does not record it: in the same term it can still grant its vote to another candidate',
    aimed: ['leader-churn', 'partition-shapes', 'crash-after-vote'],
  },

  // ---- HOLDOUT 2 (house, 2026-12-05 fourth session): written before any measurement, in areas the
  // list above covers thinly (raft log storage, snapshot restore, reads, learners, MVCC ranges and
  // compaction, txn branches, lease TTLs, watch filters and catch-up, API error codes). Chosen by
  // area, not by whether the harness catches them; where several were drafted for one file, the
  // first drafted was kept. `holdout2: true` selects them (--holdout2). ----
  {
    name: 'unstable-stable-ignores-term', class: 'raft-log', file: 'src/raft/log-unstable.ts', holdout2: true,
    find: 'if (gt === undefined || gt !== t || i < this.offset) return;',
    replace: 'if (gt === undefined || i < this.offset) return;',
    why: 'stableTo drops entries up to i without checking their term: entries that replaced the ones the Ready wrote (a truncating append while the write was in flight) leave the unstable log, and the stale entries on disk stand in for them',
    aimed: ['divergent-logs', 'slow-disk', 'figure8'],
  },
  {
    name: 'snapshot-refusal-acks-last-index', class: 'snapshot', file: 'src/raft/follower-handlers.ts', holdout2: true,
    find: "  } else {\n    r.send({ type: 'MsgAppResp', to: m.from, index: r.raftLog.committed });",
    replace: "  } else {\n    r.send({ type: 'MsgAppResp', to: m.from, index: r.raftLog.lastIndex() });",
    why: 'a follower that refuses a snapshot (older than its commit index, or already matching) answers with its last index, not its commit index: the leader takes a stale uncommitted tail as a match and counts it towards the quorum',
    aimed: ['snapshot-storm', 'snapshot-reorder', 'snapshot-catch-up'],
    equivalent: 'probably (concluded after the first measurement, by reading the code; not proven): a snapshot is refused, or fast-forwards the commit index, only when the follower is at or past it, and then every entry beyond its commit index is the current leader\'s: a follower with a stale tail of an older term is reached by fast backtracking, which stops at or above the last index where it matches (at least its commit index, at or above the leader\'s first index - 1), so the leader sends it an append, not a snapshot; a delayed or duplicated snapshot of the current term arrives only after the follower took the leader\'s entries. Not caught in 302 runs, nor in 8 seeds of a divergent-logs + snapshots-every-10-entries + duplicating network scenario',
  },
  {
    name: 'restore-created-at-mod', class: 'snapshot', file: 'src/mvcc/snapshot.ts', holdout2: true,
    find: 'store.index.restore(key, { main: create, sub: 0 }, rev, version);',
    replace: 'store.index.restore(key, rev, rev, version);',
    why: 'a restored key index starts its generation at the first revision the snapshot holds, not at the key\'s create revision: once compaction dropped the creating put, the next put on a restored member carries a wrong create_revision (the member diverges)',
    aimed: ['compaction-restore', 'snapshot-catch-up', 'snapshot-storm'],
  },
  {
    name: 'read-state-any-context', class: 'read', file: 'src/server/read-index-loop.ts', holdout2: true,
    find: 'if (round === undefined || round.ctx !== ctx) return;',
    replace: 'if (round === undefined) return;',
    why: '"only one round is in flight, so a read state answers it": a late answer to an earlier round (or an earlier try) serves the reads of the current one with an index taken before they arrived (etcd#20418 class)',
    aimed: ['stale-leader-reads', 'slow-network', 'leader-churn'],
  },
  {
    name: 'learner-promotable', class: 'membership', file: 'src/raft/raft.ts', holdout2: true,
    find: 'return pr !== undefined && !pr.isLearner && !this.raftLog.hasPendingSnapshot();',
    replace: 'return pr !== undefined && !this.raftLog.hasPendingSnapshot();',
    why: 'a learner may campaign: cut off from the leader it times out, bumps the term, and can be elected by the voters though it has no vote; a learner must never lead',
    aimed: ['learner-churn', 'membership-change', 'conf-change-race'],
  },
  {
    name: 'removed-check-forgets-learners', class: 'membership', file: 'src/server/member.ts', holdout2: true,
    find: 'cs.voters.includes(id) || cs.learners.includes(id) ||',
    replace: 'cs.voters.includes(id) ||',
    why: 'the "am I still a member" check after a conf change forgets learners: a learner that applies any conf change believes it was removed and stops serving',
    aimed: ['learner-churn', 'membership-change', 'conf-change-race'],
  },
  {
    name: 'range-count-after-limit', class: 'mvcc', file: 'src/mvcc/store.ts', holdout2: true,
    find: 'return { kvs, count: revpairs.length, rev: curRev };',
    replace: 'return { kvs, count: kvs.length, rev: curRev };',
    why: 'count is taken after the limit: a limited range reports how many keys it returned, not how many the range holds',
    aimed: ['kv-api-wide', 'kv-api', 'kubernetes-traffic'],
  },
  {
    name: 'range-more-at-limit', class: 'mvcc', file: 'src/server/apply/range.ts', holdout2: true,
    find: 'if (reqLimit > 0 && kvs.length > reqLimit) {',
    replace: 'if (reqLimit > 0 && kvs.length >= reqLimit) {',
    why: 'off by one: a range that returns exactly `limit` keys says there are more',
    aimed: ['kv-api-wide', 'kv-api', 'kubernetes-traffic'],
  },
  {
    name: 'range-end-inclusive', class: 'mvcc', file: 'src/mvcc/tree-index.ts', holdout2: true,
    find: "if (end !== '' && k >= end) break;",
    replace: "if (end !== '' && k > end) break;",
    why: 'range_end read as inclusive: a range, a delete range or a range compare also takes the key equal to range_end',
    aimed: ['kv-api-wide', 'kv-api', 'kubernetes-traffic'],
  },
  {
    name: 'compare-value-missing-key', class: 'txn', file: 'src/server/apply/compare.ts', holdout2: true,
    find: "if ((c.target ?? 'VERSION') === 'VALUE') return false;",
    replace: "if ((c.target ?? 'VERSION') === 'VALUE' && (c.result ?? 'EQUAL') === 'EQUAL') return false;",
    why: 'only EQUAL is special-cased for a missing key: NOT_EQUAL, GREATER and LESS compare the value against the empty string and may pass, where etcd fails every VALUE compare on a missing key',
    aimed: ['kv-api-wide', 'kv-api', 'kv-transactions'],
  },
  {
    name: 'txn-readonly-ignores-failure', class: 'txn', file: 'src/api/validate.ts', holdout2: true,
    find: '  for (const u of r.failure ?? []) if (u.request_range === undefined) return false;\n  return true;\n}\n\n/** etcd\'s isTxnSerializable',
    replace: '  return true;\n}\n\n/** etcd\'s isTxnSerializable',
    why: 'a txn is taken as read-only when its success branch only reads: a "get, or else create" txn (ranges on success, a put on failure) goes down the read path and its failure branch never goes through raft',
    aimed: ['kv-api-wide', 'kv-api', 'kv-transactions'],
  },
  {
    name: 'lease-ttl-rounds-up', class: 'lease', file: 'src/lease/lease.ts', holdout2: true,
    find: 'const s = Math.trunc((this.expiryMs - nowMs) / 1000);',
    replace: 'const s = Math.ceil((this.expiryMs - nowMs) / 1000);',
    why: 'TimeToLive rounds the remaining TTL up, not down as etcd (int64 of seconds): a lease reports more time left than it has',
    aimed: ['lease-expiry-partition', 'lock'],
  },
  {
    name: 'lease-grant-min-ttl', class: 'lease', file: 'src/lease/lessor.ts', holdout2: true,
    find: 'const l = new Lease(id, Math.max(ttlSeconds, this.config.minTtlSeconds));',
    replace: 'const l = new Lease(id, Math.min(ttlSeconds, this.config.minTtlSeconds));',
    why: 'min for max: the granted TTL is capped at the minimum TTL instead of raised to it, so every lease lives about 2 s whatever the client asked for',
    aimed: ['lease-expiry-partition', 'lock', 'deposed-lessor'],
  },
  {
    name: 'watch-filter-swapped', class: 'watch', file: 'src/watch/watcher.ts', holdout2: true,
    find: "events = events.filter((e) => !(e.type === 'PUT' ? this.filters.noPut : this.filters.noDelete));",
    replace: "events = events.filter((e) => !(e.type === 'PUT' ? this.filters.noDelete : this.filters.noPut));",
    why: 'the NOPUT and NODELETE filters swapped: a watch that asked for deletes only gets the puts',
    aimed: ['watch-shapes', 'watch-rotation', 'watch-partition-compaction'],
  },
  {
    name: 'sync-misses-current-rev', class: 'watch', file: 'src/watch/watchable-store.ts', holdout2: true,
    find: 'for (let main = Math.max(minRev, 1); main <= curRev; main++) {',
    replace: 'for (let main = Math.max(minRev, 1); main < curRev; main++) {',
    why: 'off by one in the catch-up of unsynced watchers: the events of the current revision are left out, and the watcher is then synced past them',
    aimed: ['watch-shapes', 'watch-rotation', 'watch-partition-compaction', 'watch-starvation'],
  },
  {
    name: 'error-code-compacted', class: 'api', file: 'src/api/errors.ts', holdout2: true,
    find: "export const ErrCompacted = e('etcdserver: mvcc: required revision has been compacted', C.OutOfRange);",
    replace: "export const ErrCompacted = e('etcdserver: mvcc: required revision has been compacted', C.FailedPrecondition);",
    why: 'the wrong gRPC code for "compacted" (FailedPrecondition, HTTP 412, instead of OutOfRange, HTTP 400): clients that branch on the code (clientv3 retries, Kubernetes\' reflector relists on OutOfRange) misread it',
    aimed: ['kv-api', 'kv-api-wide', 'watch-compaction-churn'],
  },

  // ---- HOLDOUT 3 (house, 2026-12-05 fourth session, 12:40 UTC): written after the holdout-2 fixes and
  // before measuring them, to estimate the fresh catch rate after those fixes. `holdout3: true`. ----
  {
    name: 'new-leader-assumes-match', class: 'commit', file: 'src/raft/raft.ts', holdout3: true,
    find: 'pr.match = id === this.id ? lastIndex : 0;',
    replace: 'pr.match = lastIndex;',
    why: 'a new leader assumes every follower holds its whole log: its quorum of matches is met at once, so it commits entries only it has',
    aimed: ['kill-leader', 'leader-churn', 'divergent-logs'],
  },
  {
    name: 'apply-without-dedup', class: 'apply', file: 'src/server/etcd-state-machine.ts', holdout3: true,
    find: 'if (this.appliedIds.seen(req.id)) {',
    replace: 'if (req.id === "dedup-disabled" && this.appliedIds.seen(req.id)) {',
    why: '"raft delivers each entry once" so the request-id check is dropped: a proposal committed twice (a forwarded MsgProp duplicated, a retried proposal) is applied twice',
    aimed: ['duplicating-network', 'buggify', 'lossy-network'],
  },
  {
    name: 'ignore-lease-missing-key-ok', class: 'txn', file: 'src/server/apply/kv-ops.ts', holdout3: true,
    find: 'if ((p.ignore_value === true || p.ignore_lease === true) && prev === undefined) return ErrKeyNotFound;',
    replace: 'if (p.ignore_value === true && prev === undefined) return ErrKeyNotFound;',
    why: 'only ignore_value is refused on a missing key: a put with ignore_lease on a key that does not exist creates it (etcd answers "key not found")',
    aimed: ['kv-api', 'kv-api-wide'],
  },
  {
    name: 'compact-same-rev-ok', class: 'mvcc', file: 'src/mvcc/store.ts', holdout3: true,
    find: "if (rev <= this.compactMainRev) return 'compacted';",
    replace: "if (rev < this.compactMainRev) return 'compacted';",
    why: 'off by one: compacting again at the current compact revision succeeds, where etcd answers "compacted"',
    aimed: ['kv-api', 'compaction-restore', 'watch-compaction-churn'],
  },
  {
    name: 'sort-target-without-order', class: 'mvcc', file: 'src/server/apply/range.ts', holdout3: true,
    find: "const order = target !== 'KEY' && sortOrder === 'NONE' ? 'ASCEND' : sortOrder;",
    replace: 'const order = sortOrder;',
    why: 'a sort target without a sort order keeps key order; etcd sorts ascending by the target then',
    aimed: ['kv-api-wide', 'kubernetes-traffic'],
  },
  {
    name: 'watch-now-includes-current', class: 'watch', file: 'src/watch/watch-stream.ts', holdout3: true,
    find: 'const rev = (creq.start_revision ?? 0) === 0 ? wsrev + 1 : creq.start_revision!;',
    replace: 'const rev = (creq.start_revision ?? 0) === 0 ? wsrev : creq.start_revision!;',
    why: 'a watch without a start revision starts at the current revision, not the next: it replays the events of a revision that happened before it was created',
    aimed: ['watch-shapes', 'watch-rotation', 'watch-partition-compaction'],
  },
  {
    name: 'txn-header-before-write', class: 'api', file: 'src/server/apply/kv-ops.ts', holdout3: true,
    find: 'resp.header = { revision: txn.readRev() };',
    replace: 'resp.header = { revision: txn.beginRev };',
    why: 'a write txn\'s header carries the revision it started from, not the one its writes made',
    aimed: ['kv-api', 'kv-transactions'],
  },
];
