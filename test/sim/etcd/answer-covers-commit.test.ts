// answer-covers-commit (sim/etcd/answer-covers-commit.ts): an ok linearizable KV answer comes from
// a state machine that applied everything committed in the cluster before the request arrived.
// Stale-read bugs of every shape are found at their first stale answer, whether or not a client
// could tell; the correct build, under a leader whose peers' answers reach it late, stays clean.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { isLinearizableKv } from '../../../sim/etcd/answer-covers-commit.ts';
import { runScenario } from '../../../sim/run/run.ts';

function stopOf(scenario: string, seed: number, bug?: PlantedBug): { invariant: string | undefined; valid: unknown; detail: string } {
  const r = runScenario(loadScenario(scenario).scenario, seed, bug === undefined ? {} : { bug }).results;
  const raft = r.checkers['raft'] as { summary?: string } | undefined;
  return { invariant: r.stop?.invariant, valid: r.valid, detail: raft?.summary ?? '' };
}

describe('answer-covers-commit', () => {
  it('judges linearizable KV requests only: not serializable reads, read-only serializable txns, or other APIs', () => {
    expect(isLinearizableKv('/v3/kv/range', { key: 'YQ==' })).toBe(true);
    expect(isLinearizableKv('/v3/kv/range', { key: 'YQ==', serializable: true })).toBe(false);
    expect(isLinearizableKv('/v3/kv/put', { key: 'YQ==', value: 'Yg==' })).toBe(true);
    expect(isLinearizableKv('/v3/kv/deleterange', { key: 'YQ==' })).toBe(true);
    expect(isLinearizableKv('/v3/kv/txn', { success: [{ request_range: { key: 'YQ==' } }] })).toBe(true);
    expect(isLinearizableKv('/v3/kv/txn', { success: [{ request_range: { key: 'YQ==', serializable: true } }] })).toBe(false);
    expect(isLinearizableKv('/v3/kv/txn', { success: [{ request_put: { key: 'YQ==' } }] })).toBe(true);
    expect(isLinearizableKv('/v3/lease/grant', { TTL: '5' })).toBe(false);
    expect(isLinearizableKv('/v3/kv/range', null)).toBe(false);
  });

  it.each([
    ['read-without-readindex', 'stale-leader-reads', 1],
    ['read-index-without-quorum', 'stale-leader-reads', 1],
    ['read-index-reuses-context', 'slow-network', 4],
  ] as const)('finds %s at its first stale answer (%s seed %i)', (bug, scenario, seed) => {
    const r = stopOf(scenario, seed, bug);
    expect(r.valid).toBe(false);
    expect(r.invariant, r.detail).toBe('answer-covers-commit');
    expect(r.detail).toMatch(/ok at applied index \d+, below index \d+, committed in the cluster before the request reached it/);
  });

  it('the correct build stays clean where answers to a leader\'s heartbeat rounds reach it after a new leader wrote, and on the stale-leader reads', () => {
    for (const seed of [1, 2]) {
      const late = stopOf('stale-leader-late-answers', seed);
      expect(late.valid, late.detail).toBe(true);
      const stale = stopOf('stale-leader-reads', seed);
      expect(stale.valid, stale.detail).toBe(true);
    }
  });

  // Raft counts a lone member's own append towards its quorum before the fsync: a crash loses an
  // entry raft had "committed" in memory, never applied nor answered, and the index is filled again.
  // Bounding answers by that in-memory commit index flagged a read answered after the restart.
  it('a one-member cluster that crashes before its fsync stays clean: the bound is the durable commit index', () => {
    for (const seed of [9, 10]) {
      const r = stopOf('single-member-crash', seed);
      expect(r.invariant, r.detail).toBeUndefined();
      expect(r.valid, r.detail).toBe(true);
    }
  });
});
