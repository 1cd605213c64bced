import { describe, expect, it } from 'vitest';
import { bridgeCuts, groupsToCuts, halvesGroups, isolateGroups, majorityRingCuts } from '../../../sim/world/partitions.ts';

const FIVE = ['a', 'b', 'c', 'd', 'e'];
const key = (cuts: readonly (readonly [string, string])[]) => new Set(cuts.map(([f, t]) => `${f}>${t}`));
/** Who `node` can still reach (besides itself) under `cuts`. */
const sees = (cuts: readonly (readonly [string, string])[], node: string, nodes: readonly string[]) =>
  nodes.filter((o) => o !== node && !key(cuts).has(`${node}>${o}`));

describe('partition shapes', () => {
  it('cuts every pair across groups in both directions and nothing inside a group', () => {
    const cuts = key(groupsToCuts([['a', 'b'], ['c']]));
    expect(cuts).toEqual(new Set(['a>c', 'b>c', 'c>a', 'c>b']));
    expect(cuts.has('a>b')).toBe(false);
  });

  it('isolates one node and halves with the majority in the second group', () => {
    expect(isolateGroups('c', FIVE)).toEqual([['c'], ['a', 'b', 'd', 'e']]);
    expect(halvesGroups(FIVE)).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    expect(() => isolateGroups('z', FIVE)).toThrow(/unknown node/);
  });

  it('gives every node a majority in a ring, and no two nodes the same majority', () => {
    for (const n of [3, 5, 7, 9]) {
      const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
      const cuts = majorityRingCuts(nodes);
      const views = nodes.map((node) => [node, ...sees(cuts, node, nodes)].sort().join(','));
      for (const view of views) expect(view.split(',').length).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1);
      if (n > 3) expect(new Set(views).size).toBe(n);
      // Symmetric: the ring cuts both directions.
      for (const [f, t] of cuts) expect(key(cuts).has(`${t}>${f}`)).toBe(true);
    }
  });

  it('bridges two halves through one node that sees everyone', () => {
    const cuts = bridgeCuts(FIVE);
    expect(sees(cuts, 'c', FIVE)).toEqual(['a', 'b', 'd', 'e']);
    expect(sees(cuts, 'a', FIVE)).toEqual(['b', 'c']);
    expect(sees(cuts, 'e', FIVE)).toEqual(['c', 'd']);
    expect(() => bridgeCuts(['a', 'b'])).toThrow(/at least 3/);
  });
});
