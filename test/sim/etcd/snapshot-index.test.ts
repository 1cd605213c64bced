// Invariant snapshot-at-its-index: the snapshot a member writes holds its state machine at exactly
// the snapshot's index. Holdout 13's snapshot-while-replaying (a snapshot taken while a restarted
// member's state machine, rebuilt from its WAL, was ahead of what raft had re-delivered) was never
// caught: only a follower installing such a snapshot showed it. Scenario snapshot-during-replay
// reaches it (a crash before a snapshot is durable, one committed entry per Ready).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { InvariantViolation } from '../../../src/invariant-violation.ts';
import type { Snapshot } from '../../../src/raft/types.ts';
import { checkSnapshotAtItsIndex, snapshotDataIndex } from '../../../sim/etcd/snapshot-index.ts';

function snapshot(index: number, data: string): Snapshot {
  return { data, metadata: { index, term: 1, confState: { voters: [1], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false } } };
}

describe('snapshot-at-its-index', () => {
  it('reads the applied index from the etcd state machine\'s own snapshot data', () => {
    const sm = makeEtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
    sm.applyNoop(1);
    sm.applyNoop(2);
    expect(snapshotDataIndex(sm.snapshot())).toBe(2);
    expect(snapshotDataIndex('{"other":1}')).toBeUndefined();
  });

  it('must fail: a snapshot whose state machine is ahead of (or behind) its index', () => {
    const data = '{"applier":{"consistentIndex":80,"mvcc":{}}}';
    for (const index of [50, 90]) {
      let thrown: unknown;
      try {
        checkSnapshotAtItsIndex('n1', snapshot(index, data));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(InvariantViolation);
      expect((thrown as InvariantViolation).invariant).toBe('snapshot-at-its-index');
    }
  });

  it('must pass: a snapshot at its index, and data of another state machine', () => {
    expect(() => checkSnapshotAtItsIndex('n1', snapshot(80, '{"applier":{"consistentIndex":80,"mvcc":{}}}'))).not.toThrow();
    expect(() => checkSnapshotAtItsIndex('n1', snapshot(3, 'kv:3'))).not.toThrow();
  });
});
