// One test per rule of the Raft paper (Figure 2 and §5), in the manner of etcd's
// raft_paper_test.go. Each test name quotes or paraphrases the sentence it checks.
import { describe, expect, it } from 'vitest';
import type { Raft } from '../../../src/raft/raft.ts';
import type { Message, StateType } from '../../../src/raft/types.ts';
import { message } from '../../../src/raft/types.ts';
import {
  becomeLeaderByVotes, commitNoopEntry, entsWithTerms, hup, newNet, newStorage, newTestRaft, persist, prop, readMessages, seededRandom, votedWithLog,
} from './helpers.ts';

function sorted(msgs: Message[]): Message[] {
  return [...msgs].sort((a, b) => a.to - b.to || a.type.localeCompare(b.type));
}

function inState(state: StateType): Raft {
  const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
  if (state === 'follower') r.becomeFollower(1, 2);
  if (state === 'candidate') r.becomeCandidate();
  if (state === 'leader') {
    r.becomeCandidate();
    r.becomeLeader();
  }
  return r;
}

describe('Figure 2, rules for all servers', () => {
  for (const state of ['follower', 'candidate', 'leader'] as const) {
    it(`a ${state} that sees a larger term updates its term and reverts to follower (§5.1)`, () => {
      const r = inState(state);
      r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 2 }));
      expect(r.term).toBe(2);
      expect(r.state).toBe('follower');
      expect(r.lead).toBe(2);
    });
  }

  it('a request with a stale term is rejected: the member ignores it (§5.1)', () => {
    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
    r.loadState({ term: 2, vote: 0, commit: 0 });
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, entries: entsWithTerms(1) }));
    expect(r.raftLog.lastIndex()).toBe(0);
    expect(r.term).toBe(2);
    expect(readMessages(r)).toEqual([]);
  });

  it('RequestVote: a vote request with a term below ours gets no vote (§5.1)', () => {
    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
    r.loadState({ term: 3, vote: 0, commit: 0 });
    r.step(message({ type: 'MsgVote', from: 2, to: 1, term: 2, index: 5, logTerm: 2 }));
    expect(r.vote).toBe(0);
    expect(readMessages(r).filter((m) => m.type === 'MsgVoteResp' && !m.reject)).toEqual([]);
  });

  it('with CheckQuorum or PreVote, a stale leader\'s append gets an answer carrying our newer term, so it steps down', () => {
    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]), { checkQuorum: true });
    r.loadState({ term: 3, vote: 0, commit: 0 });
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 2 }));
    const [m] = readMessages(r);
    expect([m?.type, m?.term]).toEqual(['MsgAppResp', 3]);
    const old = newTestRaft(2, 10, 1, newStorage([1, 2, 3]));
    old.loadState({ term: 1, vote: 0, commit: 0 }); // becomes leader of term 2
    old.becomeCandidate();
    old.becomeLeader();
    old.step(m!);
    expect(old.state).toBe('follower');
  });

  it('if commitIndex > lastApplied, the member hands the entries to the host to apply (§5.3)', () => {
    const r = inState('follower');
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, logTerm: 0, entries: entsWithTerms(1, 1), commit: 2 }));
    expect(r.raftLog.nextEnts().map((e) => e.index)).toEqual([1, 2]);
  });
});

