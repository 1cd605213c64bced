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
import { RealNetwork } from './network.ts';
import type { RealClock } from './real-clock.ts';
import { RealNemesisWorld } from './real-nemesis-world.ts';
import { StatusPoller } from './status-poller.ts';
import type { StoppedSpan } from '../../check/renewal-proof.ts';

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

export class RealCluster {
  readonly network: RealNetwork;
  readonly members: EtcdMember[] = [];
  readonly urls = new Map<string, string>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly poller: StatusPoller;
  /** Per member, the kill or restart under way: they run one after another. */
  private readonly pending = new Map<string, Promise<void>>();
  /** When each member was paused or down (the leader timeline's evidence: sim/check/renewal-proof.ts). */
  private readonly stops: StoppedSpan[] = [];
  private readonly openStops = new Map<string, { kind: StoppedSpan['kind']; fromUs: number }>();

  constructor(readonly options: RealClusterOptions) {
    const count = options.scenario.cluster.members;
    this.network = new RealNetwork(options.mode, options.names, count);
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

  private chain(name: string, step: () => Promise<void> | void): void {
    const before = this.pending.get(name) ?? Promise.resolve();
    const next = before.then(step).catch((err: unknown) => void this.options.clock.errors.push(err));
    this.pending.set(name, next);
  }

  /** Every kill and restart the nemesis asked for, finished. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  /** Stops every process (SIGCONT first, so a paused one can die) and removes the network. */
  async destroy(): Promise<void> {
    this.poller.stop();
    await this.settle();
    for (const m of this.members) m.resume();
    await Promise.all(this.members.map((m) => m.kill()));
    this.agent.destroy();
    this.network.destroy();
  }

  /** Kills a member (SIGKILL), after whatever kill or restart of it is under way. */
  kill(name: string): void {
    this.chain(name, () => {
      if (this.member(name).state !== 'down') this.openStop(name, 'down');
      return this.member(name).kill();
    });
  }

  /** Starts a killed member again, after whatever kill or restart of it is under way. */
  restart(name: string): void {
    this.chain(name, () => {
      if (this.member(name).state !== 'down') return;
      this.closeStop(name, 'down');
      this.member(name).start();
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

  /** The nemesis's view of this cluster. */
  nemesisWorld(): NemesisWorld {
    return new RealNemesisWorld(this);
  }

  logFiles(): string[] {
    return this.members.map((m) => join(this.options.workDir, `${m.spec.name}.log`));
  }
}
