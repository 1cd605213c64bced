// etcd's member API and MoveLeader over the simulated cluster of `detcd serve`, answered as etcd
// 3.4 answers them (etcdserver/server.go AddMember, RemoveMember, UpdateMember, PromoteMember,
// MoveLeader; membership/cluster.go ValidateConfigurationChange; v3rpc/member.go):
//   - the member list is the asked member's own applied configuration (voters and learners),
//     sorted by ID, with each member's name, peer and client URLs; a member added through the
//     API is "unstarted" (no name, no client URLs), as in etcd until its process starts — and
//     no process ever starts for it here: its raft id goes to an endpoint that swallows what it
//     is sent, so an added voter counts in every quorum and never answers;
//   - MemberAdd, MemberRemove and MemberPromote go through Raft as conf changes and answer once
//     the asked member applied them; etcd's strict reconfiguration checks come first (enough
//     started members, every voter connected to the asked member), then the apply-time checks
//     (peer URL in use, one learner at most, member not found, not a learner);
//   - a learner may be promoted only when the leader sees it caught up (90 %), which an
//     unstarted learner never is: "can only promote a learner member which is in sync";
//   - MemberUpdate changes the peer URLs the list shows (nothing in the simulation dials them)
//     and, as etcd 3.4 does, clears the member's learner flag in the member store (its update
//     carries IsLearner false): the list then shows an updated learner as a voter, and the
//     strict checks count it as one, while raft still has it as a learner;
//   - MoveLeader asks the leader's raft to transfer leadership and answers once the asked member
//     follows the new leader, or etcd's "leader transfer took too long" after its request timeout.
// Where it differs from etcd: the checks run before the proposal (etcd validates at apply, after
// a round through Raft: the answer is the same, the raft log is one entry shorter), a follower's
// change is proposed on the leader directly (etcd-raft forwards it), and "connected" is the
// simulated network's view (up and not cut), not rafthttp's five seconds of activity.
import type { EtcdCluster } from '../../etcd/cluster.ts';
import type { MemberHost } from '../../etcd/member-host.ts';
import type { ConfChangeSingle, ConfState } from '../../../src/raft/types.ts';
import type { Raft } from '../../../src/raft/raft.ts';
import type { GateError, GateResult } from './member-gate.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';

/** One member as etcd's MemberList describes it (gateway JSON form). */
export interface MemberInfo {
  readonly ID: string;
  readonly name?: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs?: readonly string[];
  readonly isLearner?: boolean;
}

/** Name and URLs of a member; a member added through the API has no name or client URLs until it starts. */
interface MemberAttributes {
  readonly name?: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs?: readonly string[];
  /** Set by MemberUpdate: the member store no longer calls it a learner (etcd 3.4). */
  readonly learnerCleared?: boolean;
}

export type AdminAnswer = (r: GateResult) => void;

const UNKNOWN = 2;
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;

const err = (code: number, message: string): GateError => ({ code, message });
/** rpctypes' errors, with etcd's codes and texts. */
export const ADMIN_ERRORS = {
  badURLs: err(INVALID_ARGUMENT, 'etcdserver: given member URLs are invalid'),
  notFound: err(NOT_FOUND, 'etcdserver: member not found'),
  peerURLExists: err(FAILED_PRECONDITION, 'etcdserver: Peer URLs already exists'),
  // Unknown: etcd 3.4's toGRPCErrorMap holds rpctypes' client-side EtcdError for this one, which
  // grpc-go sends as Unknown (etcdctl against 3.4.23: "code = Unknown desc = etcdserver: re-configuration ...").
  notEnoughStarted: err(UNKNOWN, 'etcdserver: re-configuration failed due to not enough started members'),
  tooManyLearners: err(FAILED_PRECONDITION, 'etcdserver: too many learner members in cluster'),
  notLearner: err(FAILED_PRECONDITION, 'etcdserver: can only promote a learner member'),
  learnerNotReady: err(FAILED_PRECONDITION, 'etcdserver: can only promote a learner member which is in sync with leader'),
  unhealthy: err(UNAVAILABLE, 'etcdserver: unhealthy cluster'),
  notLeader: err(FAILED_PRECONDITION, 'etcdserver: not leader'),
  badTransferee: err(FAILED_PRECONDITION, 'etcdserver: bad leader transferee'),
  transferTooLong: err(UNAVAILABLE, 'etcdserver: request timed out, leader transfer took too long'),
  timeout: err(UNAVAILABLE, 'etcdserver: request timed out'),
  stopped: err(UNAVAILABLE, 'etcdserver: server stopped'),
} as const;

