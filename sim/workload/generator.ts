// Jepsen-style generators: a generator is an immutable value that, asked with the current time
// and the free workers, yields the next operation and the generator that follows it, or says
// "nothing yet" (pending, maybe until a wake time) or "done". Combinators build workloads from
// small pieces (mix, limit, stagger, phases, time limit, each worker). Randomness comes only
// from the context's forked stream, so a generator is a pure function of the seed.
import type { Prng } from '../world/prng.ts';

/** What a generator asks a client to do, before a worker and time are attached. */
export interface Invocation {
  readonly f: string;
  readonly value?: unknown;
}

/** An invocation bound to a worker (a client thread) and a time. */
export interface Emitted extends Invocation {
  readonly worker: number;
  readonly timeUs: number;
}

export interface GenContext {
  readonly timeUs: number;
  /**
   * Workers with no operation outstanding, ascending. Valid during the step only: the
   * interpreter updates this array in place afterwards (a generator copies what it keeps).
   */
  readonly free: readonly number[];
  /** Every worker this generator may use, ascending. */
  readonly workers: readonly number[];
  readonly prng: Prng;
}

export type Step =
  | { readonly kind: 'op'; readonly op: Emitted; readonly next: Gen }
  | { readonly kind: 'pending'; readonly next: Gen; readonly wakeUs?: number }
  | { readonly kind: 'done' };

export interface Gen {
  step(ctx: GenContext): Step;
}

const DONE: Step = { kind: 'done' };

function pending(next: Gen, wakeUs?: number): Step {
  return wakeUs === undefined ? { kind: 'pending', next } : { kind: 'pending', next, wakeUs };
}

function earlierWake(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Endless: each step asks `fn` for an invocation and gives it to a random free worker now. */
export function repeatFn(fn: (ctx: GenContext) => Invocation | undefined): Gen {
  return new RepeatFn(fn);
}

// The hot generators (every operation of a run passes through repeatFn, stagger and timeLimit)
// are classes: one small object per step instead of an object, a closure and its context.
class RepeatFn implements Gen {
  constructor(private readonly fn: (ctx: GenContext) => Invocation | undefined) {}

  step(ctx: GenContext): Step {
    if (ctx.free.length === 0) return pending(this);
    const invocation = this.fn(ctx);
    if (invocation === undefined) return DONE;
    const worker = ctx.prng.pick(ctx.free);
    return { kind: 'op', op: emitted(invocation, worker, ctx.timeUs), next: this };
  }
}

/**
 * `{ ...invocation, worker, timeUs }` (same fields, same order), built without the spread: in
 * V8 (Node 20) an object spread followed by more fields takes a slow path of microseconds per
 * object, which was most of the workload's CPU. An invocation with fields of its own beyond f
 * and value keeps them all (Object.assign, the same order).
 */
export function emitted(invocation: Invocation, worker: number, timeUs: number): Emitted {
  if (!hasKeys(invocation, 'value' in invocation ? INVOCATION_KEYS : INVOCATION_KEYS_NO_VALUE)) return Object.assign({}, invocation, { worker, timeUs });
  return 'value' in invocation ? { f: invocation.f, value: invocation.value, worker, timeUs } : { f: invocation.f, worker, timeUs };
}

const INVOCATION_KEYS = ['f', 'value'] as const;
const INVOCATION_KEYS_NO_VALUE = ['f'] as const;

/** True when `o`'s own enumerable keys are exactly `keys`, in that order (no array built). */
export function hasKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i] || !Object.hasOwn(o, k)) return false;
    i++;
  }
  return i === keys.length;
}

/** Endless repetition of one invocation. */
export function repeat(invocation: Invocation): Gen {
  return repeatFn(() => invocation);
}

/** One invocation, once. */
export function once(invocation: Invocation): Gen {
  return limit(1, repeat(invocation));
}

/** At most `n` operations of `gen`. */
export function limit(n: number, gen: Gen): Gen {
  if (!Number.isInteger(n) || n < 0) throw new Error(`limit: n must be a non-negative integer, got ${n}`);
  return {
    step(ctx) {
      if (n === 0) return DONE;
      const s = gen.step(ctx);
      if (s.kind === 'op') return { kind: 'op', op: s.op, next: limit(n - 1, s.next) };
      if (s.kind === 'pending') return pending(limit(n, s.next), s.wakeUs);
      return DONE;
    },
  };
}

