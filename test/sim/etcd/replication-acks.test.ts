// Replication acknowledgements are truthful (sim/etcd/replication-acks.ts): a follower that acks
// entries it does not hold as the leader does, or loses entries it acked while its term lasts,
// is found at that ack or that loss; the correct build runs the same seeds clean. Also the
// joint-consensus shape (joint-leader-crash): membership changes through joint configurations
// whose leader crashes once a voter is being added, where only both majorities may elect.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { runScenario } from '../../../sim/run/run.ts';

function run(scenario: string, seed: number, bug?: PlantedBug): ReturnType<typeof runScenario>['results'] {
  return runScenario(loadScenario(scenario).scenario, seed, bug === undefined ? {} : { bug }).results;
}

const summary = (r: ReturnType<typeof run>): string => String((r.checkers['raft'] as { summary?: string } | undefined)?.summary ?? '');

describe('replication acknowledgements', () => {
  it('a follower that truncates entries it acknowledged (a stale append whose entries all match) is found by acked-entries-kept', () => {
    const r = run('duplicating-network', 2, 'truncate-on-stale-append');
    expect(r.valid).toBe(false);
    expect(r.stop?.invariant, summary(r)).toBe('acked-entries-kept');
  });

  it('a follower that installs an older snapshot and acks its index is found by ack-matches-leader', () => {
    const r = run('snapshot-storm', 1, 'install-older-snapshot');
    expect(r.valid).toBe(false);
    expect(r.stop?.invariant, summary(r)).toBe('ack-matches-leader');
    expect(summary(r)).toMatch(/acknowledged index \d+ to the leader of term \d+/);
  });

  it('the correct build runs the same seeds clean', () => {
    expect(run('duplicating-network', 2).valid).toBe(true);
    expect(run('snapshot-storm', 1).valid).toBe(true);
  });
});

describe('joint consensus under a leader crash', () => {
  it('the correct build stays clean while its leaders crash in joint configurations that add a voter', () => {
    for (const seed of [1, 2]) {
      const r = run('joint-leader-crash', seed);
      expect(r.valid, summary(r)).toBe(true);
      // Four membership stops (the removed members) and four leader crashes at joint-add.
      expect(r.stats.crashes).toBeGreaterThanOrEqual(8);
      expect((r.faults ?? []).filter((f) => f.description.includes('joint configuration that adds a voter')).length).toBe(4);
    }
  });
});
