// transfer-target-up-to-date: a member's forced campaign carries a log at least as up to date as
// the one its old leader had when it sent it MsgTimeoutNow (sim/etcd/transfer-target.ts).
import { describe, expect, it } from 'vitest';
import { TransferTargets } from '../../../sim/etcd/transfer-target.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { RaftLog } from '../../../src/raft/raft-log.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { Entry } from '../../../src/raft/types.ts';
import { CAMPAIGN_TRANSFER, message } from '../../../src/raft/types.ts';

/** A leader (member 1) whose log holds entries of these terms, conf changes at `confAt`. */
function leader(terms: number[], confAt: number[] = []): { host: MemberHost; log: RaftLog } {
  const storage = new MemoryStorage();
  storage.append(terms.map((term, i): Entry => ({ term, index: i + 1, type: confAt.includes(i + 1) ? 'conf-change' : 'normal', data: '' })));
  const log = new RaftLog(storage, Number.MAX_SAFE_INTEGER);
  return { host: { id: 'n1', recovered: { raft: { node: { raft: { raftLog: log } } } } } as unknown as MemberHost, log };
}

const timeoutNow = (to: number, term: number) => message({ type: 'MsgTimeoutNow', from: 1, to, term });
const forcedVote = (from: number, term: number, index: number, logTerm: number, context = CAMPAIGN_TRANSFER) =>
  message({ type: 'MsgVote', from, to: 1, term, index, logTerm, context });

describe('transfer-target-up-to-date', () => {
  it('must fail: the transferee campaigns without the leader\'s last entries', () => {
    const { host } = leader([1, 2, 2, 2, 2]);
    const t = new TransferTargets();
    t.onSend(host, timeoutNow(2, 2));
    expect(t.judge(host, forcedVote(2, 3, 4, 2))).toMatch(/handed leadership in term 2 with its log at last index 5, term 2, but the candidate's log ends at index 4, term 2/);
    expect(t.judge(host, forcedVote(2, 3, 5, 1))).toBeDefined();
  });

  it('must pass: a transferee holding the leader\'s whole log, a campaign not asked for, another member, another term', () => {
    const { host } = leader([1, 2, 2, 2, 2]);
    const t = new TransferTargets();
    t.onSend(host, timeoutNow(2, 2));
    expect(t.judge(host, forcedVote(2, 3, 5, 2))).toBeUndefined();
    expect(t.judge(host, forcedVote(2, 3, 3, 3))).toBeUndefined();
    expect(t.judge(host, forcedVote(2, 3, 4, 2, ''))).toBeUndefined();
    expect(t.judge(host, forcedVote(3, 3, 4, 2))).toBeUndefined();
    expect(t.judge(host, forcedVote(2, 4, 4, 2))).toBeUndefined();
  });

  it('must pass: the log the leader had at its first MsgTimeoutNow to that member in the term is what counts (a late copy of it may be the one acted on)', () => {
    const { host, log } = leader([1, 2, 2]);
    const t = new TransferTargets();
    t.onSend(host, timeoutNow(2, 2));
    log.append([{ term: 2, index: 4, type: 'normal', data: '' }, { term: 2, index: 5, type: 'normal', data: '' }]);
    t.onSend(host, timeoutNow(2, 2));
    expect(t.judge(host, forcedVote(2, 3, 3, 2))).toBeUndefined();
  });

  it('must pass: not judged when a conf change above the candidate\'s log was appended (an auto-leave)', () => {
    const { host } = leader([1, 2, 2, 2, 2], [5]);
    const t = new TransferTargets();
    t.onSend(host, timeoutNow(2, 2));
    expect(t.judge(host, forcedVote(2, 3, 4, 2))).toBeUndefined();
  });
});
