// A node's own clock. Local time is a piecewise-linear function of world time: it starts at an
// offset, runs fast or slow by `driftPpm` parts per million, and can jump forward or back (an
// NTP step, a VM resumed from a snapshot). Only the node sees its local time; the world keeps
// running on the event loop's time.
//
// Timers: a node asks for a local delay; the world converts it once, at the time the timer is
// set, into a world delay using the current drift. Later jumps do not move pending timers (like
// a monotonic timer), and a later drift change does not stretch them.
import { violated } from '../../src/invariant-violation.ts';
import { checkWholeArgument } from '../errors/bad-argument.ts';
import { checkClockOptions } from './option-checks.ts';

export interface ClockOptions {
  /** Local minus world time at world time 0, µs. */
  offsetUs?: number;
  /** How much faster than world time the local clock runs, in ppm (negative: slower). */
  driftPpm?: number;
}

/** Bounds keep local time and delay conversion inside exact integer arithmetic. */
export const DRIFT_PPM_MAX = 500_000;
export const CLOCK_OFFSET_US_MAX = 1e15;

const PPM = 1_000_000;

export class NodeClock {
  /** World time at which the current linear piece starts. */
  private anchorWorldUs = 0;
  /** Local time at `anchorWorldUs`. */
  private anchorLocalUs: number;
  private drift: number;
  private jumps = 0;
  /** The last reading since the last change (world, local), for the monotonic check. */
  private lastReadWorldUs = -1;
  private lastReadLocalUs = 0;
  /** The settings the clock started with, for printing a run's configuration. */
  readonly initialOffsetUs: number;
  readonly initialDriftPpm: number;

  constructor(options: ClockOptions = {}) {
    const given = checkClockOptions('NodeClock', 'options', options);
    const offsetUs = given.offsetUs ?? 0;
    const driftPpm = given.driftPpm ?? 0;
    this.initialOffsetUs = offsetUs;
    this.initialDriftPpm = driftPpm;
    this.anchorLocalUs = offsetUs;
    this.drift = driftPpm;
  }

  get driftPpm(): number {
    return this.drift;
  }

  get jumpCount(): number {
    return this.jumps;
  }

  /** The node's local time at world time `worldUs` (which must not precede the last change). */
  localUs(worldUs: number): number {
    const elapsedUs = worldUs - this.anchorWorldUs;
    if (elapsedUs < 0) throw violated('harness', 'clock-read-after-change', `local time asked for at ${worldUs} µs, before the last clock change at ${this.anchorWorldUs} µs`);
    if (!(Math.abs(this.drift) <= DRIFT_PPM_MAX)) throw violated('harness', 'clock-drift-bounded', `drift ${this.drift} ppm outside ±${DRIFT_PPM_MAX}`);
    const localUs = this.anchorLocalUs + elapsedUs + Math.floor((elapsedUs * this.drift) / PPM);
    if (!Number.isSafeInteger(localUs)) throw violated('harness', 'clock-exact', `local time ${localUs} is not an exact integer`);
    // Between changes a clock never runs backwards: only a jump may step it back.
    if (worldUs >= this.lastReadWorldUs && this.lastReadWorldUs >= 0 && localUs < this.lastReadLocalUs) {
      throw violated('harness', 'clock-monotonic', `local time went back from ${this.lastReadLocalUs} to ${localUs} µs without a jump`);
    }
    if (worldUs >= this.lastReadWorldUs) {
      this.lastReadWorldUs = worldUs;
      this.lastReadLocalUs = localUs;
    }
    return localUs;
  }

  /** The world delay after which `localDelayUs` has passed on this clock (at least 0, rounded up). */
  worldDelayUs(localDelayUs: number): number {
    if (!(localDelayUs >= 0) || !Number.isFinite(localDelayUs)) {
      throw new Error(`NodeClock: delay must be a finite non-negative number, got ${localDelayUs}`);
    }
    if (!(Math.abs(this.drift) <= DRIFT_PPM_MAX)) throw violated('harness', 'clock-drift-bounded', `drift ${this.drift} ppm outside ±${DRIFT_PPM_MAX}`);
    const worldUs = this.drift === 0 ? Math.ceil(localDelayUs) : Math.ceil((localDelayUs * PPM) / (PPM + this.drift));
    if (!(worldUs >= 0) || !Number.isSafeInteger(worldUs)) throw violated('harness', 'clock-delay-exact', `a local delay of ${localDelayUs} µs became ${worldUs} µs of world time`);
    // A timer never fires early by its own clock: the world delay spans at least the local delay.
    if (worldUs + Math.floor((worldUs * this.drift) / PPM) < Math.floor(localDelayUs)) throw violated('harness', 'clock-timer-not-early', `a local delay of ${localDelayUs} µs became ${worldUs} µs of world time at ${this.drift} ppm`);
    return worldUs;
  }

  /** Steps local time by `deltaUs` (negative: backwards) at world time `worldUs`. */
  jump(worldUs: number, deltaUs: number): void {
    checkWholeArgument('NodeClock.jump', 'deltaUs', deltaUs, -CLOCK_OFFSET_US_MAX, CLOCK_OFFSET_US_MAX);
    const jumpsBefore = this.jumps;
    this.reanchor(worldUs);
    this.anchorLocalUs += deltaUs;
    this.jumps++;
    if (this.jumps !== jumpsBefore + 1 || !Number.isSafeInteger(this.anchorLocalUs)) throw violated('harness', 'clock-exact', `after a jump of ${deltaUs} µs local time is ${this.anchorLocalUs}`);
  }

  /** Changes the drift from world time `worldUs` on; local time stays continuous. */
  setDrift(worldUs: number, driftPpm: number): void {
    checkWholeArgument('NodeClock.setDrift', 'driftPpm', driftPpm, -DRIFT_PPM_MAX, DRIFT_PPM_MAX);
    this.reanchor(worldUs);
    this.drift = driftPpm;
  }

  /** Local minus world time at `worldUs`. */
  offsetUs(worldUs: number): number {
    return this.localUs(worldUs) - worldUs;
  }

  private reanchor(worldUs: number): void {
    this.anchorLocalUs = this.localUs(worldUs);
    this.anchorWorldUs = worldUs;
    // A change starts a new piece: the monotonic check starts over from it.
    this.lastReadWorldUs = -1;
  }
}
