// A Raft cluster in the simulated world: one RaftHost per node, a client endpoint that proposes
// and records acknowledgements, and the global invariant observer checked after every event.
import { World } from '../../../sim/world/world.ts';
import type { WorldOptions } from '../../../sim/world/world.ts';
import type { ClientEndpoint } from '../../../sim/world/world.ts';
import { RaftHost, RAFT_HOST_DEFAULTS } from './raft-host.ts';
import type { RaftHostOptions, RaftWire } from './raft-host.ts';
import { RaftInvariants } from '../../../sim/check/raft-invariants.ts';
import type { RaftView } from '../../../sim/check/raft-invariants.ts';

export interface RaftClusterOptions {
  readonly seed: number | string;
  readonly members: number;
  readonly host?: Partial<Omit<RaftHostOptions, 'peers'>>;
  readonly world?: Partial<Omit<WorldOptions, 'seed' | 'nodes' | 'clients'>>;
  /** The command that replays this run, printed with any violation. */
  readonly replay?: string;
  /** Check the invariants after every event (default true). */
  readonly observe?: boolean;
}

export interface ProposalOutcome {
  readonly data: string;
  readonly proposedUs: number;
  ok?: boolean;
  index?: number;
  term?: number;
  ackedUs?: number;
}

export const CLIENT_ID = 'client';

export class RaftCluster {
  readonly world: World;
  readonly ids: readonly string[];
  readonly invariants: RaftInvariants;
  readonly hostOptions: RaftHostOptions;
  private readonly hosts = new Map<string, RaftHost>();
  private readonly client: ClientEndpoint;
  readonly proposals = new Map<number, ProposalOutcome>();
  /** Read results by request id: the ReadState index served and the state machine's count. */
  readonly reads = new Map<number, { ok: boolean; index: number; count: number; atUs: number }>();
  private nextReqId = 1;

  constructor(o: RaftClusterOptions) {
    this.ids = Array.from({ length: o.members }, (_, i) => `n${i + 1}`);
    this.hostOptions = { ...RAFT_HOST_DEFAULTS, ...o.host, peers: this.ids };
    this.world = new World({ ...o.world, seed: o.seed, nodes: this.ids, clients: [CLIENT_ID] });
    this.invariants = new RaftInvariants(o.replay !== undefined ? { replay: o.replay } : {});
    this.client = this.world.attachClient(CLIENT_ID, (from, m) => this.onClientMessage(from, m as RaftWire));
    for (const id of this.ids) {
      this.world.startNode(id, (ctx) => {
        const h = new RaftHost(ctx, this.hostOptions, this.world.incarnation(id));
        this.hosts.set(id, h);
        return h;
      });
    }
    if (o.observe ?? true) this.world.onEvent(() => this.invariants.checkOrThrow(this.views()));
  }

  /** The hosts of the members that are up now. */
  views(): RaftView[] {
    const out: RaftView[] = [];
    for (const id of this.ids) {
      const h = this.hosts.get(id);
      if (h !== undefined && this.world.isUp(id)) out.push(h);
    }
    return out;
  }

  host(id: string): RaftHost | undefined {
    return this.world.isUp(id) ? this.hosts.get(id) : undefined;
  }

  /** The live leader with the highest term, if any. */
  leader(): RaftHost | undefined {
    let best: RaftHost | undefined;
    for (const v of this.views()) {
      const h = v as RaftHost;
      if (h.isLeader && !this.world.isPaused(h.id) && (best === undefined || h.term > best.term)) best = h;
    }
    return best;
  }

  /** Sends a proposal to `to` (a member id). Returns its request id. */
  propose(to: string, data: string): number {
    const reqId = this.nextReqId++;
    this.proposals.set(reqId, { data, proposedUs: this.world.loop.now() });
    this.client.send(to, { kind: 'propose', reqId, data } satisfies RaftWire, data.length + 64);
    return reqId;
  }

  /** Sends a linearizable read (ReadIndex, or a lease read if so configured) to `to`. */
  read(to: string): number {
    const reqId = this.nextReqId++;
    this.client.send(to, { kind: 'read', reqId } satisfies RaftWire, 64);
    return reqId;
  }

  private onClientMessage(from: string, w: RaftWire): void {
    if (w.kind === 'read-result') {
      this.reads.set(w.reqId, { ok: w.ok, index: w.index, count: w.count, atUs: this.world.loop.now() });
      return;
    }
    if (w.kind !== 'propose-result') return;
    const p = this.proposals.get(w.reqId);
    if (p === undefined || p.ok === true) return;
    p.ok = w.ok;
    if (!w.ok) return;
    p.index = w.index;
    p.term = w.term;
    p.ackedUs = this.world.loop.now();
    this.invariants.recordAck(from, w.index, { term: w.term, data: `${CLIENT_ID}|${w.reqId}|${w.data}` });
  }

  runForUs(us: number): void {
    this.world.run({ untilUs: this.world.loop.now() + us });
  }

  /** Runs until a leader exists (checked every stepUs), up to waitUsMax. Returns the leader or undefined. */
  runUntilLeader(waitUsMax: number, stepUs = 10_000): RaftHost | undefined {
    const end = this.world.loop.now() + waitUsMax;
    while (this.world.loop.now() < end) {
      const l = this.leader();
      if (l !== undefined) return l;
      this.runForUs(stepUs);
    }
    return this.leader();
  }
}
