// The shape of results.json (../shared/design.md, "Contracts"). Other tools read it: change it
// only on purpose, with the README.
import type { CheckResult, Validity } from '../check/verdict.ts';
import type { RunCoverage } from './coverage.ts';
import type { FaultInterval } from '../nemesis/fault-interval.ts';
import type { RunStop } from './run-stop.ts';
import type { LeaderSpan } from '../etcd/leader-timeline.ts';

export interface RunStats {
  ops: { ok: number; fail: number; info: number };
  opsByF?: Record<string, { ok: number; fail: number; info: number }>;
  simulatedMs: number;
  wallMs: number;
  events: number;
  messages: number;
  fsyncs?: number;
  leaderChanges: number;
  faults: number;
  [extra: string]: unknown;
}

export type { FaultInterval };

export type { LeaderSpan };

export interface RealTargetInfo {
  kind: 'etcd';
  binary: string;
  version: string;
  network: string;
  replayable: string;
  mitigations?: string[];
  exposed?: string[];
  /** Known bugs of the version no client can step around (a violation may be one of them). */
  unmitigable?: string[];
  /** How network faults reach real members (netns: nftables drops, and what a heal does). */
  networkFaults?: string;
  /** What the leader timeline of the lease and lock checkers was built from (sim/check/renewal-proof.ts). */
  leaderTimeline?: { statusAnswers: number; truncated: boolean; stoppedSpans: number };
  /**
   * How long the workload's traffic ran; how much of it a quorum of members was up, serving and
   * connected both ways; and how much of that with a member at its centre that answered it led
   * (target-etcd/quorum-time.ts; null where their records were cut short). Thin traffic is
   * judged against the last. loadPerCore: the machine's 1-minute load average per core then (a
   * loaded machine's members answer slowly).
   */
  servable?: { trafficMs: number; quorumMs: number | null; ledMs: number | null; loadPerCore: number };
  /**
   * How long the traffic ran past the scenario's duration: until every fault of the schedule had
   * come in force, each waiting for the faults before it to recover, and as far past as the
   * latest came late (target-etcd/schedule-cover.ts). Absent in runs from before it did.
   */
  trafficPastDurationMs?: number;
  /**
   * Faults of the schedule that did not run: each waits until the faults healed before it have
   * recovered (restarted members serving again: sim/nemesis/nemesis.ts), and these would have
   * started after the traffic ended, lengthened as far as its bound (target-etcd/schedule-cover.ts).
   */
  faultsNotRun?: number;
  /** Member settings of the scenario real etcd did not take, each with the value that ran (target-etcd/etcd-own-settings.ts). */
  notApplied?: string[];
  notChecked: string[];
}

export interface Results {
  /**
   * The detcd that wrote it ("detcd 0.1.0"): replay and shrink refuse a run directory another
   * version wrote, or one written before the field existed, naming both (exit 3).
   */
  version: string;
  valid: Validity;
  seed: number;
  scenario: string;
  /** The bug planted with --bug, if any. */
  bug?: string;
  checkers: Record<string, CheckResult>;
  stats: RunStats;
  traceHash: string;
  replay: string;
  shrink?: string;
  /** Every option the seed drew (swarm knobs, latencies, ...), for reports. */
  options?: Record<string, unknown>;
  faults?: FaultInterval[];
  leaders?: LeaderSpan[];
  /** BUGGIFY sites and rare events the run reached (sim/run/coverage.ts). */
  coverage?: RunCoverage;
  /** The first error the run stopped on (invariant violation, liveness, internal). */
  error?: string;
  /**
   * What ran: the simulation, or (`--target etcd`) real etcd: the binary, its version, the
   * network mode, what a replay reproduces and which checkers could not run. Absent in
   * results written before the field existed: those were simulated.
   */
  target?: { kind: 'simulation' } | RealTargetInfo;
  /** The broken invariant that stopped the run, as data (layer, name, member, time). */
  stop?: RunStop;
  /** Checkers whose violation the scenario allows, each with the documented anomaly the evidence shows it is. */
  excused?: Record<string, string>;
  /**
   * A real target: by failing checker, the known bugs of the version its violations may be: bugs
   * no client can step around that cause such violations, or bugs whose shape every one of its
   * violations has (target-etcd/known-bugs.ts watchShape).
   */
  mayBeKnownBug?: Record<string, string[]>;
}
