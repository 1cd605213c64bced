// The member on its own, with a scripted raft: which error each refusal gets, and that a
// proposal's reply waits for its entry to apply on the member that proposed it.
import { describe, expect, test } from 'vitest';
import { Member } from '../../../src/server/member.ts';
import type { MemberOutput } from '../../../src/server/member.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import type { MemberUnsafeOptions } from '../../../src/server/member-config.ts';
import { initialConfState } from '../../../src/server/member-recovery.ts';
import type { RaftReady } from '../../../src/server/raft-port.ts';
import { ScriptedRaft } from '../../support/scripted-raft.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { Entry, Message } from '../../../src/raft/types.ts';
import { message } from '../../../src/raft/types.ts';
import { RegisterStateMachine } from '../../sim/etcd/register-state-machine.ts';

function setup(pendingApplyMax?: number, unsafe?: MemberUnsafeOptions): { member: Member; raft: ScriptedRaft; out: () => readonly MemberOutput[] } {
  const raft = new ScriptedRaft();
  const storage = new MemoryStorage(initialConfState([1]));
  const member = new Member({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1], pendingApplyMax, unsafe }, raft, storage, new RegisterStateMachine(), { nowMs: () => 0, nameOf: (id) => `n${id}`, nonce: 7 });
  return { member, raft, out: () => member.takeOutputs() };
}

function replies(outs: readonly MemberOutput[]): unknown[] {
  return outs.flatMap((o) => (o.kind === 'reply' ? [o] : []));
}

function deliver(member: Member, raft: ScriptedRaft, entries: Entry[]): void {
  raft.pending = { readStates: [], entries, committedEntries: entries, messages: [] };
  const rd = member.nextReady()!;
  member.afterPersist(rd);
}

