// The contract between the simulated world and one node process (a Raft node, an etcd member).
// A host is pure and synchronous: everything it can observe or do goes through its context, so
// the world decides the order of every event and a seed replays the whole run.
import type { Disk } from './disk.ts';
import type { Prng } from './prng.ts';

export interface HostContext {
  /** This node's id, as given to the World. */
  readonly id: string;
  /** The node's LOCAL clock in µs: world time with this node's offset, drift and jumps applied. */
  nowUs(): number;
  /**
   * Runs `fn` after `delayUs` of this node's local time (drift makes it run fast or slow in world
   * time; clock jumps do not move pending timers, like a monotonic timer). Returns a timer id.
   * Timers die with the incarnation: a crash cancels them, a pause holds them until resume.
   */
  setTimer(delayUs: number, fn: () => void): number;
  /** Cancels a timer of this incarnation; cancelling one that fired or was cancelled is a no-op. */
  cancelTimer(id: number): void;
  /** Sends a message to a node or a client through the simulated network. */
  send(to: string, message: unknown, sizeBytes?: number): void;
  /** This node's disk; after a restart it holds only what was durable (see disk.ts). */
  readonly disk: Disk;
  /** This incarnation's random stream, forked from the run seed by node id and incarnation. */
  readonly prng: Prng;
  /** FoundationDB-style fault site: false unless the run enabled buggify (see buggify.ts). */
  buggify(site: string): boolean;
  /** An annotated trace event; numbers, strings and booleans in `detail` enter the trace hash. */
  trace(kind: string, detail?: Record<string, unknown>): void;
}

export interface Host {
  /** A message from a node or a client, delivered by the network. */
  receive(from: string, message: unknown): void;
  /** Optional: called after every event this host handled (message, timer, fsync), for observers. */
  afterEvent?(): void;
}

/** Called at start and at every restart; the host recovers its state from `ctx.disk`. */
export type HostFactory = (ctx: HostContext) => Host;
