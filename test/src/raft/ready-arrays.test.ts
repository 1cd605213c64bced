// A Ready's arrays: empty ones are one shared array (most Readies carry no entries, messages or
// read states, and a fresh [] for each was garbage per event), and a filled one is handed over:
// what raft does after ready() never shows in a Ready the host still holds.
import { describe, expect, it } from 'vitest';
import { RawNode } from '../../../src/raft/raw-node.ts';
import { message } from '../../../src/raft/types.ts';
import { entsWithTerms, newStorage, seededRandom } from './helpers.ts';

function follower(): RawNode {
  return new RawNode({ id: 1, electionTick: 10, heartbeatTick: 1, storage: newStorage([1, 2]), random: seededRandom(1) });
}

describe('Ready arrays', () => {
  it('Readies without entries, messages, read states or committed entries share one empty array each', () => {
    const n = follower();
    n.step(message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1, commit: 0 }));
    const a = n.ready();
    n.advance(a);
    n.step(message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1, commit: 0 }));
    n.advance(n.ready());
    n.tick();
    const b = n.ready();
    expect(b.messages).toEqual([]);
    expect([b.entries, b.readStates, b.committedEntries]).toEqual([[], [], []]);
    const c = n.ready();
    expect(c.messages).toBe(b.messages);
    expect(c.entries).toBe(b.entries);
    expect(c.readStates).toBe(b.readStates);
    expect(c.committedEntries).toBe(b.committedEntries);
  });

  it('a Ready keeps its messages and entries while raft goes on (they were handed over, not shared)', () => {
    const n = follower();
    n.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, logTerm: 0, entries: entsWithTerms(1) }));
    const rd = n.ready();
    expect(rd.messages.map((m) => [m.type, m.index])).toEqual([['MsgAppResp', 1]]);
    n.step(message({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, type: 'normal', data: '' }] }));
    expect(rd.messages.map((m) => [m.type, m.index])).toEqual([['MsgAppResp', 1]]);
    expect(rd.entries.map((e) => e.index)).toEqual([1]);
  });
});