describe('member', () => {
  test('a put is answered only when its entry applies, with the leader hint', () => {
    const { member, raft, out } = setup();
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    deliver(member, raft, [{ term: 2, index: 1, type: 'normal', data: '' }]);
    member.receiveClient('c', { kind: 'request', id: 5, path: '/v3/kv/put', body: { key: 'a', value: 'b' } });
    expect(replies(out())).toEqual([]);
    deliver(member, raft, [{ term: 2, index: 2, type: 'normal', data: raft.proposals[0]! }]);
    expect(replies(out())).toEqual([{ kind: 'reply', id: 5, status: 200, body: { header: { revision: '2' } }, member: 'n1', leader: 'n1', to: 'c' }]);
  });

  test('refusals: no leader, too many requests when apply lags commit by over 5000, dropped proposals', () => {
    const { member, raft, out } = setup();
    const put = (id: number): void => member.receiveClient('c', { kind: 'request', id, path: '/v3/kv/put', body: { key: 'a', value: 'b' } });
    put(1);
    expect(replies(out())).toMatchObject([{ id: 1, status: 503, body: { message: 'etcdserver: no leader', code: 14 } }]);
    deliver(member, raft, []);
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    raft.st = { ...raft.st, commit: 5_001 };
    put(2);
    // Unknown (500), not rpctypes' ResourceExhausted: etcd 3.4's toGRPCErrorMap holds the client-side error for it.
    expect(replies(out())).toMatchObject([{ id: 2, status: 500, body: { message: 'etcdserver: too many requests', code: 2 } }]);
    raft.st = { ...raft.st, commit: 0 };
    raft.dropProposals = true;
    put(3);
    expect(replies(out())).toMatchObject([{ id: 3, status: 503, body: { message: 'etcdserver: no leader' } }]);
  });

  test('the apply-lag limit is the member setting (a scenario\'s cluster.etcd.pendingApplyMax)', () => {
    const { member, raft, out } = setup(10);
    const put = (id: number): void => member.receiveClient('c', { kind: 'request', id, path: '/v3/kv/put', body: { key: 'a', value: 'b' } });
    deliver(member, raft, []);
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    raft.st = { ...raft.st, commit: 10 };
    put(1);
    expect(replies(out())).toEqual([]);
    raft.st = { ...raft.st, commit: 11 };
    put(2);
    expect(replies(out())).toMatchObject([{ id: 2, status: 500, body: { message: 'etcdserver: too many requests' } }]);
  });

  test('Status names "no leader" among its errors while the member knows no leader, as etcd\'s maintenance server does', () => {
    const { member, raft, out } = setup();
    let id = 0;
    const status = (): Record<string, unknown> => {
      member.receiveClient('c', { kind: 'request', id: ++id, path: '/v3/maintenance/status', body: {} });
      return (replies(out()) as { body: Record<string, unknown> }[])[0]!.body;
    };
    expect(status()['leader']).toBe('1');
    expect(status()).not.toHaveProperty('errors');
    raft.st = { ...raft.st, lead: 0, raftState: 'follower' };
    const body = status();
    expect(body).not.toHaveProperty('leader');
    expect(body['errors']).toEqual(['etcdserver: no leader']);
    // Where etcd's StatusResponse has it: after raftAppliedIndex, before dbSizeInUse (the gateway's JSON keeps field order).
    const keys = Object.keys(body);
    expect(keys.slice(keys.indexOf('raftAppliedIndex'))).toEqual(['raftAppliedIndex', 'errors', 'dbSizeInUse']);
  });

  test('a proposal that never applies times out after ReqTimeout with "request timed out"', () => {
    let now = 0;
    const raft = new ScriptedRaft();
    const member = new Member({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] }, raft, new MemoryStorage(initialConfState([1])), new RegisterStateMachine(), { nowMs: () => now, nameOf: (id) => `n${id}`, nonce: 1 });
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    member.receiveClient('c', { kind: 'request', id: 9, path: '/v3/kv/put', body: { key: 'a', value: 'b' } });
    now = 6_999;
    member.tick();
    expect(replies(member.takeOutputs())).toEqual([]);
    now = 7_000;
    member.tick();
    expect(replies(member.takeOutputs())).toMatchObject([{ id: 9, status: 503, body: { message: 'etcdserver: request timed out' } }]);
  });

  test('the size bound reads the body length the sender measured, and measures the body when none came', () => {
    const { member, raft, out } = setup();
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    const body = { key: 'a', value: 'b' };
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/kv/put', body, bodyTextLength: 4 * 1_572_864 + 1 });
    expect(replies(out())).toMatchObject([{ id: 1, body: { message: 'etcdserver: request is too large' } }]);
    member.receiveClient('c', { kind: 'request', id: 2, path: '/v3/kv/put', body, bodyTextLength: JSON.stringify(body).length });
    member.receiveClient('c', { kind: 'request', id: 3, path: '/v3/kv/put', body: { key: 'a', value: 'x'.repeat(4 * 1_572_864) } });
    expect(raft.proposals.length).toBe(1);
    expect(replies(out())).toMatchObject([{ id: 3, body: { message: 'etcdserver: request is too large' } }]);
  });

  test('a request the network delivers twice is proposed once', () => {
    const { member, raft } = setup();
    raft.pending = { softState: { lead: 1, raftState: 'leader' }, readStates: [], entries: [], committedEntries: [], messages: [] };
    member.afterPersist(member.nextReady()!);
    const m = { kind: 'request', id: 4, path: '/v3/kv/put', body: { key: 'a', value: 'b' } } as const;
    member.receiveClient('c', m);
    member.receiveClient('c', m);
    member.receiveClient('other', m);
    expect(raft.proposals.length).toBe(2);
  });

  test('a watch message on a stream this member does not know is answered "closed" unless it opens the stream', () => {
    const { member, out } = setup();
    member.receiveClient('c', { kind: 'watch-send', id: 1, stream: 3, body: { progress_request: {} } });
    member.receiveClient('c', { kind: 'watch-ping', id: 2, stream: 4 });
    const closed = out().flatMap((o) => (o.kind === 'client' ? [o.message] : []));
    expect(closed).toEqual([{ kind: 'watch-closed', stream: 3, reason: 'unknown stream' }, { kind: 'watch-closed', stream: 4, reason: 'unknown stream' }]);
    member.receiveClient('c', { kind: 'watch-send', id: 3, stream: 5, body: { create_request: { key: 'a' } }, open: true });
    member.receiveClient('c', { kind: 'watch-ping', id: 4, stream: 5 });
    expect(out().flatMap((o) => (o.kind === 'client' ? [o.message.kind] : []))).toEqual(['watch-pong']);
  });

  // Raft messages are what members send each other, as raft built them: no wrapper objects per
  // message (two per message were most of the member's output garbage), one output per Ready.
  const sent = (outs: readonly MemberOutput[]): (readonly Message[])[] => outs.flatMap((o) => (o.kind === 'raft' ? [o.messages] : []));
  const readyWith = (messages: Message[]): RaftReady => ({ readStates: [], entries: [], committedEntries: [], messages });

  test("a Ready's raft messages leave after its persist, as raft's own objects, in its order, in one output", () => {
    const { member, raft, out } = setup();
    const ms = [message({ type: 'MsgApp', to: 2, from: 1, term: 2 }), message({ type: 'MsgVoteResp', to: 3, from: 1, term: 2 }), message({ type: 'MsgHeartbeat', to: 3, from: 1, term: 2 })];
    raft.pending = readyWith(ms);
    const rd = member.nextReady()!;
    expect(sent(out())).toEqual([]);
    member.afterPersist(rd);
    const batches = sent(out());
    expect(batches.length).toBe(1);
    expect(batches[0]!.length).toBe(3);
    ms.forEach((m, i) => expect(batches[0]![i]).toBe(m));
  });

  test('the planted voteBeforeSync sends the vote answers before the persist and the rest after it; sendBeforeSync everything before', () => {
    const ms = [message({ type: 'MsgApp', to: 2, from: 1, term: 2 }), message({ type: 'MsgVoteResp', to: 3, from: 1, term: 2 })];
    const votes = setup(undefined, { voteBeforeSync: true });
    votes.raft.pending = readyWith(ms);
    const rd = votes.member.nextReady()!;
    expect(sent(votes.out()).flat().map((m) => m.type)).toEqual(['MsgVoteResp']);
    votes.member.afterPersist(rd);
    expect(sent(votes.out()).flat().map((m) => m.type)).toEqual(['MsgApp']);
    const early = setup(undefined, { sendBeforeSync: true });
    early.raft.pending = readyWith(ms);
    const rd2 = early.member.nextReady()!;
    expect(sent(early.out()).flat()).toEqual(ms);
    early.member.afterPersist(rd2);
    expect(sent(early.out())).toEqual([]);
  });

  test("a Ready's MsgAppResps: only the last leaves (etcd's raftNode.processMessages), the other messages as raft ordered them", () => {
    const { member, raft, out } = setup();
    const resp = (index: number, reject = false) => message({ type: 'MsgAppResp', to: 2, from: 1, term: 2, index, reject });
    const beat = message({ type: 'MsgHeartbeatResp', to: 2, from: 1, term: 2 });
    const prop = message({ type: 'MsgProp', to: 2, from: 1, term: 0 });
    raft.pending = readyWith([resp(4, true), resp(5), beat, resp(7), prop]);
    member.afterPersist(member.nextReady()!);
    expect(sent(out())).toEqual([[beat, resp(7), prop]]);
    const one = [resp(8), beat];
    raft.pending = readyWith(one);
    member.afterPersist(member.nextReady()!);
    const batches = sent(out());
    expect(batches[0]).toBe(one);
  });
});
