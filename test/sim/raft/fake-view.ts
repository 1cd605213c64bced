// A hand-built RaftView for observer tests, and an adapter from a bare Raft member.
import type { RaftView, ViewEntry } from '../../../sim/check/raft-invariants.ts';
import type { Raft } from '../../../src/raft/raft.ts';

export class FakeView implements RaftView {
  incarnation = 1;
  term = 1;
  commit = 0;
  durableTerm = 1;
  durableCommit = 0;
  isLeader = false;
  applied = 0;
  firstIndex = 1;
  log: ViewEntry[] = [];
  appliedLog = new Map<number, ViewEntry>();

  constructor(readonly id: string) {}

  get lastIndex(): number {
    return this.log.length;
  }

  entry(i: number): ViewEntry | undefined {
    return i >= 1 ? this.log[i - 1] : undefined;
  }

  appliedEntry(i: number): ViewEntry | undefined {
    return this.appliedLog.get(i);
  }

  append(term: number, data: string): this {
    this.log.push({ term, data });
    return this;
  }
}

/** A live view of a bare Raft member (tests without hosts): durable = in memory. */
export function viewOfRaft(id: string, r: Raft): RaftView {
  return {
    id,
    incarnation: 1,
    get term() { return r.term; },
    get commit() { return r.raftLog.committed; },
    get durableTerm() { return r.term; },
    get durableCommit() { return r.raftLog.committed; },
    get lastIndex() { return r.raftLog.lastIndex(); },
    get firstIndex() { return r.raftLog.firstIndex(); },
    get isLeader() { return r.state === 'leader'; },
    get applied() { return 0; },
    entry(i: number): ViewEntry | undefined {
      if (i < r.raftLog.firstIndex() || i > r.raftLog.lastIndex()) return undefined;
      const e = r.raftLog.slice(i, i + 1, Number.MAX_SAFE_INTEGER);
      if (typeof e === 'string' || e[0] === undefined) return undefined;
      return { term: e[0].term, data: e[0].data };
    },
    appliedEntry: () => undefined,
  };
}
