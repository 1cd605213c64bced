// A cluster of real etcd processes behind the nemesis's NemesisWorld port: the same nemesis
// that faults the simulated world kills (SIGKILL) and restarts, pauses (SIGSTOP/SIGCONT) and
// partitions real members, through their network namespaces' nftables rules. Faults a real
// machine cannot inject are refused before the run starts (refusals.ts), so reaching one of
// the throwing methods here is a harness bug.
import http from 'node:http';
import { join } from 'node:path';
import type { NemesisWorld } from '../../nemesis/nemesis.ts';
import type { Scenario } from '../../scenario/schema.ts';
import type { Cut } from '../../world/partitions.ts';
import { EtcdMember, memberPaths } from './etcd-member.ts';
import type { RunNames } from './names.ts';
import type { NetworkMode } from './network.ts';
import { RealNetwork } from './network.ts';
import type { RealClock } from './real-clock.ts';
import { StatusPoller } from './status-poller.ts';

export interface RealClusterOptions {
  readonly scenario: Scenario;
  readonly binary: string;
  readonly workDir: string;
  readonly names: RunNames;
  readonly mode: NetworkMode;
  readonly clock: RealClock;
}

const memberName = (i: number): string => `n${i}`;

export class RealCluster {
  readonly network: RealNetwork;
  readonly members: EtcdMember[] = [];
  readonly urls = new Map<string, string>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly poller: StatusPoller;
  /** Per member, the kill or restart under way: they run one after another. */
  private readonly pending = new Map<string, Promise<void>>();

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

  /** Waits until some member leads, up to `timeoutMs`; false if none did. */
  async waitForLeader(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.poller.pollOnce();
      if (this.poller.leader() !== undefined) return true;
      await this.options.clock.sleep(50);
    }
    return false;
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

  nemesisWorld(): NemesisWorld {
    const clock = this.options.clock;
    const index = (name: string): number => this.member(name).spec.index;
    const refused = (what: string): never => {
      throw new Error(`real etcd target: ${what} cannot be injected (should have been refused before the run)`);
    };
    return {
      nowUs: () => clock.nowUs(),
      at: (timeUs, fn) => clock.at(timeUs, fn),
      members: () => this.memberIds(),
      leader: () => this.poller.leader(),
      raftStatus: (node) => {
        const s = this.poller.status(node);
        return s === undefined ? undefined : { isLeader: s.isLeader, term: s.term };
      },
      setCuts: (cuts: readonly Cut[]) => this.network.setCuts(cuts.filter(([a, b]) => this.urls.has(a) && this.urls.has(b)).map(([a, b]) => ({ from: index(a), to: index(b) }))),
      crash: (node, tornWrites) => {
        if (tornWrites) refused('torn writes');
        this.chain(node, () => this.member(node).kill());
      },
      crashAfter: () => refused('a crash right after a vote or an append acknowledgement'),
      restart: (node) => this.chain(node, () => {
        if (this.member(node).state === 'down') this.member(node).start();
      }),
      pause: (node) => this.member(node).pause(),
      resume: (node) => this.member(node).resume(),
      clockOffset: () => refused('clock skew'),
      clockJump: () => refused('clock jump'),
      clockDrift: () => refused('clock drift'),
      clockReset: () => undefined,
      setLossy: (lossy) => this.network.setDropPercent(lossy?.dropPercent ?? this.options.scenario.network.dropPercent),
      clog: (node) => this.network.setClogged(index(node), true),
      unclog: (node) => this.network.setClogged(index(node), false),
      setFsyncLatency: (_node, fsyncUs) => {
        if (fsyncUs !== undefined) refused('slow disk');
      },
      membership: () => refused('membership change'),
      memberOperators: () => refused('member API operators'),
      buggify: (on) => {
        if (on) refused('buggify');
      },
    };
  }

  logFiles(): string[] {
    return this.members.map((m) => join(this.options.workDir, `${m.spec.name}.log`));
  }
}
