// The crash moments a host cannot report by a send (sim/etcd/crash-moments.ts), checked on the
// runs of scenarios/crash-moments.json: a member crashed at "truncate" had just accepted an
// append overwriting its durable log and comes back with the stale tail (the truncation was
// never durable); a member crashed at "leader-commit" crashed in the instant a leader's commit
// index advanced, before any other member held the new commit index and (the leader) before its
// hard state with it was durable; members armed together crash in that one instant.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { overwritesDurableLog } from '../../../sim/etcd/crash-moments.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { ClusterOptions } from '../../../sim/run/scenario-cluster.ts';
import { scenarioCluster } from '../../../sim/run/scenario-cluster.ts';

const SEEDS = [1, 2, 3, 4, 5, 6];

interface Look {
  host: MemberHost;
  overwrites: boolean;
  /** First index the unstable entries replace, and the stored (stale) term there. */
  staleAt?: { index: number; term: number };
  committed: number;
  isLeader: boolean;
}

interface Truncated { node: string; before: Look; after?: { term: number | undefined } }
interface LeaderCommit { node: string; atUs: number; before: Look; othersCommitted: number[]; durableCommitAfter?: number }

function look(host: MemberHost): Look {
  const log = host.recovered.raft.node.raft.raftLog;
  const overwrites = overwritesDurableLog(host);
  const index = log.unstable.offset;
  const term = overwrites ? host.recovered.storage.term(index) : undefined;
  return { host, overwrites, committed: log.committed, isLeader: host.isLeader, ...(typeof term === 'number' ? { staleAt: { index, term } } : {}) };
}

function observe(seed: number): { truncated: Truncated[]; leaderCommits: LeaderCommit[]; valid: boolean | 'unknown' } {
  const truncated: Truncated[] = [];
  const leaderCommits: LeaderCommit[] = [];
  const build = (o: ClusterOptions): EtcdCluster => {
    const c = scenarioCluster(o);
    const last = new Map<string, Look>();
    const waiting = new Map<string, { hostBefore: MemberHost; done: (host: MemberHost) => void }>();
    c.world.onEvent(() => {
      for (const n of c.names) {
        const host = c.hosts.get(n);
        if (host === undefined || !c.world.isUp(n)) continue;
        const w = waiting.get(n);
        if (w !== undefined && w.hostBefore !== host) {
          waiting.delete(n);
          w.done(host);
        }
        last.set(n, look(host));
      }
    });
    const record = c.world.recordFault.bind(c.world);
    c.world.recordFault = (name: string, node?: string): void => {
      record(name, node);
      if (node === undefined) return;
      const before = last.get(node);
      if (before === undefined) return;
      if (name === 'crash-after-truncate') {
        const t: Truncated = { node, before };
        truncated.push(t);
        // The first look at the restarted member: what its disk made durable.
        waiting.set(node, { hostBefore: before.host, done: (h) => (t.after = { term: before.staleAt === undefined ? undefined : h.recovered.storage.term(before.staleAt.index) as number | undefined }) });
      } else if (name === 'crash-after-leader-commit') {
        const othersCommitted = c.names.filter((n) => n !== node && c.world.isUp(n)).map((n) => c.hosts.get(n)!.recovered.raft.node.raft.raftLog.committed);
        const lc: LeaderCommit = { node, atUs: c.world.loop.now(), before, othersCommitted };
        leaderCommits.push(lc);
        if (before.isLeader) waiting.set(node, { hostBefore: before.host, done: (h) => (lc.durableCommitAfter = h.durableCommit) });
      }
    };
    return c;
  };
  const r = runScenario(loadScenario('crash-moments').scenario, seed, { buildCluster: build }).results;
  return { truncated, leaderCommits, valid: r.valid };
}

describe('crash moments', () => {
  let runs: ReturnType<typeof observe>[] = [];
  let truncated: Truncated[] = [];
  let leaderCommits: LeaderCommit[] = [];
  beforeAll(() => {
    runs = SEEDS.map(observe);
    truncated = runs.flatMap((r) => r.truncated);
    leaderCommits = runs.flatMap((r) => r.leaderCommits);
  });

  it('the correct build stays valid under them', () => {
    expect(runs.map((r) => r.valid)).toEqual(SEEDS.map(() => true));
  });

  it('truncate: the member had just accepted entries overwriting its durable log, and restarts with the stale entry there', () => {
    expect(truncated.length).toBeGreaterThanOrEqual(2);
    for (const t of truncated) {
      expect(t.before.overwrites, t.node).toBe(true);
      expect(t.before.staleAt, t.node).toBeDefined();
      expect(t.after, t.node).toBeDefined();
      expect(t.after?.term, `${t.node}: the stale entry at ${t.before.staleAt?.index} is back`).toBe(t.before.staleAt?.term);
    }
  });

  it('leader-commit: the crash lands in the instant a leader commits, before any other member or the leader\'s disk holds the new commit index', () => {
    const leaders = leaderCommits.filter((l) => l.before.isLeader);
    expect(leaders.length).toBeGreaterThanOrEqual(5);
    for (const l of leaders) {
      expect(Math.max(0, ...l.othersCommitted), l.node).toBeLessThan(l.before.committed);
      expect(l.durableCommitAfter, l.node).toBeDefined();
      expect(l.durableCommitAfter!, l.node).toBeLessThan(l.before.committed);
    }
  });

  it('leader-commit with a majority or every member armed: they all crash in that one instant', () => {
    const byInstant = new Map<number, string[]>();
    for (const l of leaderCommits) byInstant.set(l.atUs, [...(byInstant.get(l.atUs) ?? []), l.node]);
    const together = [...byInstant.values()].filter((nodes) => nodes.length >= 2);
    expect(together.length).toBeGreaterThanOrEqual(1);
    for (const nodes of together) expect(new Set(nodes).size).toBe(nodes.length);
  });
});
