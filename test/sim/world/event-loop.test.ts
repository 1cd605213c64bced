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
});
