// The log modules: MemoryStorage, the unstable tail and RaftLog (etcd's log_test, storage_test).
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import { RaftLog } from '../../../src/raft/raft-log.ts';
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable } from '../../../src/raft/errors.ts';
import type { Entry } from '../../../src/raft/types.ts';
import { EMPTY_CONF_STATE } from '../../../src/raft/types.ts';

function ents(from: number, ...terms: number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: from + i, type: 'normal', data: `d${from + i}` }));
}

function storageWith(...terms: number[]): MemoryStorage {
  const s = new MemoryStorage();
  s.append(ents(1, ...terms));
  return s;
}

describe('MemoryStorage', () => {
  it('answers term and entries within its range and names what is compacted or unavailable', () => {
    const s = storageWith(1, 1, 2, 3);
    expect(s.term(0)).toBe(0);
    expect(s.term(3)).toBe(2);
    expect(s.term(5)).toBe(ErrUnavailable);
    expect(s.entries(2, 4, Number.MAX_SAFE_INTEGER)).toEqual(ents(2, 1, 2));
    expect(s.entries(2, 6, Number.MAX_SAFE_INTEGER)).toBe(ErrUnavailable);
    s.compact(2);
    expect(s.firstIndex()).toBe(3);
    expect(s.term(1)).toBe(ErrCompacted);
    expect(s.term(2)).toBe(1); // the dummy entry keeps the compacted term
    expect(s.entries(2, 4, Number.MAX_SAFE_INTEGER)).toBe(ErrCompacted);
    expect(s.compact(2)).toBe(ErrCompacted);
  });

  it('entryAt reads a stored entry in place: the entry entries() returns, undefined where entries() has none', () => {
    const s = storageWith(1, 1, 2, 3, 3);
    s.compact(2);
    for (let i = 0; i <= 7; i++) {
      const got = s.entries(i, i + 1, Number.MAX_SAFE_INTEGER);
      const expected = i <= s.lastIndex() && typeof got !== 'string' ? got[0] : undefined;
      expect(s.entryAt(i)).toBe(expected);
    }
    expect([s.entryAt(2), s.entryAt(3)?.index, s.entryAt(6)]).toEqual([undefined, 3, undefined]);
  });

  it('limits entries by size but always returns at least one', () => {
    const s = storageWith(1, 1, 1, 1);
    expect((s.entries(1, 5, 0) as Entry[]).length).toBe(1);
    expect((s.entries(1, 5, 2 * (16 + 2)) as Entry[]).length).toBe(2);
  });

  it('append truncates a conflicting suffix and ignores what is already compacted', () => {
    const s = storageWith(1, 1, 1);
    s.append(ents(2, 2, 2));
    expect(s.lastIndex()).toBe(3);
    expect(s.term(2)).toBe(2);
    s.compact(2);
    s.append(ents(1, 1, 2, 2, 3));
    expect([s.term(3), s.term(4), s.lastIndex()]).toEqual([2, 3, 4]);
    expect(() => s.append(ents(7, 3))).toThrow(/storage-append-contiguous/);
  });

  it('createSnapshot records the term at the index; applySnapshot replaces everything; older snapshots are refused', () => {
    const s = storageWith(1, 2, 3);
    const snap = s.createSnapshot(2, EMPTY_CONF_STATE, 'state');
    expect(typeof snap === 'string' ? snap : snap.metadata).toEqual({ index: 2, term: 2, confState: EMPTY_CONF_STATE });
    expect(s.createSnapshot(1, EMPTY_CONF_STATE, 'old')).toBe(ErrSnapOutOfDate);
    const t = new MemoryStorage();
    t.applySnapshot({ data: 'x', metadata: { index: 10, term: 4, confState: EMPTY_CONF_STATE } });
    expect([t.firstIndex(), t.lastIndex(), t.term(10)]).toEqual([11, 10, 4]);
    expect(t.applySnapshot({ data: 'y', metadata: { index: 9, term: 4, confState: EMPTY_CONF_STATE } })).toBe(ErrSnapOutOfDate);
  });
});

