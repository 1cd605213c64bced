// Drives a generator on the simulated clock (Jepsen's interpreter): asks it for the next
// operation whenever a worker frees up or a wake time comes, hands each operation to the
// executor, and frees the worker on completion. After an `info` completion the worker's
// process id changes (Jepsen does the same): the old operation may still take effect, so the
// old process must never issue another one.
import type { Prng } from '../world/prng.ts';
import { hasKeys } from './generator.ts';
import type { Emitted, Gen } from './generator.ts';
import { checkInterpreterArguments } from './interpreter-arguments.ts';

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
  /**
   * The free workers in worker order, kept sorted in place (no array per change): the
   * generator reads it during a step and never keeps it (GenContext.free).
   */
  private readonly freeList: number[] = [];
  private readonly isFree: boolean[] = [];
  private readonly processOf: number[] = [];
  /** One function for every "ask again" event, instead of a closure per completion. */
  private readonly pumpLater = (): void => this.pump();
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
    checkInterpreterArguments(gen, workerCount, scheduler, prng, execute, processBase);
    this.gen = gen;
    this.workers = Array.from({ length: workerCount }, (_, i) => i);
    for (const w of this.workers) {
      this.freeList.push(w);
      this.isFree.push(true);
      this.processOf[w] = processBase + w;
    }
  }

  /** Starts asking the generator now. */
  start(): void {
    this.scheduler.at(this.scheduler.nowUs(), this.pumpLater);
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
    return this.workerCount - this.freeList.length;
  }

  private pump(): void {
    for (let i = 0; i < STEPS_PER_INSTANT_MAX; i++) {
      if (this.stopped || this.gen === undefined) return;
      const now = this.scheduler.nowUs();
      const s = this.gen.step({ timeUs: now, free: this.freeList, workers: this.workers, prng: this.prng });
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
        this.take(op.worker);
        this.scheduler.at(op.timeUs, () => this.dispatch(op));
        return;
      }
      this.take(s.op.worker);
      this.dispatch(s.op);
    }
    throw new Error(`Interpreter invariant: generator took ${STEPS_PER_INSTANT_MAX} steps at one instant`);
  }

  /** Marks a free worker busy: out of the sorted free list, in place. */
  private take(worker: number): void {
    if (this.isFree[worker] !== true) throw new Error(`Interpreter invariant: worker ${worker} is busy`);
    const list = this.freeList;
    const at = list.indexOf(worker);
    for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1] as number;
    list.length--;
    this.isFree[worker] = false;
  }

  /** Marks a busy worker free: into the sorted free list at its place, in place. */
  private release(worker: number): void {
    if (this.isFree[worker] !== false) throw new Error(`Interpreter invariant: worker ${worker} freed twice`);
    const list = this.freeList;
    let i = list.length;
    list.push(worker);
    for (; i > 0 && (list[i - 1] as number) > worker; i--) list[i] = list[i - 1] as number;
    list[i] = worker;
    this.isFree[worker] = true;
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
    const dispatched = dispatchedOf(op, process, this.seq++, this.scheduler.nowUs());
    this.stats.dispatched++;
    let completed = false;
    this.execute(dispatched, (outcome) => {
      if (completed) throw new Error(`Interpreter invariant: op ${dispatched.seq} completed twice`);
      completed = true;
      this.stats[outcome]++;
      if (outcome === 'info') this.processOf[op.worker] = process + this.workerCount;
      this.release(op.worker);
      // Ask again on a fresh event: an executor may complete synchronously, inside pump().
      this.scheduler.at(this.scheduler.nowUs(), this.pumpLater);
    });
  }
}

/**
 * `{ ...op, process, seq, timeUs }` (same fields, same order: timeUs keeps its place), without
 * the spread V8 (Node 20) builds slowly when fields follow it (see emitted in generator.ts).
 */
export function dispatchedOf(op: Emitted, process: number, seq: number, timeUs: number): Dispatched {
  if (!hasKeys(op, 'value' in op ? EMITTED_KEYS : EMITTED_KEYS_NO_VALUE)) return Object.assign({}, op, { process, seq, timeUs });
  return 'value' in op ? { f: op.f, value: op.value, worker: op.worker, timeUs, process, seq } : { f: op.f, worker: op.worker, timeUs, process, seq };
}

const EMITTED_KEYS = ['f', 'value', 'worker', 'timeUs'] as const;
const EMITTED_KEYS_NO_VALUE = ['f', 'worker', 'timeUs'] as const;
