// The auth store as etcd 3.4 runs it, through the state machine every member applies: users,
// roles and permissions change only through raft entries (so every member agrees, and a
// snapshot carries them), authentication needs root with the root role, and with it enabled a
// write is checked against its proposer's permissions when it applies, a read when it runs.
import { describe, expect, it } from 'vitest';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import type { Classified, WireReply } from '../../../src/server/state-machine-port.ts';
import { mergePermissions, permitted } from '../../../src/auth/range-permissions.ts';

/** One member's state machine, entries applied in order as raft would commit them. */
class Machine {
  readonly sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
  private index = 0;
  private id = 100;

  /** Continues after a restored snapshot: its raft index, and request ids no member used. */
  restoreFrom(other: Machine): void {
    this.sm.restore(other.sm.snapshot(), 0);
    this.index = other.index;
    this.id = other.id + 1000;
  }

  /** Classifies and, for a proposal, applies it at the next index; a read runs at once. */
  send(path: string, body: object, token?: string): WireReply {
    const c: Classified = this.sm.classify(path, body, { clusterId: '1', memberId: '1', raftTerm: () => 1 }, undefined, token);
    if (c.kind === 'read-then-propose') return this.run(c.after());
    return this.run(c);
  }

  private run(c: Classified): WireReply {
    if (c.kind === 'invalid') return { ok: false, error: c.error };
    if (c.kind === 'read') return c.read();
    if (c.kind === 'local') return c.serve();
    if (c.kind !== 'propose') throw new Error(`unexpected ${c.kind}`);
    const { data } = c.encode(String(++this.id));
    return this.sm.apply(++this.index, 1, data, 0).reply;
  }

  message(path: string, body: object, token?: string): string {
    const r = this.send(path, body, token);
    return r.ok ? 'ok' : r.error.message;
  }

  token(name: string, password: string): string {
    const r = this.send('/v3/auth/authenticate', { name, password });
    if (!r.ok) throw new Error(r.error.message);
    return (r.body as { token: string }).token;
  }
}

const b = (s: string): string => Buffer.from(s, 'binary').toString('base64');

function withRootAndUser(): { m: Machine; root: string; user: string } {
  const m = new Machine();
  for (const [path, body] of [
    ['/v3/auth/user/add', { name: 'root', password: 'r' }],
    ['/v3/auth/user/grant', { user: 'root', role: 'root' }],
    ['/v3/auth/user/add', { name: 'u', password: 'p' }],
    ['/v3/auth/role/add', { name: 'r' }],
    ['/v3/auth/role/grant', { name: 'r', perm: { permType: 'READWRITE', key: b('k'), range_end: b('l') } }],
    ['/v3/auth/role/grant', { name: 'r', perm: { permType: 'READ', key: b('a') } }],
    ['/v3/auth/user/grant', { user: 'u', role: 'r' }],
    ['/v3/auth/enable', {}],
  ] as const) expect(m.message(path, body)).toBe('ok');
  return { m, root: m.token('root', 'r'), user: m.token('u', 'p') };
}

