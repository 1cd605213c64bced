// The nemesis's view of a simulated etcd run: the world's capabilities
// (../nemesis/simulated-world.ts) plus what the EtcdCluster knows: its members and leader,
// crashes at a chosen moment, disks, membership changes, and the server's buggify sites.
import type { NemesisWorld, RaftRole } from '../nemesis/nemesis-world-port.ts';
import { raftRole } from '../nemesis/nemesis-world-port.ts';
import { SimulatedNemesisWorld } from '../nemesis/simulated-world.ts';
import type { CrashMoment, Moment, RaftRestartSettings } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { LinkOptions } from '../world/network.ts';
import type { Prng } from '../world/prng.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';
import { MEMBER_OPERATOR_DEFAULTS } from '../etcd/member-operators.ts';
import { withFields } from '../../src/object/with-fields.ts';

/** The scenario's base link settings, as the world's link options. */
export function baseLink(s: Scenario): LinkOptions {
  const n = s.network;
  return {
    latency: { kind: 'uniform', minUs: n.latencyUsMin, maxUs: n.latencyUsMax },
    drop: { num: n.dropPercent, den: 100 },
    duplicate: { num: n.duplicatePercent, den: 100 },
    reorder: { num: n.reorderPercent, den: 100 },
    reorderDelayUsMax: n.reorderDelayUsMax,
    duplicateDelayUsMax: n.duplicateDelayUsMax,
  };
}

export class SimNemesisWorld extends SimulatedNemesisWorld {
  constructor(
    private readonly cluster: EtcdCluster,
    private readonly scenario: Scenario,
    private readonly buggifySwitch: (on: boolean) => void,
  ) {
    super(cluster.world);
  }

  members(): readonly string[] {
    return this.cluster.members();
  }

  leader(): string | undefined {
    return this.cluster.leader();
  }

  learners(): readonly string[] {
    return this.cluster.learners();
  }

  raftStatus(node: string): RaftRole | undefined {
    return raftRole(this.cluster.status(node));
  }

  crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void {
    return this.cluster.crashAfter(node, moment, tornWrites, crashed);
  }

  afterMoment(node: string, moment: Moment, fired: () => void): () => void {
    return this.cluster.afterMoment(node, moment, fired);
  }

  setFsyncLatency(node: string, fsyncUs: number | undefined): void {
    this.cluster.setFsyncLatency(node, fsyncUs);
  }

  setRaftSettings(node: string, settings: RaftRestartSettings): void {
    this.cluster.setRaftSettings(node, settings);
  }

  membership(action: 'replace' | 'remove-add' | 'joint-replace' | 'joint-swap', node: string): boolean {
    return this.cluster.changeMembership(action, node);
  }

  override memberOperators(operators: number, requestTimeoutUs: number, prng: Prng): { stop(): void } {
    return this.cluster.startMemberOperators(withFields(MEMBER_OPERATOR_DEFAULTS, { operators, requestTimeoutUs }), prng);
  }

  moveLeader(to: string): boolean {
    return this.cluster.transferLeadership(to);
  }

  buggify(on: boolean): void {
    this.buggifySwitch(on);
  }

  /** Lossy faults change the links between members; the scenario's network is what they return to. */
  protected lossyLinks(): { endpoints: readonly string[]; base: LinkOptions } {
    return { endpoints: this.cluster.members(), base: baseLink(this.scenario) };
  }

  /** A member a membership change holds down stays down. */
  protected override mayRestart(node: string): boolean {
    return !this.cluster.held(node);
  }
}

/** The nemesis's view of `cluster` (for callers that build it as a function). */
export function nemesisWorld(cluster: EtcdCluster, scenario: Scenario, buggify: (on: boolean) => void): NemesisWorld {
  return new SimNemesisWorld(cluster, scenario, buggify);
}
