// message() and messageTo() build what `{ defaults..., ...fields }` and `{ ...m, to }` built
// (the same fields, values and key order), without the object spreads V8 builds slowly.
import { describe, expect, it } from 'vitest';
import { appendAccepted, appendMessage, heartbeatAnswer, heartbeatMessage, localMessage, message, messageTo, readIndexAnswer } from '../../../src/raft/types.ts';
import type { Message } from '../../../src/raft/types.ts';

const DEFAULTS = { to: 0, from: 0, term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: '' };
const snapshot = { data: 'd', metadata: { index: 5, term: 2, confState: { voters: [1], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };

const cases: (Partial<Message> & Pick<Message, 'type'>)[] = [
  { type: 'MsgHup', from: 1 },
  { type: 'MsgApp', to: 2, index: 7, logTerm: 3, entries: [{ term: 3, index: 8, type: 'normal', data: 'x' }], commit: 6 },
  { type: 'MsgAppResp', to: 1, index: 9, reject: true, rejectHint: 4 },
  { type: 'MsgHeartbeat', to: 3, commit: 2, context: 'ctx' },
  { type: 'MsgSnap', to: 2, snapshot },
  { type: 'MsgVote', to: 2, term: 4, context: undefined as unknown as string },
  { type: 'MsgProp', snapshot: undefined } as unknown as Pick<Message, 'type'>,
];

describe('raft message builders', () => {
  it('message(fields) equals the spread over the zero values, key order included', () => {
    for (const f of cases) {
      const spread = { ...DEFAULTS, ...f };
      const built = message(f);
      expect(built).toEqual(spread);
      expect(Object.keys(built)).toEqual(Object.keys(spread));
    }
  });

  it('messageTo(m, to) equals { ...m, to } and leaves m as it was', () => {
    for (const f of cases) {
      const m = message(f);
      const before = { ...m };
      const spread = { ...m, to: 9 };
      const built = messageTo(m, 9);
      expect(built).toEqual(spread);
      expect(Object.keys(built)).toEqual(Object.keys(spread));
      expect(m).toEqual(before);
      expect(built).not.toBe(m);
    }
  });
});

describe('messages without entries', () => {
  it('share one empty entries array (none built per vote, heartbeat or answer)', () => {
    const a = message({ type: 'MsgHeartbeat', to: 2 });
    const b = message({ type: 'MsgAppResp', to: 1, index: 3 });
    expect(a.entries).toBe(b.entries);
    expect(a.entries).toEqual([]);
    expect(messageTo(a, 3).entries).toBe(a.entries);
    const given = [{ term: 1, index: 1, type: 'normal' as const, data: 'x' }];
    expect(message({ type: 'MsgApp', entries: given }).entries).toBe(given);
  });
});

describe('the builders of the messages sent most', () => {
  it('appendMessage and appendAccepted equal message() of the same fields, key order included', () => {
    const entries = [{ term: 3, index: 8, type: 'normal' as const, data: 'x' }];
    const pairs: [ReturnType<typeof message>, ReturnType<typeof message>][] = [
      [appendMessage(2, 7, 3, entries, 6), message({ type: 'MsgApp', to: 2, index: 7, logTerm: 3, entries, commit: 6 })],
      [appendMessage(3, 0, 0, [], 0), message({ type: 'MsgApp', to: 3, index: 0, logTerm: 0, entries: [], commit: 0 })],
      [appendAccepted(1, 9), message({ type: 'MsgAppResp', to: 1, index: 9 })],
    ];
    for (const [built, general] of pairs) {
      expect(built).toEqual(general);
      expect(Object.keys(built)).toEqual(Object.keys(general));
    }
    expect(appendAccepted(1, 9).entries).toBe(message({ type: 'MsgHeartbeat' }).entries);
  });

  it('the heartbeat, read-index and local builders equal message() of the same fields, key order included', () => {
    const entries = [{ term: 0, index: 0, type: 'normal' as const, data: 'x' }];
    const pairs: [ReturnType<typeof message>, ReturnType<typeof message>][] = [
      [heartbeatMessage(3, 2, 'ctx'), message({ type: 'MsgHeartbeat', to: 3, commit: 2, context: 'ctx' })],
      [heartbeatMessage(2, 0, ''), message({ type: 'MsgHeartbeat', to: 2, commit: 0, context: '' })],
      [heartbeatAnswer(1, 'ctx'), message({ type: 'MsgHeartbeatResp', to: 1, context: 'ctx' })],
      [readIndexAnswer(2, 11, 'r7'), message({ type: 'MsgReadIndexResp', to: 2, index: 11, context: 'r7' })],
      [localMessage('MsgHup', 1), message({ type: 'MsgHup', from: 1 })],
      [localMessage('MsgBeat', 2), message({ type: 'MsgBeat', from: 2 })],
      [localMessage('MsgCheckQuorum', 3), message({ type: 'MsgCheckQuorum', from: 3 })],
      [localMessage('MsgProp', 1, entries), message({ type: 'MsgProp', from: 1, entries })],
      [localMessage('MsgReadIndex', 2, undefined, 'r8'), message({ type: 'MsgReadIndex', from: 2, context: 'r8' })],
    ];
    for (const [built, general] of pairs) {
      expect(built).toEqual(general);
      expect(Object.keys(built)).toEqual(Object.keys(general));
    }
    expect(localMessage('MsgProp', 1, entries).entries).toBe(entries);
    expect(heartbeatAnswer(1, '').entries).toBe(message({ type: 'MsgHeartbeat' }).entries);
    expect(localMessage('MsgBeat', 1)).not.toBe(localMessage('MsgBeat', 1));
  });
});
