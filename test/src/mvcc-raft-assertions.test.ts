// The mvcc and Raft storage assertions fire on the state they guard: each test corrupts one
// piece of state (through a cast where it is private) and expects the typed InvariantViolation
// (layer and name); the same steps on sound state stay quiet.
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../src/mvcc/key-index.ts';
import { NO_LEASE } from '../../src/mvcc/key-value.ts';
import { restoreStore, snapshotStore } from '../../src/mvcc/snapshot.ts';
import { MvccStore } from '../../src/mvcc/store.ts';
import { RawNode } from '../../src/raft/raw-node.ts';
import { MemoryStorage } from '../../src/raft/storage.ts';
import type { Entry } from '../../src/raft/types.ts';
import { EMPTY_CONF_STATE, message } from '../../src/raft/types.ts';
import { Prng } from '../../sim/world/prng.ts';
import { violation } from '../support/violation.ts';

const mvcc = (invariant: string) => ({ layer: 'mvcc', invariant });
const raft = (invariant: string) => ({ layer: 'raft', invariant });

function keyIndex(...mains: number[]): KeyIndex {
  const ki = new KeyIndex('k');
  for (const main of mains) ki.put({ main, sub: 0 });
  return ki;
}

function store(puts: number): MvccStore {
  const s = new MvccStore();
  for (let i = 0; i < puts; i++) {
    const t = s.write();
    t.put(i % 2 === 0 ? 'a' : 'b', `v${i}`, NO_LEASE);
    t.end();
  }
  return s;
}

describe('mvcc: key index', () => {
  it('compaction keeps the latest version at or below the compact revision for the revision log', () => {
    expect(violation(() => keyIndex(2, 3, 5).compact(4, new Set()))).toBeUndefined();
    // A revision log that forgets what the index tells it to keep.
    const forgetful = new (class extends Set<string> {
      override add(): this {
        return this;
      }
    })();
    expect(violation(() => keyIndex(2, 3, 5).compact(4, forgetful))).toEqual(mvcc('key-index: compaction keeps the latest version at or below the compact revision'));
  });

  it('revisions increase across generations', () => {
    const ki = keyIndex(2, 3, 5);
    ki.generations[0]!.revs[1] = { main: 6, sub: 0 };
    expect(violation(() => ki.compact(1, new Set()))).toEqual(mvcc('key-index: revisions increase across generations'));
  });

  it('a closed generation holds its revisions, and the last revision is the modified one', () => {
    const closed = keyIndex(2, 3);
    closed.tombstone({ main: 4, sub: 0 });
    closed.put({ main: 6, sub: 0 });
    expect(violation(() => closed.assertOrdered())).toBeUndefined();
    closed.generations[0]!.ver = 1;
    expect(violation(() => closed.assertOrdered())).toEqual(mvcc('key-index: a closed generation holds its revisions and tombstone'));
    const moved = keyIndex(2, 3);
    moved.modified = { main: 9, sub: 0 };
    expect(violation(() => moved.assertOrdered())).toEqual(mvcc("key-index: the last revision is the key's modified revision"));
  });
});

describe('mvcc: tree index and revision log agree', () => {
  it('compaction finds every revision the index keeps stored, under its key', () => {
    expect(violation(() => store(6).compact(5))).toBeUndefined();
    const lost = store(6);
    lost.log.delete(5); // the latest 'b' at or below 5 is at revision 5 (revisions start at 2)
    expect(violation(() => lost.compact(5))).toEqual(mvcc('mvcc: every revision the index keeps is stored, under its key'));
    const swapped = store(6);
    const entry = swapped.log.get(6)![0]!;
    swapped.log.get(6)![0] = { ...entry, kv: { ...entry.kv, key: 'other' } };
    expect(violation(() => swapped.compact(6))).toEqual(mvcc('mvcc: every revision the index keeps is stored, under its key'));
  });

  it('a restored store is at or after its compact revision', () => {
    const s = store(6);
    s.compact(4);
    const snap = snapshotStore(s);
    expect(violation(() => restoreStore(snap))).toBeUndefined();
    expect(violation(() => restoreStore({ ...snap, compactMainRev: snap.currentRev + 1 }))).toEqual(mvcc('snapshot: a restored store is at or after its compact revision'));
  });
});

describe('raft: storage boundaries and the durable vote', () => {
  const entries = (...indexes: number[]): Entry[] => indexes.map((index) => ({ index, term: 1, type: 'normal', data: '' }));

  it('the stored term never goes back, nor a vote within a term', () => {
    const s = new MemoryStorage();
    s.setHardState({ term: 2, vote: 1, commit: 0 });
    expect(violation(() => s.setHardState({ term: 2, vote: 1, commit: 1 }))).toBeUndefined();
    expect(violation(() => s.setHardState({ term: 3, vote: 2, commit: 1 }))).toBeUndefined();
    expect(violation(() => s.setHardState({ term: 3, vote: 3, commit: 1 }))).toEqual(raft('storage-hard-state-monotonic'));
    expect(violation(() => s.setHardState({ term: 2, vote: 2, commit: 1 }))).toEqual(raft('storage-hard-state-monotonic'));
  });

  it('an append ends the log at its last entry', () => {
    expect(violation(() => new MemoryStorage().append(entries(1, 2, 3)))).toBeUndefined();
    expect(violation(() => new MemoryStorage().append(entries(1, 3)))).toEqual(raft('storage-append-last'));
  });

  it('a compaction leaves the first index right after it and the last index where it was', () => {
    const sound = new MemoryStorage();
    sound.append(entries(1, 2, 3));
    expect(violation(() => sound.compact(2))).toBeUndefined();
    const gap = new MemoryStorage();
    (gap as unknown as { ents: Entry[] }).ents = [{ index: 0, term: 0, type: 'normal', data: '' }, ...entries(1, 3)];
    expect(violation(() => gap.compact(2))).toEqual(raft('storage-compact-boundary'));
  });

  function node(): RawNode {
    return new RawNode({ id: 1, electionTick: 10, heartbeatTick: 1, storage: new MemoryStorage({ ...EMPTY_CONF_STATE, voters: [1, 2, 3] }), random: new Prng(1) });
  }

  it('a granted vote leaves in a Ready whose hard state holds it', () => {
    const n = node();
    n.step(message({ type: 'MsgVote', from: 2, to: 1, term: 5, index: 0, logTerm: 0 }));
    expect(violation(() => n.ready())).toBeUndefined();
    const forged = node();
    forged.raft.term = 5;
    forged.raft.msgs.push(message({ type: 'MsgVoteResp', from: 1, to: 3, term: 5 }));
    expect(violation(() => forged.ready())).toEqual(raft('vote-persisted-before-granted'));
  });

  it('the hard state a Ready hands out never takes back a term or a vote', () => {
    const n = node();
    n.step(message({ type: 'MsgVote', from: 2, to: 1, term: 5, index: 0, logTerm: 0 }));
    n.advance(n.ready());
    n.raft.vote = 3;
    expect(violation(() => n.ready())).toEqual(raft('hard-state-monotonic'));
    n.raft.vote = 2;
    n.raft.term = 4;
    expect(violation(() => n.ready())).toEqual(raft('hard-state-monotonic'));
  });

  it('a member never steps back to an older term', () => {
    const n = node();
    n.step(message({ type: 'MsgVote', from: 2, to: 1, term: 5, index: 0, logTerm: 0 }));
    expect(violation(() => n.raft.becomeFollower(5, 2))).toBeUndefined();
    expect(violation(() => n.raft.becomeFollower(4, 2))).toEqual(raft('term-monotonic'));
  });
});