/** Operations of `gen` until `durationUs` after its first step; later ones are dropped. */
export function timeLimit(durationUs: number, gen: Gen): Gen {
  return { step: (ctx) => new Bounded(ctx.timeUs + durationUs, gen).step(ctx) };
}

class Bounded implements Gen {
  /** The last pending step this generator gave (a step is immutable: the same answer is given again, not rebuilt). */
  private waiting: Step | undefined = undefined;

  constructor(
    private readonly deadlineUs: number,
    private readonly inner: Gen,
  ) {}

  step(ctx: GenContext): Step {
    const deadlineUs = this.deadlineUs;
    if (ctx.timeUs >= deadlineUs) return DONE;
    const s = this.inner.step(ctx);
    if (s.kind === 'done') return DONE;
    if (s.kind === 'pending') {
      const next = this.with(s.next);
      const wakeUs = earlierWake(s.wakeUs, deadlineUs);
      const w = this.waiting;
      if (w !== undefined && w.kind === 'pending' && w.next === next && w.wakeUs === wakeUs) return w;
      return (this.waiting = pending(next, wakeUs));
    }
    if (s.op.timeUs >= deadlineUs) return DONE;
    return { kind: 'op', op: s.op, next: this.with(s.next) };
  }

  private with(inner: Gen): Bounded {
    return inner === this.inner ? this : new Bounded(this.deadlineUs, inner);
  }
}

/** Spaces operations by a random gap in [0, 2 × meanGapUs): a mean rate of 1/meanGapUs. */
export function stagger(meanGapUs: number, gen: Gen): Gen {
  if (!(meanGapUs > 0)) throw new Error(`stagger: meanGapUs must be positive, got ${meanGapUs}`);
  return new Spaced(undefined, gen, Math.max(1, Math.floor(2 * meanGapUs)));
}

class Spaced implements Gen {
  /** pending(this, nextTimeUs), made once: a generator not yet due gives the same answer at every step. */
  private waiting: Step | undefined = undefined;

  constructor(
    private readonly nextTimeUs: number | undefined,
    private readonly inner: Gen,
    /** Gaps are drawn from [0, gapBound). */
    private readonly gapBound: number,
  ) {}

  step(ctx: GenContext): Step {
    const at = this.nextTimeUs ?? ctx.timeUs;
    // Not due: the same generator (its next time is `at`) waits until then.
    if (at > ctx.timeUs) return (this.waiting ??= pending(this, at));
    const s = this.inner.step(ctx);
    if (s.kind !== 'op') return s.kind === 'done' ? DONE : pending(this.with(at, s.next), s.wakeUs);
    const gap = ctx.prng.int(this.gapBound);
    return { kind: 'op', op: s.op, next: new Spaced(Math.max(at, s.op.timeUs) + gap, s.next, this.gapBound) };
  }

  private with(nextTimeUs: number, inner: Gen): Spaced {
    return nextTimeUs === this.nextTimeUs && inner === this.inner ? this : new Spaced(nextTimeUs, inner, this.gapBound);
  }
}

/** Nothing for `durationUs` after the first step, then done (a pause between phases). */
export function sleep(durationUs: number): Gen {
  const until = (wakeUs: number): Gen => ({
    step: (ctx) => (ctx.timeUs >= wakeUs ? DONE : pending(until(wakeUs), wakeUs)),
  });
  return { step: (ctx) => until(ctx.timeUs + durationUs).step(ctx) };
}

/** A random choice among generators for every operation; exhausted ones drop out. */
export function mix(gens: readonly Gen[], weights?: readonly number[]): Gen {
  const w = weights ?? gens.map(() => 1);
  if (w.length !== gens.length || w.some((x) => !Number.isInteger(x) || x < 0)) {
    throw new Error('mix: weights must be non-negative integers, one per generator');
  }
  return {
    step(ctx) {
      const live = gens.map((g, i) => ({ g, i, w: w[i] as number })).filter((x) => x.w > 0);
      const total = live.reduce((sum, x) => sum + x.w, 0);
      if (total === 0) return DONE;
      let r = ctx.prng.int(total);
      let chosen = live[0] as (typeof live)[number];
      for (const x of live) {
        if (r < x.w) {
          chosen = x;
          break;
        }
        r -= x.w;
      }
      const s = chosen.g.step(ctx);
      const nextGens = gens.slice();
      if (s.kind === 'done') {
        const nextWeights = w.slice();
        nextWeights[chosen.i] = 0;
        return mix(nextGens, nextWeights).step(ctx);
      }
      nextGens[chosen.i] = s.next;
      if (s.kind === 'pending') return pending(mix(nextGens, w), s.wakeUs);
      return { kind: 'op', op: s.op, next: mix(nextGens, w) };
    },
  };
}

