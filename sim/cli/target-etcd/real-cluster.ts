// A cluster of real etcd processes behind the nemesis's NemesisWorld port: the same nemesis
// that faults the simulated world kills (SIGKILL) and restarts, pauses (SIGSTOP/SIGCONT) and
// partitions real members, through their network namespaces' nftables rules
// (real-nemesis-world.ts). Faults a real machine cannot inject are refused before the run
// starts (refusals.ts).
import http from 'node:http';
import { join } from 'node:path';
import type { NemesisWorld } from '../../nemesis/nemesis.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { PROGRESS_NOTIFY_INTERVAL_MS_ETCD } from '../../scenario/schema.ts';
import { EtcdMember, memberPaths } from './etcd-member.ts';
import type { RunNames } from './names.ts';
import type { NetworkMode } from './network.ts';
import { execAsync, RealNetwork } from './network.ts';
import type { RealClock } from './real-clock.ts';
import { RealNemesisWorld } from './real-nemesis-world.ts';
import { postJson } from './post-json.ts';
import { StatusPoller } from './status-poller.ts';
import type { StoppedSpan } from '../../check/renewal-proof.ts';
import type { MemberOutage, SeveredPairs } from './quorum-time.ts';
import { quorumAvailableUs } from './quorum-time.ts';

export interface RealClusterOptions {
  readonly scenario: Scenario;
  readonly binary: string;
  readonly workDir: string;
  readonly names: RunNames;
  readonly mode: NetworkMode;
  readonly clock: RealClock;
}

const memberName = (i: number): string => `n${i}`;
/** Stopped spans kept (a run pauses and kills members a few times a second at most). */
const STOPS_MAX = 10_000;
/** Rule sets in force kept for the quorum's timeline (a run changes its network faults a few times a second at most). */
const NETWORK_CHANGES_MAX = 10_000;
/** How often, and how long each time, a restarted member is asked whether it serves. */
const SERVING_POLL_MS = 50;
const SERVING_ASK_TIMEOUT_MS = 500;
/** A restarted member that does not serve within two election timeouts and this much is killed again anyway (it may be cut off). */
const SERVING_WAIT_EXTRA_MS = 2_000;

export class RealCluster {
  readonly network: RealNetwork;
  readonly members: EtcdMember[] = [];
  readonly urls = new Map<string, string>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly poller: StatusPoller;
  /**
   * Per member, the kill or restart under way and, after a restart, the wait until the member
   * serves: they run one after another. A kill asked while a restarted member is not serving yet
   * waits for it, as etcd's robustness tests start a member again and wait for "ready to serve
   * client requests" before the next fault: a restarted etcd 3.4 member serves only after its
   * raft has a leader (a single member restarted without a snapshot elects itself only after a
   * full election timeout, 1-2 s), so a schedule that kills it every few hundred ms kept it from
   * ever serving (single-member-crash: no answer between the first kill and the end of the run).
   * The distance the schedule put between a heal and the next fault is kept from when the healed
   * members serve by the nemesis (nemesis.ts, through RealNemesisWorld.recovered), for every member.
   */
  private readonly pending = new Map<string, Promise<void>>();
  /** Per member, the last kill asked for; a restart asked before it began calls it off (the fault was healed before it was in force). */
  private readonly queuedKills = new Map<string, { began: boolean; calledOff: boolean }>();
  /** Per member, the last kill or restart asked for, done (the process gone, or started). */
  private readonly effects = new Map<string, Promise<void>>();
  private stopping = false;
  /** When each member was paused or down (the leader timeline's evidence: sim/check/renewal-proof.ts). */
  private readonly stops: StoppedSpan[] = [];
  private readonly openStops = new Map<string, { kind: StoppedSpan['kind']; fromUs: number }>();
  /** From a restart until the member served (or the wait gave up): it could not take part in a quorum yet. */
  private readonly starts: MemberOutage[] = [];
  private readonly startingSinceUs = new Map<string, number>();
  /** The network's rule sets, from when each was in force: severed pairs and clogged members (quorum-time.ts). */
  private readonly networkInForce: { atUs: number; severed: SeveredPairs['pairs']; clogged: string[] }[] = [];
  private networkChangesTruncated = false;

