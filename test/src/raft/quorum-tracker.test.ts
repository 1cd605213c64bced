// The small modules: majority and joint quorums, the inflight window, progress states.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MajorityConfig } from '../../../src/raft/quorum/majority.ts';
import { JointConfig } from '../../../src/raft/quorum/joint.ts';
import { Inflights } from '../../../src/raft/tracker/inflights.ts';
import { Progress } from '../../../src/raft/tracker/progress.ts';

describe('quorum', () => {
  it('the majority committed index is the largest index held by a strict majority', () => {
    const c = new MajorityConfig([1, 2, 3]);
    const acked = new Map([[1, 5], [2, 3], [3, 1]]);
    expect(c.committedIndex((id) => acked.get(id))).toBe(3);
    expect(new MajorityConfig([1, 2, 3, 4]).committedIndex((id) => ({ 1: 5, 2: 3, 3: 1, 4: 0 } as Record<number, number>)[id])).toBe(1);
    expect(new MajorityConfig().committedIndex(() => 0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('property: the majority committed index is acknowledged by a majority, and index+1 is not', () => {
    fc.assert(fc.property(fc.array(fc.nat(20), { minLength: 1, maxLength: 7 }), (idx) => {
      const c = new MajorityConfig(idx.map((_, i) => i + 1));
      const ci = c.committedIndex((id) => idx[id - 1]);
      const q = Math.floor(idx.length / 2) + 1;
      expect(idx.filter((x) => x >= ci).length).toBeGreaterThanOrEqual(q);
      expect(idx.filter((x) => x >= ci + 1).length).toBeLessThan(q);
    }), { seed: 42 });
  });

  it('votes: won with a majority, lost when a majority can no longer be reached, else pending', () => {
    const c = new MajorityConfig([1, 2, 3]);
    expect(c.voteResult(new Map([[1, true], [2, true]]))).toBe('won');
    expect(c.voteResult(new Map([[1, true]]))).toBe('pending');
    expect(c.voteResult(new Map([[1, false], [2, false]]))).toBe('lost');
  });

  it('a joint config commits the minimum of its halves and needs both halves to win a vote', () => {
    const j = new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([3, 4, 5]));
    const acked: Record<number, number> = { 1: 9, 2: 9, 3: 2, 4: 1, 5: 0 };
    expect(j.committedIndex((id) => acked[id])).toBe(1);
    expect(j.voteResult(new Map([[1, true], [2, true]]))).toBe('pending');
    expect(j.voteResult(new Map([[1, true], [2, true], [4, true], [5, true]]))).toBe('won');
    expect(j.voteResult(new Map([[1, true], [2, true], [4, false], [5, false]]))).toBe('lost');
  });
});

describe('inflights', () => {
  it('adds up to capacity, frees acknowledged prefixes, wraps around the ring', () => {
    const f = new Inflights(3);
    f.add(1);
    f.add(2);
    f.add(3);
    expect(f.full()).toBe(true);
    expect(() => f.add(4)).toThrow(/inflights-not-full/);
    f.freeLE(2);
    expect(f.count).toBe(1);
    f.add(4);
    f.add(5);
    expect(f.full()).toBe(true);
    f.freeFirstOne();
    expect(f.count).toBe(2);
    f.freeLE(10);
    expect(f.count).toBe(0);
  });

  it('refuses indexes that do not increase', () => {
    const f = new Inflights(3);
    f.add(5);
    expect(() => f.add(5)).toThrow(/inflights-increasing/);
  });
});

describe('progress', () => {
  it('probe pauses after one send; replicate pauses only when the window is full; snapshot always pauses', () => {
    const p = new Progress(0, 1, 2, false);
    expect(p.isPaused()).toBe(false);
    p.probeSent = true;
    expect(p.isPaused()).toBe(true);
    p.maybeUpdate(3);
    p.becomeReplicate();
    expect(p.next).toBe(4);
    p.inflights.add(4);
    p.inflights.add(5);
    expect(p.isPaused()).toBe(true);
    p.becomeSnapshot(10);
    expect(p.isPaused()).toBe(true);
    p.becomeProbe();
    expect(p.next).toBe(11); // after the snapshot
  });

  it('ignores stale rejections and moves next back to the hint on a fresh one', () => {
    const p = new Progress(2, 10, 8, false);
    expect(p.maybeDecrTo(5, 4)).toBe(false); // not an answer to our latest probe (next-1 = 9)
    expect(p.maybeDecrTo(9, 4)).toBe(true);
    expect(p.next).toBe(5);
    p.becomeReplicate();
    expect(p.maybeDecrTo(1, 0)).toBe(false); // below match: stale
  });
});
