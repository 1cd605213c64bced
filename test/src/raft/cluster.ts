// A cluster of RawNodes on an in-memory network, driven the way a host drives them: each
// Ready is persisted to a MemoryStorage, then its messages are queued, then its committed
// entries applied (conf changes included), then advance(). Messages are delivered in FIFO order
// until none is left. A transcript records deliveries and state changes.
import { RawNode } from '../../../src/raft/raw-node.ts';
import type { Config } from '../../../src/raft/config.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { ConfChange, ConfState, Entry, Message, MessageType, NodeId, ReadState } from '../../../src/raft/types.ts';
import { decodeConfChange, entryDataText, message } from '../../../src/raft/types.ts';
import { confState, describeMessage, seededRandom } from './helpers.ts';

export interface ClusterNode {
  readonly id: NodeId;
  raw: RawNode;
  storage: MemoryStorage;
  /** The data of every applied normal entry, by index (the replicated state machine). */
  applied: Map<number, string>;
  confState: ConfState;
  /** Read states handed out by Ready, oldest first (tests take them). */
  readStates: ReadState[];
}

/** A bound on message deliveries per `deliver()` call, so a livelock fails instead of hanging. */
const DELIVERIES_MAX = 100_000;

export class Cluster {
  readonly nodes = new Map<NodeId, ClusterNode>();
  private queue: Message[] = [];
  /** Pairs "from-to" whose messages are dropped. */
  private readonly cuts = new Set<string>();
  private readonly ignored = new Set<MessageType>();
  readonly transcript: string[] = [];
  private readonly extra: (id: NodeId) => Partial<Config>;
  /** Messages held back instead of delivered (for tests that inspect them). */
  held: Message[] = [];
  holdFilter: ((m: Message) => boolean) | undefined = undefined;

  constructor(ids: NodeId[], extra: (id: NodeId) => Partial<Config> = () => ({}), learners: NodeId[] = []) {
    this.extra = extra;
    for (const id of [...ids, ...learners]) this.add(id, confState(ids, learners));
  }

  add(id: NodeId, cs: ConfState): ClusterNode {
    const storage = new MemoryStorage(cs);
    const n: ClusterNode = { id, raw: this.newRaw(id, storage), storage, applied: new Map(), confState: cs, readStates: [] };
    this.nodes.set(id, n);
    return n;
  }

  private newRaw(id: NodeId, storage: MemoryStorage, applied = 0): RawNode {
    return new RawNode({
      id, electionTick: 10, heartbeatTick: 1, storage, maxInflightMsgs: 256, random: seededRandom(`n${id}`), applied, ...this.extra(id),
    });
  }

  node(id: NodeId): ClusterNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  log(line: string): void {
    this.transcript.push(line);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cuts.add(`${a}-${b}`);
    this.cuts.add(`${b}-${a}`);
  }

