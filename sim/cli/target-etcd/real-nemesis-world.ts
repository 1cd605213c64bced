// The nemesis's world over real etcd processes (RealCluster), one method per capability of the
// port (sim/nemesis/nemesis-world-port.ts), grouped as SimulatedNemesisWorld groups the simulated
// ones: time is the run's real clock; the cluster view is the status poller's; processes are
// signals (SIGKILL and a fresh start, SIGSTOP/SIGCONT); the network is nftables rules in the
// members' namespaces. Clocks, disks, membership, buggify and crashes at a chosen moment are not
// injectable here: refusals.ts refuses them before a run, for the reasons in uninjectable.ts,
// and reaching one of those methods throws that reason (a harness bug).
import type { NemesisWorld, RaftRole } from '../../nemesis/nemesis-world-port.ts';
import { raftRole, uninjectable } from '../../nemesis/nemesis-world-port.ts';
import type { CrashMoment, Moment, RaftRestartSettings } from '../../scenario/fault.ts';
import type { Cut } from '../../world/partitions.ts';
import type { Prng } from '../../world/prng.ts';
import { postJson } from './post-json.ts';
import type { RealCluster } from './real-cluster.ts';
import type { Uninjectable } from './uninjectable.ts';
import { UNINJECTABLE } from './uninjectable.ts';

type Lossy = Parameters<NemesisWorld['setLossy']>[0];

/** etcd waits up to about an election timeout for the transferee to lead; then a little more. */
const MOVE_LEADER_TIMEOUT_MS = 5_000;

const refuse = (what: string, why: Uninjectable): never => uninjectable('real etcd target', what, UNINJECTABLE[why]);

export class RealNemesisWorld implements NemesisWorld {
  constructor(private readonly cluster: RealCluster) {}

  // Time.
  nowUs(): number {
    return this.cluster.options.clock.nowUs();
  }

  at(timeUs: number, fn: () => void): void {
    this.cluster.options.clock.at(timeUs, fn);
  }

  /** Rules are written and processes signalled beside the run (real-cluster.ts, network.ts): `done` runs once they are. */
  inForce(done: () => void): void {
    const clock = this.cluster.options.clock;
    void this.cluster.inForce().then(() => clock.guard(done));
  }

  /** Every kill, restart (until the member serves, within a bound) and rule set asked so far, done (real-cluster.ts settle). */
  recovered(done: () => void): void {
    const clock = this.cluster.options.clock;
    void this.cluster.settle().then(() => clock.guard(done));
  }

  // What the cluster knows: the last status each member answered.
  members(): readonly string[] {
    return this.cluster.memberIds();
  }

  leader(): string | undefined {
    return this.cluster.poller.leader();
  }

  raftStatus(node: string): RaftRole | undefined {
    return raftRole(this.cluster.poller.status(node));
  }

  // Network: cuts, drops and clogs between members (a cut naming a non-member is not a link here).
  setCuts(cuts: readonly Cut[]): void {
    const ours = cuts.filter(([a, b]) => this.cluster.urls.has(a) && this.cluster.urls.has(b));
    this.cluster.network.setCuts(ours.map(([a, b]) => ({ from: this.index(a), to: this.index(b) })));
  }

  setLossy(lossy: Lossy): void {
    if (lossy !== undefined && (lossy.duplicatePercent > 0 || lossy.reorderPercent > 0 || lossy.delayMsMax > 0)) refuse('a duplicating, reordering or delaying network', 'lossy-shape');
    this.cluster.network.setDropPercent(lossy?.dropPercent ?? this.cluster.options.scenario.network.dropPercent);
  }

  clog(node: string): void {
    this.cluster.network.setClogged(this.index(node), true);
  }

  unclog(node: string): void {
    this.cluster.network.setClogged(this.index(node), false);
  }

  slowLink(from: string, to: string, extraUs: number | undefined): void {
    if (extraUs !== undefined) refuse(`slowing what ${from} sends ${to}`, 'late-answers');
  }

  // Processes: kills and restarts of one member run one after another.
  crash(node: string, tornWrites: boolean): void {
    if (tornWrites) refuse('torn writes', 'torn-writes');
    this.cluster.kill(node);
  }

  crashAfter(node: string, moment: CrashMoment, _tornWrites: boolean, _crashed: () => void): () => void {
    return refuse(`a crash of ${node} after its next ${moment}`, 'crash-after');
  }

  afterMoment(node: string, moment: Moment, _fired: () => void): () => void {
    return refuse(`a cut of ${node} after its next ${moment}`, 'crash-after');
  }

  restart(node: string): void {
    this.cluster.restart(node);
  }

  pause(node: string): void {
    this.cluster.pause(node);
  }

  resume(node: string): void {
    this.cluster.resume(node);
  }

  // Clocks: never faulted here, so there is nothing to reset.
  clockOffset(_node: string, _deltaUs: number): void {
    refuse('clock skew', 'clock');
  }

  clockJump(_node: string, _deltaUs: number): void {
    refuse('a clock jump', 'clock');
  }

  clockDrift(_node: string, _driftPpm: number): void {
    refuse('clock drift', 'clock');
  }

  clockReset(_node: string): void {}

  // Disks, membership, buggify: only their "off" is accepted.
  setFsyncLatency(_node: string, fsyncUs: number | undefined): void {
    if (fsyncUs !== undefined) refuse('a slow disk', 'slow-disk');
  }

  membership(_action: 'replace' | 'remove-add' | 'joint-replace' | 'joint-swap', _node: string): boolean {
    return refuse('a membership change', 'membership');
  }

  setRaftSettings(_node: string, _settings: RaftRestartSettings): void {
    refuse('a restart with other raft settings', 'raft-settings');
  }

  memberOperators(_operators: number, _requestTimeoutUs: number, _prng: Prng): { stop(): void } | undefined {
    return refuse('member API operators', 'member-api');
  }

  buggify(on: boolean): void {
    if (on) refuse('buggify', 'buggify');
  }

  /**
   * MoveLeader through the leader's gateway (`etcdctl move-leader`), by the last polls: sent and
   * not awaited (the poller sees the new leader, if the transfer succeeds; etcd answers an error
   * where it refuses or times out, which changes nothing).
   */
  moveLeader(to: string): boolean {
    const leader = this.cluster.poller.leader();
    const target = this.cluster.poller.status(to);
    const url = leader === undefined ? undefined : this.cluster.urls.get(leader);
    if (url === undefined || target === undefined || leader === to) return false;
    void postJson(url, '/v3/maintenance/transfer-leadership', { targetID: target.memberId }, MOVE_LEADER_TIMEOUT_MS, this.cluster.agent);
    return true;
  }

  private index(name: string): number {
    return this.cluster.member(name).spec.index;
  }
}
