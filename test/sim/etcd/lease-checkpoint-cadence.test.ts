// Invariant lease-checkpoint-cadence (sim/etcd/lease-checkpoint-cadence.ts): a leader that applied a
// lease's checkpoint keeps checkpointing it every interval while the lease runs down (etcd 3.4's
// lessor.Checkpoint reschedules on the primary). Holdout 13's checkpoint-not-rescheduled left each
// lease one checkpoint and no checker saw it.
import { describe, expect, test } from 'vitest';
import { EtcdStateMachine, makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { InvariantViolation } from '../../../src/invariant-violation.ts';
import type { CallResult, EtcdClient } from '../../../sim/etcd/client.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';

const SECOND_US = 1_000_000;

function started(seed: number): { c: EtcdCluster; cadence: NonNullable<ReturnType<EtcdCluster['observeLeaseCheckpointCadence']>> } {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: makeEtcdStateMachine, settings: { leaseCheckpointing: true, leaseCheckpointIntervalMs: 1000 } });
  const cadence = c.observeLeaseCheckpointCadence()!;
  c.start();
  if (!c.runUntilTrue(() => c.leader() !== undefined, 10 * SECOND_US)) throw new Error('no leader');
  c.runUntil(c.world.loop.now() + SECOND_US);
  return { c, cadence };
}

function call(c: EtcdCluster, client: EtcdClient, path: string, body: unknown): CallResult {
  let result: CallResult | undefined;
  client.call({ path, body }, 0, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 60 * SECOND_US);
  if (result === undefined) throw new Error('no result');
  return result;
}

describe('lease-checkpoint-cadence', () => {
  test('a leader that checkpoints each lease every interval, renewed or not, breaks nothing', () => {
    const { c, cadence } = started(51);
    const client = c.client('c');
    call(c, client, '/v3/lease/grant', { TTL: '20', ID: '7' });
    call(c, client, '/v3/lease/grant', { TTL: '30', ID: '8' });
    for (let i = 0; i < 6; i++) {
      c.runUntil(c.world.loop.now() + SECOND_US);
      call(c, client, '/v3/lease/keepalive', { ID: '8' });
    }
    c.runUntil(c.world.loop.now() + 4 * SECOND_US);
    expect(cadence.met).toBeGreaterThan(5);
  });

  test('a leader whose applied checkpoints schedule no next one is caught within two intervals', () => {
    const { c } = started(52);
    const sm = c.leaderHost()!.member.stateMachine as EtcdStateMachine;
    expect(sm).toBeInstanceOf(EtcdStateMachine);
    const lessor = sm.applier.lessor;
    // The mutant's checkpoint: the remaining TTL is recorded, the next checkpoint not scheduled.
    lessor.checkpoint = (id, remaining) => {
      const l = lessor.lookup(id);
      if (l !== undefined) l.remainingTtlSeconds = remaining;
    };
    const client = c.client('c');
    call(c, client, '/v3/lease/grant', { TTL: '20', ID: '7' });
    let thrown: unknown;
    try {
      c.runUntil(c.world.loop.now() + 6 * SECOND_US);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvariantViolation);
    expect((thrown as InvariantViolation).invariant).toBe('lease-checkpoint-cadence');
    expect((thrown as InvariantViolation).detail).toMatch(/lease 7's .* no checkpoint of it was appended/);
  });

  test('a new leader whose promotion schedules no checkpoint of the leases it holds is caught; one that does is not', () => {
    // etcd 3.4's Promote calls scheduleCheckpointIfNeeded for every lease. Before, only grants and
    // applied checkpoints owed a next checkpoint: the mutant's new leader never checkpointed.
    const moved = (seed: number, schedulesNone: boolean): unknown => {
      const { c } = started(seed);
      const client = c.client('c');
      call(c, client, '/v3/lease/grant', { TTL: '30', ID: '7' });
      c.runUntil(c.world.loop.now() + 2 * SECOND_US);
      const to = c.members().find((m) => m !== c.leader())!;
      const lessor = (c.hosts.get(to)!.member.stateMachine as EtcdStateMachine).applier.lessor;
      if (schedulesNone) {
        const promote = lessor.promote.bind(lessor);
        lessor.promote = (nowMs, extendMs) => {
          promote(nowMs, extendMs);
          (lessor as unknown as { checkpointDue: unknown[] }).checkpointDue = [];
        };
      }
      expect(c.transferLeadership(to)).toBe(true);
      try {
        c.runUntil(c.world.loop.now() + 6 * SECOND_US);
      } catch (err) {
        return err;
      }
      expect(c.leader()).toBe(to);
      return undefined;
    };
    expect(moved(53, false)).toBeUndefined();
    const thrown = moved(53, true);
    expect(thrown).toBeInstanceOf(InvariantViolation);
    expect((thrown as InvariantViolation).invariant).toBe('lease-checkpoint-cadence');
    expect((thrown as InvariantViolation).detail).toMatch(/lease 7's .* no checkpoint of it was appended/);
  });
});