describe('auth store', () => {
  it('enables only with a root user holding the root role, with etcd\'s errors', () => {
    const m = new Machine();
    expect(m.message('/v3/auth/enable', {})).toBe('etcdserver: root user does not exist');
    m.send('/v3/auth/user/add', { name: 'root', password: 'r' });
    expect(m.message('/v3/auth/enable', {})).toBe('etcdserver: root user does not have root role');
    expect(m.message('/v3/auth/authenticate', { name: 'root', password: 'r' })).toBe('etcdserver: authentication is not enabled');
    m.send('/v3/auth/user/grant', { user: 'root', role: 'root' });
    expect(m.message('/v3/auth/enable', {})).toBe('ok');
    expect(m.message('/v3/auth/authenticate', { name: 'root', password: 'x' })).toBe('etcdserver: authentication failed, invalid user ID or password');
  });

  it('with auth enabled: no token is "user name is empty", an unknown one "invalid auth token", others by their permissions', () => {
    const { m, root, user } = withRootAndUser();
    expect(m.message('/v3/kv/put', { key: b('k1'), value: b('v') })).toBe('etcdserver: user name is empty');
    expect(m.message('/v3/kv/range', { key: b('k1') })).toBe('etcdserver: user name is empty');
    expect(m.message('/v3/kv/range', { key: b('k1') }, 'bogus.1')).toBe('etcdserver: invalid auth token');
    expect(m.message('/v3/kv/put', { key: b('k1'), value: b('v') }, user)).toBe('ok');
    expect(m.message('/v3/kv/put', { key: b('x'), value: b('v') }, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/kv/put', { key: b('a'), value: b('v') }, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/kv/range', { key: b('a') }, user)).toBe('ok');
    expect(m.message('/v3/kv/range', { key: b('k'), range_end: b('l') }, user)).toBe('ok');
    expect(m.message('/v3/kv/range', { key: b('k'), range_end: b('m') }, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/kv/deleterange', { key: b('a') }, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/kv/txn', { compare: [{ key: b('x'), target: 'VERSION', result: 'EQUAL' }], success: [{ request_put: { key: b('k2') } }] }, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/kv/put', { key: b('x'), value: b('v') }, root)).toBe('ok');
    expect(m.message('/v3/auth/user/list', {}, user)).toBe('etcdserver: permission denied');
    expect(m.message('/v3/auth/user/get', { name: 'u' }, user)).toBe('ok');
    expect(m.message('/v3/auth/role/get', { role: 'r' }, user)).toBe('ok');
    expect(m.message('/v3/maintenance/hashkv', {}, user)).toBe('auth: permission denied');
    expect(m.message('/v3/auth/user/delete', { name: 'root' }, root)).toBe('etcdserver: invalid auth management');
    expect(m.message('/v3/auth/disable', {}, root)).toBe('ok');
    // Disabling forgets every token.
    expect(m.message('/v3/kv/range', { key: b('k1') }, user)).toBe('etcdserver: invalid auth token');
    expect(m.message('/v3/kv/range', { key: b('k1') })).toBe('ok');
  });

  it('is replicated state: a member restored from a snapshot answers alike, and a store without users snapshots as before', () => {
    const { m } = withRootAndUser();
    const other = new Machine();
    const plain = new Machine().sm.snapshot();
    expect(plain).not.toContain('auth');
    other.restoreFrom(m);
    expect(other.message('/v3/kv/range', { key: b('k1') })).toBe('etcdserver: user name is empty');
    expect(other.send('/v3/auth/user/get', { name: 'u' }, other.token('root', 'r'))).toMatchObject({ ok: true, body: { roles: ['r'] } });
  });

  it('permissions cover ranges as etcd\'s interval tree does: joined intervals, points, open ends, an empty begin above every key', () => {
    const merged = mergePermissions([
      { permType: 'READ', key: 'a', rangeEnd: 'c' },
      { permType: 'READ', key: 'c', rangeEnd: 'e' },
      { permType: 'READWRITE', key: 'x', rangeEnd: '' },
      { permType: 'WRITE', key: 'z', rangeEnd: '\0' },
    ]);
    expect(permitted(merged, false, 'a', 'e')).toBe(true);
    expect(permitted(merged, false, 'a', 'f')).toBe(false);
    expect(permitted(merged, false, 'x', '')).toBe(true);
    expect(permitted(merged, false, 'x', 'x\0')).toBe(true);
    expect(permitted(merged, true, 'zz', '\0')).toBe(true);
    expect(permitted(merged, true, 'y', '\0')).toBe(false);
    const everything = mergePermissions([{ permType: 'READ', key: '', rangeEnd: '\0' }]);
    expect(permitted(everything, false, 'k', '')).toBe(false);
    const fromNul = mergePermissions([{ permType: 'READ', key: '\0', rangeEnd: '\0' }]);
    expect(permitted(fromNul, false, '\0', '\0')).toBe(true);
  });
});
