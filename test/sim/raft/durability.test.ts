// The durability contract of the Raft host: a vote, a vote request and an append
// acknowledgement leave only after the state they promise is durable on disk (fsync done).
// Checked at every send against the disk's durable contents; the planted option
// unsafeSendBeforeSync must break it.
import { describe, expect, it } from 'vitest';
import { World } from '../../../sim/world/world.ts';
import type { HostContext } from '../../../sim/world/host.ts';
import { RAFT_HOST_DEFAULTS, RaftHost } from '../../support/raft/raft-host.ts';
import type { RaftWire } from '../../support/raft/raft-host.ts';
import type { Entry, HardState } from '../../../src/raft/types.ts';

function run(unsafeSendBeforeSync: boolean): { breaches: string[]; checked: number } {
  const ids = ['n1', 'n2', 'n3'];
  const world = new World({ seed: 5, nodes: ids, clients: ['client'], disk: { fsyncLatencyUsMin: 20_000, fsyncLatencyUsMax: 20_000 } });
  const options = { ...RAFT_HOST_DEFAULTS, peers: ids, unsafeSendBeforeSync };
  const breaches: string[] = [];
  let checked = 0;
  const check = (id: string, w: RaftWire): void => {
    if (w.kind !== 'raft') return;
    const m = w.msg;
    const disk = world.disk(id);
    const hs = disk.readDurable('hardstate').at(-1)?.value as HardState | undefined;
    const wal = disk.readDurable('wal');
    const lastDurable = (wal.at(-1)?.value as Entry | undefined)?.index ?? 0;
    checked++;
    if ((m.type === 'MsgVoteResp' && !m.reject) && (hs === undefined || hs.term < m.term || hs.vote !== m.to)) {
      breaches.push(`${id} granted a vote in term ${m.term} before it was durable`);
    }
    if (m.type === 'MsgVote' && (hs === undefined || hs.term < m.term || hs.vote !== m.from)) {
      breaches.push(`${id} asked for votes in term ${m.term} before its own vote was durable`);
    }
    if (m.type === 'MsgAppResp' && !m.reject && m.index > lastDurable && m.index > (hs?.commit ?? 0)) {
      breaches.push(`${id} acknowledged index ${m.index} with only ${lastDurable} durable`);
    }
  };
  for (const id of ids) {
    world.startNode(id, (ctx: HostContext) => {
      const wrapped: HostContext = { ...ctx, send: (to, message, size) => { check(id, message as RaftWire); ctx.send(to, message, size); } };
      return new RaftHost(wrapped, options, world.incarnation(id));
    });
  }
  const client = world.attachClient('client', () => undefined);
  for (let i = 0; i < 40; i++) {
    world.run({ untilUs: world.loop.now() + 100_000 });
    for (const id of ids) client.send(id, { kind: 'propose', reqId: i * 10 + ids.indexOf(id), data: `v${i}` } satisfies RaftWire, 16);
  }
  return { breaches, checked };
}

describe('durability contract', () => {
  it('no vote, vote request or append acknowledgement leaves before its state is fsynced', () => {
    const { breaches, checked } = run(false);
    expect(checked).toBeGreaterThan(100);
    expect(breaches).toEqual([]);
  });

  it('the planted unsafeSendBeforeSync breaks it (hashicorp/raft#661)', () => {
    expect(run(true).breaches.length).toBeGreaterThan(0);
  });
});