/** `first`, then `second` at once (no waiting for outstanding operations). */
export function concat(...gens: readonly Gen[]): Gen {
  return {
    step(ctx) {
      const [head, ...rest] = gens;
      if (head === undefined) return DONE;
      const s = head.step(ctx);
      if (s.kind === 'done') return concat(...rest).step(ctx);
      if (s.kind === 'pending') return pending(concat(s.next, ...rest), s.wakeUs);
      return { kind: 'op', op: s.op, next: concat(s.next, ...rest) };
    },
  };
}

/** Each generator in turn; a phase starts only when every operation of the previous one completed. */
export function phases(...gens: readonly Gen[]): Gen {
  const barrier: Gen = {
    step: (ctx) => (ctx.free.length === ctx.workers.length ? DONE : pending(barrier)),
  };
  const withBarriers: Gen[] = [];
  gens.forEach((g, i) => {
    if (i > 0) withBarriers.push(barrier);
    withBarriers.push(g);
  });
  return concat(...withBarriers);
}

/** Restricts `gen` to the workers that satisfy `keep`. */
export function onWorkers(keep: (worker: number) => boolean, gen: Gen): Gen {
  return {
    step(ctx) {
      const sub: GenContext = { timeUs: ctx.timeUs, free: ctx.free.filter(keep), workers: ctx.workers.filter(keep), prng: ctx.prng };
      if (sub.workers.length === 0) return DONE;
      const s = gen.step(sub);
      if (s.kind === 'done') return DONE;
      if (s.kind === 'pending') return pending(onWorkers(keep, s.next), s.wakeUs);
      return { kind: 'op', op: s.op, next: onWorkers(keep, s.next) };
    },
  };
}

/** An independent copy of `make(worker)` for every worker (Jepsen's each-thread). */
export function eachWorker(make: (worker: number) => Gen): Gen {
  const per = (gens: ReadonlyMap<number, Gen>): Gen => ({
    step(ctx) {
      let wake: number | undefined;
      let anyLive = false;
      const updated = new Map(gens);
      for (const worker of ctx.workers) {
        const g = updated.get(worker) ?? make(worker);
        const own: GenContext = { timeUs: ctx.timeUs, free: ctx.free.includes(worker) ? [worker] : [], workers: [worker], prng: ctx.prng };
        const s = g.step(own);
        if (s.kind === 'done') {
          updated.set(worker, { step: () => DONE });
          continue;
        }
        anyLive = true;
        updated.set(worker, s.next);
        if (s.kind === 'op') return { kind: 'op', op: s.op, next: per(updated) };
        wake = earlierWake(wake, s.wakeUs);
      }
      return anyLive ? pending(per(updated), wake) : DONE;
    },
  });
  return per(new Map());
}

/** Runs `make()` lazily, on the first step (for generators built from the context's time). */
export function defer(make: (ctx: GenContext) => Gen): Gen {
  return { step: (ctx) => make(ctx).step(ctx) };
}

/** One operation of `gen` every `intervalUs` exactly (periodic jobs such as compaction). */
export function every(intervalUs: number, gen: Gen): Gen {
  if (!(intervalUs > 0)) throw new Error(`every: intervalUs must be positive, got ${intervalUs}`);
  const periodic = (nextTimeUs: number | undefined, inner: Gen): Gen => ({
    step(ctx) {
      const at = nextTimeUs ?? ctx.timeUs + intervalUs;
      if (at > ctx.timeUs) return pending(periodic(at, inner), at);
      const s = inner.step(ctx);
      if (s.kind === 'done') return DONE;
      if (s.kind === 'pending') return pending(periodic(at, s.next), s.wakeUs);
      return { kind: 'op', op: s.op, next: periodic(at + intervalUs, s.next) };
    },
  });
  return periodic(undefined, gen);
}
