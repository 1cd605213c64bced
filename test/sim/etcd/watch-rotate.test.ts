// clients.watchRotateMs: a watcher re-opens its watch on the next member every so often, from
// the last revision it saw plus one (a client balanced over endpoints, a Kubernetes reflector
// re-watching). It visits every member and still sees every write once, in order; without the
// option it stays on its member.
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { checkWatch } from '../../../sim/check/watch.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { WatchStream } from '../../../sim/etcd/watch-stream.ts';
import type { WatchResponseJson } from '../../../sim/etcd/watch-stream.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const SECOND_US = 1_000_000;

function run(seed: number, rotateEveryUs: number): { watcher: WatchStream; revisions: number[]; nodes: Set<string>; acked: number[]; valid: boolean | 'unknown' } {
  const cluster = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine });
  cluster.start();
  const names = cluster.names;
  const acked: number[] = [];
  const revisions: number[] = [];
  const nodes = new Set<string>();
  let watcher: WatchStream | undefined;
  cluster.world.loop.at(2 * SECOND_US, () => {
    const client = cluster.client('w', { members: names });
    watcher = new WatchStream(client, {
      process: 'watch',
      create: { key: b64('\0'), range_end: b64('\0'), prev_kv: true },
      member: names[0]!,
      rotateEveryUs,
      onResponse: (r: WatchResponseJson, node: string) => {
        for (const e of r.events ?? []) {
          revisions.push(Number(e.kv?.mod_revision));
          nodes.add(node);
        }
      },
    });
  });
  const writer = cluster.client('writer', { members: names, requestTimeoutUs: SECOND_US });
  let seq = 0;
  const write = (): void => {
    if (cluster.world.loop.now() > 6 * SECOND_US) return;
    writer.call({ path: '/v3/kv/put', body: { key: b64(`k${seq % 3}`), value: b64(`v${++seq}`) } }, 'writer', (r) => {
      if (r.type === 'ok') acked.push(Number((r.body as { header: { revision: string } }).header.revision));
      cluster.world.loop.schedule(20_000, write);
    });
  };
  cluster.world.loop.at(2_100_000, write);
  cluster.world.loop.run({ untilUs: 8 * SECOND_US });
  return { watcher: watcher!, revisions, nodes, acked, valid: checkWatch(cluster.history.watches, cluster.history.ops).valid };
}

describe('watch rotation over members', () => {
  test('a rotating watcher visits every member and sees every acknowledged write once, in order', () => {
    for (const seed of [1, 2]) {
      const out = run(seed, 400_000);
      expect(out.watcher.rotations, `seed ${seed}`).toBeGreaterThanOrEqual(5);
      expect(out.nodes.size, `seed ${seed}: members that sent events`).toBe(3);
      expect(out.revisions, `seed ${seed}: strictly increasing, no duplicates`).toEqual([...new Set(out.revisions)].sort((a, b) => a - b));
      for (const rev of out.acked) expect(out.revisions, `seed ${seed}: acked revision ${rev} seen`).toContain(rev);
      expect(out.acked.length, `seed ${seed}: writes acknowledged`).toBeGreaterThan(50);
      expect(out.valid, `seed ${seed}: watch checker`).toBe(true);
    }
  });

  test('without rotation the watcher stays on its member', () => {
    const out = run(1, 0);
    expect(out.watcher.rotations).toBe(0);
    expect(out.nodes.size).toBe(1);
  });
});
