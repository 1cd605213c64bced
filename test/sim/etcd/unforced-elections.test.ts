// campaign-while-led and check-quorum-unforced: elections no fault caused, judged from what each
// member stepped in world time (sim/etcd/unforced-elections.ts). 10 ms ticks, 10-tick elections:
// the window is 9 ticks at the fastest simulated drift (60 ms).
import { describe, expect, it } from 'vitest';
import { UnforcedElections } from '../../../sim/etcd/unforced-elections.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import type { Raft } from '../../../src/raft/raft.ts';
import { message } from '../../../src/raft/types.ts';
import { newStorage, newTestRaft } from '../../src/raft/helpers.ts';

function member(): { r: Raft; host: MemberHost } {
  const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
  return { r, host: { config: { tickMs: 10, electionTicks: 10 }, recovered: { raft: { node: { raft: r } } } } as unknown as MemberHost };
}

const MS = 1000;

describe('campaign-while-led', () => {
  it('must fail: a follower campaigns 10 ms after it stepped its leader\'s heartbeat', () => {
    const { r, host } = member();
    const u = new UnforcedElections();
    r.becomeFollower(1, 2);
    u.check(host, 0);
    u.onStepped(host, message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1 }), 0);
    r.hup('pre-election');
    expect(u.check(host, 10 * MS)?.invariant).toBe('campaign-while-led');
  });

  it('must pass: past the window, after a MsgTimeoutNow, or from a later term than the leader heard', () => {
    const late = member();
    const u = new UnforcedElections();
    late.r.becomeFollower(1, 2);
    u.onStepped(late.host, message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1 }), 0);
    late.r.hup('pre-election');
    expect(u.check(late.host, 61 * MS)).toBeUndefined();

    const asked = member();
    asked.r.becomeFollower(1, 2);
    u.onStepped(asked.host, message({ type: 'MsgApp', from: 2, to: 1, term: 1 }), 0);
    u.onStepped(asked.host, message({ type: 'MsgTimeoutNow', from: 2, to: 1, term: 1 }), 5 * MS);
    asked.r.hup('transfer');
    expect(u.check(asked.host, 5 * MS)).toBeUndefined();

    const moved = member();
    moved.r.becomeFollower(1, 2);
    u.onStepped(moved.host, message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1 }), 0);
    moved.r.becomeFollower(2, 0);
    moved.r.hup('election');
    expect(u.check(moved.host, 10 * MS)).toBeUndefined();
  });
});

describe('check-quorum-unforced', () => {
  function leader(): { r: Raft; host: MemberHost; u: UnforcedElections } {
    const { r, host } = member();
    const u = new UnforcedElections();
    r.becomeCandidate();
    r.becomeLeader();
    u.check(host, 0);
    return { r, host, u };
  }

  it('must fail: a leader steps down in its term though a follower answered it 20 ms before', () => {
    const { r, host, u } = leader();
    u.onStepped(host, message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term }), 80 * MS);
    r.becomeFollower(r.term, 0);
    expect(u.check(host, 100 * MS)?.invariant).toBe('check-quorum-unforced');
  });

  it('must pass: no answer in the window, an answer of another term, a step-down into a new term', () => {
    const quiet = leader();
    quiet.u.onStepped(quiet.host, message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: quiet.r.term }), 30 * MS);
    quiet.r.becomeFollower(quiet.r.term, 0);
    expect(quiet.u.check(quiet.host, 100 * MS)).toBeUndefined();

    const stale = leader();
    stale.u.onStepped(stale.host, message({ type: 'MsgAppResp', from: 2, to: 1, term: stale.r.term - 1 }), 90 * MS);
    stale.r.becomeFollower(stale.r.term, 0);
    expect(stale.u.check(stale.host, 100 * MS)).toBeUndefined();

    const deposed = leader();
    deposed.u.onStepped(deposed.host, message({ type: 'MsgAppResp', from: 2, to: 1, term: deposed.r.term }), 90 * MS);
    deposed.r.becomeFollower(deposed.r.term + 1, 0);
    expect(deposed.u.check(deposed.host, 100 * MS)).toBeUndefined();
  });
});

describe('check-quorum-unheard', () => {
  // A leader with CheckQuorum, looked at after every tick (the cluster's observer runs after every event).
  function checkingLeader(): { r: Raft; host: MemberHost; u: UnforcedElections; tickTo: (ms: number) => ReturnType<UnforcedElections['check']> } {
    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]), { checkQuorum: true });
    const host = { config: { tickMs: 10, electionTicks: 10 }, recovered: { raft: { node: { raft: r } } } } as unknown as MemberHost;
    const u = new UnforcedElections();
    r.becomeCandidate();
    r.becomeLeader();
    u.check(host, 0);
    let now = 0;
    const tickTo = (ms: number): ReturnType<UnforcedElections['check']> => {
      let found: ReturnType<UnforcedElections['check']>;
      while (now < ms * MS && found === undefined) {
        now += 10 * MS;
        r.tick();
        found = u.check(host, now);
      }
      return found;
    };
    return { r, host, u, tickTo };
  }

  it('must fail: a leader passes its first CheckQuorum though no follower answered since it won', () => {
    const { r, tickTo } = checkingLeader();
    // The planted mistake: every member counted as recently active from the start of the term.
    r.prs.visit((_id, pr) => { pr.recentActive = true; });
    expect(tickTo(100)?.invariant).toBe('check-quorum-unheard');
    expect(r.state).toBe('leader');
  });

  it('must pass: a follower answered in the window; a leader that steps down; no CheckQuorum', () => {
    const heard = checkingLeader();
    heard.r.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: heard.r.term }));
    heard.u.onStepped(heard.host, message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: heard.r.term }), 0);
    expect(heard.tickTo(100)).toBeUndefined();
    expect(heard.r.state).toBe('leader');

    const alone = checkingLeader();
    expect(alone.tickTo(100)).toBeUndefined();
    expect(alone.r.state).toBe('follower');

    const r = newTestRaft(1, 10, 1, newStorage([1, 2, 3]));
    const host = { config: { tickMs: 10, electionTicks: 10 }, recovered: { raft: { node: { raft: r } } } } as unknown as MemberHost;
    const u = new UnforcedElections();
    r.becomeCandidate();
    r.becomeLeader();
    u.check(host, 0);
    for (let t = 1; t <= 25; t++) {
      r.tick();
      expect(u.check(host, t * 10 * MS)).toBeUndefined();
    }
  });
});
