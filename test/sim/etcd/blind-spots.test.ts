// Issue 10's bug classes, each planted as a programmer's mistake and found within a few seeds of
// the scenario aimed at it by the check that closes the blind spot; the correct build runs the
// same seeds clean. Seeds are fixed: the test is deterministic.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { runScenario } from '../../../sim/run/run.ts';

const SEEDS = [1, 2, 3, 4];

/** The broken invariant (or failing checker) of each seed's run; undefined for a clean run. */
function hunt(scenario: string, bug: PlantedBug | undefined, seeds: readonly number[]): (string | undefined)[] {
  const s = loadScenario(scenario).scenario;
  return seeds.map((seed) => {
    const r = runScenario(s, seed, bug === undefined ? {} : { bug }).results;
    if (r.valid === true) return undefined;
    if (r.stop?.invariant !== undefined) return r.stop.invariant;
    return Object.entries(r.checkers).filter(([, c]) => c.valid !== true && c.nothing !== true).map(([name]) => name).join(',');
  });
}

describe('blind spots closed', () => {
  it('persistence ordering: a vote answered before it is durable is found by vote-once (crash right after the vote)', () => {
    const found = hunt('crash-after-vote', 'vote-before-durable', SEEDS);
    expect(found.filter((v) => v !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(found.filter((v) => v !== undefined).every((v) => v === 'vote-once' || v === 'election-safety')).toBe(true);
  });

  it('the correct build crashed at the same worst moments stays clean', () => {
    expect(hunt('crash-after-vote', undefined, SEEDS)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('CheckQuorum broken: a leader cut off from its quorum that does not step down is found by check-quorum-unheard (its first check passed without a quorum answering) or check-quorum-step-down', () => {
    const found = hunt('quorum-loss', 'check-quorum-stale-activity', SEEDS);
    expect(found.filter((v) => v === 'check-quorum-unheard' || v === 'check-quorum-step-down').length, found.join(', ')).toBeGreaterThanOrEqual(3);
  });

  it('PreVote broken: a cut-off member that inflates its term is found by pre-vote-term', () => {
    const found = hunt('quorum-loss', 'pre-vote-bumps-term', SEEDS);
    expect(found.filter((v) => v === 'pre-vote-term').length).toBeGreaterThanOrEqual(3);
  });

  it('the correct build under the same long partitions stays clean', () => {
    expect(hunt('quorum-loss', undefined, SEEDS)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('conf changes racing: a new leader that accepts a change before its term commits, or a leader that accepts one while another is unapplied, is found by conf-change-pending', () => {
    for (const bug of ['conf-change-before-term-commit', 'conf-change-while-pending'] as const) {
      const found = hunt('conf-change-race', bug, SEEDS);
      expect(found.filter((v) => v === 'conf-change-pending').length, `${bug}: ${found.join(', ')}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('the correct build with operators racing on the member API stays clean', () => {
    expect(hunt('conf-change-race', undefined, SEEDS)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a weakened up-to-date check (our commit index instead of our last index) is found by vote-up-to-date, with leaders crashed right after they commit', () => {
    const found = hunt('crash-moments', 'up-to-date-vs-commit', SEEDS);
    expect(found.filter((v) => v === 'vote-up-to-date').length, found.join(', ')).toBeGreaterThanOrEqual(3);
  });

  it('a check of the last terms alone is found the same way', () => {
    const found = hunt('crash-moments', 'up-to-date-term-only', SEEDS);
    expect(found.filter((v) => v === 'vote-up-to-date').length, found.join(', ')).toBeGreaterThanOrEqual(3);
  });

  it('the correct build crashed at those moments stays clean', () => {
    expect(hunt('crash-moments', undefined, SEEDS)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a candidate that counts late pre-vote grants as votes is found by leader-has-votes (before: 0 of 67 runs, no second leader of a term ever showed)', () => {
    const found = hunt('leader-churn', 'candidate-counts-pre-votes', SEEDS);
    expect(found.filter((v) => v === 'leader-has-votes').length, found.join(', ')).toBeGreaterThanOrEqual(3);
  });

  it('the correct build through the same elections stays clean', () => {
    expect(hunt('leader-churn', undefined, SEEDS)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
