// What both membership-change drivers share (reconfiguration.ts: one member replaced;
// joint-swap.ts: several voters changed at once): the phase they are in, when each phase
// began, entering a phase (its proposal clock reset, the cluster told once the driver finished
// or gave up), and proposing at most once per re-propose interval (a dropped or lost conf change
// is proposed again; a duplicate applies as a no-op).
export interface PhasedCluster {
  nowUs(): number;
  schedule(delayUs: number, f: () => void): void;
}

/** How often a driver looks at the cluster. */
export const POLL_US = 10_000;
/** A change not applied after this long is proposed again. */
const REPROPOSE_US = 500_000;

export abstract class PhasedChange<P extends string> {
  private phaseNow: P;
  private nextProposeUs = 0;
  /** When each phase began, for results and tests. */
  readonly steps: { readonly phase: P; readonly atUs: number }[] = [];

  protected constructor(
    private readonly clock: PhasedCluster,
    first: P,
  ) {
    this.phaseNow = first;
    this.steps.push({ phase: first, atUs: clock.nowUs() });
    clock.schedule(0, () => this.poll());
  }

  get phase(): P {
    return this.phaseNow;
  }

  get finished(): boolean {
    return this.phaseNow === 'done' || this.phaseNow === 'abandoned';
  }

  /** Looks at the cluster and moves the change on (scheduled by the driver itself). */
  protected abstract poll(): void;
  /** Tells the cluster the driver finished or gave up. */
  protected abstract tellFinished(): void;

  protected enter(phase: P): void {
    this.phaseNow = phase;
    this.nextProposeUs = 0;
    this.steps.push({ phase, atUs: this.clock.nowUs() });
    if (this.finished) this.tellFinished();
  }

  /** True when a proposal may go now (none went within the re-propose interval); starts the interval. */
  protected proposalDue(): boolean {
    const now = this.clock.nowUs();
    if (now < this.nextProposeUs) return false;
    this.nextProposeUs = now + REPROPOSE_US;
    return true;
  }
}
