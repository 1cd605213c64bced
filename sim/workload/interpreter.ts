// Drives a generator on the simulated clock (Jepsen's interpreter): asks it for the next
// operation whenever a worker frees up or a wake time comes, hands each operation to the
// executor, and frees the worker on completion. After an `info` completion the worker's
// process id changes (Jepsen does the same): the old operation may still take effect, so the
// old process must never issue another one.
import type { Prng } from '../world/prng.ts';
import type { Emitted, Gen } from './generator.ts';

export type Outcome = 'ok' | 'fail' | 'info';

/** An operation handed to the executor. */
export interface Dispatched extends Emitted {
  /** The history process: worker + k × workers after k info completions. */
  readonly process: number;
  /** Dense sequence number of the operation in this run (unique values derive from it). */
  readonly seq: number;
}

export type Executor = (op: Dispatched, done: (outcome: Outcome) => void) => void;

/** The simulated clock the interpreter runs on (the World's event loop). */
export interface Scheduler {
  nowUs(): number;
  /** Runs `fn` at absolute time `timeUs` (not before now). */
  at(timeUs: number, fn: () => void): void;
}

export interface InterpreterStats {
  dispatched: number;
  ok: number;
  fail: number;
  info: number;
}

/** Bound on generator steps taken at one instant: a generator that spins is a bug. */
const STEPS_PER_INSTANT_MAX = 100_000;

export class Interpreter {
  private gen: Gen | undefined;
  private readonly free = new Set<number>();
  /** `free` in worker order, for the generator; rebuilt only after `free` changed. */
  private freeList: readonly number[] = [];
  private freeListStale = true;
  private readonly processOf: number[] = [];
  private readonly workers: number[];
  private wakeScheduledUs: number | undefined;
  private seq = 0;
  private stopped = false;
  readonly stats: InterpreterStats = { dispatched: 0, ok: 0, fail: 0, info: 0 };

  constructor(
    gen: Gen,
    private readonly workerCount: number,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly execute: Executor,
    /** Process ids start here (several interpreters in one run keep distinct processes). */
    private readonly processBase = 0,
  ) {
    if (!Number.isInteger(workerCount) || workerCount < 1) throw new Error(`Interpreter: workerCount must be >= 1, got ${workerCount}`);
    this.gen = gen;
    this.workers = Array.from({ length: workerCount }, (_, i) => i);
    for (const w of this.workers) {
      this.free.add(w);
      this.processOf[w] = processBase + w;
    }
  }

  /** Starts asking the generator now. */
  start(): void {
    this.scheduler.at(this.scheduler.nowUs(), () => this.pump());
  }

  /** No more operations are dispatched (outstanding ones still complete). */
  stop(): void {
    this.stopped = true;
    this.gen = undefined;
  }

  get done(): boolean {
    return this.gen === undefined;
  }

  get outstanding(): number {
    return this.workerCount - this.free.size;
  }

  private pump(): void {
    for (let i = 0; i < STEPS_PER_INSTANT_MAX; i++) {
      if (this.stopped || this.gen === undefined) return;
      const now = this.scheduler.nowUs();
      const free = this.freeWorkers();
      const s = this.gen.step({ timeUs: now, free, workers: this.workers, prng: this.prng });
      if (s.kind === 'done') {
        this.gen = undefined;
        return;
      }
      this.gen = s.next;
      if (s.kind === 'pending') {
        if (s.wakeUs !== undefined) this.wakeAt(s.wakeUs);
        return;
      }
      if (s.op.timeUs > now) {
        // The op is for later: keep it, and dispatch it then (its worker stays reserved).
        const op = s.op;
        this.free.delete(op.worker);
        this.freeListStale = true;
        this.scheduler.at(op.timeUs, () => this.dispatch(op));
        return;
      }
      if (!this.free.has(s.op.worker)) throw new Error(`Interpreter invariant: worker ${s.op.worker} is busy`);
      this.free.delete(s.op.worker);
      this.freeListStale = true;
      this.dispatch(s.op);
    }
    throw new Error(`Interpreter invariant: generator took ${STEPS_PER_INSTANT_MAX} steps at one instant`);
  }

  /** The free workers in worker order: a new array after every change (generators may keep one). */
  private freeWorkers(): readonly number[] {
    if (this.freeListStale) {
      const list: number[] = [];
      for (const w of this.workers) if (this.free.has(w)) list.push(w);
      this.freeList = list;
      this.freeListStale = false;
    }
    return this.freeList;
  }

  private wakeAt(timeUs: number): void {
    if (this.wakeScheduledUs !== undefined && this.wakeScheduledUs <= timeUs && this.wakeScheduledUs >= this.scheduler.nowUs()) return;
    this.wakeScheduledUs = timeUs;
    this.scheduler.at(timeUs, () => {
      if (this.wakeScheduledUs === timeUs) this.wakeScheduledUs = undefined;
      this.pump();
    });
  }

  private dispatch(op: Emitted): void {
    const process = this.processOf[op.worker] as number;
    const dispatched: Dispatched = { ...op, process, seq: this.seq++, timeUs: this.scheduler.nowUs() };
    this.stats.dispatched++;
    let completed = false;
    this.execute(dispatched, (outcome) => {
      if (completed) throw new Error(`Interpreter invariant: op ${dispatched.seq} completed twice`);
      completed = true;
      this.stats[outcome]++;
      if (outcome === 'info') this.processOf[op.worker] = process + this.workerCount;
      this.free.add(op.worker);
      this.freeListStale = true;
      // Ask again on a fresh event: an executor may complete synchronously, inside pump().
      this.scheduler.at(this.scheduler.nowUs(), () => this.pump());
    });
  }
}
