// The Raft-only harness behind the nemesis's NemesisWorld port: the world's capabilities
// (sim/nemesis/simulated-world.ts) plus what a RaftCluster knows, so that its fault schedules are
// the scenario's faults (sim/scenario/fault-kinds.ts), applied and healed by the one nemesis.
// What a RaftCluster cannot do, it says: membership changes are refused (the fault starts
// nothing), a crash at a chosen moment throws, buggify has no sites.
import type { RaftRole } from '../../../sim/nemesis/nemesis-world-port.ts';
import { raftRole, uninjectable } from '../../../sim/nemesis/nemesis-world-port.ts';
import { SimulatedNemesisWorld } from '../../../sim/nemesis/simulated-world.ts';
import type { CrashMoment, Moment, RaftRestartSettings } from '../../../sim/scenario/fault.ts';
import { DISK_DEFAULTS } from '../../../sim/world/disk.ts';
import type { LinkOptions } from '../../../sim/world/network.ts';
import type { RaftCluster } from './raft-cluster.ts';
import { CLIENT_ID } from './raft-cluster.ts';

export class RaftNemesisWorld extends SimulatedNemesisWorld {
  private readonly fsync: { min: number; max: number };

  /** `base`: the links between every member and the client when no lossy fault runs. */
  constructor(
    private readonly c: RaftCluster,
    private base: LinkOptions,
  ) {
    super(c.world);
    const disk = { ...DISK_DEFAULTS, ...c.world.describe().disk };
    this.fsync = { min: disk.fsyncLatencyUsMin, max: disk.fsyncLatencyUsMax };
    this.setLossy(undefined);
  }

  /** Changes the links lossy faults fall back to, and applies them now. */
  setBase(base: LinkOptions): void {
    this.base = base;
    this.setLossy(undefined);
  }

  members(): readonly string[] {
    return this.c.ids;
  }

  leader(): string | undefined {
    return this.c.leader()?.id;
  }

  raftStatus(node: string): RaftRole | undefined {
    return raftRole(this.c.host(node));
  }

  crashAfter(node: string, moment: CrashMoment): () => void {
    return uninjectable('the Raft harness', `a crash of ${node} after its next ${moment}`, 'its hosts do not report their sends (use an EtcdCluster run)');
  }

  afterMoment(node: string, moment: Moment): () => void {
    return uninjectable('the Raft harness', `a cut of ${node} after its next ${moment}`, 'its hosts do not report their sends (use an EtcdCluster run)');
  }

  setRaftSettings(node: string, _settings: RaftRestartSettings): void {
    uninjectable('the Raft harness', `a restart of ${node} with other raft settings`, 'its members are built once (use an EtcdCluster run)');
  }

  setFsyncLatency(node: string, fsyncUs: number | undefined): void {
    if (fsyncUs === undefined) this.world.disk(node).setFsyncLatency(this.fsync.min, this.fsync.max);
    else this.world.disk(node).setFsyncLatency(fsyncUs, fsyncUs);
  }

  /** MoveLeader: the leader's raft is asked to hand over to `to` (its hosts send what it produces on their next turn). */
  moveLeader(to: string): boolean {
    const leader = this.c.leader();
    const transferee = this.c.host(to);
    if (leader === undefined || transferee === undefined || leader === transferee) return false;
    return leader.raw.transferLeadership(transferee.raftId) === undefined;
  }

  /** A RaftCluster's membership is fixed: the change is refused, so the fault starts nothing. */
  membership(): boolean {
    return false;
  }

  /** The Raft host has no buggify sites. */
  buggify(): void {}

  /** Lossy faults change every link, the client's too. */
  protected lossyLinks(): { endpoints: readonly string[]; base: LinkOptions } {
    return { endpoints: [...this.c.ids, CLIENT_ID], base: this.base };
  }
}
