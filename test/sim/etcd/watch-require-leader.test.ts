// A watch stream that requires a leader (clientv3.WithRequireLeader, as Kubernetes opens them)
// on a member cut off from the others is ended with "etcdserver: no leader" after 3 election
// timeouts without a leader (etcd monitorLeader); the client reconnects to another member and
// resumes from its last revision + 1, so it still sees every write exactly once, in order.
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { checkWatch } from '../../../sim/check/watch.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { WatchStream } from '../../../sim/etcd/watch-stream.ts';
import type { WatchResponseJson } from '../../../sim/etcd/watch-stream.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const SECOND_US = 1_000_000;
const ELECTION_US = DEFAULT_MEMBER_CONFIG.electionTicks * DEFAULT_MEMBER_CONFIG.tickMs * 1_000;

interface Seen {
  revision: number;
  node: string;
}

function run(seed: number, requireLeader: boolean): { watcher: WatchStream; seen: Seen[]; acked: number[]; firstMoveUs: number | undefined; cutAtUs: number; victim: string; valid: boolean | 'unknown' } {
  const cluster = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine });
  cluster.start();
  const names = cluster.names;
  const acked: number[] = [];
  const seen: Seen[] = [];
  let firstMoveUs: number | undefined;
  let cutAtUs = 0;
  let victim = '';
  let watcher: WatchStream | undefined;
  // Once a leader is elected, watch on a follower and then cut that follower off from the others.
  cluster.world.loop.at(2 * SECOND_US, () => {
    const leader = cluster.leader();
    if (leader === undefined) throw new Error('no leader elected by 2 s');
    victim = names.find((n) => n !== leader)!;
    const client = cluster.client(`w-${victim}`, { members: [victim, ...names.filter((n) => n !== victim)] });
    watcher = new WatchStream(client, {
      process: 'watch',
      create: { key: b64('\0'), range_end: b64('\0'), prev_kv: true },
      member: victim,
      requireLeader,
      onResponse: (r: WatchResponseJson, node: string) => {
        if (node !== victim && firstMoveUs === undefined) firstMoveUs = cluster.world.loop.now();
        for (const e of r.events ?? []) seen.push({ revision: Number(e.kv?.mod_revision), node });
      },
    });
  });
  cluster.world.loop.at(3 * SECOND_US, () => {
    cutAtUs = cluster.world.loop.now();
    for (const other of names.filter((n) => n !== victim)) {
      cluster.world.network.cut(victim, other);
      cluster.world.network.cut(other, victim);
    }
  });
  // A writer on the majority side, before and during the partition.
  const writer = cluster.client('writer', { members: names, requestTimeoutUs: SECOND_US });
  let seq = 0;
  const write = (): void => {
    if (cluster.world.loop.now() > 9 * SECOND_US) return;
    writer.call({ path: '/v3/kv/put', body: { key: b64(`k${seq % 3}`), value: b64(`v${++seq}`) } }, 'writer', (r) => {
      if (r.type === 'ok') acked.push(Number((r.body as { header: { revision: string } }).header.revision));
      cluster.world.loop.schedule(50_000, write);
    });
  };
  cluster.world.loop.at(2_500_000, write);
  cluster.world.loop.run({ untilUs: 12 * SECOND_US });
  const valid = checkWatch(cluster.history.watches, cluster.history.ops).valid;
  return { watcher: watcher!, seen, acked, firstMoveUs, cutAtUs, victim, valid };
}

describe('watch streams that require a leader', () => {
  test('a watcher on a partitioned member is cancelled with no-leader after ~3 election timeouts, resumes elsewhere, and sees every write once in order', () => {
    for (const seed of [1, 2, 3]) {
      const out = run(seed, true);
      expect(out.watcher.noLeaderCancels, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      expect(out.firstMoveUs, `seed ${seed}`).toBeDefined();
      const movedAfterUs = out.firstMoveUs! - out.cutAtUs;
      // Leader lost after one election timeout or so, then 3 more checks, then the reconnect delay.
      expect(movedAfterUs, `seed ${seed}`).toBeGreaterThanOrEqual(3 * ELECTION_US);
      expect(movedAfterUs, `seed ${seed}`).toBeLessThan(6 * ELECTION_US);
      const revisions = out.seen.map((s) => s.revision);
      expect(revisions, `seed ${seed}: strictly increasing, no duplicates`).toEqual([...new Set(revisions)].sort((a, b) => a - b));
      for (const rev of out.acked) expect(revisions, `seed ${seed}: acked revision ${rev} seen`).toContain(rev);
      expect(out.valid, `seed ${seed}: watch checker`).toBe(true);
      expect(out.acked.length, `seed ${seed}: writes acknowledged`).toBeGreaterThan(20);
      expect(out.seen.some((s) => s.node !== out.victim), `seed ${seed}: events seen elsewhere`).toBe(true);
    }
  });

  test('without require-leader the stream stays on the partitioned member and sees no new writes', () => {
    const out = run(1, false);
    expect(out.watcher.noLeaderCancels).toBe(0);
    expect(out.firstMoveUs).toBeUndefined();
    const acked = out.acked.filter((rev) => !out.seen.some((s) => s.revision === rev));
    expect(acked.length).toBeGreaterThan(0);
  });
});
