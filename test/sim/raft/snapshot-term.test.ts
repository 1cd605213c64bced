// A snapshot stands for the log up to its index: its (index, term) must be the committed
// entry's there. A member holding a snapshot stamped with another term (holdout 9's
// snapshot-term-of-last-entry: the term of the last entry instead of the snapshot's own) breaks
// log matching at the snapshot boundary, which no other check looked at.
import { describe, expect, it } from 'vitest';
import { RaftInvariants } from '../../../sim/check/raft-invariants.ts';
import { FakeView } from './fake-view.ts';

class SnapshotView extends FakeView {
  snapshotMeta = { index: 0, term: 0 };
}

function cluster(): { inv: RaftInvariants; a: SnapshotView; b: SnapshotView } {
  const inv = new RaftInvariants();
  const a = new SnapshotView('a').append(1, 'x').append(1, 'y').append(2, '');
  const b = new SnapshotView('b').append(1, 'x').append(1, 'y').append(2, '');
  a.term = 2;
  b.term = 2;
  a.commit = 3;
  b.commit = 3;
  expect(inv.check([a, b])).toBeUndefined();
  return { inv, a, b };
}

describe('invariant snapshot-term', () => {
  it('a snapshot with the term of its committed entry passes', () => {
    const { inv, a, b } = cluster();
    a.snapshotMeta = { index: 2, term: 1 };
    b.snapshotMeta = { index: 3, term: 2 };
    expect(inv.check([a, b])).toBeUndefined();
  });

  it('a snapshot stamped with a later term than the entry committed at its index fails, naming member, index and term', () => {
    const { inv, a, b } = cluster();
    b.snapshotMeta = { index: 2, term: 2 };
    const v = inv.check([a, b]);
    expect(v?.invariant).toBe('snapshot-term');
    expect(v?.member).toBe('b');
    expect(v?.index).toBe(2);
    expect(v?.detail).toContain('of term 2');
  });

  it('a view without snapshots, or with none taken yet, is not judged', () => {
    const { inv, a, b } = cluster();
    b.snapshotMeta = { index: 0, term: 0 };
    expect(inv.check([a, b])).toBeUndefined();
  });
});
