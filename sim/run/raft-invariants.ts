// The Raft invariant observer (sim/check/raft-invariants.ts) on every event of a run. Each etcd
// member is seen through a RaftView over its raft node: term and commit in memory, term and
// commit as last fsynced (the member's raft storage takes the hard state only after the fsync),
// the log, and what it applied. The first violation throws out of the event loop and stops
// the run with the invariant's name.
import type { Validity } from '../check/verdict.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';
import type { MemberHost } from '../etcd/member-host.ts';
import { RaftInvariants } from '../check/raft-invariants.ts';
import type { RaftView, ViewEntry } from '../check/raft-invariants.ts';

export interface InvariantWatch {
  verdict(): { valid: Validity; summary: string; [detail: string]: unknown };
}

function memberView(id: string, incarnation: number, host: MemberHost): RaftView {
  const raft = host.recovered.raft.node.raft;
  const log = raft.raftLog;
  const hard = host.recovered.storage.hardState;
  const entry = (i: number): ViewEntry | undefined => {
    if (i < log.firstIndex() || i > log.lastIndex()) return undefined;
    const ents = log.slice(i, i + 1, Number.MAX_SAFE_INTEGER);
    if (typeof ents === 'string') return undefined;
    const e = ents[0];
    return e === undefined ? undefined : { term: e.term, data: e.data };
  };
  const applied = host.member.applied;
  return {
    id,
    incarnation,
    term: raft.term,
    // Raft counts a leader's own unstable entries towards its quorum, so a single member
    // "commits" an entry before it is on disk; the host never acts on it before the fsync, so
    // what must hold is the part of the commit its own durable log covers.
    commit: Math.min(log.committed, host.recovered.storage.lastIndex()),
    durableTerm: hard.term,
    durableCommit: hard.commit,
    lastIndex: log.lastIndex(),
    firstIndex: log.firstIndex(),
    entry,
    isLeader: raft.state === 'leader',
    applied,
    appliedEntry: (i) => (i <= applied ? entry(i) : undefined),
  };
}

export function watchRaftInvariants(cluster: EtcdCluster, replay?: string): InvariantWatch {
  const world = cluster.world;
  const invariants = new RaftInvariants(replay === undefined ? {} : { replay });
  const views = (): RaftView[] => {
    const out: RaftView[] = [];
    for (const id of cluster.names) {
      const host = cluster.hosts.get(id);
      if (host !== undefined && world.isUp(id)) out.push(memberView(cluster.viewId(id, host.config.id), world.incarnation(id), host));
    }
    return out;
  };
  world.onEvent(() => invariants.checkOrThrow(views()));
  return {
    verdict() {
      const v = invariants.violation;
      if (v !== undefined) return { valid: false, summary: `${v.invariant} violated on ${v.member} at term ${v.term}, index ${v.index}: ${v.detail}`, violation: v, checks: invariants.checks };
      return { valid: true, summary: `no Raft invariant broken in ${invariants.checks} checks`, checks: invariants.checks };
    },
  };
}
