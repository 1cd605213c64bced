// Invariant auth-revision-rises (sim/etcd/auth-revision.ts): every auth change a member applies
// raises its auth revision, or a request checked before the change applies after it unrefused
// (holdout 13: revoke-role-keeps-auth-revision).
import { describe, expect, test } from 'vitest';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { InvariantViolation } from '../../../src/invariant-violation.ts';
import type { CallResult, EtcdClient } from '../../../sim/etcd/client.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { HostError } from '../../../sim/world/host-error.ts';

const SECOND_US = 1_000_000;

function started(seed: number): { c: EtcdCluster; observer: ReturnType<EtcdCluster['observeAuthRevision']> } {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine });
  c.start();
  const observer = c.observeAuthRevision();
  if (!c.runUntilTrue(() => c.leader() !== undefined, 10 * SECOND_US)) throw new Error('no leader');
  return { c, observer };
}

function call(c: EtcdCluster, client: EtcdClient, path: string, body: unknown, token?: string): CallResult {
  let result: CallResult | undefined;
  client.call(token === undefined ? { path, body } : { path, body, token }, 0, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 60 * SECOND_US);
  if (result === undefined) throw new Error('no result');
  return result;
}

/** Root and alice holding role r1, authentication on; root's token. */
function setUp(c: EtcdCluster, client: EtcdClient): string {
  for (const [path, body] of [
    ['/v3/auth/user/add', { name: 'root', password: 'r' }], ['/v3/auth/user/grant', { user: 'root', role: 'root' }],
    ['/v3/auth/role/add', { name: 'r1' }], ['/v3/auth/user/add', { name: 'alice', password: 'a' }],
    ['/v3/auth/user/grant', { user: 'alice', role: 'r1' }], ['/v3/auth/enable', {}],
  ] as const) expect(call(c, client, path, body).type).toBe('ok');
  const login = call(c, client, '/v3/auth/authenticate', { name: 'root', password: 'r' });
  return (login.body as { token: string }).token;
}

describe('auth-revision-rises', () => {
  test('auth changes that each raise the revision, and an AuthEnable that does not, break nothing', () => {
    const { c, observer } = started(61);
    const client = c.client('c');
    const token = setUp(c, client);
    expect(call(c, client, '/v3/auth/user/revoke', { name: 'alice', role: 'r1' }, token).type).toBe('ok');
    expect(call(c, client, '/v3/auth/user/changepw', { name: 'alice', password: 'b' }, token).type).toBe('ok');
    c.runUntil(c.world.loop.now() + SECOND_US);
    // Six changes on each of three members (AuthEnable changes no user nor role).
    expect(observer.judged).toBeGreaterThanOrEqual(3 * 6);
  });

  test('a role revoke that keeps the auth revision is caught on the member that applies it', () => {
    const { c } = started(62);
    const client = c.client('c');
    const token = setUp(c, client);
    for (const host of c.hosts.values()) {
      const auth = (host.member.stateMachine as EtcdStateMachine).applier.auth;
      // The mutant: no revision for this change.
      (auth as unknown as { commitRevision: () => void }).commitRevision = () => {};
    }
    let thrown: unknown;
    try {
      call(c, client, '/v3/auth/user/revoke', { name: 'alice', role: 'r1' }, token);
    } catch (err) {
      thrown = err;
    }
    // Thrown while the member applied the entry: the host wraps it with the member's name.
    expect(thrown).toBeInstanceOf(HostError);
    const v = (thrown as HostError).cause;
    expect(v).toBeInstanceOf(InvariantViolation);
    expect((v as InvariantViolation).invariant).toBe('auth-revision-rises');
    expect((v as InvariantViolation).detail).toMatch(/auth_user_revoke.*changed.*from (\d+) to \1/);
  });
});
