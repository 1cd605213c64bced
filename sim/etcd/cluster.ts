// Builds a simulated etcd cluster: a World with N members (n1..nN, raft ids 1..N) running
// member hosts, and simulated clients attached to its network. Raft and etcd settings come
// from the options with etcd's defaults; a planted bug is passed down to every member.
import type { MemberBug, MemberConfig } from '../../src/server/member-config.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../src/server/member-config.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';
import type { RaftView } from '../raft/invariants.ts';
import { RaftInvariants } from '../raft/invariants.ts';
import type { DiskOptions } from '../world/disk.ts';
import type { NetworkOptions } from '../world/network.ts';
import type { WorldClockOptions } from '../world/world.ts';
import { World } from '../world/world.ts';
import type { EtcdClientOptions } from './client.ts';
import { EtcdClient } from './client.ts';
import { worldClientNet } from './client-net.ts';
import { HistoryLog } from './history-log.ts';
import type { MemberHost } from './member-host.ts';
import { memberHostFactory } from './member-host.ts';

export interface MemberSettings {
  tickMs: number;
  heartbeatTicks: number;
  electionTicks: number;
  snapshotCount: number;
  snapshotCatchUpEntries: number;
  preVote: boolean;
  checkQuorum: boolean;
  leaseReads: boolean;
  progressNotifyIntervalMs: number;
  leaseCheckpointing: boolean;
  maxSizePerMsgBytes?: number;
  maxInflightMsgs?: number;
}

export interface ClusterOptions {
  readonly seed: number | string;
  /** Number of members (default 3). */
  readonly members?: number;
  readonly settings?: Partial<MemberSettings>;
  readonly bug?: MemberBug | undefined;
  readonly network?: NetworkOptions;
  readonly disk?: DiskOptions;
  readonly clock?: WorldClockOptions;
  readonly buggify?: boolean;
  readonly traceLog?: boolean | number;
  /** Record client requests and watch responses (default true; `detcd serve` turns it off). */
  readonly recordHistory?: boolean;
  /** The replicated state machine of each member; the etcd applier by default. */
  readonly makeStateMachine: (config: MemberConfig) => StateMachinePort;
}

export const MEMBERS_MAX = 9;

export function memberName(id: number): string {
  return `n${id}`;
}

export function memberId(name: string): number | undefined {
  const m = /^n(\d+)$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

export class EtcdCluster {
  readonly world: World;
  readonly names: readonly string[];
  readonly configs: ReadonlyMap<string, MemberConfig>;
  /** The live incarnation of each member's host (the last one started). */
  readonly hosts = new Map<string, MemberHost>();
  /** Every client's requests and watch responses, in one history. */
  readonly history: HistoryLog;
  private readonly clients = new Map<string, EtcdClient>();

  constructor(readonly options: ClusterOptions) {
    const n = options.members ?? 3;
    if (!Number.isInteger(n) || n < 1 || n > MEMBERS_MAX) throw new Error(`EtcdCluster: members must be 1..${MEMBERS_MAX}, got ${n}`);
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    this.names = ids.map(memberName);
    this.world = new World({
      seed: options.seed,
      nodes: this.names,
      ...(options.network !== undefined ? { network: options.network } : {}),
      ...(options.disk !== undefined ? { disk: options.disk } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.buggify !== undefined ? { buggify: options.buggify } : {}),
      ...(options.traceLog !== undefined ? { traceLog: options.traceLog } : {}),
    });
    this.history = new HistoryLog(() => this.world.loop.now());
    const configs = new Map<string, MemberConfig>();
    for (const id of ids) {
      configs.set(memberName(id), { ...DEFAULT_MEMBER_CONFIG, ...options.settings, id, peers: ids, bug: options.bug });
    }
    this.configs = configs;
  }

  /** Starts every member (each recovers from its empty disk). */
  start(): void {
    for (const name of this.names) {
      const config = this.configs.get(name) as MemberConfig;
      this.world.startNode(name, memberHostFactory({
        config,
        nameOf: memberName,
        idOf: memberId,
        makeStateMachine: this.options.makeStateMachine,
        onStart: (host) => this.hosts.set(name, host),
      }));
    }
  }

  /** A client on the network, talking to `members` (all by default) and recording into the history. */
  client(id: string, options: Partial<Omit<EtcdClientOptions, 'history'>> = {}): EtcdClient {
    if (this.clients.has(id)) throw new Error(`EtcdCluster: client ${id} exists`);
    const holder: { client?: EtcdClient } = {};
    const net = worldClientNet(this.world, id, (from, m) => holder.client?.receive(from, m));
    const history = this.options.recordHistory === false ? undefined : this.history;
    const client = new EtcdClient(net, { ...options, members: options.members ?? this.names, history });
    holder.client = client;
    this.clients.set(id, client);
    return client;
  }

  /** The member that is leader in the highest term among live members, if any. */
  leader(): string | undefined {
    let best: { name: string; term: number } | undefined;
    for (const name of this.names) {
      const host = this.hosts.get(name);
      if (host === undefined || !this.world.isUp(name)) continue;
      const st = host.recovered.raft.status();
      if (st.raftState === 'leader' && (best === undefined || st.term > best.term)) best = { name, term: st.term };
    }
    return best?.name;
  }

  /** Raft views of the live members, for the global invariant observer (sim/raft/invariants.ts). */
  raftViews(): RaftView[] {
    const out: RaftView[] = [];
    for (const name of this.names) {
      const host = this.hosts.get(name);
      if (host !== undefined && this.world.isUp(name)) out.push(host);
    }
    return out;
  }

  /** Checks Raft's invariants after every world event; the first violation throws. */
  observeRaftInvariants(replay?: string): RaftInvariants {
    const invariants = new RaftInvariants(replay !== undefined ? { replay } : {});
    this.world.onEvent(() => invariants.checkOrThrow(this.raftViews()));
    return invariants;
  }

  /** Maintenance status of a live member: revision, compact revision, KV hash. */
  status(name: string): { revision: number; compactRevision: number; hashKV: number } | undefined {
    if (!this.world.isUp(name)) return undefined;
    return this.hosts.get(name)?.member.stateMachine.status();
  }

  /** True when every live member reports the same revision, compact revision and hash. */
  converged(): boolean {
    const all = this.names.map((n) => this.status(n)).filter((s) => s !== undefined);
    const first = all[0];
    return first !== undefined && all.every((s) => s.revision === first.revision && s.compactRevision === first.compactRevision && s.hashKV === first.hashKV);
  }

  /** Runs the world until `untilUs` of simulated time (or idle, which a ticking cluster never is). */
  runUntil(untilUs: number): void {
    this.world.run({ untilUs });
  }

  /** Runs until `predicate` holds, checking after every event, or `maxUs` more passes; true if it held. */
  runUntilTrue(predicate: () => boolean, maxUs: number): boolean {
    const deadline = this.world.loop.now() + maxUs;
    while (!predicate()) {
      if (this.world.loop.now() >= deadline) return false;
      const next = this.world.loop.peekTimeUs();
      if (next === undefined || next > deadline) {
        this.world.run({ untilUs: deadline });
        return predicate();
      }
      this.world.loop.step();
    }
    return true;
  }
}
