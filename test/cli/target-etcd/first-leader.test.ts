// The wait for a real cluster's first leader: at least 30 s (three etcd processes starting on a
// loaded machine), and three election timeouts where those are longer (a member campaigns after
// one to two). bad-etcd.test.ts runs the refusal with a shorter wait; this holds the real one.
import { describe, expect, it } from 'vitest';
import { firstLeaderWaitMs } from '../../../sim/cli/target-etcd/first-leader.ts';

describe('the first leader wait', () => {
  it('is 30 s for an ordinary election timeout, three election timeouts for a long one', () => {
    expect(firstLeaderWaitMs(1_000)).toBe(30_000);
    expect(firstLeaderWaitMs(10_000)).toBe(30_000);
    expect(firstLeaderWaitMs(20_000)).toBe(60_000);
  });
});
