// The Raft-only harness behind the nemesis's NemesisWorld port (sim/nemesis/nemesis-world-port.ts),
// so that its fault schedules are the scenario's faults (sim/scenario/fault-kinds.ts), applied and
// healed by the one nemesis. What a RaftCluster cannot do, it says: membership changes are
// refused (the fault starts nothing), a crash at a chosen moment throws, buggify has no sites.
import type { NemesisWorld } from '../../../sim/nemesis/nemesis-world-port.ts';
import type { CrashMoment } from '../../../sim/scenario/fault.ts';
import { DISK_DEFAULTS } from '../../../sim/world/disk.ts';
import type { LinkOptions } from '../../../sim/world/network.ts';
import type { Cut } from '../../../sim/world/partitions.ts';
import type { RaftCluster } from './raft-cluster.ts';
import { CLIENT_ID } from './raft-cluster.ts';

type Lossy = Parameters<NemesisWorld['setLossy']>[0];

const cutKey = ([a, b]: Cut): string => `${a}>${b}`;

export class RaftNemesisWorld implements NemesisWorld {
  private applied: readonly Cut[] = [];
  private readonly fsync: { min: number; max: number };

  /** `base`: the links between every member and the client when no lossy fault runs. */
  constructor(
    private readonly c: RaftCluster,
    private base: LinkOptions,
  ) {
    const disk = { ...DISK_DEFAULTS, ...c.world.describe().disk };
    this.fsync = { min: disk.fsyncLatencyUsMin, max: disk.fsyncLatencyUsMax };
    this.setLinks(base);
  }

  /** Changes the links lossy faults fall back to, and applies them now. */
  setBase(base: LinkOptions): void {
    this.base = base;
    this.setLinks(base);
  }

  nowUs(): number {
    return this.c.world.loop.now();
  }

  at(timeUs: number, fn: () => void): void {
    this.c.world.loop.at(timeUs, fn);
  }

  members(): readonly string[] {
    return this.c.ids;
  }

  leader(): string | undefined {
    return this.c.leader()?.id;
  }

  raftStatus(node: string): { isLeader: boolean; term: number } | undefined {
    const h = this.c.host(node);
    return h === undefined ? undefined : { isLeader: h.isLeader, term: h.term };
  }

  setCuts(cuts: readonly Cut[]): void {
    const network = this.c.world.network;
    const next = new Set(cuts.map(cutKey));
    const before = new Set(this.applied.map(cutKey));
    for (const cut of this.applied) if (!next.has(cutKey(cut))) network.uncut(cut[0], cut[1]);
    const added = cuts.filter((cut) => !before.has(cutKey(cut)));
    if (added.length > 0) network.applyCuts(added, 'nemesis');
    this.applied = [...cuts];
  }

  setLossy(lossy: Lossy): void {
    if (lossy === undefined) return this.setLinks(this.base);
    const latency = this.base.latency;
    this.setLinks({
      ...this.base,
      drop: { num: lossy.dropPercent, den: 100 },
      duplicate: { num: lossy.duplicatePercent, den: 100 },
      reorder: { num: lossy.reorderPercent, den: 100 },
      ...(lossy.delayMsMax > 0 && latency?.kind === 'uniform' ? { latency: { ...latency, maxUs: latency.maxUs + lossy.delayMsMax * 1000 } } : {}),
    });
  }

  clog(node: string): void {
    this.c.world.network.clogNode(node);
  }

  unclog(node: string): void {
    this.c.world.network.unclogNode(node);
  }

  crash(node: string, tornWrites: boolean): void {
    if (this.c.world.isUp(node)) this.c.world.crash(node, tornWrites);
  }

  crashAfter(node: string, moment: CrashMoment): () => void {
    throw new Error(`the Raft harness cannot crash ${node} after its next ${moment} (use an EtcdCluster run)`);
  }

  restart(node: string): void {
    if (!this.c.world.isUp(node)) this.c.world.restart(node);
  }

  pause(node: string): void {
    if (this.c.world.isUp(node) && !this.c.world.isPaused(node)) this.c.world.pause(node);
  }

  resume(node: string): void {
    if (this.c.world.isPaused(node)) this.c.world.resume(node);
  }

  clockOffset(node: string, deltaUs: number): void {
    this.c.world.clockJump(node, deltaUs);
  }

  clockJump(node: string, deltaUs: number): void {
    this.c.world.clockJump(node, deltaUs);
  }

  clockDrift(node: string, driftPpm: number): void {
    this.c.world.clockSetDrift(node, driftPpm);
  }

  clockReset(node: string): void {
    const offset = this.c.world.clock(node).offsetUs(this.c.world.loop.now());
    if (offset !== 0) this.c.world.clockJump(node, -offset);
    this.c.world.clockSetDrift(node, 0);
  }

  setFsyncLatency(node: string, fsyncUs: number | undefined): void {
    if (fsyncUs === undefined) this.c.world.disk(node).setFsyncLatency(this.fsync.min, this.fsync.max);
    else this.c.world.disk(node).setFsyncLatency(fsyncUs, fsyncUs);
  }

  /** A RaftCluster's membership is fixed: the change is refused, so the fault starts nothing. */
  membership(): boolean {
    return false;
  }

  /** The Raft host has no buggify sites. */
  buggify(): void {}

  private setLinks(options: LinkOptions): void {
    const all = [...this.c.ids, CLIENT_ID];
    for (const a of all) for (const b of all) if (a !== b) this.c.world.network.setLink(a, b, options);
  }
}
