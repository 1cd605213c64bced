// Who led when: the cluster's leader (EtcdCluster.leader) sampled every few milliseconds of
// simulated time, as spans for the report's leader lane and the checkers that excuse what
// happens around a leader change (the lease checker).
import { violated } from '../../src/invariant-violation.ts';
import type { World } from '../world/world.ts';

/** Who led, from when (results.json's `leaders`). */
export interface LeaderSpan {
  node: string | null;
  term: number;
  startUs: number;
}

/** What the timeline reads from the cluster. */
export interface LeaderSource {
  readonly world: World;
  leader(): string | undefined;
  termOf(name: string): number;
}

export const LEADER_SAMPLE_US = 5_000;

export class LeaderTimeline {
  private readonly spans: LeaderSpan[] = [];

  constructor(
    private readonly cluster: LeaderSource,
    private readonly sampleUs = LEADER_SAMPLE_US,
  ) {
    if (!Number.isInteger(sampleUs) || sampleUs <= 0) throw new Error(`LeaderTimeline: sampleUs must be a positive integer, got ${sampleUs}`);
    this.sample();
  }

  private sample(): void {
    this.observe();
    this.cluster.world.loop.schedule(this.sampleUs, () => this.sample());
  }

  /** Adds a span when the leader or its term changed since the last look. */
  private observe(): void {
    const leader = this.cluster.leader() ?? null;
    const term = leader === null ? 0 : this.cluster.termOf(leader);
    const last = this.spans[this.spans.length - 1];
    if (last === undefined || last.node !== leader || (leader !== null && last.term !== term)) {
      const startUs = this.cluster.world.loop.now();
      if (last !== undefined && startUs < last.startUs) throw violated('harness', 'leader-spans-ordered', `a span at ${startUs} µs after one at ${last.startUs} µs`);
      this.spans.push({ node: leader, term, startUs });
    }
  }

  /**
   * The spans so far, after one more look: a run stopped by a violation stops between samples,
   * and the leader that broke an invariant must be on the lane.
   */
  timeline(): LeaderSpan[] {
    this.observe();
    return this.spans.slice();
  }
}
