// Random fault schedules on the simulated world find a planted Raft bug through the observer,
// and the same seeds without the bug stay clean. Seeds are fixed: the test is deterministic.
import { describe, expect, it } from 'vitest';
import { RaftCluster } from '../../support/raft/raft-cluster.ts';
import { applySchedule, randomSchedule } from '../../support/raft/fault-schedule.ts';
import { plantedBug } from '../../../sim/bugs/planted-bugs.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import type { MemberUnsafeOptions } from '../../../src/server/member-config.ts';
import { HostError } from '../../../sim/world/host-error.ts';
import { Prng } from '../../../sim/world/prng.ts';

/** Slow disks widen the window between a write and its fsync. */
const SLOW_DISK = { fsyncLatencyUsMin: 5_000, fsyncLatencyUsMax: 30_000 };

/**
 * Runs one seeded schedule; returns the violated observer invariant's name, or 'raft:NAME' when
 * a member's own assertion fired (etcd panics the same way), or undefined if the run was clean.
 */
function runSeed(seed: number, bug: PlantedBug | undefined, slowDisk = false, faults = 8): string | undefined {
  // The registry's member switches, as the Raft harness host takes them.
  const unsafe: MemberUnsafeOptions = bug === undefined ? {} : plantedBug(bug).unsafe;
  const host = { unsafe: unsafe.raft ?? {}, unsafeSendBeforeSync: unsafe.sendBeforeSync === true };
  const prng = new Prng(`${seed}/schedule`);
  const world = slowDisk ? { disk: SLOW_DISK } : {};
  const c = new RaftCluster({ seed, members: 3, host, world, replay: `seed ${seed} bug ${bug ?? 'none'}` });
  const schedule = applySchedule(c, randomSchedule(prng, 3, faults, 6_000));
  try {
    for (let t = 0; t < 8_000; t += 50) {
      c.propose(prng.pick(c.ids), `s${t}`);
      c.runForUs(50_000);
    }
    schedule.healAll();
    c.runUntilLeader(10_000_000);
    c.runForUs(1_000_000);
    return undefined;
  } catch (e) {
    const v = c.invariants.violation;
    if (v !== undefined) return v.invariant;
    // A member's own assertion leaves the world as a HostError naming the member.
    const message = e instanceof HostError ? e.causeMessage : (e as Error).message;
    const internal = /^invariant ([a-z-]+):/.exec(message);
    if (internal === null) throw e;
    return `raft:${internal[1]}`;
  }
}

describe('bug hunt with random fault schedules', () => {
  const seeds = Array.from({ length: 30 }, (_, i) => i + 1);

  it('vote-without-log-check is found by the observer within 30 seeds (leader-completeness)', () => {
    const found = seeds.map((s) => runSeed(s, 'vote-without-log-check')).filter((v) => v !== undefined);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContain('leader-completeness');
  });

  it('the same 30 seeds without a planted bug break no invariant', () => {
    expect(seeds.map((s) => runSeed(s, undefined)).filter((v) => v !== undefined)).toEqual([]);
  });

  it('send-before-fsync is found with slow disks: acknowledged entries vanish in crashes (etcd\'s "tocommit out of range" panic)', () => {
    const found = seeds.slice(0, 20).map((s) => runSeed(s, 'send-before-fsync', true, 12)).filter((v) => v !== undefined);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((v) => v === 'raft:commit-within-log' || v === 'leader-completeness' || v === 'committed-entry-lost')).toBe(true);
  });

  it('the same slow-disk, crash-heavy seeds without a planted bug stay clean', () => {
    expect(seeds.slice(0, 20).map((s) => runSeed(s, undefined, true, 12)).filter((v) => v !== undefined)).toEqual([]);
  });
});
