import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { concat, eachWorker, emitted, hasKeys, limit, mix, once, phases, repeat, sleep, stagger, timeLimit } from '../../../sim/workload/generator.ts';
import type { Gen } from '../../../sim/workload/generator.ts';
import { Interpreter, dispatchedOf } from '../../../sim/workload/interpreter.ts';
import type { Dispatched, Outcome } from '../../../sim/workload/interpreter.ts';

/** Runs `gen` with `workers` workers whose ops each take `latencyUs`; returns what was dispatched. */
function drive(gen: Gen, workers: number, latencyUs: number, seed = 1, outcome: Outcome = 'ok'): Dispatched[] {
  const loop = new EventLoop();
  const out: Dispatched[] = [];
  const interp = new Interpreter(gen, workers, { nowUs: () => loop.now(), at: (t, fn) => loop.at(t, fn) }, new Prng(seed), (op, done) => {
    out.push(op);
    loop.schedule(latencyUs, () => done(outcome));
  });
  interp.start();
  loop.run({ maxSteps: 1_000_000 });
  expect(interp.done).toBe(true);
  return out;
}

describe('generators', () => {
  it('limit bounds the number of operations', () => {
    expect(drive(limit(7, repeat({ f: 'read' })), 3, 100)).toHaveLength(7);
  });

  it('never gives a worker a second operation while one is outstanding', () => {
    const ops = drive(limit(50, repeat({ f: 'w' })), 4, 1000);
    const busyUntil = new Map<number, number>();
    for (const op of ops) {
      expect(op.timeUs).toBeGreaterThanOrEqual(busyUntil.get(op.worker) ?? 0);
      busyUntil.set(op.worker, op.timeUs + 1000);
    }
  });

  it('timeLimit stops issuing operations at the deadline', () => {
    const ops = drive(timeLimit(10_000, stagger(500, repeat({ f: 'r' }))), 5, 100);
    expect(ops.length).toBeGreaterThan(5);
    expect(ops.every((op) => op.timeUs < 10_000)).toBe(true);
  });

  it('stagger spaces operations at the requested mean rate', () => {
    const ops = drive(timeLimit(1_000_000, stagger(1000, repeat({ f: 'r' }))), 10, 10);
    // 1000 expected at a mean gap of 1 ms over 1 s; allow sampling noise.
    expect(ops.length).toBeGreaterThan(850);
    expect(ops.length).toBeLessThan(1150);
  });

  it('mix draws from every generator and drops exhausted ones', () => {
    const ops = drive(mix([limit(10, repeat({ f: 'a' })), limit(30, repeat({ f: 'b' }))]), 2, 10);
    expect(ops.filter((o) => o.f === 'a')).toHaveLength(10);
    expect(ops.filter((o) => o.f === 'b')).toHaveLength(30);
  });

  it('phases waits for every outstanding operation before the next phase', () => {
    const ops = drive(phases(limit(4, repeat({ f: 'first' })), once({ f: 'second' })), 4, 1000);
    const second = ops.find((o) => o.f === 'second')!;
    expect(second.timeUs).toBeGreaterThanOrEqual(1000);
    expect(ops.map((o) => o.f)).toEqual(['first', 'first', 'first', 'first', 'second']);
  });

  it('concat does not wait, and sleep delays what follows', () => {
    const ops = drive(concat(once({ f: 'a' }), sleep(5000), once({ f: 'b' })), 2, 10);
    expect(ops.map((o) => [o.f, o.timeUs])).toEqual([['a', 0], ['b', 5000]]);
  });

  it('eachWorker gives every worker its own generator', () => {
    const ops = drive(eachWorker((w) => limit(2, repeat({ f: `w${w}` }))), 3, 10);
    for (const w of [0, 1, 2]) expect(ops.filter((o) => o.f === `w${w}` && o.worker === w)).toHaveLength(2);
  });

  it('an info completion moves the worker to a new process', () => {
    const ops = drive(limit(6, repeat({ f: 'x' })), 2, 10, 1, 'info');
    const processes = new Set(ops.map((o) => o.process));
    expect(processes.size).toBe(6);
    for (const op of ops) expect(op.process % 2).toBe(op.worker);
  });

  it('is a pure function of the seed', () => {
    const g = () => timeLimit(50_000, stagger(300, mix([repeat({ f: 'a' }), repeat({ f: 'b' })])));
    const a = drive(g(), 4, 700, 42).map((o) => `${o.f}@${o.timeUs}/${o.worker}`);
    const b = drive(g(), 4, 700, 42).map((o) => `${o.f}@${o.timeUs}/${o.worker}`);
    const c = drive(g(), 4, 700, 43).map((o) => `${o.f}@${o.timeUs}/${o.worker}`);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('a step sees exactly the workers with nothing outstanding, ascending (the free list kept in place)', () => {
    const loop = new EventLoop();
    const prng = new Prng(7);
    const outstanding = new Set<number>();
    const seen: number[][] = [];
    const checking: Gen = {
      step(ctx) {
        const expected = ctx.workers.filter((w) => !outstanding.has(w));
        expect(ctx.free).toEqual(expected);
        seen.push(ctx.free.slice());
        const s = repeat({ f: 'x' }).step(ctx);
        return s.kind === 'op' ? { ...s, next: checking } : s.kind === 'pending' ? { kind: 'pending', next: checking } : s;
      },
    };
    const interp = new Interpreter(limit(300, stagger(50, checking)), 6, { nowUs: () => loop.now(), at: (t, fn) => loop.at(t, fn) }, new Prng(3), (op, done) => {
      outstanding.add(op.worker);
      loop.schedule(1 + prng.int(400), () => {
        outstanding.delete(op.worker);
        done('ok');
      });
    });
    interp.start();
    loop.run({ maxSteps: 100_000 });
    expect(interp.done).toBe(true);
    expect(interp.outstanding).toBe(0);
    // Both shapes happened: every worker free, and some busy.
    expect(seen.some((f) => f.length === 6)).toBe(true);
    expect(seen.some((f) => f.length > 0 && f.length < 6)).toBe(true);
  });

  it('emitted and dispatchedOf build what the spreads built (fields, values, key order), extra fields included', () => {
    const invocations = [{ f: 'put', value: { key: 'k' } }, { f: 'read' }, { f: 'w', value: undefined }, { value: 1, f: 'odd-order' }, { f: 'x', value: 2, extra: true }];
    for (const inv of invocations) {
      const e = emitted(inv, 3, 100);
      const eSpread = { ...inv, worker: 3, timeUs: 100 };
      expect(e).toEqual(eSpread);
      expect(Object.keys(e)).toEqual(Object.keys(eSpread));
      const d = dispatchedOf(e, 7, 12, 150);
      const dSpread = { ...e, process: 7, seq: 12, timeUs: 150 };
      expect(d).toEqual(dSpread);
      expect(Object.keys(d)).toEqual(Object.keys(dSpread));
    }
    expect(hasKeys({ f: 1, value: 2 }, ['f', 'value'])).toBe(true);
    expect(hasKeys({ value: 2, f: 1 }, ['f', 'value'])).toBe(false);
    expect(hasKeys({ f: 1 }, ['f', 'value'])).toBe(false);
    expect(hasKeys(Object.create({ f: 1 }) as object, ['f'])).toBe(false);
  });
});
