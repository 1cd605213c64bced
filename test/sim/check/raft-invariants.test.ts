// The global observer: every invariant has a case that must pass and cases that must fail.
import { describe, expect, it } from 'vitest';
import { InvariantViolation, RaftInvariants } from '../../../sim/check/raft-invariants.ts';
import { FakeView } from '../raft/fake-view.ts';

function healthy(): { a: FakeView; b: FakeView; c: FakeView } {
  const a = new FakeView('a').append(1, 'x').append(1, 'y');
  const b = new FakeView('b').append(1, 'x').append(1, 'y');
  const c = new FakeView('c').append(1, 'x');
  a.isLeader = true;
  a.commit = 2;
  b.commit = 1;
  return { a, b, c };
}

describe('RaftInvariants', () => {
  it('passes a healthy cluster over many checks', () => {
    const inv = new RaftInvariants();
    const { a, b, c } = healthy();
    for (let i = 0; i < 5; i++) expect(inv.check([a, b, c])).toBeUndefined();
    a.append(1, 'z');
    b.append(1, 'z');
    a.commit = 3;
    expect(inv.check([a, b, c])).toBeUndefined();
  });

  it('fails: two leaders in one term (election-safety)', () => {
    const inv = new RaftInvariants({ replay: 'detcd replay X' });
    const { a, b, c } = healthy();
    b.isLeader = true;
    const v = inv.check([a, b, c]);
    expect(v?.invariant).toBe('election-safety');
    expect(v?.member).toBe('b');
    expect(() => inv.checkOrThrow([a, b, c])).toThrow(InvariantViolation);
    expect(() => inv.checkOrThrow([a, b, c])).toThrow(/replay: detcd replay X/);
  });

  it('fails: a leader loses one of its own entries (leader-append-only)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(1, 'y').append(1, 'z');
    a.isLeader = true;
    expect(inv.check([a])).toBeUndefined();
    a.log.pop();
    expect(inv.check([a])?.invariant).toBe('leader-append-only');
  });

  it('fails: one index and term with different contents on two members (log-matching)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(2, 'y');
    const b = new FakeView('b').append(1, 'x').append(2, 'DIFFERENT');
    expect(inv.check([a, b])?.invariant).toBe('log-matching');
  });

  it('fails: same index and term but different preceding terms (log-matching prefix)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(3, 'y');
    const b = new FakeView('b').append(2, 'w').append(3, 'y');
    expect(inv.check([a, b])?.invariant).toBe('log-matching');
  });

  it('fails: a new leader of a later term lacks a committed entry (leader-completeness)', () => {
    const inv = new RaftInvariants();
    const { a, b, c } = healthy();
    expect(inv.check([a, b, c])).toBeUndefined();
    a.isLeader = false;
    c.isLeader = true;
    c.term = 2;
    c.log = [{ term: 1, data: 'x' }, { term: 2, data: 'other' }];
    expect(inv.check([a, b, c])?.invariant).toBe('leader-completeness');
  });

  it('fails: two members apply different entries at one index (state-machine-safety)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x');
    const b = new FakeView('b').append(1, 'x');
    a.applied = 1;
    a.appliedLog.set(1, { term: 1, data: 'x' });
    b.applied = 1;
    b.appliedLog.set(1, { term: 1, data: 'not x' });
    expect(inv.check([a, b])?.invariant).toBe('state-machine-safety');
  });

  it('fails: a term goes down within an incarnation, or below the durable term after a restart (term-monotonic)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a');
    a.term = 3;
    a.durableTerm = 3;
    expect(inv.check([a])).toBeUndefined();
    a.term = 2;
    expect(inv.check([a])?.invariant).toBe('term-monotonic');
    const inv2 = new RaftInvariants();
    const b = new FakeView('b');
    b.term = 5;
    b.durableTerm = 4;
    expect(inv2.check([b])).toBeUndefined();
    b.incarnation = 2;
    b.term = 4; // the undurable term 5 was lost: allowed
    b.durableTerm = 4;
    expect(inv2.check([b])).toBeUndefined();
    b.incarnation = 3;
    b.term = 3;
    b.durableTerm = 3;
    expect(inv2.check([b])?.invariant).toBe('term-monotonic');
  });

  it('fails: the commit index goes down across a restart (commit-monotonic)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(1, 'y');
    a.commit = 2;
    a.durableCommit = 2;
    expect(inv.check([a])).toBeUndefined();
    a.incarnation = 2;
    a.commit = 1;
    a.durableCommit = 1;
    expect(inv.check([a])?.invariant).toBe('commit-monotonic');
  });

  it('fails: a member drops an entry it had committed (committed-entry-lost)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(1, 'y');
    a.commit = 2;
    expect(inv.check([a])).toBeUndefined();
    a.log = [{ term: 1, data: 'x' }, { term: 2, data: 'y2' }];
    expect(inv.check([a])?.invariant).toBe('committed-entry-lost');
  });

  it('fails: an acknowledged entry is not what ends up committed (committed-entry-lost)', () => {
    const inv = new RaftInvariants();
    expect(inv.recordAck('a', 1, { term: 1, data: 'acked' })).toBeUndefined();
    const a = new FakeView('a').append(1, 'something else');
    a.commit = 1;
    expect(inv.check([a])?.invariant).toBe('committed-entry-lost');
  });

  it('entries of several terms at one index are each remembered: the contents of each term are compared (log-matching)', () => {
    // Index 2 is seen with term 1, then term 2, then term 3: a later member agreeing on any of
    // them passes, one disagreeing with the oldest or a middle one fails.
    const a = new FakeView('a').append(1, 'x').append(1, 'old');
    const b = new FakeView('b').append(1, 'x').append(2, 'mid');
    const c = new FakeView('c').append(1, 'x').append(3, 'new');
    const agrees = new FakeView('d').append(1, 'x').append(2, 'mid');
    const inv = new RaftInvariants();
    expect(inv.check([a, b, c, agrees])).toBeUndefined();
    expect(inv.check([a, b, c, new FakeView('e').append(1, 'x').append(1, 'OTHER')])?.invariant).toBe('log-matching');
    const inv2 = new RaftInvariants();
    expect(inv2.check([a, b, c])).toBeUndefined();
    expect(inv2.check([new FakeView('e').append(1, 'x').append(2, 'OTHER')])?.invariant).toBe('log-matching');
  });

  it('each view is judged against its own member whatever the order of the views or a view object re-used under another id', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x');
    a.term = 3;
    a.durableTerm = 3;
    const b = new FakeView('b').append(1, 'x');
    expect(inv.check([a, b])).toBeUndefined();
    expect(inv.check([b, a])).toBeUndefined();
    expect(inv.check([a])).toBeUndefined();
    // The same object now shows member 'c' (term 1): a new member, not 'a' going back from term 3.
    (a as { id: string }).id = 'c';
    a.term = 1;
    a.durableTerm = 1;
    expect(inv.check([a, b])).toBeUndefined();
    // ...and a real step back is still found on whichever position the member comes.
    b.term = 0;
    expect(inv.check([a, b])?.invariant).toBe('term-monotonic');
  });

  it('a lagging member holding a stale uncommitted entry at a committed index is not a violation', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(2, 'new');
    a.commit = 2;
    a.term = 2;
    const b = new FakeView('b').append(1, 'x').append(1, 'stale');
    b.commit = 1;
    expect(inv.check([a, b])).toBeUndefined();
  });

  it('a member restored from a snapshot far from index 1: its registered terms still catch a replaced committed entry and a log-matching break', () => {
    // Entries below firstIndex are in the snapshot; registration starts at firstIndex 5001.
    const restored = (id: string): FakeView => {
      const v = new FakeView(id);
      for (let i = 1; i <= 5003; i++) v.append(1, `e${i}`);
      v.firstIndex = 5001;
      return v;
    };
    const a = restored('a');
    a.commit = 5003;
    a.durableCommit = 5003;
    const inv = new RaftInvariants();
    expect(inv.check([a])).toBeUndefined();
    a.log[5002] = { term: 2, data: 'replaced' };
    expect(inv.check([a])?.invariant).toBe('committed-entry-lost');
    const b = restored('b');
    const inv2 = new RaftInvariants();
    expect(inv2.check([b])).toBeUndefined();
    b.append(2, 'new');
    expect(inv2.check([b])).toBeUndefined();
    // The uncommitted tail replaced by another term's entry is fine; another member's other entry of that term is not.
    b.log[5003] = { term: 3, data: 'newer' };
    expect(inv2.check([b])).toBeUndefined();
    const c = restored('c').append(3, 'DIFFERENT');
    expect(inv2.check([b, c])?.invariant).toBe('log-matching');
  });

  it('a leader that keeps appending, then loses entries it had, in one term (leader-append-only after marks moved)', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x');
    a.isLeader = true;
    for (let i = 0; i < 5; i++) {
      expect(inv.check([a])).toBeUndefined();
      a.append(1, `y${i}`);
    }
    expect(inv.check([a])).toBeUndefined();
    a.log.pop();
    a.log.pop();
    expect(inv.check([a])?.invariant).toBe('leader-append-only');
    const inv2 = new RaftInvariants();
    const b = new FakeView('b').append(1, 'x').append(1, 'y');
    b.isLeader = true;
    expect(inv2.check([b])).toBeUndefined();
    // Same last index, another term there: the leader replaced its own entry.
    b.log[1] = { term: 2, data: 'y' };
    expect(inv2.check([b])?.invariant).toBe('leader-append-only');
  });
});
