import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../../sim/world/event-loop.ts';

describe('EventLoop', () => {
  it('runs events in time order and breaks ties by insertion order', () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    loop.schedule(20, () => seen.push('b@20'));
    loop.schedule(10, () => seen.push('a@10'));
    loop.schedule(20, () => seen.push('c@20'));
    loop.schedule(0, () => seen.push('z@0'));
    expect(loop.run()).toBe('idle');
    expect(seen).toEqual(['z@0', 'a@10', 'b@20', 'c@20']);
    expect(loop.now()).toBe(20);
  });

  it('atWith calls one shared function with each event\'s datum, in the same (time, insertion) order as at', () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    const shared = (name: string): void => void seen.push(`${name}@${loop.now()}`);
    loop.atWith(20, shared, 'b');
    loop.at(20, () => seen.push(`c@${loop.now()}`));
    loop.atWith(10, shared, 'a');
    const cancelled = loop.atWith(15, shared, 'never');
    loop.atWith(20, shared, 'd');
    expect(loop.cancel(cancelled)).toBe(true);
    expect(loop.run()).toBe('idle');
    expect(seen).toEqual(['a@10', 'b@20', 'c@20', 'd@20']);
    expect(loop.pending).toBe(0);
  });

  it('never runs a cancelled timer', () => {
    const loop = new EventLoop();
    let fired = false;
    const id = loop.schedule(5, () => (fired = true));
    expect(loop.cancel(id)).toBe(true);
    expect(loop.cancel(id)).toBe(false);
    loop.run();
    expect(fired).toBe(false);
    expect(loop.pending).toBe(0);
  });

  it('stops at the simulated-time limit without running later events', () => {
    const loop = new EventLoop();
    const seen: number[] = [];
    for (let t = 0; t <= 100; t += 10) loop.schedule(t, () => seen.push(t));
    expect(loop.run({ untilUs: 45 })).toBe('time-limit');
    expect(seen).toEqual([0, 10, 20, 30, 40]);
    expect(loop.now()).toBe(45);
    loop.run();
    expect(seen.length).toBe(11);
  });

  it('stops at the step limit', () => {
    const loop = new EventLoop();
    let n = 0;
    const tick = (): void => {
      n++;
      loop.schedule(1, tick);
    };
    loop.schedule(0, tick);
    expect(loop.run({ maxSteps: 1000 })).toBe('step-limit');
    expect(n).toBe(1000);
  });

  it('keeps time monotonic when events schedule into the past', () => {
    const loop = new EventLoop();
    const times: number[] = [];
    loop.schedule(50, () => loop.at(10, () => times.push(loop.now())));
    loop.run();
    expect(times).toEqual([50]);
  });

  it('lets simulated time reach the limit when the queue runs dry first', () => {
    const loop = new EventLoop();
    loop.schedule(10, () => undefined);
    expect(loop.run({ untilUs: 1_000 })).toBe('idle');
    expect(loop.now()).toBe(1_000);
    expect(loop.run()).toBe('idle');
    expect(loop.now()).toBe(1_000);
  });

  it('ignores a stale id whose slot now holds another timer', () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    const first = loop.schedule(1, () => seen.push('first'));
    loop.run();
    const second = loop.schedule(1, () => seen.push('second')); // reuses the first timer's slot
    expect(second).not.toBe(first);
    expect(loop.cancel(first)).toBe(false);
    loop.run();
    expect(seen).toEqual(['first', 'second']);
    expect(loop.pending).toBe(0);
  });

  it('keeps order and counts through many schedules and cancels (against a sorted model)', () => {
    const loop = new EventLoop();
    const model: { timeUs: number; seq: number; id: number; cancelled: boolean }[] = [];
    const fired: number[] = [];
    let x = 7;
    for (let i = 0; i < 5_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const timeUs = x % 997;
      const id = loop.at(timeUs, () => fired.push(i));
      model.push({ timeUs, seq: i, id, cancelled: false });
      if (x % 3 === 0) {
        const victim = model[x % model.length]!;
        expect(loop.cancel(victim.id)).toBe(!victim.cancelled);
        victim.cancelled = true;
      }
    }
    expect(loop.pending).toBe(model.filter((m) => !m.cancelled).length);
    loop.run();
    const expected = model.filter((m) => !m.cancelled).sort((a, b) => a.timeUs - b.timeUs || a.seq - b.seq).map((m) => m.seq);
    expect(fired).toEqual(expected);
    expect(loop.pending).toBe(0);
  });

  it('drops cancelled timers from the heap once they outnumber the live ones, keeping order, counts and stale ids dead', () => {
    const loop = new EventLoop();
    const model: { timeUs: number; seq: number; id: number; cancelled: boolean }[] = [];
    const fired: number[] = [];
    let x = 11;
    const heapOf = (l: EventLoop) => (l as unknown as { heap: unknown[] }).heap;
    let compacted = false;
    for (let i = 0; i < 4_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Like request timeouts: scheduled far ahead, nearly all cancelled soon after.
      const timeUs = 1_000 + (x % 5_000);
      const id = loop.at(timeUs, () => fired.push(i));
      model.push({ timeUs, seq: i, id, cancelled: false });
      if (x % 10 !== 0) {
        expect(loop.cancel(id)).toBe(true);
        model[i]!.cancelled = true;
      }
      if (heapOf(loop).length < model.filter((m) => !m.cancelled).length + 64) compacted ||= i > 200;
    }
    expect(compacted).toBe(true);
    // Ids of timers dropped by a compaction cancel nothing, even after their slots are reused.
    for (let i = 0; i < 50; i++) loop.at(6_000 + i, () => fired.push(-1));
    for (const m of model) if (m.cancelled) expect(loop.cancel(m.id)).toBe(false);
    const live = model.filter((m) => !m.cancelled);
    expect(loop.pending).toBe(live.length + 50);
    expect(heapOf(loop).length).toBeLessThanOrEqual(2 * (live.length + 50) + 65);
    loop.run();
    const expected = live.sort((a, b) => a.timeUs - b.timeUs || a.seq - b.seq).map((m) => m.seq);
    expect(fired).toEqual([...expected, ...Array.from({ length: 50 }, () => -1)]);
    expect(loop.pending).toBe(0);
  });

  it('calls afterEach after every event and reports inStep only inside one', () => {
    const loop = new EventLoop();
    const log: string[] = [];
    loop.afterEach = () => log.push(`after:${loop.inStep}`);
    loop.schedule(1, () => log.push(`in:${loop.inStep}`));
    loop.schedule(2, () => log.push(`in:${loop.inStep}`));
    loop.run();
    expect(log).toEqual(['in:true', 'after:false', 'in:true', 'after:false']);
    expect(loop.inStep).toBe(false);
  });
});