  constructor(readonly options: RealClusterOptions) {
    const count = options.scenario.cluster.members;
    this.network = new RealNetwork(options.mode, options.names, count, (err) => void options.clock.errors.push(err), execAsync, (severed, clogged) => this.noteNetwork(severed, clogged));
    const raft = options.scenario.cluster.raft;
    const initialCluster = Array.from({ length: count }, (_, k) => `${memberName(k + 1)}=${this.network.peerUrl(k + 1)}`).join(',');
    for (let i = 1; i <= count; i++) {
      const name = memberName(i);
      this.urls.set(name, this.network.clientUrl(i));
      this.members.push(new EtcdMember({
        name,
        index: i,
        binary: options.binary,
        ...memberPaths(options.workDir, name),
        clientUrl: this.network.clientUrl(i),
        peerUrl: this.network.peerUrl(i),
        initialCluster,
        token: options.names.token,
        heartbeatMs: raft.tickMs * raft.heartbeatTicks,
        electionMs: raft.tickMs * raft.electionTicks,
        snapshotCount: options.scenario.cluster.etcd.snapshotCount,
        preVote: raft.preVote,
        // etcd's own default (10 min) unless the scenario shortens it.
        ...(options.scenario.cluster.etcd.progressNotifyIntervalMs !== PROGRESS_NOTIFY_INTERVAL_MS_ETCD ? { progressNotifyIntervalMs: options.scenario.cluster.etcd.progressNotifyIntervalMs } : {}),
        prefix: this.network.spawnPrefix(i),
      }));
    }
    this.poller = new StatusPoller(this.urls, options.clock, this.agent);
  }

  memberIds(): string[] {
    return this.members.map((m) => m.spec.name);
  }

  member(name: string): EtcdMember {
    const m = this.members.find((x) => x.spec.name === name);
    if (m === undefined) throw new Error(`real cluster: no member ${name}`);
    return m;
  }

  start(): void {
    this.network.build();
    for (const m of this.members) m.start();
    this.poller.start();
  }