describe('Figure 2, followers', () => {
  it('when servers start up, they begin as followers (§5.2)', () => {
    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
    expect(r.state).toBe('follower');
  });

  it('a follower that hears nothing for an election timeout becomes a candidate, votes for itself and asks for votes in parallel (§5.2)', () => {
    const r = inState('follower');
    for (let i = 0; i < 2 * 10; i++) r.tick();
    expect(r.term).toBe(2);
    expect(r.state).toBe('candidate');
    expect(r.prs.votes.get(1)).toBe(true);
    expect(sorted(readMessages(r)).map((m) => [m.to, m.type, m.term])).toEqual([[2, 'MsgVote', 2], [3, 'MsgVote', 2]]);
  });

  it('each server votes for at most one candidate in a term, first come first served (§5.2)', () => {
    const cases: [number, number, boolean][] = [[0, 2, false], [0, 3, false], [2, 2, false], [3, 3, false], [2, 3, true], [3, 2, true]];
    for (const [vote, from, wreject] of cases) {
      const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
      r.loadState({ term: 1, vote, commit: 0 });
      r.step(message({ type: 'MsgVote', from, to: 1, term: 1 }));
      const msgs = readMessages(r);
      expect(msgs.map((m) => [m.to, m.type, m.reject])).toEqual([[from, 'MsgVoteResp', wreject]]);
    }
  });

  it('a follower refuses entries when its log has no entry at prevLogIndex with prevLogTerm (§5.3)', () => {
    const ents = entsWithTerms(1, 2);
    const cases: [number, number, boolean, number][] = [
      // index, logTerm, reject, hint
      [0, 0, false, 0], [1, 1, false, 0], [2, 2, false, 0],
      [1, 2, true, 1], // term mismatch at 1: hint 1 (term 1 <= 2)
      [3, 3, true, 2], // beyond our log: hint our last index
    ];
    for (const [index, logTerm, wreject, whint] of cases) {
      const s = newStorage([1, 2, 3]);
      s.append(ents);
      const r = newTestRaft(1, 10, 1, s);
      r.loadState({ term: 0, vote: 0, commit: 1 });
      r.becomeFollower(2, 2);
      r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 2, logTerm, index }));
      const [m] = readMessages(r);
      expect(m?.reject).toBe(wreject);
      if (wreject) expect(m?.rejectHint).toBe(whint);
    }
  });

  it('if an existing entry conflicts with a new one, the follower deletes it and all that follow, and appends new entries (§5.3)', () => {
    const cases: [number, number, number[], number[]][] = [
      [2, 2, [3], [1, 2, 3]],
      [1, 1, [3, 4], [1, 3, 4]],
      [0, 0, [1], [1, 2]],
      [0, 0, [3], [3]],
    ];
    for (const [index, logTerm, newTerms, want] of cases) {
      const s = newStorage([1, 2, 3]);
      s.append(entsWithTerms(1, 2));
      const r = newTestRaft(1, 10, 1, s);
      r.becomeFollower(2, 2);
      const entries = newTerms.map((term, i) => ({ term, index: index + 1 + i, type: 'normal' as const, data: '' }));
      r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 2, logTerm, index, entries }));
      expect(r.raftLog.allEntries().map((e) => e.term)).toEqual(want);
    }
  });

  it('if leaderCommit > commitIndex, the follower sets commitIndex = min(leaderCommit, index of last new entry) (§5.3)', () => {
    const r = inState('follower');
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, logTerm: 0, index: 0, entries: entsWithTerms(1, 1), commit: 5 }));
    expect(r.raftLog.committed).toBe(2);
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, logTerm: 1, index: 2, entries: [], commit: 1 }));
    expect(r.raftLog.committed).toBe(2); // never decreases
  });

  it('once a follower learns that an entry is committed, it applies it (§5.3)', () => {
    const r = inState('follower');
    r.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, entries: entsWithTerms(1, 1, 1), commit: 1 }));
    expect(r.raftLog.nextEnts().map((e) => e.index)).toEqual([1]);
    r.step(message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1, commit: 3 }));
    expect(r.raftLog.nextEnts().map((e) => e.index)).toEqual([1, 2, 3]);
  });
});

