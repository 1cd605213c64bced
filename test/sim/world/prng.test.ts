import { describe, expect, it } from 'vitest';
import { Prng } from '../../../sim/world/prng.ts';

describe('Prng', () => {
  it('gives the same draws for the same seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const drawsA = Array.from({ length: 100 }, () => a.int(1000));
    const drawsB = Array.from({ length: 100 }, () => b.int(1000));
    expect(drawsA).toEqual(drawsB);
  });

  it('gives different draws for different seeds', () => {
    const a = Array.from({ length: 20 }, ((p) => () => p.uint32())(new Prng(1)));
    const b = Array.from({ length: 20 }, ((p) => () => p.uint32())(new Prng(2)));
    expect(a).not.toEqual(b);
  });

  it('forks streams that do not shift when a sibling draws more', () => {
    const root1 = new Prng(7);
    const root2 = new Prng(7);
    const net1 = root1.fork('network');
    const disk1 = root1.fork('disk');
    const net2 = root2.fork('network');
    const disk2 = root2.fork('disk');
    for (let i = 0; i < 50; i++) net1.uint32(); // an extra burst in one subsystem
    expect(Array.from({ length: 10 }, () => disk1.uint32())).toEqual(Array.from({ length: 10 }, () => disk2.uint32()));
    expect(net2.uint32()).not.toBe(undefined);
  });

  it('keeps int draws in range and covers every value', () => {
    const p = new Prng('range');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = p.int(7);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(7);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    expect(() => p.int(0)).toThrow(/bound/);
  });

  it('honours integer-ratio probabilities within sampling error', () => {
    const p = new Prng('chance');
    let hits = 0;
    for (let i = 0; i < 20000; i++) if (p.chance(1, 4)) hits++;
    expect(hits / 20000).toBeGreaterThan(0.23);
    expect(hits / 20000).toBeLessThan(0.27);
    expect(p.chance(0, 5)).toBe(false);
    expect(p.chance(5, 5)).toBe(true);
  });
});
