// A member that knows no leader holds writes and lease requests as etcd 3.4 does
// (MemberConfig.proposalsWaitForLeader, set by `detcd serve`): a write is proposed once a
// leader is known, or fails "context deadline exceeded" (Unknown) at ReqTimeout; a lease
// request forwarded to the leader waits likewise and fails "no leader". Without the setting the
// member answers "no leader" at once.
import { describe, expect, test } from 'vitest';
import { Member } from '../../../src/server/member.ts';
import type { MemberOutput } from '../../../src/server/member.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { initialConfState } from '../../../src/server/member-recovery.ts';
import { ScriptedRaft } from '../../support/scripted-raft.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { Entry } from '../../../src/raft/types.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';

interface Setup { member: Member; raft: ScriptedRaft; clock: { now: number } }

function setup(wait: boolean): Setup {
  const clock = { now: 0 };
  const raft = new ScriptedRaft({ lead: 0, term: 2, commit: 0, raftState: 'follower' });
  const config = { ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1, 2, 3], proposalsWaitForLeader: wait };
  const member = new Member(config, raft, new MemoryStorage(initialConfState([1, 2, 3])), new EtcdStateMachine(config), { nowMs: () => clock.now, nameOf: (id) => `n${id}`, nonce: 3 });
  return { member, raft, clock };
}

function replies(outs: readonly MemberOutput[]): { id: number; status: number; body: Record<string, unknown> }[] {
  return outs.flatMap((o) => (o.kind === 'reply' ? [o as unknown as { id: number; status: number; body: Record<string, unknown> }] : []));
}

/** raft reports leader `lead` (and, with entries, commits them). */
function ready(s: Setup, lead: number, entries: Entry[] = []): void {
  s.raft.st = { ...s.raft.st, lead, raftState: 'follower' };
  s.raft.pending = { softState: { lead, raftState: 'follower' }, readStates: [], entries, committedEntries: entries, messages: [] };
  s.member.afterPersist(s.member.nextReady()!);
}

const put = (s: Setup, id: number): void => s.member.receiveClient('c', { kind: 'request', id, path: '/v3/kv/put', body: { key: 'YQ==', value: 'Yg==' } });

describe('a member without a leader', () => {
  test('holds a write until a leader is known, then proposes it and answers once it applied', () => {
    const s = setup(true);
    put(s, 1);
    s.clock.now = 3_000;
    s.member.tick();
    expect(replies(s.member.takeOutputs())).toEqual([]);
    expect(s.raft.proposals).toEqual([]);
    ready(s, 2);
    expect(s.raft.proposals.length).toBe(1);
    ready(s, 2, [{ term: 2, index: 1, type: 'normal', data: s.raft.proposals[0]! }]);
    expect(replies(s.member.takeOutputs())).toMatchObject([{ id: 1, status: 200 }]);
  });

  test('fails a held write at ReqTimeout with the context\'s error, as grpc-go sends it (Unknown)', () => {
    const s = setup(true);
    put(s, 1);
    s.clock.now = 6_999;
    s.member.tick();
    expect(replies(s.member.takeOutputs())).toEqual([]);
    s.clock.now = 7_000;
    s.member.tick();
    expect(replies(s.member.takeOutputs())).toMatchObject([{ id: 1, status: 500, body: { message: 'context deadline exceeded', code: 2 } }]);
    // Never proposed, even when a leader comes after.
    ready(s, 2);
    expect(s.raft.proposals).toEqual([]);
  });

  test('holds a lease request for the leader and fails it "no leader" at ReqTimeout (etcd\'s waitLeader)', () => {
    const s = setup(true);
    s.member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/lease/timetolive', body: { ID: '5' } });
    s.clock.now = 7_000;
    s.member.tick();
    expect(replies(s.member.takeOutputs())).toMatchObject([{ id: 1, status: 503, body: { message: 'etcdserver: no leader' } }]);
  });

  test('forwards a held lease request once a leader is known', () => {
    const s = setup(true);
    s.member.receiveClient('c', { kind: 'request', id: 1, path: '/v3/lease/timetolive', body: { ID: '5' } });
    ready(s, 2);
    expect(s.member.takeOutputs().filter((o) => o.kind === 'peer')).toMatchObject([{ kind: 'peer', to: 2, message: { kind: 'lease-forward' } }]);
  });

  test('without the setting answers "no leader" at once', () => {
    const s = setup(false);
    put(s, 1);
    expect(replies(s.member.takeOutputs())).toMatchObject([{ id: 1, status: 503, body: { message: 'etcdserver: no leader' } }]);
  });
});