describe('Figure 2, candidates', () => {
  it('on conversion to candidate, the member increments its term, votes for itself and sends RequestVote (§5.2)', () => {
    const r = inState('candidate');
    readMessages(r);
    for (let i = 0; i < 2 * 10; i++) r.tick();
    expect(r.term).toBe(2); // a new election on timeout
    expect(r.vote).toBe(1);
    expect(sorted(readMessages(r)).map((m) => m.type)).toEqual(['MsgVote', 'MsgVote']);
  });

  it('a candidate wins with votes from a majority, stays candidate while pending, and loses to a majority of rejections (§5.2)', () => {
    const cases: [number, Record<number, boolean>, StateType][] = [
      [1, {}, 'leader'],
      [3, { 2: true, 3: true }, 'leader'],
      [3, { 2: true }, 'leader'],
      [5, { 2: true, 3: true, 4: true, 5: true }, 'leader'],
      [5, { 2: true, 3: true }, 'leader'],
      [3, {}, 'candidate'],
      [5, { 2: true }, 'candidate'],
      [5, { 2: false, 3: false }, 'candidate'],
      [3, { 2: false, 3: false }, 'follower'],
      [5, { 2: false, 3: false, 4: false }, 'follower'],
    ];
    for (const [size, votes, want] of cases) {
      const ids = Array.from({ length: size }, (_, i) => i + 1);
      const r = newTestRaft(1, 10, 1, newStorage(ids));
      r.step(hup(1));
      for (const [id, granted] of Object.entries(votes)) {
        r.step(message({ type: 'MsgVoteResp', from: Number(id), to: 1, term: r.term, reject: !granted }));
      }
      expect(r.state).toBe(want);
      expect(r.term).toBe(1);
    }
  });

  it('a candidate that receives AppendEntries from a leader of at least its term returns to follower (§5.2)', () => {
    for (const term of [1, 2]) {
      const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
      r.step(hup(1));
      expect(r.state).toBe('candidate');
      r.step(message({ type: 'MsgApp', from: 2, to: 1, term }));
      expect(r.state).toBe('follower');
      expect(r.term).toBe(term);
    }
  });

  it('Raft uses randomized election timeouts in [electionTimeout, 2*electionTimeout) (§5.2)', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 400; seed++) {
      const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]), { random: seededRandom(seed) });
      r.becomeFollower(r.term + 1, 2);
      let t = 0;
      while (r.state === 'follower') {
        r.tick();
        t++;
      }
      seen.add(t);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('in most cases only a single server times out first, so split votes are rare (§5.2)', () => {
    let conflicts = 0;
    const rounds = 1000;
    for (let round = 0; round < rounds; round++) {
      const rs = [1, 2, 3, 4, 5].map((id) => newTestRaft(id, 10, 1, newStorage([1, 2, 3, 4, 5]), { random: seededRandom(`${round}/${id}`) }));
      for (const r of rs) r.becomeFollower(r.term + 1, 0);
      let timedOut = 0;
      while (timedOut === 0) {
        for (const r of rs) {
          r.tick();
          if (readMessages(r).length > 0) timedOut++;
        }
      }
      if (timedOut > 1) conflicts++;
    }
    expect(conflicts / rounds).toBeLessThanOrEqual(0.3);
  });
});

