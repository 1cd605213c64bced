// Replication acknowledgements are truthful (sim/etcd/replication-acks.ts): a follower that acks
// entries it does not hold as the leader does, or loses entries it acked while its term lasts,
// is found at that ack or that loss; the correct build runs the same seeds clean. Also the
// joint-consensus shape (joint-leader-crash): membership changes through joint configurations
// whose leader crashes once a voter is being added, where only both majorities may elect.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { ReplicationAcks } from '../../../sim/etcd/replication-acks.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { message } from '../../../src/raft/types.ts';

function run(scenario: string, seed: number, bug?: PlantedBug): ReturnType<typeof runScenario>['results'] {
  return runScenario(loadScenario(scenario).scenario, seed, bug === undefined ? {} : { bug }).results;
}

const summary = (r: ReturnType<typeof run>): string => String((r.checkers['raft'] as { summary?: string } | undefined)?.summary ?? '');

describe('replication acknowledgements', () => {
  it('a follower that truncates entries it acknowledged (a stale append whose entries all match) is found by acked-entries-kept', () => {
    const r = run('duplicating-network', 1, 'truncate-on-stale-append');
    expect(r.valid).toBe(false);
    expect(r.stop?.invariant, summary(r)).toBe('acked-entries-kept');
  });

  it('a follower that installs an older snapshot is stopped at the install, its commit index going back', () => {
    // Raft's applied index follows the snapshot a Ready installs (etcd's appliedCursor): an older
    // snapshot moves it backwards, which raft refuses as etcd-raft panics (applied-within-committed),
    // before the follower can acknowledge anything (ack-matches-leader caught this mutant at its ack
    // before that). In this run the follower had not applied past the older snapshot yet: the
    // observer sees its commit index go back at the install, in the same event.
    const r = run('snapshot-storm', 5, 'install-older-snapshot');
    expect(r.valid).toBe(false);
    expect(r.stop?.invariant, summary(r)).toBe('commit-monotonic');
  });

  it('ack-matches-leader: an accepted append acknowledgement past the follower\'s log, or of another term than the leader\'s entry', () => {
    const failures: string[] = [];
    const host = (id: string, term: number, isLeader: boolean, terms: readonly number[]): MemberHost => ({
      id, term, isLeader,
      recovered: { raft: { node: { raft: { term, raftLog: { lastIndex: () => terms.length, termOrZero: (i: number) => terms[i - 1] ?? 0 } } } } },
    }) as unknown as MemberHost;
    const leader = host('n1', 3, true, [1, 2, 3, 3]);
    const acks = new ReplicationAcks({ hostOf: (raftId) => (raftId === 1 ? leader : undefined), fail: (inv, member, detail) => failures.push(`${inv} ${member}: ${detail}`) });
    const ack = (index: number) => message({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index });
    acks.onSend(host('n2', 3, false, [1, 2, 3, 3]), ack(4));
    expect(failures).toEqual([]);
    acks.onSend(host('n2', 3, false, [1, 2]), ack(4));
    expect(failures.pop()).toMatch(/^ack-matches-leader n2: acknowledged index 4 to the leader of term 3, past its own last index 2$/);
    acks.onSend(host('n3', 3, false, [1, 2, 2, 2]), ack(4));
    expect(failures.pop()).toMatch(/^ack-matches-leader n3: acknowledged index 4 .* holds an entry of term 2 there and the leader one of term 3/);
  });

  it('the correct build runs the same seeds clean', () => {
    expect(run('duplicating-network', 1).valid).toBe(true);
    expect(run('snapshot-storm', 5).valid).toBe(true);
  });
});

describe('joint consensus under a leader crash', () => {
  it('the correct build stays clean while its leaders crash in joint configurations that add a voter', () => {
    for (const seed of [1, 2]) {
      const r = run('joint-leader-crash', seed);
      expect(r.valid, summary(r)).toBe(true);
      // Four membership stops (the removed members) and four leader crashes at joint-add.
      expect(r.stats.crashes).toBeGreaterThanOrEqual(8);
      expect((r.faults ?? []).filter((f) => f.description.includes('joint configuration that adds a voter')).length).toBe(4);
    }
  });
});