/** etcd 3.4's maxLearners. */
const LEARNERS_MAX = 1;
/** How often a waiting request looks at the asked member (simulated µs). */
const POLL_US = 10_000;
/** etcd's ReqTimeout: 5 s + 2 election timeouts (1 s each by default). */
const REQUEST_TIMEOUT_US = 7_000_000;

/** types.NewURLs: each URL (trimmed) has scheme http, https, unix or unixs, a "host:port" and no path. */
export function validPeerURLs(urls: unknown): urls is string[] {
  if (!Array.isArray(urls)) return false;
  return urls.every((u) => {
    if (typeof u !== 'string') return false;
    const m = /^(https?|unixs?):\/\/([^/?#]*)([^?#]*)/.exec(u.trim());
    if (m === null || m[3] !== '') return false;
    const host = (m[2] as string).replace(/^.*@/, '');
    return /^(\[[^\]]*\]|[^:[\]]*):[^:]*$/.test(host);
  });
}

/** A member id of a request; undefined for one no member has (0, absent, or beyond the simulation's ids). */
function idOf(raw: unknown): number | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function inConfig(cs: ConfState): number[] {
  return [...new Set([...cs.voters, ...cs.votersOutgoing, ...cs.learners, ...cs.learnersNext])].sort((a, b) => a - b);
}

export class ClusterAdmin {
  private readonly attributes = new Map<number, MemberAttributes>();

  constructor(
    private readonly cluster: EtcdCluster,
    /** The client URL of an endpoint's port, once it is open. */
    private readonly clientURL: (endpoint: string) => string | undefined,
  ) {}

  // ---- reading ----

  /** The state machine of `endpoint`'s member while its process runs (Maintenance.Snapshot reads it). */
  stateMachineOf(endpoint: string): StateMachinePort | undefined {
    return this.host(endpoint)?.member.stateMachine;
  }

  /** The raft node of `endpoint`'s member while its process runs (etcd's /debug/vars shows its status). */
  raftOf(endpoint: string): Raft | undefined {
    return this.host(endpoint)?.recovered.raft.node.raft;
  }

  private host(endpoint: string): MemberHost | undefined {
    return this.cluster.world.isUp(endpoint) ? this.cluster.hosts.get(endpoint) : undefined;
  }

  /** The endpoint of a raft id whose process runs (started, in etcd's words), else undefined. */
  private startedEndpoint(id: number): string | undefined {
    const endpoint = this.cluster.nameOf(id);
    return this.cluster.names.includes(endpoint) && this.cluster.raftIdOf(endpoint) === id ? endpoint : undefined;
  }

  private attributesOf(id: number): MemberAttributes {
    const endpoint = this.startedEndpoint(id);
    const own = this.attributes.get(id);
    if (endpoint === undefined) return own ?? { peerURLs: [] };
    const url = this.clientURL(endpoint);
    return { ...own, name: endpoint, peerURLs: own?.peerURLs ?? [`http://${endpoint}.detcd.sim:2380`], clientURLs: url === undefined ? [] : [url] };
  }

  /** Whether the member store calls `id` a learner: raft's learners, less those MemberUpdate cleared. */
  private storeLearner(id: number, cs: ConfState): boolean {
    return (cs.learners.includes(id) || cs.learnersNext.includes(id)) && this.attributes.get(id)?.learnerCleared !== true;
  }

  private describe(id: number, cs: ConfState): MemberInfo {
    const a = this.attributesOf(id);
    const learner = this.storeLearner(id, cs);
    return { ID: String(id), ...(a.name === undefined ? {} : { name: a.name }), peerURLs: a.peerURLs, ...(a.clientURLs === undefined ? {} : { clientURLs: a.clientURLs }), ...(learner ? { isLearner: true } : {}) };
  }

  /** The members as `endpoint` knows them: its applied configuration, sorted by ID (etcd's Members()). */
  members(endpoint: string): MemberInfo[] {
    const host = this.cluster.hosts.get(endpoint);
    if (host === undefined) return [];
    const cs = host.member.membership;
    return inConfig(cs).map((id) => this.describe(id, cs));
  }

  /** The voting members as the member store has them (etcd's VotingMembers). */
  private votersOf(cs: ConfState): number[] {
    return inConfig(cs).filter((id) => !this.storeLearner(id, cs));
  }

  /** rafthttp's view, simulated: `peer` started, up and reachable both ways from `self`. */
  private connected(self: string, peer: number): boolean {
    const endpoint = this.startedEndpoint(peer);
    if (endpoint === undefined) return false;
    if (endpoint === self) return true;
    const net = this.cluster.world.network;
    return this.cluster.world.isUp(endpoint) && !this.cluster.world.isPaused(endpoint) && !net.isCut(self, endpoint) && !net.isCut(endpoint, self);
  }

  // ---- the methods ----

  /** MemberAdd asked of `self`. */
  add(self: string, request: Record<string, unknown>, header: object, done: AdminAnswer): void {
    const urls = request['peerURLs'] ?? [];
    if (!validPeerURLs(urls)) return done({ ok: false, error: ADMIN_ERRORS.badURLs });
    const host = this.host(self);
    if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
    const cs = host.member.membership;
    const isLearner = request['isLearner'] === true;
    const voters = this.votersOf(cs);
    // IsReadyToAddVotingMember: the started voters stay a quorum with the new one counted.
    const started = voters.filter((id) => this.startedEndpoint(id) !== undefined).length;
    const future = voters.length + 1;
    if (!isLearner && !(started === 1 && future === 2) && started < Math.floor(future / 2) + 1) return done({ ok: false, error: ADMIN_ERRORS.notEnoughStarted });
    if (!voters.every((id) => this.connected(self, id))) return done({ ok: false, error: ADMIN_ERRORS.unhealthy });
    const inUse = new Set(inConfig(cs).flatMap((id) => this.attributesOf(id).peerURLs));
    if (urls.some((u) => inUse.has(u))) return done({ ok: false, error: ADMIN_ERRORS.peerURLExists });
    if (isLearner && inConfig(cs).filter((m) => this.storeLearner(m, cs)).length + 1 > LEARNERS_MAX) return done({ ok: false, error: ADMIN_ERRORS.tooManyLearners });
    const id = this.cluster.newUnstartedId();
    this.attributes.set(id, { peerURLs: urls });
    const change: ConfChangeSingle = { type: isLearner ? 'add-learner-node' : 'add-node', nodeId: id };
    this.configure(self, change, (members) => ({ header, member: { ID: String(id), peerURLs: urls, ...(isLearner ? { isLearner: true } : {}) }, members }), done);
  }

  /** MemberRemove asked of `self`. */
  remove(self: string, request: Record<string, unknown>, header: object, done: AdminAnswer): void {
    const host = this.host(self);
    if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
    const cs = host.member.membership;
    const id = idOf(request['ID']);
    const learner = id !== undefined && this.storeLearner(id, cs);
    if (!learner) {
      // mayRemoveMember: the started voters left must be a quorum of the voters left, and the
      // voters connected to `self` must stay a quorum (a member never connected may go).
      const voters = this.votersOf(cs);
      const rest = voters.filter((v) => v !== id);
      const started = rest.filter((v) => this.startedEndpoint(v) !== undefined).length;
      if (started < Math.floor(rest.length / 2) + 1) return done({ ok: false, error: ADMIN_ERRORS.notEnoughStarted });
      // etcd's transport never saw a member the cluster does not have: it may "go" (then: not found).
      const neverConnected = id !== host.member.config.id && (id === undefined || this.startedEndpoint(id) === undefined);
      const active = voters.filter((v) => this.connected(self, v)).length;
      if (!neverConnected && active - 1 < 1 + Math.floor((voters.length - 1) / 2)) return done({ ok: false, error: ADMIN_ERRORS.unhealthy });
    }
    if (id === undefined || !inConfig(cs).includes(id)) return done({ ok: false, error: ADMIN_ERRORS.notFound });
    this.configure(self, { type: 'remove-node', nodeId: id }, (members) => ({ header, members }), done);
  }

  /** MemberUpdate asked of `self`: the peer URLs change (the simulation dials none of them). */
  update(self: string, request: Record<string, unknown>, header: object, done: AdminAnswer): void {
    const host = this.host(self);
    if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
    const cs = host.member.membership;
    const id = idOf(request['ID']);
    if (id === undefined || !inConfig(cs).includes(id)) return done({ ok: false, error: ADMIN_ERRORS.notFound });
    const urls = Array.isArray(request['peerURLs']) ? request['peerURLs'].map(String) : [];
    const others = new Set(inConfig(cs).filter((m) => m !== id).flatMap((m) => this.attributesOf(m).peerURLs));
    if (urls.some((u) => others.has(u))) return done({ ok: false, error: ADMIN_ERRORS.peerURLExists });
    this.attributes.set(id, { ...this.attributes.get(id), peerURLs: urls, learnerCleared: true });
    done({ ok: true, body: { header, members: this.members(self) } });
  }

  /** MemberPromote asked of `self`: decided by the leader, as etcd forwards it there. */
  promote(self: string, request: Record<string, unknown>, header: object, done: AdminAnswer): void {
    const host = this.host(self);
    if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
    const leader = this.cluster.leaderHost();
    if (leader === undefined) return done({ ok: false, error: ADMIN_ERRORS.timeout });
    const id = idOf(request['ID']) ?? 0;
    if (leader.member.learnerReady(id) === false) return done({ ok: false, error: ADMIN_ERRORS.learnerNotReady });
    const cs = leader.member.membership;
    // IsReadyToPromoteMember: the learner counted as started and as a voter.
    const voters = this.votersOf(cs);
    const started = 1 + voters.filter((v) => this.startedEndpoint(v) !== undefined).length;
    if (started < Math.floor((voters.length + 1) / 2) + 1) return done({ ok: false, error: ADMIN_ERRORS.notEnoughStarted });
    if (!inConfig(cs).includes(id)) return done({ ok: false, error: ADMIN_ERRORS.notFound });
    if (!this.storeLearner(id, cs)) return done({ ok: false, error: ADMIN_ERRORS.notLearner });
    this.configure(self, { type: 'add-node', nodeId: id }, (members) => ({ header, members }), done);
  }

  /** MoveLeader asked of `self`: only the leader moves leadership, to a voting member. */
  moveLeader(self: string, request: Record<string, unknown>, done: AdminAnswer): void {
    const host = this.host(self);
    if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
    if (!host.isLeader) return done({ ok: false, error: ADMIN_ERRORS.notLeader });
    const target = idOf(request['targetID']);
    const cs = host.member.membership;
    if (target === undefined || !this.votersOf(cs).includes(target)) return done({ ok: false, error: ADMIN_ERRORS.badTransferee });
    if (target !== host.member.config.id) host.transferLeadership(target);
    this.await(self, (h) => h.member.leader === target, () => ({}), ADMIN_ERRORS.transferTooLong, done);
  }

  /**
   * etcd's configure: proposes the change (on the leader: etcd-raft forwards a follower's) and
   * answers once `self` applied it; a change raft drops (another one pending, a leader change)
   * is proposed again at the next look, until etcd's request timeout.
   */
  private configure(self: string, change: ConfChangeSingle, body: (members: MemberInfo[]) => object, done: AdminAnswer): void {
    const applied = (cs: ConfState): boolean => {
      const present = inConfig(cs).includes(change.nodeId);
      if (change.type === 'remove-node') return !present;
      return present && (change.type === 'add-learner-node' || this.votersOf(cs).includes(change.nodeId));
    };
    let proposed = false;
    const propose = (): void => {
      const leader = this.cluster.leaderHost();
      if (leader !== undefined && !applied(leader.member.membership)) proposed = leader.proposeConfChange({ transition: 'auto', changes: [change], context: '' }) || proposed;
    };
    propose();
    this.await(self, (h) => {
      if (applied(h.member.membership)) return true;
      if (!proposed) propose();
      return false;
    }, () => body(this.members(self)), ADMIN_ERRORS.timeout, done);
  }

  /** Answers `body()` once `ready` holds on `self`'s host, or `timeout` after etcd's request timeout. */
  private await(self: string, ready: (host: MemberHost) => boolean, body: () => object, timeout: GateError, done: AdminAnswer): void {
    const loop = this.cluster.world.loop;
    const deadlineUs = loop.now() + REQUEST_TIMEOUT_US;
    const look = (): void => {
      const host = this.host(self);
      if (host === undefined) return done({ ok: false, error: ADMIN_ERRORS.stopped });
      // A member that removed itself applied the removal and stops (etcd answers, then exits).
      if (ready(host)) return done({ ok: true, body: body() });
      if (host.member.removed) return done({ ok: false, error: ADMIN_ERRORS.stopped });
      if (loop.now() >= deadlineUs) return done({ ok: false, error: timeout });
      loop.schedule(POLL_US, look);
    };
    look();
  }
}