describe('Figure 2, leaders', () => {
  it('upon election, the leader sends heartbeats to all followers to maintain authority (§5.2)', () => {
    const r = inState('leader');
    for (let i = 0; i < 10; i++) r.step(prop(1, ''));
    readMessages(r);
    r.tick();
    const msgs = sorted(readMessages(r));
    expect(msgs.map((m) => [m.to, m.type, m.term, m.commit])).toEqual([[2, 'MsgHeartbeat', 1, 0], [3, 'MsgHeartbeat', 1, 0]]);
  });

  it('upon election, the leader appends an empty entry of its term and sends it to every follower', () => {
    const net = newNet([1, 2, 3]);
    net.send(hup(1));
    expect(net.r(1).state).toBe('leader');
    for (const id of [1, 2, 3]) {
      expect(net.r(id).raftLog.allEntries().map((e) => [e.term, e.data])).toEqual([[1, '']]);
      expect(net.r(id).raftLog.committed).toBe(1);
    }
  });

  it('the leader appends a client command to its log, then sends AppendEntries in parallel to each follower (§5.3)', () => {
    const s = newStorage([1, 2, 3]);
    const r = newTestRaft(1, 10, 1, s);
    becomeLeaderByVotes(r);
    commitNoopEntry(r, s);
    const li = r.raftLog.lastIndex();
    r.step(prop(1, 'some data'));
    expect(r.raftLog.lastIndex()).toBe(li + 1);
    expect(r.raftLog.committed).toBe(li);
    const msgs = sorted(readMessages(r));
    expect(msgs.map((m) => [m.to, m.type, m.index, m.logTerm, m.commit, m.entries.map((e) => e.data)])).toEqual([
      [2, 'MsgApp', li, 1, li, ['some data']],
      [3, 'MsgApp', li, 1, li, ['some data']],
    ]);
    expect(r.raftLog.unstableEntries().map((e) => e.data)).toEqual(['some data']);
  });

  it('if successful, the leader updates nextIndex and matchIndex of the follower; once replicated on a majority it commits and applies (§5.3)', () => {
    const s = newStorage([1, 2, 3]);
    const r = newTestRaft(1, 10, 1, s);
    becomeLeaderByVotes(r);
    commitNoopEntry(r, s);
    const li = r.raftLog.lastIndex();
    r.step(prop(1, 'some data'));
    for (const m of readMessages(r)) r.step(message({ type: 'MsgAppResp', from: m.to, to: 1, term: m.term, index: m.index + m.entries.length }));
    expect(r.prs.progress.get(2)?.match).toBe(li + 1);
    expect(r.prs.progress.get(2)?.next).toBe(li + 2);
    expect(r.raftLog.committed).toBe(li + 1);
    expect(r.raftLog.nextEnts().map((e) => e.data)).toEqual(['some data']);
    const msgs = sorted(readMessages(r));
    // The new commit index is sent to the followers.
    expect(msgs.map((m) => [m.to, m.type, m.commit])).toEqual([[2, 'MsgApp', li + 1], [3, 'MsgApp', li + 1]]);
  });

  it('an entry is committed once the leader has replicated it on a majority of servers (§5.3)', () => {
    const cases: [number, number[], boolean][] = [
      [1, [], true], [3, [], false], [3, [2], true], [3, [2, 3], true],
      [5, [], false], [5, [2], false], [5, [2, 3], true], [5, [2, 3, 4, 5], true],
    ];
    for (const [size, acceptors, wack] of cases) {
      const ids = Array.from({ length: size }, (_, i) => i + 1);
      const s = newStorage(ids);
      const r = newTestRaft(1, 10, 1, s);
      becomeLeaderByVotes(r);
      commitNoopEntry(r, s);
      const li = r.raftLog.lastIndex();
      r.step(prop(1, 'some data'));
      for (const m of readMessages(r)) {
        if (acceptors.includes(m.to)) r.step(message({ type: 'MsgAppResp', from: m.to, to: 1, term: m.term, index: m.index + m.entries.length }));
      }
      expect(r.raftLog.committed > li).toBe(wack);
    }
  });

  it('when the leader commits an entry it also commits all preceding entries, including those of previous leaders (§5.3)', () => {
    const cases = [[], [2], [1, 1], [1, 2]];
    for (const terms of cases) {
      const s = newStorage([1, 2, 3]);
      s.append(entsWithTerms(...terms));
      const r = newTestRaft(1, 10, 1, s);
      r.loadState({ term: 2, vote: 0, commit: 0 });
      becomeLeaderByVotes(r);
      r.step(prop(1, 'some data'));
      for (const m of readMessages(r)) r.step(message({ type: 'MsgAppResp', from: m.to, to: 1, term: m.term, index: terms.length + 2 }));
      expect(r.raftLog.committed).toBe(terms.length + 2);
      expect(r.raftLog.nextEnts().length).toBe(terms.length + 2);
    }
  });

  it('the leader forces followers to duplicate its log: every Figure 7 follower converges (§5.3)', () => {
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const followers = [
      [1, 1, 1, 4, 4, 5, 5, 6, 6],
      [1, 1, 1, 4],
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
      [1, 1, 1, 4, 4, 4, 4],
      [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ];
    for (const f of followers) {
      const net = newNet([1, 2, 3], {}, (id) => {
        if (id === 1) {
          const r = votedWithLog(1, [1, 2, 3], leaderTerms);
          r.loadState({ term: 8, vote: 0, commit: leaderTerms.length });
          return r;
        }
        if (id === 2) {
          const r = votedWithLog(2, [1, 2, 3], f);
          r.loadState({ term: 7, vote: 0, commit: 0 });
          return r;
        }
        return votedWithLog(3, [1, 2, 3], leaderTerms.slice(0, 0)); // an empty voter to elect 1
      });
      net.r(3).loadState({ term: 7, vote: 0, commit: 0 });
      net.cut(1, 2); // elect 1 with 3's vote, then let it repair 2
      net.send(hup(1));
      expect(net.r(1).state).toBe('leader');
      net.recover();
      net.send(message({ type: 'MsgBeat', from: 1, to: 1 }));
      net.send(prop(1, 'x'));
      const l = net.r(1).raftLog.allEntries().map((e) => [e.index, e.term]);
      expect(net.r(2).raftLog.allEntries().map((e) => [e.index, e.term])).toEqual(l);
    }
  });

  it('the leader decrements nextIndex and retries when AppendEntries fails for log inconsistency (§5.3)', () => {
    const s = newStorage([1, 2]);
    s.append(entsWithTerms(1, 2, 2, 2));
    const r = newTestRaft(1, 10, 1, s);
    r.loadState({ term: 3, vote: 0, commit: 0 });
    becomeLeaderByVotes(r);
    const pr = r.prs.progress.get(2)!;
    expect(pr.next).toBe(5);
    r.step(prop(1));
    readMessages(r);
    // The follower has only [1] and rejects index 4; its hint lets the leader jump back to 2.
    r.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: r.term, index: 4, reject: true, rejectHint: 1, logTerm: 1 }));
    expect(pr.next).toBe(2);
    const [m] = readMessages(r);
    expect([m?.type, m?.index, m?.logTerm]).toEqual(['MsgApp', 1, 1]);
  });
});

