// Crash tests: a member killed at every step of applying writes and of taking a snapshot
// recovers with no acknowledged write lost and its revision never going backwards.
import { describe, expect, test } from 'vitest';
import type { CrashCase } from './crash-harness.ts';
import { crashAt, windowLength } from './crash-harness.ts';
import { RegisterStateMachine } from './register-state-machine.ts';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const etcdPut = (key: string, value: string): { path: string; body: unknown } => ({ path: '/v3/kv/put', body: { key: b64(key), value: b64(value) } });
const etcdTxn = { path: '/v3/kv/txn', body: {
  compare: [{ key: b64('a'), target: 'VERSION', result: 'GREATER', version: '0' }],
  success: [{ request_put: { key: b64('a'), value: b64('t') } }, { request_delete_range: { key: b64('b') } }, { request_put: { key: b64('c'), value: b64('t') } }],
  failure: [{ request_range: { key: b64('a') } }],
} };

const put = (key: string, value: string): { path: string; body: unknown } => ({ path: '/v3/kv/put', body: { key, value } });

function sweep(c: CrashCase): { tried: number } {
  const n = windowLength(c);
  for (let k = 0; k <= n; k++) {
    const o = crashAt(c, k);
    const replay = `seed ${c.seed}, crash after ${k} events`;
    // Recovery replays every durable committed entry before serving: an acknowledged write's
    // revision is never above what the restarted member holds.
    for (const rev of o.acknowledged) expect(o.revisionAfterRestart, replay).toBeGreaterThanOrEqual(c.members === 1 ? rev : 0);
    expect(o.revisionSettled, replay).toBeGreaterThanOrEqual(o.maxSeenRevision);
    expect(o.converged, replay).toBe(true);
    if (c.settledRevision !== undefined) expect(o.revisionSettled, replay).toBe(c.settledRevision);
  }
  console.log(`crash case seed ${c.seed}: killed ${c.victim} at each of ${n + 1} steps`);
  return { tried: n + 1 };
}

describe('crash recovery (register state machine)', () => {
  test('a single member killed at every step of applying writes and snapshotting loses no acknowledged write', () => {
    const { tried } = sweep({
      seed: 11, members: 1, settings: { snapshotCount: 3, snapshotCatchUpEntries: 1 }, makeStateMachine: () => new RegisterStateMachine(),
      setup: [put('a', '1'), put('b', '1')], window: [put('a', '2'), put('c', '1'), put('d', '1')], victim: 'leader',
    });
    expect(tried).toBeGreaterThan(10);
  });

  test('a three-member leader killed at every step of a write and a snapshot recovers and converges', () => {
    const { tried } = sweep({
      seed: 12, members: 3, settings: { snapshotCount: 4, snapshotCatchUpEntries: 1 }, makeStateMachine: () => new RegisterStateMachine(),
      setup: [put('a', '1'), put('b', '1')], window: [put('a', '2'), put('c', '1')], victim: 'leader',
    });
    expect(tried).toBeGreaterThan(10);
  });
});

describe('crash recovery (etcd state machine)', () => {
  test('a member killed at every step of applying a txn and taking a snapshot loses no acknowledged write', () => {
    const { tried } = sweep({
      seed: 21, members: 1, settings: { snapshotCount: 4, snapshotCatchUpEntries: 1 }, makeStateMachine: makeEtcdStateMachine,
      setup: [etcdPut('a', '1'), etcdPut('b', '1')], window: [etcdTxn, etcdPut('d', '1')], victim: 'leader',
    });
    expect(tried).toBeGreaterThan(8);
  });

  test('a member killed at every step of a compaction keeps its revision and compact revision', () => {
    const { tried } = sweep({
      seed: 22, members: 3, settings: { snapshotCount: 5, snapshotCatchUpEntries: 1 }, makeStateMachine: makeEtcdStateMachine,
      setup: [etcdPut('a', '1'), etcdPut('a', '2'), etcdPut('b', '1')],
      window: [{ path: '/v3/kv/compaction', body: { revision: '3' } }, etcdPut('c', '1')], victim: 'leader',
    });
    expect(tried).toBeGreaterThan(8);
  });

  test('a follower killed at every step of a lease revoke that deletes two keys recovers them deleted, in one revision', () => {
    const { tried } = sweep({
      seed: 23, members: 3, settings: { snapshotCount: 6, snapshotCatchUpEntries: 2 }, makeStateMachine: makeEtcdStateMachine,
      setup: [
        { path: '/v3/lease/grant', body: { ID: '42', TTL: '600' } },
        { path: '/v3/kv/put', body: { key: b64('l1'), value: b64('x'), lease: '42' } },
        { path: '/v3/kv/put', body: { key: b64('l2'), value: b64('x'), lease: '42' } },
      ],
      window: [{ path: '/v3/lease/revoke', body: { ID: '42' } }, etcdPut('after', '1')], victim: 'follower',
      // Two puts at 2 and 3, the revoke deletes both keys at 4, the last put is 5.
      settledRevision: 5,
    });
    expect(tried).toBeGreaterThan(8);
  });
});
