// network.snapshotDelayUsMax / snapshotDuplicatePercent: a MsgSnap travels on its own connection
// (etcd's snapshot pipeline), so it leaves its member up to snapshotDelayUsMax after raft sent it,
// outside the order of the member's other messages, and with snapshotDuplicatePercent 100 it
// leaves twice, each copy with its own delay. Without the knob it leaves at once, once.
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { isRaftMessage } from '../../../src/server/peer-protocol.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const DELAY_US_MAX = 300_000;

interface Sent { atUs: number; to: string; index: number }

function run(pipeline: { snapshotDelayUsMax?: number; snapshotDuplicatePercent?: number }): { raftSent: Sent[]; leftHost: Sent[] } {
  const cluster = new EtcdCluster({
    seed: 3, members: 3, makeStateMachine: makeEtcdStateMachine,
    settings: { tickMs: 10, electionTicks: 10, snapshotCount: 5, snapshotCatchUpEntries: 0 },
    ...pipeline,
  });
  const world = cluster.world;
  const raftSent: Sent[] = [];
  const leftHost: Sent[] = [];
  cluster.observeRaftSends((host, m) => {
    if (m.type === 'MsgSnap') raftSent.push({ atUs: world.loop.now(), to: `n${m.to}`, index: m.snapshot!.metadata.index });
  });
  const network = world.network;
  const send = network.send.bind(network);
  network.send = (from: string, to: string, message: unknown, sizeBytes = 0): void => {
    // Raft messages travel between members as themselves.
    if (isRaftMessage(message) && message.type === 'MsgSnap') leftHost.push({ atUs: world.loop.now(), to, index: message.snapshot!.metadata.index });
    send(from, to, message, sizeBytes);
  };
  cluster.start();
  // n3 is cut off while the others write (and snapshot every 5 entries), then catches up from snapshots.
  world.loop.at(500_000, () => network.isolate('n3'));
  world.loop.at(1_500_000, () => network.heal());
  const writer = cluster.client('writer', { members: ['n1', 'n2'], requestTimeoutUs: 1_000_000 });
  let seq = 0;
  let acked = 0;
  const write = (): void => {
    if (world.loop.now() > 2_500_000) return;
    writer.call({ path: '/v3/kv/put', body: { key: b64(`k${seq % 3}`), value: b64(`v${++seq}`) } }, 'writer', (r) => { if (r.type === 'ok') acked++; world.loop.schedule(5_000, write); });
  };
  world.loop.at(300_000, write);
  world.loop.run({ untilUs: 3_000_000 });
  if (acked < 50) throw new Error(`only ${acked} writes acknowledged`);
  return { raftSent, leftHost };
}

describe('snapshots on their own slow connection', () => {
  test('without the knob a MsgSnap leaves when raft sends it, once', () => {
    const { raftSent, leftHost } = run({});
    expect(raftSent.length).toBeGreaterThan(0);
    expect(leftHost).toEqual(raftSent);
  });

  test('with it each MsgSnap leaves twice, each copy within the delay bound after raft sent it, not all at once', () => {
    const { raftSent, leftHost } = run({ snapshotDelayUsMax: DELAY_US_MAX, snapshotDuplicatePercent: 100 });
    expect(raftSent.length).toBeGreaterThan(1);
    expect(leftHost.length).toBe(2 * raftSent.length);
    // Every copy matches a send by raft at most DELAY_US_MAX earlier, and no copy is unaccounted for.
    const copies = new Map<Sent, number>();
    for (const l of leftHost) {
      const origin = raftSent.find((r) => r.to === l.to && r.index === l.index && r.atUs <= l.atUs && l.atUs - r.atUs <= DELAY_US_MAX && (copies.get(r) ?? 0) < 2);
      expect(origin, `copy of snapshot ${l.index} to ${l.to} at ${l.atUs} µs`).toBeDefined();
      copies.set(origin!, (copies.get(origin!) ?? 0) + 1);
    }
    // Delays are drawn: copies do not all leave when raft sent them.
    expect(leftHost.filter((l) => raftSent.some((r) => r.atUs === l.atUs && r.index === l.index)).length).toBeLessThan(leftHost.length);
  });
});
