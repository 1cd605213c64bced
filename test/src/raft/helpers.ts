// Test helpers in the shape of etcd's raft tests: raft members on an in-memory network that
// delivers every message at once, with drops, cuts and isolation; plus a textual transcript
// of what was delivered, for golden interaction files.
import { Raft } from '../../../src/raft/raft.ts';
import type { Config, RandomSource } from '../../../src/raft/config.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { ConfState, Entry, Message, NodeId } from '../../../src/raft/types.ts';
import { EMPTY_CONF_STATE, decodeConfChange, message } from '../../../src/raft/types.ts';
import { Prng } from '../../../sim/world/prng.ts';

export function confState(voters: NodeId[], learners: NodeId[] = []): ConfState {
  return { ...EMPTY_CONF_STATE, voters, learners };
}

export function newStorage(voters: NodeId[], learners: NodeId[] = []): MemoryStorage {
  return new MemoryStorage(confState(voters, learners));
}

export function seededRandom(seed: number | string): RandomSource {
  return new Prng(seed);
}

export function newTestRaft(id: NodeId, election: number, heartbeat: number, storage: MemoryStorage, extra: Partial<Config> = {}): Raft {
  return new Raft({ id, electionTick: election, heartbeatTick: heartbeat, storage, maxInflightMsgs: 256, random: seededRandom(id), ...extra });
}

export function readMessages(r: Raft): Message[] {
  const msgs = r.msgs;
  r.msgs = [];
  return msgs;
}

/** Entries with the given terms at indexes 1, 2, ... */
export function entsWithTerms(...terms: number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: i + 1, type: 'normal', data: '' }));
}

/** A member whose log holds entries of the given terms and whose term is the last of them. */
export function votedWithLog(id: NodeId, peers: NodeId[], terms: number[], extra: Partial<Config> = {}): Raft {
  const s = newStorage(peers);
  s.append(entsWithTerms(...terms));
  const t = terms[terms.length - 1] ?? 0;
  s.setHardState({ term: t, vote: 0, commit: 0 });
  return newTestRaft(id, 10, 1, s, extra);
}

export function stepAll(r: Raft, ...msgs: Message[]): void {
  for (const m of msgs) r.step(m);
}

export function prop(to: NodeId, data = 'somedata'): Message {
  return message({ type: 'MsgProp', from: to, to, entries: [{ term: 0, index: 0, type: 'normal', data }] });
}

export function hup(id: NodeId): Message {
  return message({ type: 'MsgHup', from: id, to: id });
}

/** Makes `r` leader of a fresh cluster by faking the votes. */
export function becomeLeaderByVotes(r: Raft): void {
  r.becomeCandidate();
  r.becomeLeader();
}

/** Persists what a Raft holds in memory into its storage, as a host would after each step. */
export function persist(r: Raft, s: MemoryStorage): void {
  const snap = r.raftLog.unstable.snapshot;
  if (snap !== undefined) {
    s.applySnapshot(snap);
    r.raftLog.stableSnapTo(snap.metadata.index);
  }
  const ents = r.raftLog.unstableEntries();
  if (ents.length > 0) {
    s.append(ents);
    const last = ents[ents.length - 1] as Entry;
    r.raftLog.stableTo(last.index, last.term);
  }
  s.setHardState(r.hardState());
}

/** One-line rendering of a message, as in etcd's interaction tests. */
export function describeMessage(m: Message): string {
  let s = `${m.from}->${m.to} ${m.type} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) s += ` Commit:${m.commit}`;
  if (m.entries.length > 0) s += ` Entries:[${m.entries.map(describeEntry).join(', ')}]`;
  if (m.snapshot !== undefined) {
    const md = m.snapshot.metadata;
    s += ` Snapshot: Index:${md.index} Term:${md.term} Voters:[${md.confState.voters.join(' ')}]`;
  }
  if (m.context !== '') s += ` Context:${m.context}`;
  return s;
}

export function describeEntry(e: Entry): string {
  if (e.type === 'conf-change') {
    const cc = decodeConfChange(e.data);
    const ch = cc.changes.map((c) => `${c.type === 'add-node' ? 'v' : c.type === 'add-learner-node' ? 'l' : 'r'}${c.nodeId}`).join(' ');
    return `${e.term}/${e.index} EntryConfChange ${ch === '' ? 'leave-joint' : ch}`;
  }
  return `${e.term}/${e.index} EntryNormal ${JSON.stringify(e.data)}`;
}

export type MsgFilter = (m: Message) => boolean;

/** Replicates and commits the new leader's empty entry (etcd's commitNoopEntry). */
export function commitNoopEntry(r: Raft, s: MemoryStorage): void {
  if (r.state !== 'leader') throw new Error('it should only be used when it is the leader');
  r.msgs = [];
  for (const id of r.prs.voterNodes()) {
    if (id === r.id) continue;
    const pr = r.prs.progress.get(id)!;
    pr.probeSent = false;
  }
  for (const id of r.prs.voterNodes()) {
    if (id !== r.id) r.step(message({ type: 'MsgAppResp', from: id, to: r.id, term: r.term, index: r.raftLog.lastIndex() }));
  }
  r.msgs = [];
  persist(r, s);
  r.raftLog.appliedTo(r.raftLog.committed);
}

/** A network of Raft members that delivers until quiet, persisting after every step. */
export class RaftNet {
  readonly peers = new Map<NodeId, { r: Raft; s: MemoryStorage }>();
  private readonly dropped = new Set<string>();
  /** Messages for which this returns true are dropped. */
  filter: ((m: Message) => boolean) | undefined = undefined;
  /** Rewrites a message before delivery (e.g. to lose part of it). */
  rewrite: ((m: Message) => Message) | undefined = undefined;
  /** Runs after every delivered message (an observer). */
  onStep: (() => void) | undefined = undefined;

  add(r: Raft, s: MemoryStorage): void {
    this.peers.set(r.id, { r, s });
  }

  cut(a: NodeId, b: NodeId): void {
    this.dropped.add(`${a}-${b}`);
    this.dropped.add(`${b}-${a}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.peers.keys()) if (other !== id) this.cut(id, other);
  }

  recover(): void {
    this.dropped.clear();
  }

  send(...msgs: Message[]): void {
    const queue = [...msgs];
    for (let n = 0; queue.length > 0; n++) {
      if (n > 100_000) throw new Error('livelock');
      const original = queue.shift()!;
      const m = this.rewrite?.(original) ?? original;
      if (this.dropped.has(`${m.from}-${m.to}`) || this.filter?.(m) === true) continue;
      const p = this.peers.get(m.to);
      if (p === undefined) continue;
      p.r.step(m);
      persist(p.r, p.s);
      this.onStep?.();
      queue.push(...readMessages(p.r));
    }
  }

  r(id: NodeId): Raft {
    return this.peers.get(id)!.r;
  }
}

export function newNet(peers: NodeId[], extra: Partial<Config> = {}, make?: (id: NodeId) => Raft | undefined): RaftNet {
  const net = new RaftNet();
  for (const id of peers) {
    const r = make?.(id);
    if (r !== undefined) {
      net.add(r, r.raftLog.storage as MemoryStorage);
      continue;
    }
    const s = newStorage(peers);
    net.add(newTestRaft(id, 10, 1, s, extra), s);
  }
  return net;
}
