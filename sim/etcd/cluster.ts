// Builds a simulated etcd cluster: a World with N members (n1..nN, raft ids 1..N) running
// member hosts, and simulated clients attached to its network. Raft and etcd settings come
// from the options with etcd's defaults; a planted bug is passed down to every member.
import type { CampaignBefore } from './election-lost-unwinnable.ts';
import type { Prng } from '../world/prng.ts';
import type { MemberConfig } from '../../src/server/member-config.ts';
import { plantedBug } from '../bugs/planted-bugs.ts';
import type { PlantedBug } from '../bugs/planted-bugs.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../src/server/member-config.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';
import type { Entry, Message } from '../../src/raft/types.ts';
import type { ClientReplyMessage, ClientRequestMessage, WatchResponseMessage, WatchSendMessage } from '../../src/server/client-protocol.ts';
import type { RaftView } from '../check/raft-invariants.ts';
import { RaftInvariants } from '../check/raft-invariants.ts';
import type { CrashMoment, Moment, RaftRestartSettings } from '../scenario/fault-kinds.ts';
import type { DiskOptions } from '../world/disk.ts';
import { DISK_DEFAULTS } from '../world/disk.ts';
import type { NetworkOptions } from '../world/network.ts';
import type { WorldClockOptions, WorldOptions } from '../world/world.ts';
import { World } from '../world/world.ts';
import type { EtcdClientOptions } from './client.ts';
import { EtcdClient } from './client.ts';
import { worldClientNet } from './client-net.ts';
import { deliveredAtMostOnce } from './at-most-once.ts';
import { HistoryLog } from './history-log.ts';
import type { MemberHost, VoteRequestSeen } from './member-host.ts';
import { memberHostFactory } from './member-host.ts';
import { SNAP_FILE, WAL_FILE } from './member-storage.ts';
import { observerFloor, observerTermFloor } from './observer-floor.ts';
import { Reconfiguration } from './reconfiguration.ts';
import { JointSwap } from './joint-swap.ts';
import type { MemberOperatorOptions } from './member-operators.ts';
import { MemberOperators } from './member-operators.ts';
import { ClusterInvariants } from './cluster-invariants.ts';
import { isEventMoment, momentWatch } from './crash-moments.ts';
import { LeaderTimeline } from './leader-timeline.ts';
import { LeaseCheckpointLog } from './lease-checkpoint-log.ts';
import { LeaseCheckpointCadence } from './lease-checkpoint-cadence.ts';
import { AuthRevisionObserver } from './auth-revision.ts';
import { AuthRevisionChecked } from './auth-revision-checked.ts';
import { HashKvAgreement } from './hashkv-agreement.ts';
import { DEFAULT_LESSOR_CONFIG } from '../../src/lease/lessor.ts';
import type { EtcdMemberStatus } from './member-status.ts';
import { convergenceOf } from './member-status.ts';
import { withFields } from '../../src/object/with-fields.ts';

/** The member settings a scenario chooses: MemberConfig's, with the options made explicit. */
export type MemberSettings = Omit<MemberConfig, 'id' | 'peers' | 'unsafe' | 'progressNotifyIntervalMs' | 'leaseCheckpointing' | 'maxSizePerMsgBytes' | 'maxInflightMsgs' | 'watchStreamBuffer' | 'watchBatchMaxRevs' | 'pendingApplyMax'> & {
  progressNotifyIntervalMs: number;
  leaseCheckpointing: boolean;
  maxSizePerMsgBytes?: number;
  maxInflightMsgs?: number;
  watchStreamBuffer?: number;
  watchBatchMaxRevs?: number;
  pendingApplyMax?: number;
};

export interface ClusterOptions {
  readonly seed: number | string;
  /** The run's root stream (seeded with `seed`), adopted by the world; the world makes it otherwise. */
  readonly prng?: Prng;
  /** Number of members (default 3). */
  readonly members?: number;
  readonly settings?: Partial<MemberSettings>;
  readonly bug?: PlantedBug | undefined;
  readonly network?: NetworkOptions;
  readonly disk?: DiskOptions;
  readonly clock?: WorldClockOptions;
  readonly buggify?: boolean;
  readonly traceLog?: boolean | number;
  /** A MsgSnap leaves up to this much later than the member's other messages (its own connection). */
  readonly snapshotDelayUsMax?: number;
  /** Percent of MsgSnaps sent twice, each copy with its own such delay (needs snapshotDelayUsMax). */
  readonly snapshotDuplicatePercent?: number;
  /** A membership change keeps its caught-up learner this long before promoting it (default 0). */
  readonly learnerHoldUs?: number;
  /** Record client requests and watch responses (default true; `detcd serve` turns it off). */
  readonly recordHistory?: boolean;
  /** The replicated state machine of each member; the etcd applier by default. */
  readonly makeStateMachine: (config: MemberConfig) => StateMachinePort;
}

