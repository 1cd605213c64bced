// The NemesisWorld port (./nemesis-world-port.ts) over a simulated World, one method per
// capability: time, the network (cuts, lossy links, clogs), processes (crash, restart, pause,
// resume) and clocks are the world's and written once here; what only a cluster knows (its
// members, its leader, crashes at a chosen moment, disks, membership, buggify) each cluster
// adds: the etcd runs (../run/nemesis-world.ts) and the Raft test harness
// (test/support/raft/raft-nemesis-world.ts). A fault kind's effect (./fault-effects.ts) uses
// these methods only.
import type { CrashMoment, Moment, RaftRestartSettings } from '../scenario/fault.ts';
import type { LinkOptions } from '../world/network.ts';
import type { Cut } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import type { World } from '../world/world.ts';
import type { NemesisWorld, RaftRole } from './nemesis-world-port.ts';
import { withFields } from '../../src/object/with-fields.ts';

type Lossy = Parameters<NemesisWorld['setLossy']>[0];

const cutKey = ([a, b]: Cut): string => `${a}>${b}`;

export abstract class SimulatedNemesisWorld implements NemesisWorld {
  /** The cuts the nemesis holds now (setCuts replaces them as a whole). */
  private applied: readonly Cut[] = [];

  constructor(protected readonly world: World) {}

  // What the cluster knows.
  abstract members(): readonly string[];
  abstract leader(): string | undefined;
  abstract raftStatus(node: string): RaftRole | undefined;
  abstract crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void;
  abstract afterMoment(node: string, moment: Moment, fired: () => void): () => void;
  abstract setFsyncLatency(node: string, fsyncUs: number | undefined): void;
  abstract setRaftSettings(node: string, settings: RaftRestartSettings): void;
  abstract membership(action: 'replace' | 'remove-add' | 'joint-replace' | 'joint-swap', node: string): boolean;
  abstract buggify(on: boolean): void;
  abstract moveLeader(to: string): boolean;
  /** Operators on the member API: none unless the cluster adds them. */
  memberOperators(_operators: number, _requestTimeoutUs: number, _prng: Prng): { stop(): void } | undefined {
    return undefined;
  }
  /** The endpoints whose links a lossy fault changes, and the links they go back to. */
  protected abstract lossyLinks(): { endpoints: readonly string[]; base: LinkOptions };
  /** False while the cluster keeps a stopped member down on purpose (a membership change). */
  protected mayRestart(_node: string): boolean {
    return true;
  }

  // Time.
  nowUs(): number {
    return this.world.loop.now();
  }

  at(timeUs: number, fn: () => void): void {
    this.world.loop.at(timeUs, fn);
  }

  // Network.
  setCuts(cuts: readonly Cut[]): void {
    const network = this.world.network;
    const next = new Set(cuts.map(cutKey));
    const before = new Set(this.applied.map(cutKey));
    for (const c of this.applied) if (!next.has(cutKey(c))) network.uncut(c[0], c[1]);
    const added = cuts.filter((c) => !before.has(cutKey(c)));
    if (added.length > 0) network.applyCuts(added, 'nemesis');
    this.applied = [...cuts];
  }

  setLossy(lossy: Lossy): void {
    const { endpoints, base } = this.lossyLinks();
    const options: LinkOptions =
      lossy === undefined
        ? base
        : {
            drop: { num: lossy.dropPercent, den: 100 },
            duplicate: { num: lossy.duplicatePercent, den: 100 },
            reorder: { num: lossy.reorderPercent, den: 100 },
            ...(lossy.delayMsMax > 0 && base.latency?.kind === 'uniform' ? { latency: { kind: 'uniform', minUs: base.latency.minUs, maxUs: base.latency.maxUs + lossy.delayMsMax * 1000 } } : {}),
          };
    for (const a of endpoints) for (const b of endpoints) if (a !== b) this.world.network.setLink(a, b, withFields(base, options));
    if (lossy !== undefined) this.world.recordFault('lossy');
  }

  clog(node: string): void {
    this.world.network.clogNode(node);
  }

  unclog(node: string): void {
    this.world.network.unclogNode(node);
  }

  slowLink(from: string, to: string, extraUs: number | undefined): void {
    const { base } = this.lossyLinks();
    if (extraUs === undefined) {
      this.world.network.setLink(from, to, base);
      return;
    }
    const l = base.latency;
    const minUs = l === undefined ? 0 : l.kind === 'constant' ? l.us : l.kind === 'uniform' ? l.minUs : l.floorUs;
    const maxUs = l === undefined ? 0 : l.kind === 'constant' ? l.us : l.kind === 'uniform' ? l.maxUs : (l.capUs ?? l.floorUs + 20 * l.meanUs);
    this.world.network.setLink(from, to, withFields(base, { latency: { kind: 'uniform', minUs: minUs + extraUs, maxUs: maxUs + extraUs } as const }));
  }

  // Processes.
  crash(node: string, tornWrites: boolean): void {
    if (this.world.isUp(node)) this.world.crash(node, tornWrites);
  }

  restart(node: string): void {
    if (!this.world.isUp(node) && this.mayRestart(node)) this.world.restart(node);
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
}
