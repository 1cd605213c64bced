// The real clock a real-etcd run lives on: microseconds since the run began, and timers. It has
// the shape of the simulated clock (ClientNet's nowUs/schedule/cancel, the interpreter's
// Scheduler), so the same clients, generators and nemesis run against real processes.
import { performance } from 'node:perf_hooks';

export class RealClock {
  private readonly t0 = performance.now();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextTimer = 1;
  private stopped = false;
  /** Callbacks that threw: the run reports the first one, as the simulated world would throw. */
  readonly errors: unknown[] = [];

  nowUs(): number {
    return Math.round((performance.now() - this.t0) * 1000);
  }

  schedule(delayUs: number, fn: () => void): number {
    const id = this.nextTimer++;
    if (this.stopped) return id;
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.guard(fn);
    }, Math.max(0, delayUs / 1000));
    this.timers.set(id, t);
    return id;
  }

  at(timeUs: number, fn: () => void): void {
    this.schedule(Math.max(0, timeUs - this.nowUs()), fn);
  }

  cancel(id: number): void {
    const t = this.timers.get(id);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(id);
  }

  /** Runs `fn` now, recording (not throwing) what it throws, so one bad callback cannot kill the harness. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.errors.push(err);
    }
  }

  /** Cancels every timer; nothing scheduled afterwards runs. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
