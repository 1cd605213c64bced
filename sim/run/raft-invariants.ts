// The Raft invariant observer (sim/check/raft-invariants.ts) on every event of a run. Each etcd
// member is seen through a RaftView over its raft node: term and commit in memory, term and
// commit as last fsynced (the member's raft storage takes the hard state only after the fsync),
// the log, and what it applied. The first violation throws out of the event loop and stops
// the run with the invariant's name.
import type { Validity } from '../check/verdict.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';
import type { MemberHost } from '../etcd/member-host.ts';
import { RaftInvariants } from '../check/raft-invariants.ts';
import { viewEntryAt, viewTermAt } from '../check/raft-invariants.ts';
import type { RaftView, ViewEntry } from '../check/raft-invariants.ts';

export interface InvariantWatch {
  verdict(): { valid: Validity; summary: string; [detail: string]: unknown };
}

/**
 * One member seen through a RaftView that reads its raft node live: made once per member host
 * (a restart or a re-add makes a new host), so the check after every event allocates nothing
 * for the views. The observer only reads a view during its check, so live fields see exactly
 * what a copy taken at the start of the check would.
 */
class LiveMemberView implements RaftView {
  readonly id: string;
  readonly host: MemberHost;
  private readonly incarnationOf: () => number;

  constructor(id: string, host: MemberHost, incarnationOf: () => number) {
    this.id = id;
    this.host = host;
    this.incarnationOf = incarnationOf;
  }

  get incarnation(): number {
    return this.incarnationOf();
  }

  get term(): number {
    return this.host.recovered.raft.node.raft.term;
  }

  /**
   * Raft counts a leader's own unstable entries towards its quorum, so a single member
   * "commits" an entry before it is on disk; the host never acts on it before the fsync, so
   * what must hold is the part of the commit its own durable log covers.
   */
  get commit(): number {
    return Math.min(this.host.recovered.raft.node.raft.raftLog.committed, this.host.recovered.storage.lastIndex());
  }

  get durableTerm(): number {
    return this.host.recovered.storage.hardState.term;
  }

  get durableCommit(): number {
    return this.host.recovered.storage.hardState.commit;
  }

  get lastIndex(): number {
    return this.host.recovered.raft.node.raft.raftLog.lastIndex();
  }

  get firstIndex(): number {
    return this.host.recovered.raft.node.raft.raftLog.firstIndex();
  }

  get isLeader(): boolean {
    return this.host.recovered.raft.node.raft.state === 'leader';
  }

  get applied(): number {
    return this.host.member.applied;
  }

  entry(i: number): ViewEntry | undefined {
    return viewEntryAt(this.host.recovered.raft.node.raft.raftLog, i);
  }

  termAt(i: number): number | undefined {
    return viewTermAt(this.host.recovered.raft.node.raft.raftLog, i);
  }

  appliedEntry(i: number): ViewEntry | undefined {
    return i <= this.applied ? this.entry(i) : undefined;
  }
}

export function watchRaftInvariants(cluster: EtcdCluster, replay?: string): InvariantWatch {
  const world = cluster.world;
  const invariants = new RaftInvariants(replay === undefined ? {} : { replay });
  const cache = new Map<string, LiveMemberView>();
  const out: RaftView[] = [];
  const views = (): RaftView[] => {
    // Overwritten in place, then cut to length: no new backing store after every event.
    let n = 0;
    for (const id of cluster.names) {
      const host = cluster.hosts.get(id);
      if (host === undefined || !world.isUp(id)) continue;
      let view = cache.get(id);
      if (view?.host !== host) {
        view = new LiveMemberView(cluster.viewId(id, host.config.id), host, () => world.incarnation(id));
        cache.set(id, view);
      }
      out[n++] = view;
    }
    if (out.length !== n) out.length = n;
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
