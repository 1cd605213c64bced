// The nemesis's view of a simulated run: the NemesisWorld port (../nemesis/nemesis-world-port.ts)
// over the simulated World (network, processes, clocks) and the EtcdCluster (leader, membership,
// disks), one method per capability. A fault kind's effect (../nemesis/fault-effects.ts) uses
// these; a new kind that needs a capability the world lacks adds one method to the port and one
// here.
import type { NemesisWorld } from '../nemesis/nemesis-world-port.ts';
import type { CrashMoment } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { LinkOptions, Network } from '../world/network.ts';
import type { Cut } from '../world/partitions.ts';
import type { World } from '../world/world.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';

/** The scenario's base link settings, as the world's link options. */
export function baseLink(s: Scenario): LinkOptions {
  const n = s.network;
  return {
    latency: { kind: 'uniform', minUs: n.latencyUsMin, maxUs: n.latencyUsMax },
    drop: { num: n.dropPercent, den: 100 },
    duplicate: { num: n.duplicatePercent, den: 100 },
    reorder: { num: n.reorderPercent, den: 100 },
    reorderDelayUsMax: n.reorderDelayUsMax,
  };
}

type Lossy = Parameters<NemesisWorld['setLossy']>[0];

const cutKey = ([a, b]: Cut): string => `${a}>${b}`;

export class SimNemesisWorld implements NemesisWorld {
  private readonly world: World;
  private readonly network: Network;
  /** The cuts the nemesis holds now (setCuts replaces them as a whole). */
  private applied: readonly Cut[] = [];

  constructor(
    private readonly cluster: EtcdCluster,
    private readonly scenario: Scenario,
    private readonly buggifySwitch: (on: boolean) => void,
  ) {
    this.world = cluster.world;
    this.network = cluster.world.network;
  }

  // Time.
  nowUs(): number {
    return this.world.loop.now();
  }

  at(timeUs: number, fn: () => void): void {
    this.world.loop.at(timeUs, fn);
  }

  // The cluster's view.
  members(): readonly string[] {
    return this.cluster.members();
  }

  leader(): string | undefined {
    return this.cluster.leader();
  }

  raftStatus(node: string): { isLeader: boolean; term: number } | undefined {
    const s = this.cluster.status(node);
    return s === undefined ? undefined : { isLeader: s.isLeader, term: s.term };
  }

  // Network.
  setCuts(cuts: readonly Cut[]): void {
    const next = new Set(cuts.map(cutKey));
    const before = new Set(this.applied.map(cutKey));
    for (const c of this.applied) if (!next.has(cutKey(c))) this.network.uncut(c[0], c[1]);
    const added = cuts.filter((c) => !before.has(cutKey(c)));
    if (added.length > 0) this.network.applyCuts(added, 'nemesis');
    this.applied = [...cuts];
  }

  setLossy(lossy: Lossy): void {
    const base = baseLink(this.scenario);
    const options: LinkOptions =
      lossy === undefined
        ? base
        : {
            drop: { num: lossy.dropPercent, den: 100 },
            duplicate: { num: lossy.duplicatePercent, den: 100 },
            reorder: { num: lossy.reorderPercent, den: 100 },
            ...(lossy.delayMsMax > 0 && base.latency?.kind === 'uniform' ? { latency: { kind: 'uniform', minUs: base.latency.minUs, maxUs: base.latency.maxUs + lossy.delayMsMax * 1000 } } : {}),
          };
    const members = this.cluster.members();
    for (const a of members) for (const b of members) if (a !== b) this.network.setLink(a, b, { ...base, ...options });
    if (lossy !== undefined) this.world.recordFault('lossy');
  }

  clog(node: string): void {
    this.network.clogNode(node);
  }

  unclog(node: string): void {
    this.network.unclogNode(node);
  }

  // Processes.
  crash(node: string, tornWrites: boolean): void {
    if (this.world.isUp(node)) this.world.crash(node, tornWrites);
  }

  crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void {
    return this.cluster.crashAfter(node, moment, tornWrites, crashed);
  }

  restart(node: string): void {
    if (!this.world.isUp(node) && !this.cluster.held(node)) this.world.restart(node);
  }

  pause(node: string): void {
    if (this.world.isUp(node) && !this.world.isPaused(node)) this.world.pause(node);
  }

  resume(node: string): void {
    if (this.world.isPaused(node)) this.world.resume(node);
  }

  // Clocks: a skew is an offset added at once, as a jump is.
  clockOffset(node: string, deltaUs: number): void {
    this.world.clockJump(node, deltaUs);
  }

  clockJump(node: string, deltaUs: number): void {
    this.world.clockJump(node, deltaUs);
  }

  clockDrift(node: string, driftPpm: number): void {
    this.world.clockSetDrift(node, driftPpm);
  }

  clockReset(node: string): void {
    const offset = this.world.clock(node).offsetUs(this.world.loop.now());
    if (offset !== 0) this.world.clockJump(node, -offset);
    this.world.clockSetDrift(node, 0);
  }

  // Disks, membership, the server's fault sites.
  setFsyncLatency(node: string, fsyncUs: number | undefined): void {
    this.cluster.setFsyncLatency(node, fsyncUs);
  }

  membership(action: 'replace' | 'remove-add', node: string): boolean {
    return this.cluster.changeMembership(action, node);
  }

  buggify(on: boolean): void {
    this.buggifySwitch(on);
  }
}

/** The nemesis's view of `cluster` (kept for callers that build it as a function). */
export function nemesisWorld(cluster: EtcdCluster, scenario: Scenario, buggify: (on: boolean) => void): NemesisWorld {
  return new SimNemesisWorld(cluster, scenario, buggify);
}
