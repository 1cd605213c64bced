// One queue of everything that will happen, ordered by (virtual time µs, insertion sequence).
// Ties break by insertion order, never by anything that varies between processes, so a seed
// always yields the same order of events.

export type TimerId = number;

interface Timer {
  timeUs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface RunLimits {
  /** Stop before running an event scheduled after this virtual time. */
  untilUs?: number;
  /** Stop after this many events. */
  maxSteps?: number;
}

export type StopReason = 'idle' | 'time-limit' | 'step-limit' | 'stopped';

function before(a: Timer, b: Timer): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}

export class EventLoop {
  private heap: Timer[] = [];
  private live = new Map<TimerId, Timer>();
  private nowUs = 0;
  private nextSeq = 1;
  private stepsDone = 0;
  private stopRequested = false;
  private stepping = false;
  /** Called after every event (the world's observers hang here); undefined costs nothing. */
  afterEach: (() => void) | undefined = undefined;

  /** True while an event's function runs. */
  get inStep(): boolean {
    return this.stepping;
  }

  now(): number {
    return this.nowUs;
  }

  get steps(): number {
    return this.stepsDone;
  }

  get pending(): number {
    return this.live.size;
  }

  /** Runs `fn` after `delayUs` of virtual time (0 runs after everything already due now). */
  schedule(delayUs: number, fn: () => void): TimerId {
    if (!(delayUs >= 0) || !Number.isFinite(delayUs)) {
      throw new Error(`EventLoop.schedule: delay must be a finite non-negative number, got ${delayUs}`);
    }
    return this.at(this.nowUs + Math.floor(delayUs), fn);
  }

  /** Runs `fn` at absolute virtual time `timeUs` (never in the past). */
  at(timeUs: number, fn: () => void): TimerId {
    const t = Math.max(Math.floor(timeUs), this.nowUs);
    const timer: Timer = { timeUs: t, seq: this.nextSeq++, fn, cancelled: false };
    this.push(timer);
    this.live.set(timer.seq, timer);
    return timer.seq;
  }

  /** Cancels a timer; cancelling one that already ran or was cancelled is a no-op. */
  cancel(id: TimerId): boolean {
    const timer = this.live.get(id);
    if (timer === undefined) return false;
    timer.cancelled = true;
    this.live.delete(id);
    return true;
  }

  /** Asks `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs the next event; false when nothing is left. */
  step(): boolean {
    for (;;) {
      const timer = this.pop();
      if (timer === undefined) return false;
      if (timer.cancelled) continue;
      this.live.delete(timer.seq);
      if (timer.timeUs < this.nowUs) throw new Error('EventLoop invariant: time went backwards');
      this.nowUs = timer.timeUs;
      this.stepsDone++;
      this.stepping = true;
      try {
        timer.fn();
      } finally {
        this.stepping = false;
      }
      this.afterEach?.();
      return true;
    }
  }

  /** Virtual time of the next live event, or undefined when idle. */
  peekTimeUs(): number | undefined {
    while (this.heap.length > 0 && (this.heap[0] as Timer).cancelled) this.pop();
    return this.heap[0]?.timeUs;
  }

  run(limits: RunLimits = {}): StopReason {
    const untilUs = limits.untilUs ?? Number.POSITIVE_INFINITY;
    const maxSteps = limits.maxSteps ?? Number.POSITIVE_INFINITY;
    const startSteps = this.stepsDone;
    this.stopRequested = false;
    for (;;) {
      if (this.stopRequested) return 'stopped';
      if (this.stepsDone - startSteps >= maxSteps) return 'step-limit';
      const next = this.peekTimeUs();
      if (next === undefined) {
        // Simulated time passes even when nothing happens, so `now()` reaches the limit.
        if (Number.isFinite(untilUs)) this.nowUs = Math.max(this.nowUs, Math.floor(untilUs));
        return 'idle';
      }
      if (next > untilUs) {
        this.nowUs = Math.max(this.nowUs, Math.floor(untilUs));
        return 'time-limit';
      }
      this.step();
    }
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Timer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(heap[r] as Timer, heap[l] as Timer)) c = r;
      if (!before(heap[c] as Timer, last)) break;
      heap[i] = heap[c] as Timer;
      i = c;
    }
    heap[i] = last;
    return top;
  }
}
