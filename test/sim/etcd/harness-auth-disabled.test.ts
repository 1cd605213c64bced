// The harness's liveness probes after an auth workload send the harness's root token only to the
// members whose authentication is on. etcd 3.4.23 looks up any token a request carries, also with
// authentication off, and AuthDisable drops every token, so a token is refused "invalid auth
// token" there (checked by hand against 3.4.23's gateway). The probes used to send the token of a
// login made before the workload's last AuthDisable to every member, were never served, and the
// liveness phase blamed the cluster (auth-round-robin seed 10: "clients never served: c0..c6").
import { describe, expect, it } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { CallResult, EtcdClient, EtcdRequest } from '../../../sim/etcd/client.ts';
import { HarnessAuth } from '../../../sim/etcd/harness-auth.ts';
import { probeClients } from '../../../sim/run/liveness.ts';
import { put } from '../../../sim/workload/etcd-request.ts';
import { authDisable, authEnable, authenticate, userAdd, userGrantRole, withToken } from '../../../sim/workload/auth-requests.ts';

const SECOND_US = 1_000_000;

/** Sends `request` and runs the world until it is answered. */
function answer(cluster: EtcdCluster, client: EtcdClient, request: EtcdRequest): CallResult {
  let out: CallResult | undefined;
  client.call(request, 'admin', (r) => (out = r));
  while (out === undefined) cluster.world.run({ untilUs: cluster.world.loop.now() + 10_000 });
  return out;
}

function setup(): { cluster: EtcdCluster; admin: EtcdClient; auth: HarnessAuth; probes: EtcdClient[] } {
  const cluster = new EtcdCluster({ seed: 3, members: 3, makeStateMachine: makeEtcdStateMachine });
  cluster.start();
  cluster.world.run({ untilUs: 2 * SECOND_US });
  const admin = cluster.client('admin', { followLeader: true, retriesMax: 3 });
  for (const r of [userAdd('root', 'root-pw'), userGrantRole('root', 'root'), authEnable()]) expect(answer(cluster, admin, r).type).toBe('ok');
  const auth = new HarnessAuth(cluster, cluster.client('harness-login', { followLeader: true, retriesMax: 3 }));
  // One probe client pinned to each member, as a run's workers on their own members.
  const probes = cluster.names.map((m) => cluster.client(`probe-${m}`, { members: [m], retriesMax: 0 }));
  return { cluster, admin, auth, probes };
}

/** Runs the probes for at most 2 s: which clients were served. */
function probe(cluster: EtcdCluster, probes: EtcdClient[], tokenFor: (member: string) => string | undefined): readonly boolean[] {
  const deadlineUs = cluster.world.loop.now() + 2 * SECOND_US;
  const served = probeClients(probes, { nowUs: () => cluster.world.loop.now(), schedule: (d, fn) => cluster.world.loop.schedule(d, fn) }, deadlineUs, tokenFor);
  cluster.world.run({ untilUs: deadlineUs });
  return served;
}

function rootLogin(cluster: EtcdCluster, admin: EtcdClient): string {
  const r = answer(cluster, admin, authenticate('root', 'root-pw'));
  return (r.body as { token: string }).token;
}

describe('the harness token after authentication was turned off', () => {
  it('goes to no member once every member applied the AuthDisable, and every probe is served', () => {
    const { cluster, admin, auth, probes } = setup();
    auth.settle(2 * SECOND_US);
    expect(cluster.names.map(auth.probeTokenFor).every((t) => t !== undefined)).toBe(true);
    expect(answer(cluster, admin, withToken(authDisable(), rootLogin(cluster, admin))).type).toBe('ok');
    cluster.world.run({ untilUs: cluster.world.loop.now() + SECOND_US });
    expect(cluster.names.map(auth.probeTokenFor)).toEqual([undefined, undefined, undefined]);
    expect(probe(cluster, probes, auth.probeTokenFor)).toEqual([true, true, true]);
  });

  it('is refused by a member with authentication off, as etcd 3.4.23 refuses it (what the probes met before)', () => {
    const { cluster, admin, auth, probes } = setup();
    auth.settle(2 * SECOND_US);
    const stale = auth.probeTokenFor(cluster.names[0] as string) as string;
    expect(answer(cluster, admin, withToken(authDisable(), rootLogin(cluster, admin))).type).toBe('ok');
    cluster.world.run({ untilUs: cluster.world.loop.now() + SECOND_US });
    const r = answer(cluster, probes[0] as EtcdClient, withToken(put('k', 'v'), stale));
    expect([r.type, r.error]).toEqual(['fail', 'etcdserver: invalid auth token']);
    expect(probe(cluster, probes, () => stale)).toEqual([false, false, false]);
  });

  it('is taken again by a new login once authentication is on again (the disable dropped the old one)', () => {
    const { cluster, admin, auth, probes } = setup();
    auth.settle(2 * SECOND_US);
    const before = auth.probeTokenFor(cluster.names[0] as string);
    expect(answer(cluster, admin, withToken(authDisable(), rootLogin(cluster, admin))).type).toBe('ok');
    expect(answer(cluster, admin, authEnable()).type).toBe('ok');
    cluster.world.run({ untilUs: cluster.world.loop.now() + SECOND_US });
    expect(probe(cluster, probes, auth.probeTokenFor)).toEqual([true, true, true]);
    expect(auth.probeTokenFor(cluster.names[0] as string)).not.toBe(before);
  });
});
