// The harness's exported scenario functions (detcd/harness) with the arguments a JavaScript
// caller gets wrong: each refused in one line naming the function, the argument and the reason
// (a UsageError, as runScenario's are), not a TypeError from inside ("Cannot read properties of
// undefined (reading 'schedule')"). Found by calling every export with undefined, null, 5, "x", {}.
import { describe, expect, it } from 'vitest';
import { expectUsageError } from '../support/usage-error.ts';
import { bakeScenario, checkMutex, defineScenario, drawSwarm, expandSchedule, shrinkScenario, UsageError } from '../../sim/index.ts';
import { Prng } from '../../sim/world/prng.ts';

const base = defineScenario({ name: 'args', clients: { count: 2 }, workload: { kind: 'register', durationMs: 300, rateOpsPerSecond: 20 } });
const anyArg = (v: unknown): never => v as never;

const CASES: [string, () => unknown, RegExp][] = [
  ['shrinkScenario of no scenario', () => shrinkScenario(anyArg(undefined), { fails: () => true, runsMax: 1 }), /^shrinkScenario: start: must be a scenario/],
  ['shrinkScenario of a number', () => shrinkScenario(anyArg(5), { fails: () => true, runsMax: 1 }), /^shrinkScenario: start: must be a scenario .* got 5$/],
  ['shrinkScenario without options', () => shrinkScenario(base, anyArg(undefined)), /^shrinkScenario: options: must be an object/],
  ['shrinkScenario without fails', () => shrinkScenario(base, anyArg({ runsMax: 3 })), /^shrinkScenario: options\.fails: must be a function/],
  ['shrinkScenario with a NaN bound', () => shrinkScenario(base, { fails: () => true, runsMax: NaN }), /^shrinkScenario: options\.runsMax: must be a whole number from 0 up, got NaN$/],
  ['shrinkScenario with onStep not a function', () => shrinkScenario(base, { fails: () => true, runsMax: 1, onStep: anyArg('log') }), /^shrinkScenario: options\.onStep: must be a function/],
  ['bakeScenario of null', () => bakeScenario(anyArg(null), []), /^bakeScenario: ran: must be a scenario .* got null$/],
  ['bakeScenario of a scenario defineScenario did not make', () => bakeScenario(anyArg({ name: 'x' }), []), /^bakeScenario: ran: not a scenario defineScenario made/],
  ['bakeScenario with no schedule', () => bakeScenario(base, anyArg(undefined)), /^bakeScenario: schedule: must be an array/],
  ['bakeScenario with a fault-less entry', () => bakeScenario(base, anyArg([{ atMs: 1, durationMs: 2 }])), /^bakeScenario: schedule\[0\]\.fault: must be a fault/],
  ['expandSchedule of no scenario', () => expandSchedule(anyArg(undefined), new Prng(1)), /^expandSchedule: scenario: must be a scenario/],
  ['expandSchedule without a Prng', () => expandSchedule(base, anyArg(1)), /^expandSchedule: prng: must be a Prng \(new Prng\(seed\)\), got 1$/],
  ['drawSwarm of a number', () => drawSwarm(anyArg(5), new Prng(1)), /^drawSwarm: scenario: must be a scenario .* got 5$/],
  ['drawSwarm without a Prng', () => drawSwarm(base, anyArg(undefined)), /^drawSwarm: prng: must be a Prng/],
  ['checkMutex of no history', () => checkMutex(anyArg(undefined)), /^checkMutex: history: /],
  ['a UsageError made with no message', () => { throw new UsageError(anyArg(undefined)); }, /^undefined$/],
];

describe('the harness API arguments', () => {
  for (const [what, call, message] of CASES) {
    it(`refuses ${what} in one line naming the function and the argument`, () => expectUsageError(call, message));
  }

  it('still takes what they always took', () => {
    expect(expandSchedule(base, new Prng(1))).toEqual([]);
    expect(drawSwarm(base, new Prng(1)).scenario).toBe(base);
    expect(bakeScenario(base, []).schedule).toEqual([]);
    expect(shrinkScenario(base, { fails: () => false, runsMax: 2 }).scenario).toBe(base);
  });
});
