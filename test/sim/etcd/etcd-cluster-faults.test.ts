// Three etcd members with the real state machine under crashes, restarts and partitions, with
// writers, readers and a resuming watcher per member. Raft's invariants are checked after every
// event; afterwards every acknowledged write must appear exactly once, in order, in every watch
// stream, no member's revision may ever go backwards, and the healed cluster must converge.
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { CallResult } from '../../../sim/etcd/client.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { WatchStream } from '../../../sim/etcd/watch-stream.ts';
import type { WatchResponseJson } from '../../../sim/etcd/watch-stream.ts';
import { Prng } from '../../../sim/world/prng.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const SECOND_US = 1_000_000;

interface Outcome {
  traceHash: string;
  historyJson: string;
  acked: { key: string; value: string; revision: number }[];
  streams: Map<string, { revision: number; key: string; value: string | undefined; type: string }[]>;
  revisionWentBack: string | undefined;
  converged: boolean;
  okOps: number;
  faults: number;
}

function runWithFaults(seed: number): Outcome {
  const cluster = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine, settings: { snapshotCount: 50, snapshotCatchUpEntries: 10 } });
  cluster.observeRaftInvariants(`etcd-cluster-faults seed ${seed}`);
  cluster.start();
  const prng = new Prng(seed).fork('test');
  const acked: Outcome['acked'] = [];
  const streams: Outcome['streams'] = new Map();
  let okOps = 0;
  let seq = 0;
  const writers = [0, 1, 2].map((i) => cluster.client(`c${i}`, { requestTimeoutUs: SECOND_US }));
  let stopped = false;
  const loop = (w: number): void => {
    if (stopped) return;
    const client = writers[w]!;
    const key = `k${prng.int(4)}`;
    const value = `v${++seq}`;
    const read = prng.chance(1, 3);
    const req = read ? { path: '/v3/kv/range', body: { key: b64(key) } } : { path: '/v3/kv/put', body: { key: b64(key), value: b64(value) } };
    client.call(req, w, (r: CallResult) => {
      if (r.type === 'ok') {
        okOps++;
        if (!read) acked.push({ key, value, revision: Number((r.body as { header: { revision: string } }).header.revision) });
      }
      cluster.world.loop.schedule(20_000 + prng.int(30_000), () => loop(w));
    });
  };
  cluster.world.loop.schedule(2 * SECOND_US, () => [0, 1, 2].forEach(loop));
  for (const m of cluster.names) {
    const events: { revision: number; key: string; value: string | undefined; type: string }[] = [];
    streams.set(m, events);
    const client = cluster.client(`w-${m}`, { members: [m, ...cluster.names.filter((n) => n !== m)] });
    new WatchStream(client, {
      process: `watch-${m}`,
      create: { key: b64('\0'), range_end: b64('\0'), prev_kv: true },
      onResponse: (resp: WatchResponseJson & { events?: { type?: string; kv?: { key?: string; value?: string; mod_revision?: string } }[] }) => {
        for (const e of resp.events ?? []) {
          events.push({ revision: Number(e.kv?.mod_revision), key: Buffer.from(e.kv?.key ?? '', 'base64').toString(), value: e.kv?.value === undefined ? undefined : Buffer.from(e.kv.value, 'base64').toString(), type: e.type ?? 'PUT' });
        }
      },
    });
  }
  // Faults: every second, crash (and later restart) a member or cut the leader off for a while.
  let faults = 0;
  for (let t = 3; t < 15; t++) {
    cluster.world.loop.at(t * SECOND_US, () => {
      faults++;
      const victim = prng.chance(1, 2) ? (cluster.leader() ?? 'n1') : prng.pick(cluster.names);
      if (prng.chance(1, 2)) {
        if (cluster.world.isUp(victim)) cluster.world.crash(victim);
        cluster.world.loop.schedule(400_000, () => { if (!cluster.world.isUp(victim)) cluster.world.restart(victim); });
      } else {
        cluster.world.network.isolate(victim);
        cluster.world.loop.schedule(700_000, () => cluster.world.network.heal());
      }
    });
  }
  // No member's revision may ever go back, across crashes included.
  const highest = new Map<string, number>();
  let revisionWentBack: string | undefined;
  const sample = (): void => {
    for (const m of cluster.names) {
      const rev = cluster.status(m)?.revision;
      if (rev === undefined) continue;
      if (rev < (highest.get(m) ?? 0) && revisionWentBack === undefined) revisionWentBack = `${m}: ${highest.get(m)} -> ${rev} at ${cluster.world.loop.now()}`;
      highest.set(m, Math.max(rev, highest.get(m) ?? 0));
    }
    cluster.world.loop.schedule(5_000, sample);
  };
  sample();
  cluster.runUntil(16 * SECOND_US);
  for (const m of cluster.names) if (!cluster.world.isUp(m)) cluster.world.restart(m);
  cluster.world.network.heal();
  cluster.runUntil(19 * SECOND_US);
  // The writers stop; every watcher must then catch up with every acknowledged write.
  stopped = true;
  cluster.runUntil(23 * SECOND_US);
  return {
    traceHash: cluster.world.traceHash(), historyJson: JSON.stringify([cluster.history.ops, cluster.history.watches]),
    acked, streams, revisionWentBack, converged: cluster.converged(), okOps, faults,
  };
}

describe('etcd cluster under faults', () => {
  test('one seed gives the same trace hash and the same history, byte for byte; another seed does not', () => {
    const a = runWithFaults(9);
    const b = runWithFaults(9);
    const c = runWithFaults(10);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.historyJson).toBe(a.historyJson);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  for (const seed of (process.env["DETCD_FAULT_SEEDS"] ?? "1,2,3").split(",").map(Number)) {
    test(`seed ${seed}: no invariant broken, no acknowledged write lost or duplicated in any watch, revisions monotonic, converged`, () => {
      const o = runWithFaults(seed);
      const delivered = [...o.streams.values()].map((e) => e.length).join('/');
      console.log(`seed ${seed}: ${o.okOps} ok ops, ${o.acked.length} acknowledged puts, ${o.faults} faults, watch events per member ${delivered}`);
      expect(o.revisionWentBack).toBeUndefined();
      expect(o.converged).toBe(true);
      expect(o.okOps).toBeGreaterThan(50);
      for (const [member, events] of o.streams) {
        const puts = events.filter((e) => e.type === 'PUT');
        // Ordered and unique: revisions strictly increase (one put per txn here).
        for (let i = 1; i < puts.length; i++) expect(puts[i]!.revision, `${member} event ${i}`).toBeGreaterThan(puts[i - 1]!.revision);
        const byRev = new Map(puts.map((e) => [e.revision, e]));
        for (const a of o.acked) {
          expect(byRev.get(a.revision), `${member} misses acked ${JSON.stringify(a)} (seed ${seed})`).toEqual({ revision: a.revision, key: a.key, value: a.value, type: 'PUT' });
        }
      }
    });
  }
});