describe('RaftLog', () => {
  it('findConflict returns the first index whose term differs, 0 when everything matches', () => {
    const l = new RaftLog(storageWith(1, 2, 3), Number.MAX_SAFE_INTEGER);
    expect(l.findConflict([])).toBe(0);
    expect(l.findConflict(ents(1, 1, 2, 3))).toBe(0);
    expect(l.findConflict(ents(2, 2, 3, 4, 4))).toBe(4);
    expect(l.findConflict(ents(2, 1, 4))).toBe(2);
  });

  it('findConflictByTerm gives the largest index whose term is at most the probe term', () => {
    const l = new RaftLog(storageWith(1, 1, 3, 3, 5), Number.MAX_SAFE_INTEGER);
    expect(l.findConflictByTerm(5, 4)).toBe(4);
    expect(l.findConflictByTerm(5, 2)).toBe(2);
    expect(l.findConflictByTerm(5, 0)).toBe(0);
    expect(l.findConflictByTerm(5, 5)).toBe(5);
  });

  it('maybeAppend refuses a mismatched prefix, appends and commits min(leaderCommit, last new)', () => {
    const l = new RaftLog(storageWith(1, 2, 3), Number.MAX_SAFE_INTEGER);
    expect(l.maybeAppend(3, 2, 3, ents(4, 4))).toBeUndefined();
    expect(l.maybeAppend(3, 3, 10, ents(4, 4))).toBe(4);
    expect(l.committed).toBe(4);
    expect(() => l.maybeAppend(1, 1, 4, ents(2, 9))).toThrow(/no-truncate-committed/);
  });

  it('isUpToDate compares the last term first, then the length', () => {
    const l = new RaftLog(storageWith(1, 2, 3), Number.MAX_SAFE_INTEGER);
    expect(l.isUpToDate(1, 4)).toBe(true);
    expect(l.isUpToDate(5, 2)).toBe(false);
    expect(l.isUpToDate(3, 3)).toBe(true);
    expect(l.isUpToDate(2, 3)).toBe(false);
  });

  it('slices across stable storage and the unstable tail, and reports compaction', () => {
    const s = storageWith(1, 1, 2);
    const l = new RaftLog(s, Number.MAX_SAFE_INTEGER);
    l.append(ents(4, 3, 3));
    expect((l.slice(2, 6, Number.MAX_SAFE_INTEGER) as Entry[]).map((e) => e.index)).toEqual([2, 3, 4, 5]);
    s.compact(2);
    const l2 = new RaftLog(s, Number.MAX_SAFE_INTEGER);
    expect(l2.slice(1, 3, Number.MAX_SAFE_INTEGER)).toBe(ErrCompacted);
    expect(l2.term(1)).toBe(ErrCompacted);
    expect(l2.term(9)).toBe(0);
  });

  it('nextEnts hands out committed entries not yet applied, bounded in size', () => {
    const l = new RaftLog(storageWith(1, 1, 1, 1), 2 * (16 + 2));
    l.commitTo(4);
    expect(l.nextEnts().map((e) => e.index)).toEqual([1, 2]);
    l.appliedTo(2);
    expect(l.nextEnts().map((e) => e.index)).toEqual([3, 4]);
    expect(() => l.appliedTo(9)).toThrow(/applied-within-committed/);
  });

  it('the unstable tail is dropped once the host reports it stable, unless it changed meanwhile', () => {
    const l = new RaftLog(new MemoryStorage(), Number.MAX_SAFE_INTEGER);
    l.append(ents(1, 1, 1));
    l.stableTo(2, 5); // wrong term: the entry was replaced since the Ready was built
    expect(l.unstableEntries().length).toBe(2);
    l.stableTo(1, 1);
    expect(l.unstableEntries().map((e) => e.index)).toEqual([2]);
  });
});
