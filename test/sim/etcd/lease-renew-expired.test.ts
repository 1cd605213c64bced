// A keep-alive that reaches the leader after its lease expired but before the revoke applied
// waits for the revoke, as etcd's lessor.Renew does (it blocks on the lease's revokec), and is
// then answered TTL 0 at the revoke's revision. Regression for sweep lock-gc-pause seeds 4 and
// 10: a leader resuming from a pause answered such keep-alives TTL 0 at once, at a revision
// where the lease and its keys still existed, and the history was not linearizable.
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { CallResult } from '../../../sim/etcd/client.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const SECOND_US = 1_000_000;

describe('keep-alive of an expired lease whose revoke has not applied', () => {
  test('waits for the revoke and answers TTL 0 at the revision the revoke created', () => {
    const c = new EtcdCluster({ seed: 51, members: 3, makeStateMachine: makeEtcdStateMachine });
    c.observeRaftInvariants();
    c.start();
    expect(c.runUntilTrue(() => c.leader() !== undefined, 10 * SECOND_US)).toBe(true);
    c.runUntil(c.world.loop.now() + SECOND_US);
    const leader = c.leader()!;
    const client = c.client('c', { members: [leader], followLeader: false, requestTimeoutUs: 5 * SECOND_US, retriesMax: 0 });
    const calls: CallResult[] = [];
    const callNow = (path: string, body: unknown): void => client.call({ path, body }, 0, (r) => calls.push(r));
    callNow('/v3/lease/grant', { TTL: '2', ID: '9' });
    c.runUntilTrue(() => calls.length === 1, 5 * SECOND_US);
    const grantedAt = c.world.loop.now();
    callNow('/v3/kv/put', { key: b64('k'), value: b64('x'), lease: '9' });
    c.runUntilTrue(() => calls.length === 2, 5 * SECOND_US);
    const putRevision = Number((calls[1]!.body as { header: { revision: string } }).header.revision);
    // Hold the leader's messages to the followers around the expiry: the revoke cannot commit
    // for a while, too short a while for anyone to start an election.
    c.runUntil(grantedAt + 1_800_000);
    for (const f of c.names.filter((n) => n !== leader)) c.world.network.clog(leader, f, 700_000);
    c.runUntil(grantedAt + 2_300_000);
    expect(c.status(leader)!.revision).toBe(putRevision);
    callNow('/v3/lease/keepalive', { ID: '9' });
    c.runUntilTrue(() => calls.length === 3, 5 * SECOND_US);
    const keepAlive = calls[2]!;
    expect(keepAlive.type).toBe('ok');
    expect(keepAlive.body).not.toHaveProperty('TTL');
    expect(Number((keepAlive.body as { header: { revision: string } }).header.revision)).toBe(putRevision + 1);
    expect(c.leader()).toBe(leader);
  });
});
