// Voter changes racing learner changes (scenarios/conf-change-voters.json): the membership driver
// (sim/etcd/reconfiguration.ts) removes a voter, re-adds it as a learner and promotes it, while
// operators on the member API (sim/etcd/member-operators.ts) add and remove learners without
// waiting for anyone. Checked: voter changes do reach leaders while another change is unapplied
// (the race happens), every driven change still completes, the correct build stays clean, and a
// leader that accepts a change while another is pending — or before its term's entry commits —
// is found by conf-change-pending. Seeds are fixed: the test is deterministic.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import type { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { ClusterOptions } from '../../../sim/run/scenario-cluster.ts';
import { scenarioCluster } from '../../../sim/run/scenario-cluster.ts';

const SEEDS = [1, 2, 3, 4];

interface Observed {
  valid: boolean | 'unknown';
  invariant: string | undefined;
  /** Voter changes (a voter removed, a learner promoted) proposed to a leader while a conf change was unapplied. */
  voterChangesWhilePending: number;
  membershipDone: number;
}

function observe(seed: number, bug?: PlantedBug): Observed {
  let voterChangesWhilePending = 0;
  let membershipDone = 0;
  const build = (o: ClusterOptions): EtcdCluster => {
    const c = scenarioCluster(o);
    const wrapped = new Set<MemberHost>();
    c.world.onEvent(() => {
      for (const n of c.names) {
        const host = c.hosts.get(n);
        if (host === undefined || wrapped.has(host)) continue;
        wrapped.add(host);
        const propose = host.proposeConfChange.bind(host);
        host.proposeConfChange = (cc) => {
          const change = cc.changes[0];
          const raft = host.recovered.raft.node.raft;
          const voter = change !== undefined && (change.type === 'add-node' || (change.type === 'remove-node' && host.member.membership.voters.includes(change.nodeId)));
          if (voter && raft.pendingConfIndex > raft.raftLog.applied) voterChangesWhilePending++;
          return propose(cc);
        };
      }
    });
    const record = c.world.recordFault.bind(c.world);
    c.world.recordFault = (name: string, node?: string): void => {
      record(name, node);
      if (name === 'membership-done') membershipDone++;
    };
    return c;
  };
  const r = runScenario(loadScenario('conf-change-voters').scenario, seed, { buildCluster: build, ...(bug === undefined ? {} : { bug }) }).results;
  return { valid: r.valid, invariant: r.stop?.invariant, voterChangesWhilePending, membershipDone };
}

describe('voter changes racing learner changes', () => {
  it('the race happens, every driven change completes, and the correct build stays clean', () => {
    const runs = SEEDS.map((seed) => observe(seed));
    expect(runs.map((r) => r.valid)).toEqual(SEEDS.map(() => true));
    expect(runs.filter((r) => r.voterChangesWhilePending > 0).length).toBeGreaterThanOrEqual(3);
    expect(runs.every((r) => r.membershipDone >= 1)).toBe(true);
  });

  it('a leader that accepts a change while another is pending, or before its term commits, is found by conf-change-pending', () => {
    for (const bug of ['conf-change-while-pending', 'conf-change-before-term-commit'] as const) {
      const found = SEEDS.map((seed) => observe(seed, bug).invariant);
      expect(found.filter((v) => v === 'conf-change-pending').length, `${bug}: ${found.join(', ')}`).toBeGreaterThanOrEqual(3);
    }
  });
});
