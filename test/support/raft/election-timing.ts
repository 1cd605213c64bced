// Measures how long a Raft cluster on the simulated world takes to elect a new leader after its
// leader crashes, in simulated milliseconds (etcd defaults unless overridden).
import { RaftCluster } from './raft-cluster.ts';
import type { RaftHostOptions } from './raft-host.ts';

export interface ElectionTiming {
  readonly seed: number;
  /** Simulated ms from the crash of the leader to the first event with a new leader. */
  readonly electionMs: number;
}

/** A bound on the wait for a new leader; a run that exceeds it reports this value. */
export const ELECTION_WAIT_MS_MAX = 60_000;

export function measureElectionAfterLeaderCrash(seed: number, members: number, host: Partial<Omit<RaftHostOptions, 'peers'>> = {}): ElectionTiming {
  const c = new RaftCluster({ seed, members, host, observe: false });
  const first = c.runUntilLeader(30_000_000);
  if (first === undefined) throw new Error(`seed ${seed}: no first leader`);
  // Let the cluster settle, then crash the leader at a seed-dependent moment within a heartbeat.
  c.runForUs(1_000_000 + (seed % 100) * 1_000);
  const leader = c.leader()!;
  const oldTerm = leader.term;
  const crashedUs = c.world.loop.now();
  c.world.crash(leader.id);
  let electedUs: number | undefined;
  const stop = c.world.onEvent(() => {
    if (electedUs !== undefined) return;
    const l = c.leader();
    if (l !== undefined && l.term > oldTerm) electedUs = c.world.loop.now();
  });
  const stepUs = 10_000;
  while (electedUs === undefined && c.world.loop.now() - crashedUs < ELECTION_WAIT_MS_MAX * 1000) c.runForUs(stepUs);
  stop();
  return { seed, electionMs: ((electedUs ?? crashedUs + ELECTION_WAIT_MS_MAX * 1000) - crashedUs) / 1000 };
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly worstMs: number;
  readonly meanMs: number;
}

export function summarize(values: readonly number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? 0;
  const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  return { runs: v.length, medianMs: at(0.5), p99Ms: at(0.99), worstMs: v[v.length - 1] ?? 0, meanMs: mean };
}