  /** Waits until some member leads, up to `timeoutMs`; false if none did, at once when a member's process ended by itself. */
  async waitForLeader(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.poller.pollOnce();
      if (this.poller.leader() !== undefined) return true;
      if (this.endedMember() !== undefined) return false;
      await this.options.clock.sleep(50);
    }
    return false;
  }

  /** A member whose process ended without being killed (it would not start), if any. */
  endedMember(): EtcdMember | undefined {
    return this.members.find((m) => m.endedOnItsOwn !== undefined);
  }

  /** Runs `step` after the member's earlier steps; a step that restarted the member (true) makes the next one wait until it serves. */
  private chain(name: string, step: () => Promise<boolean> | boolean): void {
    const before = this.pending.get(name) ?? Promise.resolve();
    const started = before.then(step).catch((err: unknown) => {
      this.options.clock.errors.push(err);
      return false;
    });
    this.effects.set(name, started.then(() => undefined));
    this.pending.set(name, started.then((restarted) => (restarted ? this.untilServing(name) : undefined)));
  }

  /** Waits until the member answers a status request (etcd serves clients once it is ready), within a bound. */
  private async untilServing(name: string): Promise<void> {
    const url = this.urls.get(name);
    const waitMs = 2 * this.options.scenario.cluster.raft.tickMs * this.options.scenario.cluster.raft.electionTicks + SERVING_WAIT_EXTRA_MS;
    const deadline = Date.now() + waitMs;
    while (url !== undefined && !this.stopping && this.member(name).state === 'up' && Date.now() < deadline) {
      if ((await postJson(url, '/v3/maintenance/status', {}, SERVING_ASK_TIMEOUT_MS, this.agent)) !== undefined) break;
      await this.options.clock.sleep(SERVING_POLL_MS);
    }
    const sinceUs = this.startingSinceUs.get(name);
    this.startingSinceUs.delete(name);
    if (sinceUs !== undefined && this.starts.length < STOPS_MAX) this.starts.push({ member: name, fromUs: sinceUs, toUs: this.options.clock.nowUs() });
  }

  /** Resolves once every fault asked of the cluster so far is in force: processes killed or started, rule sets written. */
  async inForce(): Promise<void> {
    await Promise.all([this.network.applied(), ...this.effects.values()]);
  }

  /** Every kill, restart (and the wait until it serves) and rule set the nemesis asked for, finished. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending.values(), this.network.applied()]);
  }

  /** Stops every process (SIGCONT first, so a paused one can die) and removes the network. */
  async destroy(): Promise<void> {
    this.poller.stop();
    this.stopping = true;
    await this.settle();
    for (const m of this.members) m.resume();
    await Promise.all(this.members.map((m) => m.kill()));
    this.agent.destroy();
    this.network.destroy();
  }

  /** Kills a member (SIGKILL), after whatever kill or restart of it is under way. */
  kill(name: string): void {
    const ticket = { began: false, calledOff: false };
    this.queuedKills.set(name, ticket);
    this.chain(name, async () => {
      if (ticket.calledOff) return false;
      ticket.began = true;
      if (this.member(name).state !== 'down') this.openStop(name, 'down');
      await this.member(name).kill();
      return false;
    });
  }

  /** Starts a killed member again, after whatever kill or restart of it is under way. */
  restart(name: string): void {
    const queued = this.queuedKills.get(name);
    if (queued !== undefined && !queued.began) queued.calledOff = true;
    this.chain(name, () => {
      if (this.member(name).state !== 'down' || this.stopping) return false;
      this.closeStop(name, 'down');
      this.member(name).start();
      this.startingSinceUs.set(name, this.options.clock.nowUs());
      return true;
    });
  }

  /** SIGSTOP. */
  pause(name: string): void {
    if (this.member(name).state !== 'up') return;
    this.member(name).pause();
    this.openStop(name, 'paused');
  }

  /** SIGCONT. */
  resume(name: string): void {
    if (this.member(name).state !== 'paused') return;
    this.closeStop(name, 'paused');
    this.member(name).resume();
  }

  /** The stopped spans, with the ones still open ending at Infinity. */
  get stopped(): StoppedSpan[] {
    return [...this.stops, ...[...this.openStops].map(([member, s]) => ({ member, kind: s.kind, fromUs: s.fromUs, toUs: Infinity }))];
  }

  private openStop(member: string, kind: StoppedSpan['kind']): void {
    // A kill of a paused member: the process stays stopped, now for good.
    const open = this.openStops.get(member);
    if (open !== undefined && open.kind === 'paused') this.closeStop(member, 'paused');
    this.openStops.set(member, { kind, fromUs: this.options.clock.nowUs() });
  }

  private closeStop(member: string, kind: StoppedSpan['kind']): void {
    const open = this.openStops.get(member);
    if (open === undefined || open.kind !== kind) return;
    this.openStops.delete(member);
    if (this.stops.length < STOPS_MAX) this.stops.push({ member, kind, fromUs: open.fromUs, toUs: this.options.clock.nowUs() });
  }

  /**
   * Of [fromUs, toUs): the microseconds in which a quorum of members was up, serving and
   * connected both ways, by what this cluster put in force, and of those the ones in which a
   * member that had answered it leads was at its centre (quorum-time.ts); undefined where their
   * records were cut short at their bounds (the time is not known then).
   */
  servableUs(fromUs: number, toUs: number): { quorumUs: number | undefined; ledUs: number | undefined } {
    if (this.networkChangesTruncated || this.stops.length >= STOPS_MAX || this.starts.length >= STOPS_MAX) return { quorumUs: undefined, ledUs: undefined };
    const outages: MemberOutage[] = [
      ...this.stopped,
      ...this.starts,
      ...[...this.startingSinceUs].map(([member, sinceUs]) => ({ member, fromUs: sinceUs, toUs: Infinity })),
    ];
    // A clogged member is cut from its clients as well as its peers: out while it is clogged.
    for (let k = 0; k < this.networkInForce.length; k++) {
      const change = this.networkInForce[k];
      const untilUs = this.networkInForce[k + 1]?.atUs ?? Infinity;
      for (const member of change?.clogged ?? []) outages.push({ member, fromUs: change?.atUs ?? 0, toUs: untilUs });
    }
    const severed = this.networkInForce.map((c) => ({ atUs: c.atUs, pairs: c.severed }));
    const members = this.memberIds();
    return {
      quorumUs: quorumAvailableUs(members, outages, severed, fromUs, toUs),
      ledUs: this.poller.claimsTruncated ? undefined : quorumAvailableUs(members, outages, severed, fromUs, toUs, this.poller.claims),
    };
  }

  private noteNetwork(severed: ReadonlySet<string>, clogged: ReadonlySet<number>): void {
    if (this.networkInForce.length >= NETWORK_CHANGES_MAX) {
      this.networkChangesTruncated = true;
      return;
    }
    const pairs = [...severed].map((pair) => pair.split('-').map((i) => memberName(Number(i))) as [string, string]);
    this.networkInForce.push({ atUs: this.options.clock.nowUs(), severed: pairs, clogged: [...clogged].map(memberName) });
  }

  /** The nemesis's view of this cluster. */
  nemesisWorld(): NemesisWorld {
    return new RealNemesisWorld(this);
  }

  logFiles(): string[] {
    return this.members.map((m) => join(this.options.workDir, `${m.spec.name}.log`));
  }
}
