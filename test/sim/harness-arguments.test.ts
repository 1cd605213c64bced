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
/** The base scenario with a workload that holds itself. */
function cyclic(): unknown {
  const workload: Record<string, unknown> = { ...base.workload };
  workload['self'] = workload;
  return { ...base, workload };
}

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
  // Checked in full, as a scenario file is (parseScenario), not by its sections alone.
  ['expandSchedule of a scenario of no members', () => expandSchedule(anyArg({ ...base, cluster: { ...base.cluster, members: 0 } }), new Prng(1)), /^expandSchedule: scenario: cluster\.members: /],
  ['expandSchedule of a fault on a member that does not exist', () => expandSchedule(anyArg({ ...base, schedule: [{ atMs: 10, durationMs: 5, fault: { kind: 'pause', target: 'n9' } }] }), new Prng(1)), /^expandSchedule: scenario: schedule\[0\]\.fault\.target: member n9 does not exist in a 3-member cluster$/],
  ['drawSwarm of a scenario holding itself', () => drawSwarm(anyArg(cyclic()), new Prng(1)), /^drawSwarm: scenario: workload\.self: must be a JSON value: it holds itself \(a cycle\)$/],
  ['shrinkScenario of a BigInt rate', () => shrinkScenario(anyArg({ ...base, workload: { ...base.workload, rateOpsPerSecond: 10n } }), { fails: () => true, runsMax: 1 }), /^shrinkScenario: start: workload\.rateOpsPerSecond: must be a JSON value: a BigInt is none/],
  ['bakeScenario of a schedule entry past the safety phase', () => bakeScenario(base, [{ atMs: 5000, durationMs: 5, fault: { kind: 'pause', target: 'n1' } }]), /^bakeScenario: schedule\[0\]\.atMs: must be before the end of the safety phase/],
  ['bakeScenario of a NaN fault time', () => bakeScenario(base, anyArg([{ atMs: NaN, durationMs: 5, fault: { kind: 'pause', target: 'n1' } }])), /^bakeScenario: schedule\[0\]\.atMs: must be a JSON value: NaN/],
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
