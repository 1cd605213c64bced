import { describe, expect, it } from 'vitest';
import { NodeClock } from '../../../sim/world/clock.ts';
import type { Host, HostContext } from '../../../sim/world/index.ts';
import { World } from '../../../sim/world/index.ts';

describe('NodeClock', () => {
  it('applies its offset and reads world time otherwise', () => {
    const clock = new NodeClock({ offsetUs: 5_000 });
    expect(clock.localUs(0)).toBe(5_000);
    expect(clock.localUs(1_000_000)).toBe(1_005_000);
    expect(clock.worldDelayUs(300)).toBe(300);
  });

  it('runs fast with positive drift and slow with negative drift', () => {
    const fast = new NodeClock({ driftPpm: 100_000 }); // +10%
    const slow = new NodeClock({ driftPpm: -100_000 });
    expect(fast.localUs(1_000_000)).toBe(1_100_000);
    expect(slow.localUs(1_000_000)).toBe(900_000);
    // A fast clock reaches a local delay sooner in world time, a slow one later.
    expect(fast.worldDelayUs(1_100_000)).toBe(1_000_000);
    expect(slow.worldDelayUs(900_000)).toBe(1_000_000);
  });

  it('never fires a timer before its local delay has passed on the drifting clock', () => {
    for (const driftPpm of [-333_333, -1, 0, 7, 123_457, 500_000]) {
      const clock = new NodeClock({ driftPpm });
      for (const delay of [0, 1, 3, 999, 1_000_001]) {
        const world = clock.worldDelayUs(delay);
        expect(clock.localUs(world) - clock.localUs(0)).toBeGreaterThanOrEqual(delay);
        if (world > 0) expect(clock.localUs(world - 1) - clock.localUs(0)).toBeLessThan(delay);
      }
    }
  });

  it('jumps forward and back while keeping its drift', () => {
    const clock = new NodeClock({ driftPpm: 1_000 });
    expect(clock.localUs(1_000_000)).toBe(1_001_000);
    clock.jump(1_000_000, -2_000_000);
    expect(clock.localUs(1_000_000)).toBe(-999_000);
    expect(clock.localUs(2_000_000)).toBe(-999_000 + 1_001_000);
    clock.jump(2_000_000, 10_000_000);
    expect(clock.localUs(2_000_000)).toBe(10_002_000);
    expect(clock.jumpCount).toBe(2);
  });

  it('keeps local time continuous when the drift changes', () => {
    const clock = new NodeClock({ driftPpm: 0 });
    clock.setDrift(1_000, 200_000);
    expect(clock.localUs(1_000)).toBe(1_000);
    expect(clock.localUs(2_000)).toBe(2_200);
    expect(() => clock.localUs(500)).toThrow(/invariant/);
  });

  it('rejects drift and offsets out of bounds', () => {
    expect(() => new NodeClock({ driftPpm: 600_000 })).toThrow(/driftPpm/);
    expect(() => new NodeClock({ driftPpm: 1.5 })).toThrow(/driftPpm/);
    expect(() => new NodeClock({ offsetUs: 2e15 })).toThrow(/offsetUs/);
    expect(() => new NodeClock().worldDelayUs(-1)).toThrow(/delay/);
  });
});

describe('node clocks in the world', () => {
  it('shows each node only its own clock, and runs its timers fast or slow by its drift', () => {
    const world = new World({
      seed: 1,
      nodes: ['fast', 'slow', 'exact'],
      clock: { perNode: { fast: { offsetUs: 1_000, driftPpm: 250_000 }, slow: { driftPpm: -200_000 }, exact: {} } },
    });
    const fired: Record<string, { worldUs: number; localUs: number }> = {};
    const start = (id: string) =>
      world.startNode(id, (ctx: HostContext): Host => {
        ctx.setTimer(1_000_000, () => (fired[id] = { worldUs: world.loop.now(), localUs: ctx.nowUs() }));
        return { receive: () => undefined };
      });
    ['fast', 'slow', 'exact'].forEach(start);
    world.run();
    expect(fired['exact']).toEqual({ worldUs: 1_000_000, localUs: 1_000_000 });
    expect(fired['fast']).toEqual({ worldUs: 800_000, localUs: 1_001_000 });
    expect(fired['slow']).toEqual({ worldUs: 1_250_000, localUs: 1_000_000 });
  });

  it('moves nowUs on a jump but leaves pending timers where they were, and traces the jump', () => {
    const world = new World({ seed: 1, nodes: ['n1'] });
    let ctxRef: HostContext | undefined;
    const firedAtWorldUs: number[] = [];
    world.startNode('n1', (ctx) => {
      ctxRef = ctx;
      ctx.setTimer(10_000, () => firedAtWorldUs.push(world.loop.now()));
      return { receive: () => undefined };
    });
    const before = world.traceHash();
    world.loop.schedule(5_000, () => world.clockJump('n1', -60_000_000));
    world.run({ untilUs: 5_000 });
    expect(ctxRef!.nowUs()).toBe(5_000 - 60_000_000);
    expect(world.traceHash()).not.toBe(before);
    world.run();
    expect(firedAtWorldUs).toEqual([10_000]);
    expect(world.stats().clockChanges).toBe(1);
  });
});
