// Authentication on a member that lags the cluster, as etcd 3.4 handles it: Authenticate makes a
// linearizable read before it checks the password (a user added through another member is
// found), and a token issued at a raft index the member has not applied yet holds the request
// until the member applies it (etcd's simple token wait), instead of refusing it at once; a
// watch stream's create waits the same way, and the stream's later requests behind it. An
// Authenticate whose auth revision moved between its password check and its entry's apply is
// checked and proposed again (etcd's loop in EtcdServer.Authenticate).
import { describe, expect, test } from 'vitest';
import { Member } from '../../../src/server/member.ts';
import type { MemberOutput } from '../../../src/server/member.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { initialConfState } from '../../../src/server/member-recovery.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { ScriptedRaft } from '../../support/scripted-raft.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { Entry } from '../../../src/raft/types.ts';

const b = (s: string): string => Buffer.from(s).toString('base64');
const HEADER = { clusterId: '1', memberId: '2', raftTerm: (): number => 2 };

/**
 * The leader's side: requests classified and encoded on a state machine of its own, each at
 * the next raft index; `entries` is the committed log the follower is fed from.
 */
class Leader {
  readonly sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 2, peers: [1, 2, 3] });
  readonly entries: Entry[] = [{ term: 2, index: 1, type: 'normal', data: '' }];
  private requestId = 1000;

  constructor() {
    this.sm.applyNoop(1);
  }

  /** Proposes and applies `path` at the next index; returns the reply body. */
  commit(path: string, body: object, token?: string): unknown {
    let c = this.sm.classify(path, body, HEADER, undefined, token);
    if (c.kind === 'read-then-propose') c = c.after();
    if (c.kind !== 'propose') throw new Error(`${path}: ${c.kind}`);
    const { data } = c.encode(String(++this.requestId));
    const index = this.entries.length + 1;
    this.entries.push({ term: 2, index, type: 'normal', data });
    const r = this.sm.apply(index, 2, data, 0);
    if (!r.reply.ok) throw new Error(`${path}: ${r.reply.error.message}`);
    return r.reply.body;
  }

  /** Commits an entry another member proposed (its raft data as it was handed to raft). */
  append(data: string): void {
    const index = this.entries.length + 1;
    this.entries.push({ term: 2, index, type: 'normal', data });
    this.sm.apply(index, 2, data, 0);
  }
}

function follower(): { member: Member; raft: ScriptedRaft; replies: () => { status: number; body: unknown }[]; applyUpTo: (leader: Leader, index: number, readCtx?: string) => void } {
  const raft = new ScriptedRaft({ lead: 2, term: 2, commit: 0, raftState: 'follower' });
  const member = new Member({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1, 2, 3] }, raft, new MemoryStorage(initialConfState([1, 2, 3])), new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1, 2, 3] }), { nowMs: () => 0, nameOf: (id) => `n${id}`, nonce: 7 });
  let applied = 0;
  const applyUpTo = (leader: Leader, index: number, readCtx?: string): void => {
    const committed = leader.entries.slice(applied, index);
    applied = index;
    raft.pending = { softState: { lead: 2, raftState: 'follower' }, readStates: readCtx === undefined ? [] : [{ index, requestCtx: readCtx }], entries: committed, committedEntries: committed, messages: [] };
    member.afterPersist(member.nextReady()!);
  };
  const replies = (): { status: number; body: unknown }[] => member.takeOutputs().flatMap((o: MemberOutput) => (o.kind === 'reply' ? [{ status: o.status, body: o.body }] : []));
  return { member, raft, replies, applyUpTo };
}

/** Root and user u (password p, read-write on k), authentication enabled, all through the leader. */
function authCluster(): Leader {
  const leader = new Leader();
  leader.commit('/v3/auth/user/add', { name: 'root', password: 'r' });
  leader.commit('/v3/auth/user/grant', { user: 'root', role: 'root' });
  leader.commit('/v3/auth/role/add', { name: 'rw' });
  leader.commit('/v3/auth/role/grant', { name: 'rw', perm: { permType: 'READWRITE', key: b('k') } });
  leader.commit('/v3/auth/user/add', { name: 'u', password: 'p' });
  leader.commit('/v3/auth/user/grant', { user: 'u', role: 'rw' });
  leader.commit('/v3/auth/enable', {});
  return leader;
}