export const MEMBERS_MAX = 9;

/** A membership change that has not finished by then is abandoned (simulated time). */
export const RECONFIGURATION_DEADLINE_US = 60_000_000;

export type MembershipAction = 'replace' | 'remove-add' | 'joint-replace' | 'joint-swap';

/** The endpoint of members added but never started: what they are sent goes nowhere. */
export const UNSTARTED_ENDPOINT = 'unstarted';

export function memberName(id: number): string {
  return `n${id}`;
}

/** memberId's answers by name: the observers ask for every member after every event. */
const memberIdByName = new Map<string, number | undefined>();
/** Bound on names remembered by memberId (endpoints are few; other names are computed each time). */
const MEMBER_ID_MEMO_MAX = 256;

export function memberId(name: string): number | undefined {
  if (memberIdByName.has(name)) return memberIdByName.get(name);
  const id = parseMemberId(name);
  if (memberIdByName.size < MEMBER_ID_MEMO_MAX) memberIdByName.set(name, id);
  return id;
}

function parseMemberId(name: string): number | undefined {
  const m = /^n(\d+)$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Committed indexes between two looks for the Raft observer's compaction floor: each look reads
 * every node's durable snapshot and copies the tables' kept part, so it is paid once per this many.
 */
const OBSERVER_COMPACT_STEP = 1024;

export class EtcdCluster {
  readonly world: World;
  readonly names: readonly string[];
  /** Each endpoint's current member settings (a re-added member has a new raft id, no peers). */
  readonly configs: Map<string, MemberConfig>;
  /** Every membership change started, in order (the last may be running). */
  readonly reconfigurations: (Reconfiguration | JointSwap)[] = [];
  private readonly endpointOfRaftId = new Map<number, string>();
  private nextRaftId: number;
  private unstartedAttached = false;
  /** The live incarnation of each member's host (the last one started). */
  readonly hosts = new Map<string, MemberHost>();
  /** Every client's requests and watch responses, in one history. */
  readonly history: HistoryLog;
  private readonly clients = new Map<string, EtcdClient>();
  /** Observers of every raft message a member sends (the cluster invariants read votes). */
  private readonly raftSendObservers: ((host: MemberHost, m: Message) => void)[] = [];
  /** Told about every entry any member applies (observeLeaseCheckpoints). */
  private readonly appliedObservers: ((e: Entry, host: MemberHost) => void)[] = [];
  private voteRequestObserver: ((host: MemberHost, m: Message, seen: VoteRequestSeen, granted: boolean) => void) | undefined;
  private staleLeaderObserver: ((host: MemberHost, m: Message, answered: boolean) => void) | undefined;
  private higherTermObserver: ((host: MemberHost, m: Message, termBefore: number, termAfter: number, leaderAfter: boolean) => void) | undefined;
  private voteResponseObserver: ((host: MemberHost, m: Message, before: CampaignBefore, stateAfter: string, termAfter: number) => void) | undefined;
  private raftSteppedObserver: ((host: MemberHost, m: Message, sentFrom: number) => void) | undefined;
  private readonly startObservers: ((host: MemberHost) => void)[] = [];
  private restartObserver: ((before: MemberHost, after: MemberHost) => void) | undefined;
  /** The cluster invariants' view of client requests and answers (answer-covers-commit), once observed. */
  private clientObserver: { request(host: MemberHost, from: string, m: ClientRequestMessage): void; reply(host: MemberHost, to: string, m: ClientReplyMessage): void; watchOpen(host: MemberHost, from: string, m: WatchSendMessage): void; watchResponse(host: MemberHost, to: string, m: WatchResponseMessage): void } | undefined;
  /** Rare events of members and hosts so far (snapshots, conf changes, torn writes...), by name. */
  readonly events = new Map<string, number>();
  /** Reused by raftViews(), which runs after every event. */
  private readonly views: RaftView[] = [];
  /** The world's lifecycleVersion when `views` was filled (-1: never). */
  private viewsLifecycle = -1;

  constructor(readonly options: ClusterOptions) {
    const n = options.members ?? 3;
    if (!Number.isInteger(n) || n < 1 || n > MEMBERS_MAX) throw new Error(`EtcdCluster: members must be 1..${MEMBERS_MAX}, got ${n}`);
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    this.names = ids.map(memberName);
    this.world = new World(worldOptions(options, this.names));
    this.world.network.setAtMostOnce(deliveredAtMostOnce);
    this.history = new HistoryLog(() => this.world.loop.now());
    const configs = new Map<string, MemberConfig>();
    for (const id of ids) {
      configs.set(memberName(id), withFields(withFields(DEFAULT_MEMBER_CONFIG, options.settings ?? {}), { id, peers: ids, unsafe: options.bug === undefined ? undefined : plantedBug(options.bug).unsafe }));
    }
    this.configs = configs;
    for (const id of ids) this.endpointOfRaftId.set(id, memberName(id));
    this.nextRaftId = n + 1;
  }

  /** The endpoint of a raft id (old ids of an endpoint still map to it). */
  nameOf(raftId: number): string {
    return this.endpointOfRaftId.get(raftId) ?? memberName(raftId);
  }

  /** The endpoint's current raft id. */
  raftIdOf(name: string): number | undefined {
    return this.configs.get(name)?.id;
  }

  /** The member the Raft invariant observer sees: the endpoint, plus the raft id once re-added. */
  viewId(name: string, raftId: number): string {
    return raftId === memberId(name) ? name : `${name}/r${raftId}`;
  }

  /** Endpoints that are members now: all but one removed and not yet started again. */
  members(): string[] {
    return this.names.filter((n) => !this.held(n));
  }

  /**
   * Endpoints whose member is a learner in the current leader's applied configuration (none
   * without a leader): a replacement held as a learner, a follower a joint swap demoted. Learners
   * the member API adds never start and have no endpoint of their own, so they are not here.
   */
  learners(): string[] {
    const leader = this.leaderHost();
    if (leader === undefined) return [];
    const names = leader.member.membership.learners.map((id) => this.nameOf(id));
    return this.names.filter((n) => names.includes(n) && !this.held(n));
  }

  /** True while a membership change keeps the endpoint down (removed, not yet re-added). */
  held(name: string): boolean {
    return this.reconfigurations.some((r) => r.endpoint === name && r.holdsEndpoint);
  }

  /** The membership change running now, if any (one at a time, like etcd's strict reconfig check). */
  reconfiguring(): Reconfiguration | JointSwap | undefined {
    return this.reconfigurations.find((r) => !r.finished);
  }

  /**
   * Starts a membership change of `name` through Raft: remove it, then add a fresh member with
   * an empty disk on the same endpoint as a learner and promote it (see reconfiguration.ts).
   * 'replace' and 'remove-add' differ only in name here: the world's endpoints are fixed, so the
   * replacement member lives on the removed one's endpoint, with a new raft id either way.
   * 'joint-replace' makes the removal and the promotion joint-consensus changes (etcd-raft's
   * ConfChangeV2 with transition JointImplicit): while each is under way both the outgoing and
   * the incoming majorities must agree on every election and commit.
   * 'joint-swap' changes several voters at once on the members' own raft ids (see joint-swap.ts):
   * two followers demoted to learners in one joint change, one promoted while another follower is
   * demoted, then all promoted again; it needs 3 voters.
   * False (refused) when another change runs, there is no leader, or the member is down.
   */
  changeMembership(action: MembershipAction, name: string): boolean {
    if (this.reconfiguring() !== undefined) return false;
    const oldId = this.raftIdOf(name);
    if (oldId === undefined || !this.world.isUp(name) || this.world.isPaused(name)) return false;
    const leader = this.leaderHost();
    if (leader === undefined || !leader.member.membership.voters.includes(oldId)) return false;
    if (leader.member.membership.voters.length < 2) return false;
    if (action === 'joint-swap') return this.startJointSwap(name, oldId, leader);
    const newId = this.nextRaftId++;
    const world = this.world;
    const r = new Reconfiguration({
      nowUs: () => world.loop.now(),
      schedule: (delayUs, f) => { world.loop.schedule(delayUs, f); },
      leaderHost: () => this.leaderHost(),
      liveHosts: () => this.names.filter((n) => world.isUp(n)).flatMap((n) => this.hosts.get(n) ?? []),
      isUp: (n) => world.isUp(n),
      stop: (n) => { if (world.isUp(n)) world.crash(n, false); },
      wipeAs: (n, raftId) => this.wipeAs(n, raftId),
      start: (n) => { if (!world.isUp(n)) world.restart(n); },
      finished: (done) => world.recordFault(`membership-${done.phase}`, done.endpoint),
    }, name, oldId, newId, world.loop.now() + RECONFIGURATION_DEADLINE_US, this.options.learnerHoldUs ?? 0, action === 'joint-replace' ? 'joint-implicit' : 'auto');
    this.reconfigurations.push(r);
    world.recordFault('membership-start', name);
    return true;
  }

  private startJointSwap(name: string, raftId: number, leader: MemberHost): boolean {
    const cs = leader.member.membership;
    if (cs.voters.length < 3 || cs.votersOutgoing.length > 0) return false;
    const world = this.world;
    const s = new JointSwap({
      nowUs: () => world.loop.now(),
      schedule: (delayUs, f) => { world.loop.schedule(delayUs, f); },
      leaderHost: () => this.leaderHost(),
      finished: (done) => world.recordFault(`membership-${done.phase}`, done.endpoint),
    }, name, raftId, [...cs.voters], world.loop.now() + RECONFIGURATION_DEADLINE_US);
    this.reconfigurations.push(s);
    world.recordFault('membership-start', name);
    return true;
  }

  /**
   * Starts operators calling the member API at once (see member-operators.ts): learners added
   * and removed through Raft, none waiting for another's change. Stopped by the returned object.
   */
  startMemberOperators(options: MemberOperatorOptions, prng: Prng): MemberOperators {
    const world = this.world;
    this.attachUnstarted();
    return new MemberOperators({
      nowUs: () => world.loop.now(),
      schedule: (delayUs, f) => { world.loop.schedule(delayUs, f); },
      leaderHost: () => this.leaderHost(),
      newLearnerId: () => this.newUnstartedId(),
    }, prng, options);
  }

  /**
   * A new raft id (never reused) for a member added through the member API that no process
   * will start: what it is sent goes to one endpoint that swallows it, as messages to an etcd
   * member that has not started go nowhere.
   */
  newUnstartedId(): number {
    this.attachUnstarted();
    const id = this.nextRaftId++;
    this.endpointOfRaftId.set(id, UNSTARTED_ENDPOINT);
    return id;
  }

  private attachUnstarted(): void {
    if (this.unstartedAttached) return;
    this.world.attachClient(UNSTARTED_ENDPOINT, () => undefined);
    this.unstartedAttached = true;
  }

  /** Empties a stopped endpoint's disk (durably) and makes its next start the fresh member `raftId`. */
  private wipeAs(name: string, raftId: number): void {
    const disk = this.world.disk(name);
    disk.remove(WAL_FILE);
    disk.remove(SNAP_FILE);
    disk.fsync(() => undefined);
    const old = this.configs.get(name) as MemberConfig;
    this.configs.set(name, withFields(old, { id: raftId, peers: [] as number[] }));
    this.endpointOfRaftId.set(raftId, name);
  }

  /** The live host leading in the highest term, if any. */
  leaderHost(): MemberHost | undefined {
    const name = this.leader();
    return name === undefined ? undefined : this.hosts.get(name);
  }

  /**
   * MoveLeader: asks the current leader to hand leadership to the member `to`. False when there
   * is no leader up, `to` is unknown or is the leader, or the leader refused (see
   * Member.transferLeadership).
   */
  transferLeadership(to: string): boolean {
    const leader = this.leaderHost();
    const id = this.raftIdOf(to);
    if (leader === undefined || id === undefined || to === this.leader()) return false;
    return leader.transferLeadership(id);
  }

  /** Starts every member (each recovers from its empty disk). */
  start(): void {
    const configs = this.configs;
    for (const name of this.names) {
      this.world.startNode(name, memberHostFactory({
        // Read at every start: a re-added member boots with its new settings.
        get config(): MemberConfig { return configs.get(name) as MemberConfig; },
        nameOf: (id) => this.nameOf(id),
        idOf: (n) => this.raftIdOf(n),
        viewId: (n, raftId) => this.viewId(n, raftId),
        makeStateMachine: this.options.makeStateMachine,
        onStart: (host) => {
          const before = this.hosts.get(name);
          this.hosts.set(name, host);
          for (const observe of this.startObservers) observe(host);
          // The same member again (not one re-added with an empty disk under a new raft id).
          if (before !== undefined && before.id === host.id && before.config.id === host.config.id) this.restartObserver?.(before, host);
        },
        onRaftSend: (host, m) => {
          const observers = this.raftSendObservers;
          for (let i = 0; i < observers.length; i++) (observers[i] as (host: MemberHost, m: Message) => void)(host, m);
        },
        onVoteRequest: (host, m, seen, granted) => this.voteRequestObserver?.(host, m, seen, granted),
        onStaleLeaderMessage: (host, m, answered) => this.staleLeaderObserver?.(host, m, answered),
        onHigherTermMessage: (host, m, termBefore, termAfter, leaderAfter) => this.higherTermObserver?.(host, m, termBefore, termAfter, leaderAfter),
        onVoteResponse: (host, m, before, stateAfter, termAfter) => this.voteResponseObserver?.(host, m, before, stateAfter, termAfter),
        onRaftStepped: (host, m, sentFrom) => this.raftSteppedObserver?.(host, m, sentFrom),
        onClientRequest: (host, from, m) => this.clientObserver?.request(host, from, m),
        onClientReply: (host, to, m) => this.clientObserver?.reply(host, to, m),
        onClientWatchOpen: (host, from, m) => this.clientObserver?.watchOpen(host, from, m),
        onClientWatchResponse: (host, to, m) => this.clientObserver?.watchResponse(host, to, m),
        onApplied: (e, host) => {
          for (const observe of this.appliedObservers) observe(e, host);
        },
        onEvent: (event) => this.events.set(event, (this.events.get(event) ?? 0) + 1),
        ...snapshotOptions(this.options),
      }));
    }
  }

  /** A client on the network, talking to `members` (all by default) and recording into the history. */
  client(id: string, options: Partial<Omit<EtcdClientOptions, 'history'>> = {}): EtcdClient {
    if (this.clients.has(id)) throw new Error(`EtcdCluster: client ${id} exists`);
    const holder: { client?: EtcdClient } = {};
    const net = worldClientNet(this.world, id, (from, m) => holder.client?.receive(from, m));
    const history = this.options.recordHistory === false ? undefined : this.history;
    const client = new EtcdClient(net, withFields(options, { members: options.members ?? this.names, history }));
    holder.client = client;
    this.clients.set(id, client);
    return client;
  }

  /**
   * The current leader: among the members up and not paused, the one that believes it leads
   * in the highest term (a deposed leader that has not heard of the new term yet still
   * believes it leads). Undefined when none does.
   */
  leader(): string | undefined {
    // Read from the hosts (role and term of their raft): no status object per member per look.
    let bestName: string | undefined;
    let bestTerm = 0;
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i] as string;
      const host = this.liveHost(name);
      if (host === undefined || !host.isLeader) continue;
      const term = host.term;
      if (bestName === undefined || term > bestTerm) {
        bestName = name;
        bestTerm = term;
      }
    }
    return bestName;
  }

  /** A member's current term while it is up (paused too), 0 while it is down. */
  termOf(name: string): number {
    const host = this.hosts.get(name);
    return host === undefined || !this.world.isUp(name) ? 0 : host.term;
  }

  /** The host of a member that is up and not paused (a paused process answers nothing). */
  private liveHost(name: string): MemberHost | undefined {
    return this.world.isUp(name) && !this.world.isPaused(name) ? this.hosts.get(name) : undefined;
  }

  /** Raft views of the members that are up (paused ones too), for the Raft observer (sim/check/raft-invariants.ts). */
  raftViews(): RaftView[] {
    // Filled in place: emptying the array (length = 0) would free its store and push would
    // allocate a new one after every event.
    const out = this.views;
    // Who is up (and which host each runs) changes only with the world's lifecycle.
    const lifecycle = this.world.lifecycleVersion;
    if (lifecycle === this.viewsLifecycle) return out;
    this.viewsLifecycle = lifecycle;
    let n = 0;
    for (const name of this.names) {
      const host = this.hosts.get(name);
      if (host !== undefined && this.world.isUp(name)) out[n++] = host;
    }
    if (out.length !== n) out.length = n;
    return out;
  }

  /** Calls `observe` for every raft message any member sends, as it sends it; returns a function that stops it. */
  observeRaftSends(observe: (host: MemberHost, m: Message) => void): () => void {
    this.raftSendObservers.push(observe);
    return () => {
      const i = this.raftSendObservers.indexOf(observe);
      if (i >= 0) this.raftSendObservers.splice(i, 1);
    };
  }

  /** Checks the cluster invariants (durable votes, applied state, CheckQuorum, PreVote) after every event and vote. */
  observeClusterInvariants(): ClusterInvariants {
    const s = this.configs.get(this.names[0] as string) as MemberConfig;
    const invariants = new ClusterInvariants(this, {
      checkQuorum: s.checkQuorum || s.leaseReads,
      preVote: s.preVote,
      leaseReads: s.leaseReads,
      electionTimeoutUs: s.electionTicks * s.tickMs * 1000,
      tickUs: s.tickMs * 1000,
    });
    this.observeRaftSends((host, m) => invariants.onRaftSend(host, m));
    this.voteRequestObserver = (host, m, seen, granted) => invariants.onVoteRequest(host, m, seen, granted);
    this.staleLeaderObserver = (host, m, answered) => invariants.onStaleLeaderMessage(host, m, answered);
    this.higherTermObserver = (host, m, termBefore, termAfter, leaderAfter) => invariants.onHigherTermMessage(host, m, termBefore, termAfter, leaderAfter);
    this.voteResponseObserver = (host, m, before, stateAfter, termAfter) => invariants.onVoteResponse(host, m, before, stateAfter, termAfter);
    this.raftSteppedObserver = (host, m, sentFrom) => invariants.onRaftStepped(host, m, sentFrom);
    this.restartObserver = (before, after) => invariants.onRestart(before, after);
    // Every client request and answer (answer-covers-commit skips them itself under lease-based reads).
    this.clientObserver = { request: (host, from, m) => invariants.onClientRequest(host, from, m), reply: (host, to, m) => invariants.onClientReply(host, to, m), watchOpen: (host, from, m) => invariants.onClientWatchOpen(host, from, m), watchResponse: (host, to, m) => invariants.onClientWatchResponse(host, to, m) };
    this.world.onEvent(() => invariants.checkOrThrow());
    return invariants;
  }

  /** Checks Raft's invariants after every world event; the first violation throws. */
  observeRaftInvariants(replay?: string): RaftInvariants {
    const invariants = new RaftInvariants(replay !== undefined ? { replay } : {});
    // Every check reads the members only through their views, and skips a view whose version
    // did not move: when no member ran since the last check (a client's or the workload's
    // event) and the same members are up, the whole check would find nothing new. Counted all
    // the same (the verdict reports how many checks ran).
    let checkedLifecycle = -1;
    let checkedTurns = -1;
    let compactAt = OBSERVER_COMPACT_STEP;
    this.world.onEvent(() => {
      const views = this.raftViews();
      const lifecycle = this.world.lifecycleVersion;
      const turns = hostTurns(views);
      if (lifecycle === checkedLifecycle && turns === checkedTurns && invariants.violation === undefined) {
        invariants.checks++;
        return;
      }
      invariants.checkOrThrow(views);
      checkedLifecycle = lifecycle;
      checkedTurns = turns;
      // Every OBSERVER_COMPACT_STEP committed indexes, the observer forgets what no member can
      // show any more (observer-floor.ts): its tables stay as long as the logs, not the run.
      if (invariants.committedMax >= compactAt) {
        const floor = observerFloor(this.world, this.hosts);
        if (floor !== undefined) invariants.compact(floor);
        invariants.forgetLeadersBelow(observerTermFloor(this.world));
        compactAt = invariants.committedMax + OBSERVER_COMPACT_STEP;
      }
    });
    return invariants;
  }

  /** A member's status (revision, compact revision, KV hash, raft role); undefined when it is down, paused or not a member. */
  status(name: string): EtcdMemberStatus | undefined {
    const host = this.liveHost(name);
    if (host === undefined) return undefined;
    const st = host.member.stateMachine.status();
    const raft = host.recovered.raft.status();
    return { up: true, isLeader: raft.raftState === 'leader', term: raft.term, revision: st.revision, compactRevision: st.compactRevision, kvHash: String(st.hashKV) };
  }

  /** Every current member up and at the same revision, compact revision and KV hash (sim/check/convergence.ts). */
  converged(): boolean {
    return convergenceOf(this.members().map((n) => [n, this.status(n)] as const)).valid === true;
  }

  /** The membership change still running, described (e.g. "n1 catch-up"), if any. */
  membershipChanging(): string | undefined {
    const r = this.reconfiguring();
    return r === undefined ? undefined : `${r.endpoint} ${r.phase}`;
  }

  /**
   * Crashes `node` at its next `moment` (../scenario/fault-kinds.ts CrashMoments), within the same
   * instant, before any fsync in flight completes; returns a function that disarms it.
   */
  crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void {
    const world = this.world;
    return this.afterMoment(node, moment, () => {
      if (!world.isUp(node)) return;
      world.crash(node, tornWrites);
      world.recordFault(`crash-after-${moment}`, node);
      crashed();
    });
  }

  /**
   * Calls `fired` once, at `node`'s next `moment` (or the cluster's, for the cluster-wide ones),
   * within the same instant: before any fsync in flight completes, and before what the member
   * sends in that event arrives anywhere. Returns a function that disarms it.
   */
  afterMoment(node: string, moment: Moment, fired: () => void): () => void {
    let armed = true;
    const world = this.world;
    const fire = (): void => {
      armed = false;
      // After this send or event, within the same instant: before any fsync in flight completes.
      world.loop.schedule(0, () => {
        stop();
        fired();
      });
    };
    let stop: () => void;
    if (isEventMoment(moment)) {
      const happened = momentWatch(moment, node, { live: (n) => this.liveHost(n), liveAll: () => this.names.flatMap((n) => this.liveHost(n) ?? []) });
      stop = this.world.onEvent(() => {
        if (armed && happened()) fire();
      });
    } else {
      stop = this.observeRaftSends((host, m) => {
        if (!armed || host.ctx.id !== node || m.reject) return;
        // A snapshot's acknowledgement is the append answer at the index of the snapshot the
        // member just took from the leader (raft answers an installed snapshot with its index).
        if (moment === 'snapshot-ack') {
          if (m.type === 'MsgAppResp' && host.receivedSnapshotIndex > 0 && m.index === host.receivedSnapshotIndex) fire();
          return;
        }
        if (m.type === (moment === 'vote' ? 'MsgVoteResp' : 'MsgAppResp')) fire();
      });
    }
    return () => {
      armed = false;
      stop();
    };
  }

  /** Overrides one member's fsync latency (a slow disk); undefined restores the cluster's. */
  /** `node` takes these raft settings at its next start, and keeps them (hosts read their config at every start). */
  setRaftSettings(node: string, settings: RaftRestartSettings): void {
    const old = this.configs.get(node);
    if (old === undefined) return;
    this.configs.set(node, withFields(old, {
      preVote: settings.preVote ?? old.preVote,
      checkQuorum: settings.checkQuorum ?? old.checkQuorum,
    }));
  }

  setFsyncLatency(node: string, fsyncUs: number | undefined): void {
    const disk = this.world.disk(node);
    const d = this.options.disk;
    if (fsyncUs !== undefined) disk.setFsyncLatency(fsyncUs, fsyncUs);
    else disk.setFsyncLatency(d?.fsyncLatencyUsMin ?? DISK_DEFAULTS.fsyncLatencyUsMin, d?.fsyncLatencyUsMax ?? DISK_DEFAULTS.fsyncLatencyUsMax);
  }

  /** Rare events seen so far (sim/run/coverage.ts lists them), by name in code-unit order. */
  eventCounts(): Record<string, number> {
    return Object.fromEntries([...this.events.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  /** Reads the committed log as members apply it: the remaining TTL each new leader restarts a lease from (lease checkpoints). */
  observeLeaseCheckpoints(): LeaseCheckpointLog {
    const log = new LeaseCheckpointLog();
    this.appliedObservers.push((e) => log.onApplied(e));
    return log;
  }

  /**
   * With lease checkpointing on: after every event, judges that each leader keeps checkpointing the
   * leases it granted or checkpointed (lease-checkpoint-cadence.ts); the first violation throws.
   */
  observeLeaseCheckpointCadence(): LeaseCheckpointCadence | undefined {
    const s = this.configs.get(this.names[0] as string) as MemberConfig;
    if (s.leaseCheckpointing !== true) return undefined;
    const cadence = new LeaseCheckpointCadence(this, { intervalMs: s.leaseCheckpointIntervalMs ?? DEFAULT_LESSOR_CONFIG.checkpointIntervalMs, tickMs: s.tickMs });
    this.appliedObservers.push((e, host) => cadence.onApplied(e, host));
    this.world.onEvent(() => cadence.onEvent());
    return cadence;
  }

  /** Every 200 ms of simulated time: members at one revision hold one KV hash (hashkv-agreement.ts); a disagreement throws. */
  observeHashKvAgreement(): HashKvAgreement {
    const o = new HashKvAgreement(this);
    this.world.onEvent(() => o.onEvent());
    return o;
  }

  /**
   * After every auth change a member applies: its auth revision rose (auth-revision.ts); and after
   * every write it applies with an older auth revision than its own: nothing changed
   * (auth-revision-checked.ts). The first violation throws.
   */
  observeAuthRevision(): AuthRevisionObserver {
    const o = new AuthRevisionObserver();
    const checked = new AuthRevisionChecked();
    for (const host of this.hosts.values()) {
      o.onStart(host);
      checked.onStart(host);
    }
    this.startObservers.push((host) => {
      o.onStart(host);
      checked.onStart(host);
    });
    this.appliedObservers.push((e, host) => {
      o.onApplied(e, host);
      checked.onApplied(e, host);
    });
    o.checked = checked;
    return o;
  }

  /** Samples the leader every `sampleUs` of simulated time, for the report's leader lane. */
  observeLeaders(sampleUs?: number): LeaderTimeline {
    return new LeaderTimeline(this, sampleUs);
  }

  /** Runs the world until `untilUs` of simulated time (or idle, which a ticking cluster never is). */
  runUntil(untilUs: number): void {
    this.world.run({ untilUs });
  }

  /** Runs until `predicate` holds, checking after every event, or `waitUsMax` more passes; true if it held. */
  runUntilTrue(predicate: () => boolean, waitUsMax: number): boolean {
    const deadline = this.world.loop.now() + waitUsMax;
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

/** The world's options from the cluster's: those the cluster leaves out stay absent, not undefined. */
function worldOptions(options: ClusterOptions, nodes: readonly string[]): WorldOptions {
  const out: WorldOptions = { seed: options.seed, nodes };
  if (options.prng !== undefined) out.prng = options.prng;
  if (options.network !== undefined) out.network = options.network;
  if (options.disk !== undefined) out.disk = options.disk;
  if (options.clock !== undefined) out.clock = options.clock;
  if (options.buggify !== undefined) out.buggify = options.buggify;
  if (options.traceLog !== undefined) out.traceLog = options.traceLog;
  return out;
}

/** The snapshot connection's settings a member host takes, those set only. */
function snapshotOptions(options: ClusterOptions): { snapshotDelayUsMax?: number; snapshotDuplicatePercent?: number } {
  const out: { snapshotDelayUsMax?: number; snapshotDuplicatePercent?: number } = {};
  if (options.snapshotDelayUsMax !== undefined) out.snapshotDelayUsMax = options.snapshotDelayUsMax;
  if (options.snapshotDuplicatePercent !== undefined) out.snapshotDuplicatePercent = options.snapshotDuplicatePercent;
  return out;
}

/**
 * The sum of the views' versions (MemberHost.version): versions only grow within an incarnation,
 * so while the same views are up an equal sum means no member ran. NaN when a view has none.
 */
export function hostTurns(views: readonly RaftView[]): number {
  let turns = 0;
  for (let i = 0; i < views.length; i++) turns += (views[i] as RaftView).version ?? Number.NaN;
  return turns;
}
