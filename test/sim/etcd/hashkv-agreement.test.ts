// Invariant hashkv-agreement (sim/etcd/hashkv-agreement.ts): members at the same revision and
// compact revision hold the same KV hash, sampled during the run (etcd's corruption check).
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { InvariantViolation } from '../../../src/invariant-violation.ts';
import type { CallResult, EtcdClient } from '../../../sim/etcd/client.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';

const SECOND_US = 1_000_000;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function started(seed: number): { c: EtcdCluster; observer: ReturnType<EtcdCluster['observeHashKvAgreement']> } {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine });
  c.start();
  const observer = c.observeHashKvAgreement();
  if (!c.runUntilTrue(() => c.leader() !== undefined, 10 * SECOND_US)) throw new Error('no leader');
  return { c, observer };
}

function put(c: EtcdCluster, client: EtcdClient, key: string): CallResult {
  let result: CallResult | undefined;
  client.call({ path: '/v3/kv/put', body: { key: b64(key), value: b64('v') } }, 0, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 10 * SECOND_US);
  return result!;
}

describe('hashkv-agreement', () => {
  test('members that apply the same writes agree at every revision sampled', () => {
    const { c, observer } = started(71);
    const client = c.client('c');
    for (let i = 0; i < 5; i++) {
      expect(put(c, client, `k${i}`).type).toBe('ok');
      c.runUntil(c.world.loop.now() + 300_000);
    }
    expect(observer.compared).toBeGreaterThan(5);
  });

  test('a member whose store hashes differently at a revision another reported is caught at the next sample', () => {
    const { c } = started(72);
    const client = c.client('c');
    expect(put(c, client, 'k').type).toBe('ok');
    c.runUntil(c.world.loop.now() + SECOND_US);
    const follower = [...c.hosts.entries()].find(([name]) => name !== c.leader())![1];
    const sm = follower.member.stateMachine;
    const status = sm.status.bind(sm);
    // A store corrupted in place: same revision, another hash.
    sm.status = () => ({ ...status(), hashKV: status().hashKV + 1 });
    expect(() => c.runUntil(c.world.loop.now() + SECOND_US)).toThrow(InvariantViolation);
  });
});