describe('auth on a lagging member', () => {
  test('a token issued at an index the member has not applied waits for it, then the request is served', () => {
    const leader = authCluster();
    const { member, raft, replies, applyUpTo } = follower();
    applyUpTo(leader, leader.entries.length);
    const { token } = leader.commit('/v3/auth/authenticate', { name: 'u', password: 'p' }) as { token: string };
    expect(token.endsWith(`.${leader.entries.length}`)).toBe(true);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/kv/put', body: { key: b('k'), value: b('v') }, token });
    member.receiveClient('c', { kind: 'request', id: 2, path: '/v3/kv/range', body: { key: b('k'), serializable: true }, token });
    expect(replies()).toEqual([]);
    expect(raft.proposals).toEqual([]);
    applyUpTo(leader, leader.entries.length);
    // The put is proposed now, with the token's user in its entry; the read is served.
    expect(raft.proposals).toHaveLength(1);
    expect(replies()).toMatchObject([{ status: 200, body: { header: { member_id: '1' } } }]);
  });

  test('a token whose index never applies is "invalid auth token" after the request timeout', () => {
    const leader = authCluster();
    let nowMs = 0;
    const raft = new ScriptedRaft({ lead: 2, term: 2, commit: 0, raftState: 'follower' });
    const member = new Member({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1, 2, 3] }, raft, new MemoryStorage(initialConfState([1, 2, 3])), new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1, 2, 3] }), { nowMs: () => nowMs, nameOf: (id) => `n${id}`, nonce: 7 });
    raft.pending = { readStates: [], entries: leader.entries, committedEntries: leader.entries, messages: [] };
    member.afterPersist(member.nextReady()!);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/kv/range', body: { key: b('k') }, token: 'abcdefghijklmnop.999999' });
    member.receiveClient('c', { kind: 'request', id: 2, path: '/v3/kv/range', body: { key: b('k'), serializable: true }, token: 'no-index' });
    const out = (): unknown[] => member.takeOutputs().flatMap((o) => (o.kind === 'reply' ? [o.body] : []));
    expect(out()).toMatchObject([{ message: 'etcdserver: invalid auth token' }]);
    for (nowMs = 0; nowMs <= 60_000; nowMs += 100) member.tick();
    expect(out()).toMatchObject([{ code: 16, message: 'etcdserver: invalid auth token' }]);
  });

  test('Authenticate reads linearizably first: a user the member has not applied yet can log in', () => {
    const leader = authCluster();
    const { member, raft, replies, applyUpTo } = follower();
    applyUpTo(leader, 5);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/auth/authenticate', body: { name: 'u', password: 'p' } });
    expect(replies()).toEqual([]);
    expect(raft.readContexts).toHaveLength(1);
    // The read index is the leader's commit: once the member applied up to it, the password is checked.
    applyUpTo(leader, leader.entries.length, raft.readContexts[0]);
    expect(replies()).toEqual([]);
    expect(raft.proposals).toHaveLength(1);
  });

  test('Authenticate with a wrong password after the read: "authentication failed", nothing proposed', () => {
    const leader = authCluster();
    const { member, raft, replies, applyUpTo } = follower();
    applyUpTo(leader, 2);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/auth/authenticate', body: { name: 'u', password: 'x' } });
    applyUpTo(leader, leader.entries.length, raft.readContexts[0]);
    expect(replies()).toMatchObject([{ body: { message: 'etcdserver: authentication failed, invalid user ID or password' } }]);
    expect(raft.proposals).toEqual([]);
  });

  test('Authenticate whose password changed between the check and the apply: checked again, "authentication failed"', () => {
    const leader = authCluster();
    const { member, raft, replies, applyUpTo } = follower();
    applyUpTo(leader, leader.entries.length);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/auth/authenticate', body: { name: 'u', password: 'p' } });
    applyUpTo(leader, leader.entries.length, raft.readContexts[0]);
    expect(raft.proposals).toHaveLength(1);
    // The password changes through the leader; the member's login entry commits after it.
    const { token } = leader.commit('/v3/auth/authenticate', { name: 'root', password: 'r' }) as { token: string };
    leader.commit('/v3/auth/user/changepw', { name: 'u', password: 'q' }, token);
    leader.append(raft.proposals[0]!);
    applyUpTo(leader, leader.entries.length);
    expect(replies()).toMatchObject([{ body: { message: 'etcdserver: authentication failed, invalid user ID or password' } }]);
    expect(raft.proposals).toHaveLength(1);
  });

  test('Authenticate whose auth revision moved (another user added) is proposed again, and the second token answers', () => {
    const leader = authCluster();
    const { member, raft, replies, applyUpTo } = follower();
    applyUpTo(leader, leader.entries.length);
    member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/auth/authenticate', body: { name: 'u', password: 'p' } });
    applyUpTo(leader, leader.entries.length, raft.readContexts[0]);
    leader.commit('/v3/auth/user/add', { name: 'v', password: 'w' }, (leader.commit('/v3/auth/authenticate', { name: 'root', password: 'r' }) as { token: string }).token);
    leader.append(raft.proposals[0]!);
    applyUpTo(leader, leader.entries.length);
    expect(replies()).toEqual([]);
    expect(raft.proposals).toHaveLength(2);
    leader.append(raft.proposals[1]!);
    applyUpTo(leader, leader.entries.length);
    const [reply] = replies();
    expect((reply?.body as { token?: string }).token).toMatch(new RegExp(`^[A-Za-z]{16}\\.${leader.entries.length}$`));
  });

  test('a watch created with a token the member has not applied waits for it (the stream reads nothing more), then is created', () => {
    const leader = authCluster();
    const { member, applyUpTo } = follower();
    applyUpTo(leader, leader.entries.length);
    const { token } = leader.commit('/v3/auth/authenticate', { name: 'u', password: 'p' }) as { token: string };
    const watchReplies = (): unknown[] => member.takeOutputs().flatMap((o) => (o.kind === 'client' && o.message.kind === 'watch-response' ? [o.message.body] : []));
    member.receiveClient('c', { kind: 'watch-send', id: 1, stream: 1, body: { create_request: { key: b('k'), watch_id: 5 } }, open: true, token });
    member.receiveClient('c', { kind: 'watch-send', id: 2, stream: 1, body: { create_request: { key: b('z'), watch_id: 6 } } });
    expect(watchReplies()).toEqual([]);
    applyUpTo(leader, leader.entries.length);
    // Both in order: k, which u may read, is created; z is refused.
    expect(watchReplies()).toMatchObject([{ result: { watch_id: '5', created: true } }, { result: { watch_id: '-1', created: true, canceled: true, cancel_reason: 'rpc error: code = PermissionDenied desc = etcdserver: permission denied' } }]);
  });
});