  cutOneWay(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}-${to}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut(id, other);
  }

  recover(): void {
    this.cuts.clear();
    this.ignored.clear();
  }

  ignore(t: MessageType): void {
    this.ignored.add(t);
  }

  /** Runs the Ready loop of one node: persist, queue messages, apply, advance. */
  drain(id: NodeId): void {
    const n = this.node(id);
    for (let i = 0; i < 1000 && n.raw.hasReady(); i++) {
      const rd = n.raw.ready();
      if (rd.softState !== undefined) this.log(`  ${id}: became ${rd.softState.raftState} (lead ${rd.softState.lead}) at term ${n.raw.raft.term}`);
      if (rd.snapshot !== undefined) {
        n.storage.applySnapshot(rd.snapshot);
        n.confState = rd.snapshot.metadata.confState;
        this.log(`  ${id}: installed snapshot at ${rd.snapshot.metadata.index}`);
        for (const [k] of n.applied) if (k <= rd.snapshot.metadata.index) n.applied.delete(k);
        n.applied.set(rd.snapshot.metadata.index, `snapshot:${rd.snapshot.data}`);
      }
      n.storage.append(rd.entries);
      n.readStates.push(...rd.readStates);
      if (rd.hardState !== undefined) n.storage.setHardState(rd.hardState);
      for (const m of rd.messages) this.queue.push(m);
      for (const e of rd.committedEntries) this.apply(n, e);
      n.raw.advance(rd);
    }
  }

  private apply(n: ClusterNode, e: Entry): void {
    if (e.type === 'conf-change') {
      const cc: ConfChange = decodeConfChange(e.data);
      n.confState = n.raw.applyConfChange(cc);
      this.log(`  ${n.id}: applied conf change at ${e.index}: voters=(${n.confState.voters.join(' ')})${n.confState.votersOutgoing.length > 0 ? `&&(${n.confState.votersOutgoing.join(' ')})` : ''}${n.confState.learners.length > 0 ? ` learners=(${n.confState.learners.join(' ')})` : ''}`);
      return;
    }
    n.applied.set(e.index, entryDataText(e.data));
  }

  drainAll(): void {
    for (const id of [...this.nodes.keys()].sort((a, b) => a - b)) this.drain(id);
  }

  /** Delivers queued messages (and what they cause) until the network is quiet. */
  deliver(): number {
    this.drainAll();
    let count = 0;
    while (this.queue.length > 0) {
      if (++count > DELIVERIES_MAX) throw new Error('too many deliveries: livelock?');
      const m = this.queue.shift() as Message;
      if (this.cuts.has(`${m.from}-${m.to}`) || this.ignored.has(m.type)) continue;
      if (this.holdFilter?.(m) === true) {
        this.held.push(m);
        continue;
      }
      const n = this.nodes.get(m.to);
      if (n === undefined) continue;
      this.log(describeMessage(m));
      n.raw.step(m);
      this.drain(m.to);
    }
    return count;
  }

  /** Lets `id` campaign (as its election timeout would) and delivers everything. */
  campaign(id: NodeId): void {
    this.log(`> ${id} campaigns`);
    this.node(id).raw.campaign();
    this.deliver();
  }

  propose(id: NodeId, data: string): string | undefined {
    this.log(`> ${id} proposes ${JSON.stringify(data)}`);
    const err = this.node(id).raw.propose(data);
    this.deliver();
    return err;
  }

  proposeConfChange(id: NodeId, cc: ConfChange): string | undefined {
    this.log(`> ${id} proposes conf change ${JSON.stringify(cc.changes)} (${cc.transition})`);
    const err = this.node(id).raw.proposeConfChange(cc);
    this.deliver();
    return err;
  }

  /** Ticks every node `n` times (delivering after each round). */
  tick(n: number, ids: NodeId[] = [...this.nodes.keys()]): void {
    for (let i = 0; i < n; i++) {
      for (const id of ids) this.node(id).raw.tick();
      this.deliver();
    }
  }

  /** Ticks the given node `n` times, delivering after each. */
  tickNode(id: NodeId, n: number): void {
    for (let i = 0; i < n; i++) {
      this.node(id).raw.tick();
      this.deliver();
    }
  }

  send(m: Partial<Message> & Pick<Message, 'type'>): void {
    this.queue.push(message(m));
    this.deliver();
  }

  /** Restarts a node from its storage (what was persisted), as after a crash. */
  restart(id: NodeId): void {
    const n = this.node(id);
    this.log(`> ${id} restarts`);
    n.raw = this.newRaw(id, n.storage, n.storage.firstIndex() - 1);
    n.applied = new Map();
  }

  leader(): NodeId | undefined {
    for (const n of this.nodes.values()) if (n.raw.raft.state === 'leader') return n.id;
    return undefined;
  }

  status(): string {
    return [...this.nodes.values()]
      .map((n) => `${n.id}:${n.raw.raft.state[0]} t${n.raw.raft.term} c${n.raw.raft.raftLog.committed} l${n.raw.raft.raftLog.lastIndex()}`)
      .join(' ');
  }
}
