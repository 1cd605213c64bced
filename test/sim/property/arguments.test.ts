// The property API as a user's suite calls it, with the arguments a JavaScript caller (or a
// TypeScript one past a cast) gets wrong: each is refused before any run, in one line naming
// the function, the argument and the reason (a UsageError, as a bad file is on the command
// line), never a TypeError from inside the run, a fast-check message naming none of them, or
// a run whose replay command the command line refuses (seed -1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectUsageError } from '../../support/usage-error.ts';
import { execFileSync } from 'node:child_process';
import { defineScenario, explain, faultArbitrary, faultScheduleArbitrary, replayCommand, runResults, runScenario, withSchedule } from '../../../sim/property/index.ts';
import { runScenario as harnessRun } from '../../../sim/index.ts';

const base = defineScenario({ name: 'args', clients: { count: 2 }, workload: { kind: 'register', durationMs: 300, rateOpsPerSecond: 20 } });
// Casts: what a JavaScript caller can pass.
const anyArg = (v: unknown): never => v as never;
/** `levels` arrays, each holding the next. */
function deep(levels: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

const CASES: [string, () => unknown, RegExp][] = [
  ['a negative seed', () => runResults(base, -1), /^runResults: seed: must be a whole number from 0 to 2147483647, got -1$/],
  ['a fractional seed', () => runResults(base, 1.5), /^runResults: seed: .* got 1\.5$/],
  ['a NaN seed', () => runScenario(base, NaN), /^runScenario: seed: .* got NaN$/],
  ['a seed past 31 bits', () => runResults(base, 2 ** 31), /^runResults: seed: .* got 2147483648$/],
  ['a seed given as text', () => runResults(base, anyArg('7')), /^runResults: seed: .* got "7"$/],
  ['a seed past 31 bits to the harness', () => harnessRun(base, 2 ** 40), /^runScenario: seed: /],
  ['a scenario defineScenario did not make', () => runResults(anyArg({ name: 'x', workload: { durationMs: 300 } }), 1), /^runResults: scenario: not a scenario defineScenario made \(no cluster: build it with defineScenario/],
  // Checked in full, as a scenario file is (parseScenario), not by its sections alone: these met
  // an invariant of the cluster at start, JSON.stringify, or the stack (the API fuzz, s21).
  ['a scenario of no members', () => runScenario(anyArg({ ...base, cluster: { ...base.cluster, members: 0 } }), 1), /^runScenario: scenario: cluster\.members: /],
  ['a NaN rate', () => runResults(anyArg({ ...base, workload: { ...base.workload, rateOpsPerSecond: NaN } }), 1), /^runResults: scenario: workload\.rateOpsPerSecond: must be a JSON value: NaN is no JSON number$/],
  ['a field the schema does not know', () => harnessRun(anyArg({ ...base, clients: { ...base.clients, counts: 3 } }), 1), /^runScenario: scenario: clients\.counts: unknown field$/],
  ['a sparse fault list', () => runScenario(anyArg({ ...base, schedule: new Array(5) }), 1), /^runScenario: scenario: schedule\[0\]: is missing \(a sparse array of length 5/],
  ['100,000 nested arrays', () => replayCommand(anyArg({ ...base, checkers: deep(100_000) }), 1), /^replayCommand: scenario: checkers(\[0\])+: must be a JSON value nested at most 1000 levels$/],
  ['a BigInt in a replay command', () => replayCommand(anyArg({ ...base, cluster: { ...base.cluster, members: 3n } }), 1), /^replayCommand: scenario: cluster\.members: must be a JSON value: a BigInt is none/],
  ['a schedule of a NaN time', () => withSchedule(base, anyArg([{ atMs: NaN, durationMs: 5, fault: { kind: 'pause', target: 'n1' } }])), /^withSchedule: schedule\[0\]\.atMs: must be a JSON value: NaN/],
  ['a schedule naming a member that does not exist', () => withSchedule(base, [{ atMs: 10, durationMs: 5, fault: { kind: 'pause', target: 'n7' } }]), /^withSchedule: schedule\[0\]\.fault\.target: member n7 does not exist in a 3-member cluster$/],
  ['no scenario', () => runResults(anyArg(undefined), 1), /^runResults: scenario: must be a scenario/],
  ['an unknown bug', () => runResults(base, 1, { bug: anyArg('nope') }), /^runResults: options\.bug: must be the name of a planted bug .* got "nope"$/],
  ['a scenario without a name', () => defineScenario(anyArg({ workload: {} })), /^defineScenario: name: /],
  ['null for a scenario', () => defineScenario(anyArg(null)), /^defineScenario: \(top level\): /],
  ['no shape', () => faultScheduleArbitrary(anyArg(undefined)), /^faultScheduleArbitrary: shape: must be an object/],
  ['no members', () => faultScheduleArbitrary({ members: 0, safetyMs: 100 }), /^faultScheduleArbitrary: shape\.members: must be a whole number from 1 up, got 0$/],
  ['fractional members', () => faultScheduleArbitrary({ members: 2.5, safetyMs: 100 }), /^faultScheduleArbitrary: shape\.members: .* got 2\.5$/],
  ['a negative safety phase', () => faultScheduleArbitrary({ members: 3, safetyMs: -5 }), /^faultScheduleArbitrary: shape\.safetyMs: .* got -5$/],
  ['a NaN safety phase', () => faultScheduleArbitrary({ members: 3, safetyMs: NaN }), /^faultScheduleArbitrary: shape\.safetyMs: .* got NaN$/],
  ['faults that last 0 ms', () => faultScheduleArbitrary({ members: 3, safetyMs: 100, faultMsMax: 0 }), /^faultScheduleArbitrary: shape\.faultMsMax: /],
  ['a negative fault count', () => faultScheduleArbitrary({ members: 3, safetyMs: 100, faultsMax: -1 }), /^faultScheduleArbitrary: shape\.faultsMax: /],
  ['the old spelling, negative', () => faultScheduleArbitrary({ members: 3, safetyMs: 100, maxFaults: -1 }), /^faultScheduleArbitrary: shape\.maxFaults: /],
  ['an unknown fault kind', () => faultScheduleArbitrary({ members: 3, safetyMs: 100, kinds: anyArg(['partition', 'nope']) }), /^faultScheduleArbitrary: shape\.kinds\[1\]: not a fault kind \(the kinds: partition, .*\), got "nope"$/],
  ['no fault kinds', () => faultScheduleArbitrary({ members: 3, safetyMs: 100, kinds: [] }), /^faultScheduleArbitrary: shape\.kinds: must be a non-empty array/],
  ['a fault of no members', () => faultArbitrary(0), /^faultArbitrary: members: /],
  ['a schedule that is not an array', () => withSchedule(base, anyArg('x')), /^withSchedule: schedule: must be an array/],
  ['no base scenario', () => withSchedule(anyArg(undefined), []), /^withSchedule: base: /],
  ['explaining nothing', () => explain(anyArg(undefined)), /^explain: results: /],
  ['explaining what is not a run', () => explain(anyArg({})), /^explain: results: .*no checkers/],
  ['explaining a run of a Symbol seed', () => explain(anyArg({ ...runResults(base, 1), seed: Symbol('s') })), /^explain: results\.seed: /],
  ['explaining a run with a checker of no verdict', () => explain(anyArg({ ...runResults(base, 1), checkers: { raft: undefined } })), /^explain: results\.checkers\.raft: /],
  ['a replay command of no scenario', () => replayCommand(anyArg(undefined), 1), /^replayCommand: scenario: /],
  ['a replay command of a Symbol seed', () => replayCommand(base, anyArg(Symbol('s'))), /^replayCommand: seed: /],
  ['a replay command of a BigInt seed', () => replayCommand(base, anyArg(10n)), /^replayCommand: seed: .* got 10n$/],
  ['a replay command of an unknown bug', () => replayCommand(base, 1, 'nope'), /^replayCommand: bug: must be the name of a planted bug .* got "nope"$/],
];

describe('property API arguments', () => {
  for (const [what, call, message] of CASES) {
    it(`refuses ${what} in one line naming the function and the argument`, () => expectUsageError(call, message));
  }

  it('takes every boundary it documents: seed 0 and 2147483647, one member, no faults', () => {
    expect(() => fc.sample(faultScheduleArbitrary({ members: 1, safetyMs: 1, faultsMax: 0, faultMsMax: 1 }), 2)).not.toThrow();
    expect(fc.sample(faultScheduleArbitrary({ members: 1, safetyMs: 1, faultsMax: 0 }), 3)).toEqual([[], [], []]);
    expect(runResults(base, 0).seed).toBe(0);
    expect(runResults(base, 2 ** 31 - 1).seed).toBe(2 ** 31 - 1);
  });

  it("writes a replay command whose JSON a POSIX sh (dash's echo reads backslashes, as zsh's does) pipes unchanged", () => {
    const tricky = defineScenario({ name: 'tricky', description: 'a\\nb \\t "q" \'s\'\nline', clients: { count: 2 }, workload: { kind: 'register', durationMs: 300, rateOpsPerSecond: 20 } });
    const command = replayCommand(tricky, 7);
    const [pipe] = command.split(' | detcd run ');
    expect(command.endsWith(' | detcd run --scenario - --seed 7')).toBe(true);
    expect((JSON.parse(execFileSync('/bin/sh', ['-c', pipe ?? ''], { encoding: 'utf8' })) as { description: string }).description).toBe(tricky.description);
  });
});
