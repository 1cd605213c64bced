// One queue of everything that will happen, ordered by (virtual time µs, insertion sequence).
// Ties break by insertion order, never by anything that varies between processes, so a seed
// always yields the same order of events.
//
// Speed matters (a sweep runs millions of events per seed), so timers live in a slab of reused
// objects and a binary heap of references to them; a timer id encodes its slab slot and that
// slot's generation, so cancelling is an array lookup rather than a hash map operation, and an
// id from a timer that already ran or was cancelled never matches the slot's next occupant.
import { violated } from '../../src/invariant-violation.ts';

export type TimerId = number;

class Timer {
  timeUs = 0;
  seq = 0;
  id = 0;
  fn: ((arg: unknown) => void) | undefined = undefined;
  /** What fn is called with (atWith): one shared function and a datum instead of a closure per event. */
  arg: unknown = undefined;
  cancelled = false;
  constructor(readonly slot: number) {}
}

export interface RunLimits {
  /** Stop before running an event scheduled after this virtual time. */
  untilUs?: number;
  /** Stop after this many events. */
  maxSteps?: number;
}

export type StopReason = 'idle' | 'time-limit' | 'step-limit' | 'stopped';

/** Slots per generation in a timer id; also the bound on timers pending at once. */
const SLOTS_MAX = 1 << 22;
/** Cancelled timers tolerated in the heap before it is compacted (and only when they outnumber the live ones). */
const COMPACT_CANCELLED_MIN = 64;

export class EventLoop {
  private heap: Timer[] = [];
  private slots: Timer[] = [];
  private freeSlots: number[] = [];
  /** Per slot, how many times it was occupied; part of the timer id. */
  private generations: number[] = [];
  private liveCount = 0;
  /** Cancelled timers still in the heap (they leave when due, or all at once in compact()). */
  private cancelledInHeap = 0;
  private nowUs = 0;
  private nextSeq = 1;
  /** Insertion sequence of the last event run: events run in (time, seq) order. */
  private lastSeq = 0;
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
    return this.liveCount;
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
    return this.atWith(timeUs, fn, undefined);
  }

  /**
   * Runs `fn(arg)` at absolute virtual time `timeUs` (never in the past): for the hot paths
   * (every message, every fsync) that would otherwise build a closure per event.
   */
  atWith<T>(timeUs: number, fn: (arg: T) => void, arg: T): TimerId {
    if (Number.isNaN(timeUs)) throw new Error('EventLoop.at: time is NaN');
    const timer = this.allocate();
    timer.timeUs = timeUs > this.nowUs ? Math.floor(timeUs) : this.nowUs;
    timer.seq = this.nextSeq++;
    timer.fn = fn as (arg: unknown) => void;
    timer.arg = arg;
    timer.cancelled = false;
    this.liveCount++;
    this.push(timer);
    if (this.liveCount > this.slots.length - this.freeSlots.length) throw violated('harness', 'live-timer-count', `${this.liveCount} live timers in ${this.slots.length - this.freeSlots.length} occupied slots`);
    return timer.id;
  }

  /** Cancels a timer; cancelling one that already ran or was cancelled is a no-op. */
  cancel(id: TimerId): boolean {
    const timer = this.slots[id % SLOTS_MAX];
    if (timer === undefined || timer.id !== id || timer.cancelled || timer.fn === undefined) return false;
    timer.cancelled = true;
    timer.fn = undefined;
    timer.arg = undefined;
    this.liveCount--;
    if (this.liveCount < 0) throw violated('harness', 'live-timer-count', 'more timers cancelled than pending');
    this.cancelledInHeap++;
    // Most cancelled timers are request timeouts a second away: left in the heap they would
    // outnumber the live ones many times over and deepen every push and pop.
    if (this.cancelledInHeap > COMPACT_CANCELLED_MIN && this.cancelledInHeap > this.liveCount) this.compact();
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
      const fn = timer.fn;
      const arg = timer.arg;
      const cancelled = timer.cancelled;
      const timeUs = timer.timeUs;
      this.release(timer);
      if (cancelled) this.cancelledInHeap--;
      if (cancelled || fn === undefined) continue;
      this.liveCount--;
      if (timeUs < this.nowUs || this.liveCount < 0) throw violated('harness', 'time-monotonic', `an event at ${timeUs} µs after ${this.nowUs} µs (${this.liveCount} live)`);
      // Ties break by insertion: at one time, events run in the order they were scheduled.
      if (timeUs === this.nowUs && timer.seq < this.lastSeq) throw violated('harness', 'event-order', `at ${timeUs} µs event ${timer.seq} ran after event ${this.lastSeq}`);
      this.lastSeq = timer.seq;
      this.nowUs = timeUs;
      this.stepsDone++;
      this.stepping = true;
      try {
        fn(arg);
      } finally {
        this.stepping = false;
      }
      this.afterEach?.();
      return true;
    }
  }

  /** Virtual time of the next live event, or undefined when idle. */
  peekTimeUs(): number | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return undefined;
      if (!top.cancelled) return top.timeUs;
      this.release(this.pop() as Timer);
      this.cancelledInHeap--;
    }
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

  private allocate(): Timer {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slots.length;
      if (slot >= SLOTS_MAX) throw new Error(`EventLoop bound: more than ${SLOTS_MAX} timers pending`);
      this.slots.push(new Timer(slot));
      this.generations.push(0);
    }
    const timer = this.slots[slot] as Timer;
    if (timer.fn !== undefined) throw violated('harness', 'timer-slot-free', `slot ${slot} reused while its timer ${timer.id} is pending`);
    const generation = (this.generations[slot] as number) + 1;
    this.generations[slot] = generation;
    timer.id = generation * SLOTS_MAX + slot;
    return timer;
  }

  /** Returns a popped timer's slot for reuse; its old id no longer matches anything. */
  private release(timer: Timer): void {
    timer.fn = undefined;
    timer.arg = undefined;
    timer.id = -1;
    this.freeSlots.push(timer.slot);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    const t = timer.timeUs;
    const s = timer.seq;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Timer;
      if (p.timeUs < t || (p.timeUs === t && p.seq < s)) break;
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
    this.siftDown(0, last);
    return top;
  }

  /** Places `timer` at position i or below it, moving earlier children up (the heap order below i holds). */
  private siftDown(start: number, timer: Timer): void {
    const heap = this.heap;
    const n = heap.length;
    const t = timer.timeUs;
    const s = timer.seq;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let child = heap[l] as Timer;
      const r = l + 1;
      if (r < n) {
        const right = heap[r] as Timer;
        if (right.timeUs < child.timeUs || (right.timeUs === child.timeUs && right.seq < child.seq)) {
          c = r;
          child = right;
        }
      }
      if (t < child.timeUs || (t === child.timeUs && s < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = timer;
  }

  /**
   * Drops every cancelled timer from the heap at once and rebuilds it (Floyd). Events still run
   * in (time, insertion) order: the order is the timers' own, not the heap's shape.
   */
  private compact(): void {
    const heap = this.heap;
    const before = heap.length;
    let n = 0;
    for (let i = 0; i < heap.length; i++) {
      const timer = heap[i] as Timer;
      if (timer.cancelled) this.release(timer);
      else heap[n++] = timer;
    }
    heap.length = n;
    if (n !== this.liveCount || before - n !== this.cancelledInHeap) throw violated('harness', 'live-timer-count', `compacting ${before} timers kept ${n}, ${this.liveCount} live and ${this.cancelledInHeap} cancelled`);
    this.cancelledInHeap = 0;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, heap[i] as Timer);
  }
}