describe('§5.4 safety', () => {
  it('the RequestVote RPC includes the index and term of the candidate\'s last log entry (§5.4.1)', () => {
    const r = votedWithLog(1, [1, 2, 3], [1, 2]);
    r.becomeFollower(3, 0);
    for (let i = 0; i < 2 * 10; i++) r.tick();
    for (const m of readMessages(r)) {
      expect([m.type, m.index, m.logTerm, m.term]).toEqual(['MsgVote', 2, 2, 4]);
    }
  });

  it('a voter denies its vote if its own log is more up to date than the candidate\'s (§5.4.1)', () => {
    const cases: [number[], number, number, boolean][] = [
      // voter log terms, candidate lastTerm, candidate lastIndex, wreject
      [[1, 1], 1, 2, false], [[1, 1], 1, 3, false], [[1, 1], 1, 1, true],
      [[1, 1], 2, 1, false], [[1, 1], 2, 2, false], [[1, 1], 2, 3, false],
      [[2], 1, 1, true], [[2], 1, 2, true], [[2], 1, 3, true], [[2], 2, 1, false],
    ];
    for (const [terms, logTerm, index, wreject] of cases) {
      const s = newStorage([1, 2]);
      s.append(entsWithTerms(...terms));
      const r = newTestRaft(1, 10, 1, s);
      r.step(message({ type: 'MsgVote', from: 2, to: 1, term: 3, logTerm, index }));
      const [m] = readMessages(r);
      expect([m?.type, m?.reject]).toEqual(['MsgVoteResp', wreject]);
    }
  });

  it('Raft never commits entries from previous terms by counting replicas (§5.4.2, Figure 8)', () => {
    const cases: [number, number][] = [[1, 0], [2, 0], [3, 3]]; // acked index -> committed
    for (const [index, wcommit] of cases) {
      const s = newStorage([1, 2]);
      s.append(entsWithTerms(1, 2));
      const r = newTestRaft(1, 10, 1, s);
      r.loadState({ term: 2, vote: 0, commit: 0 });
      becomeLeaderByVotes(r); // term 3, appends an empty entry at index 3
      r.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: r.term, index }));
      expect(r.raftLog.committed).toBe(wcommit);
    }
  });
});

describe('§5.4.3 and Figure 2: persistent state', () => {
  it('a vote is handed to the host in the same Ready as the hard state that records it, so it is durable before the answer leaves', async () => {
    const { RawNode } = await import('../../../src/raft/raw-node.ts');
    const n = new RawNode({ id: 1, electionTick: 10, heartbeatTick: 1, storage: newStorage([1, 2]), random: seededRandom(1) });
    n.step(message({ type: 'MsgVote', from: 2, to: 1, term: 5, index: 0, logTerm: 0 }));
    const rd = n.ready();
    expect(rd.hardState).toEqual({ term: 5, vote: 2, commit: 0 });
    expect(rd.mustSync).toBe(true);
    expect(rd.messages.map((m) => [m.type, m.reject])).toEqual([['MsgVoteResp', false]]);
  });

  it('an append acknowledgement is handed out with the entries it acknowledges, to persist first', async () => {
    const { RawNode } = await import('../../../src/raft/raw-node.ts');
    const n = new RawNode({ id: 1, electionTick: 10, heartbeatTick: 1, storage: newStorage([1, 2]), random: seededRandom(1) });
    n.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, logTerm: 0, entries: entsWithTerms(1, 1) }));
    const rd = n.ready();
    expect(rd.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(rd.messages.map((m) => [m.type, m.index])).toEqual([['MsgAppResp', 2]]);
    const s = newStorage([1, 2]);
    persist(n.raft, s);
  });
});
