// What the nemesis needs from the world and the cluster, implemented by the run
// (sim/run/nemesis-world.ts) over the simulated World and the etcd cluster.
import type { Cut } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import type { CrashMoment } from '../scenario/fault.ts';

/** What the nemesis needs from the world and the cluster (implemented in ../run/). */
export interface NemesisWorld {
  nowUs(): number;
  at(timeUs: number, fn: () => void): void;
  /** Voting members now, in a stable order. */
  members(): readonly string[];
  /** The member that believes it leads in the highest term, if any is up. */
  leader(): string | undefined;
  /** A member's term and whether it believes it leads; undefined when it is down or unknown. */
  raftStatus(node: string): { isLeader: boolean; term: number } | undefined;
  /** Replaces every cut among members with `cuts` (the union of active partition faults). */
  setCuts(cuts: readonly Cut[]): void;
  crash(node: string, tornWrites: boolean): void;
  /**
   * Crashes `node` right after it next sends a message of `moment` (before its in-flight fsync
   * completes) and calls `crashed`; returns a function that disarms the trigger.
   */
  crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  /** Adds `deltaUs` to the node's clock offset (skew) or jumps it (jump); drift in ppm. */
  clockOffset(node: string, deltaUs: number): void;
  clockJump(node: string, deltaUs: number): void;
  clockDrift(node: string, driftPpm: number): void;
  /** Clears every clock fault of a node. */
  clockReset(node: string): void;
  /** Network-wide lossiness; undefined restores the scenario's base network. */
  setLossy(lossy: { dropPercent: number; duplicatePercent: number; reorderPercent: number; delayMsMax: number } | undefined): void;
  clog(node: string): void;
  unclog(node: string): void;
  setFsyncLatency(node: string, fsyncUs: number | undefined): void;
  /** Replaces `node` by a fresh member, or removes it and adds it back; returns false when the cluster refused. */
  membership(action: 'replace' | 'remove-add', node: string): boolean;
  /**
   * Starts `operators` clients calling the member API at once (learners added and removed, a
   * different change sent as soon as the last one's outcome is unknown); returns what stops
   * them, or undefined when the cluster cannot change members this way.
   */
  memberOperators(operators: number, requestTimeoutUs: number, prng: Prng): { stop(): void } | undefined;
  buggify(on: boolean): void;
}
