// The planted bugs (Config.unsafe): each one, switched on, makes a targeted scenario break an
// invariant or serve a stale read; switched off, the same scenario is safe.
import { describe, expect, it } from 'vitest';
import { RaftInvariants } from '../../../sim/check/raft-invariants.ts';
import type { Violation } from '../../../sim/check/raft-invariants.ts';
import type { UnsafeOptions } from '../../../src/raft/config.ts';
import { hup, newNet, prop, votedWithLog } from '../../src/raft/helpers.ts';
import { message } from '../../../src/raft/types.ts';
import { viewOfRaft } from './fake-view.ts';
import type { RaftNet } from '../../src/raft/helpers.ts';

function observe(net: RaftNet): { violation: () => Violation | undefined } {
  const inv = new RaftInvariants();
  const views = [...net.peers.keys()].map((id) => viewOfRaft(`n${id}`, net.r(id)));
  net.onStep = () => inv.checkOrThrow(views);
  return { violation: () => inv.violation };
}

/** Runs `fn`; returns the invariant error it threw (Raft's own or the observer's), if any. */
function failureOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function figure8(unsafe: UnsafeOptions): { error: string | undefined; committed: number; leader5: boolean } {
  const ids = [1, 2, 3, 4, 5];
  const logs: Record<number, number[]> = { 1: [1, 2], 2: [1, 2], 3: [1], 4: [1], 5: [1, 3] };
  const net = newNet(ids, {}, (id) => {
    const r = votedWithLog(id, ids, logs[id]!, { maxSizePerMsgBytes: 1, unsafe });
    r.loadState({ term: 3, vote: 0, commit: 0 });
    return r;
  });
  const obs = observe(net);
  let committed = 0;
  const error = failureOf(() => {
    // S1 wins term 4 (S5's log is more up to date and refuses), then replicates its term-2
    // entry; its own term-4 entry (index 3) never arrives anywhere.
    net.rewrite = (m) => (m.type === 'MsgApp' ? { ...m, entries: m.entries.filter((e) => e.index < 3) } : m);
    net.cut(1, 5);
    net.send(hup(1));
    committed = net.r(1).raftLog.committed;
    // S1 dies; S5 (last term 3) wins term 5 with the votes of S2, S3, S4 and overwrites index 2.
    net.isolate(1);
    net.rewrite = undefined;
    net.send(hup(5)); // term 4: everyone voted for S1 already
    net.send(hup(5)); // term 5: S5's last term 3 beats their last term 2
    net.send(message({ type: 'MsgBeat', from: 5, to: 5 }));
  });
  return { error: error ?? (obs.violation() === undefined ? undefined : 'violation'), committed, leader5: net.r(5).state === 'leader' };
}

describe('planted bugs', () => {
  it('figure8: counting replicas of an older term\'s entry commits it, and a later leader loses it (leader-completeness)', () => {
    const bad = figure8({ figure8: true });
    expect(bad.committed).toBe(2);
    expect(bad.error).toMatch(/leader-completeness|committed-entry-lost|no-truncate-committed/);
    const good = figure8({});
    expect(good.committed).toBe(0);
    expect(good.error).toBeUndefined();
    expect(good.leader5).toBe(true); // the same schedule, safely: S5 leads and index 2 was never committed
  });

  function staleVoter(unsafe: UnsafeOptions): { error: string | undefined; leader3: boolean } {
    const net = newNet([1, 2, 3], { unsafe });
    const obs = observe(net);
    let leader3 = false;
    const error = failureOf(() => {
      net.isolate(3);
      net.send(hup(1));
      net.send(prop(1, 'committed-on-1-and-2'));
      expect(net.r(1).raftLog.committed).toBe(2);
      net.recover();
      net.isolate(1);
      net.send(hup(3)); // 3 has an empty log; its term-1 request meets 2's vote for 1
      net.send(hup(3)); // term 2: 2 has not voted in it
      leader3 = net.r(3).state === 'leader';
    });
    return { error: error ?? (obs.violation() === undefined ? undefined : 'violation'), leader3 };
  }

  it('voteWithoutLogCheck: a member with a stale log is elected and lacks committed entries (leader-completeness)', () => {
    const bad = staleVoter({ voteWithoutLogCheck: true });
    expect(bad.error).toMatch(/leader-completeness/);
    const good = staleVoter({});
    expect(good.error).toBeUndefined();
    expect(good.leader3).toBe(false);
  });

  function partitionedRead(unsafe: UnsafeOptions): { answered: number | undefined; latestCommit: number } {
    const net = newNet([1, 2, 3], { unsafe });
    net.send(hup(1));
    net.isolate(1);
    net.send(hup(2));
    net.send(prop(2, 'newer write'));
    net.r(1).step(message({ type: 'MsgReadIndex', from: 1, to: 1, context: 'r' }));
    net.send(...net.r(1).msgs.splice(0));
    const rs = net.r(1).readStates;
    return { answered: rs[0]?.index, latestCommit: net.r(2).raftLog.committed };
  }

  it('readWithoutReadIndex: a partitioned old leader serves a read that misses a newer committed write (stale read)', () => {
    const bad = partitionedRead({ readWithoutReadIndex: true });
    expect(bad.answered).toBeDefined();
    expect(bad.answered!).toBeLessThan(bad.latestCommit);
    const good = partitionedRead({});
    expect(good.answered).toBeUndefined();
  });
});
