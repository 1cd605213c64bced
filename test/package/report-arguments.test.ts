// detcd/report's exports refuse a wrong argument with one UsageError naming the function and the
// argument's path (sim/report/public-report.ts). Before, a program met Node's 'The "path" argument
// must be of type string', "shardDirs is not iterable", "suites.map is not a function", a
// TypeError reading a property of null, or "Invalid string length" for a sparse array as a path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../sim/check/index.ts';
import * as report from '../../sim/report/index.ts';
import { refusal } from '../sim/check/refusal.ts';

const sparse: unknown[] = [];
sparse.length = 2 ** 32 - 1;
const dir = mkdtempSync(join(tmpdir(), 'detcd-report-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The least a run's results hold (results-shape.ts), and the same with one field changed. */
const okResults = {
  scenario: 's', seed: 1, valid: true, checkers: {}, traceHash: '0123456789abcdef', replay: 'detcd run --scenario s --seed 1',
  stats: { ops: { ok: 0, fail: 0, info: 0 }, simulatedMs: 0, wallMs: 0, events: 0, messages: 0, leaderChanges: 0, faults: 0 },
};
const resultsWith = (change: Record<string, unknown>): Record<string, unknown> => ({ ...okResults, ...change });
const statsWith = (change: Record<string, unknown>): Record<string, unknown> => resultsWith({ stats: { ...okResults.stats, ...change } });
const tenMb = 'x'.repeat(10_000_000);
/** [hole, a leader span]: a list of length 2 whose first element is missing. */
const holeFirst: unknown[] = [];
holeFirst[1] = { node: 'n1', term: 1, startUs: 0 };

const r = report as unknown as Record<string, (...args: unknown[]) => unknown>;
/** A run's op, with one field changed. */
const opWith = (change: Record<string, unknown>): Record<string, unknown> => ({ index: 0, time: 5, process: 0, type: 'invoke', f: 'read', value: null, ...change });
/** A run summary of okResults, with one field changed. */
const runWith = (change: Record<string, unknown>): Record<string, unknown> => ({ ...report.summarizeRun(okResults as never), ...change });
/** An object that holds itself. */
function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { process: 0 };
  o['self'] = o;
  return o;
}

async function asyncRefusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('detcd/report names its bad arguments', () => {
  it.each([
    ['isDetcdReport', [-1], /^isDetcdReport: dir: must be a path \(a non-empty string without a NUL byte\), got -1$/],
    ['isDetcdReport', [null], /^isDetcdReport: dir: must be a path .*, got null$/],
    ['isDetcdReport', ['a\0b'], /^isDetcdReport: dir: must be a path /],
    ['claimReportDir', [sparse], /^claimReportDir: dir: must be a path .*, got /],
    ['prepareReportDir', [sparse], /^prepareReportDir: dir: must be a path /],
    ['prepareReportDir', [join(dir, 'p'), 'yes'], /^prepareReportDir: acceptSubdirs: must be a boolean when given, got "yes"$/],
    ['readInputText', [sparse], /^readInputText: path: must be a path /],
    ['readInputBytes', [sparse], /^readInputBytes: path: must be a path /],
    ['readInputText', [join(dir, 'x'), -1], /^readInputText: bytesMax: must be a whole number from 0 to 536870888, got -1$/],
    // No bound at all before: a stream was read until memory ran out.
    ['readStdinText', [Infinity], /^readStdinText: bytesMax: must be a whole number from 0 to 536870888, got Infinity$/],
    ['readStdinText', [NaN], /^readStdinText: bytesMax: must be a whole number from 0 to 536870888, got NaN$/],
    ['readStdinText', ['16'], /^readStdinText: bytesMax: must be a whole number from 0 to 536870888, got "16"$/],
    ['readInputBytes', [join(dir, 'x'), 2 ** 40], /^readInputBytes: bytesMax: must be a whole number from 0 to 536870888, got 1099511627776$/],
    ['removeEmptyReportDir', [{}], /^removeEmptyReportDir: dir: must be a path .*, got \{\}$/],
    ['writeFileReplacing', [join(dir, 'f'), 5], /^writeFileReplacing: content: must be a string, got 5$/],
    ['renderJunit', ['x'], /^renderJunit: suites: must be an array of JUnit suites, got "x"$/],
    ['renderJunit', [null], /^renderJunit: suites: must be an array of JUnit suites, got null$/],
    ['renderJunit', [sparse], /^renderJunit: suites\[0\]: is missing \(a sparse array of length 4294967295/],
    ['renderJunit', [[null]], /^renderJunit: suites\[0\]: must be a JUnit suite .*, got null$/],
    ['renderJunit', [[], 5], /^renderJunit: name: must be a string, got 5$/],
    ['suitesFromRuns', [{}], /^suitesFromRuns: runs: must be an array of run summaries, got \{\}$/],
    ['opToEdn', [null], /^opToEdn: op: must be a history op .*, got null$/],
    ['opToEdn', [undefined], /^opToEdn: op: must be a history op .*, got nothing$/],
    ['opToEdn', [opWith({ f: 1.5 })], /^opToEdn: op\.f: /],
    ['opToEdn', [opWith({ value: sparse })], /^opToEdn: op\.value\[0\]: is missing/],
    ['opToEdn', [opWith({ time: Symbol('t') })], /^opToEdn: op\.time: must be a JSON value: a symbol is none$/],
    ['renderJunit', [[{ name: 's', cases: undefined }]], /^renderJunit: suites\[0\]\.cases: must be an array of JUnit cases/],
    ['renderJunit', [[{ name: undefined, cases: [] }]], /^renderJunit: suites\[0\]\.name: must be a string, got nothing$/],
    ['renderJunit', [[{ name: 's', cases: [{}] }]], /^renderJunit: suites\[0\]\.cases\[0\]\.classname: must be a string, got nothing$/],
    ['renderJunit', [[{ name: 's', cases: [{ classname: 'c', name: 'n', timeSeconds: 1, outcome: 'ok' }] }]], /^renderJunit: suites\[0\]\.cases\[0\]\.outcome: must be passed, failure, error, skipped, got "ok"$/],
    ['suitesFromRuns', [[{}]], /^suitesFromRuns: runs\[0\]: scenario is not a string$/],
    ['suitesFromRuns', [[runWith({ seed: Symbol('s') })]], /^suitesFromRuns: runs\[0\]\.seed: must be a JSON value: a symbol is none$/],
    ['shardConflict', [[{ dir: 'a', runs: [runWith({ ops: undefined })] }]], /^shardConflict: shards\[0\]\.runs\[0\]: ops is not \{ok, fail, info\} counts$/],
    ['shardPlanConflict', [[{ dir: 'a', runs: [], plan: { scenarios: [] } }]], /^shardPlanConflict: shards\[0\]\.plan\.scenarios is not a list of scenario names$/],
    ['runReportDir', [dir, 's', NaN], /^runReportDir: seed: must be a finite number, got NaN$/],
    ['summarizeRun', [null], /^summarizeRun: results: must be a run's results .*, got null$/],
    ['summarizeRun', [{}], /^summarizeRun: results\.scenario: missing \(must be a string\)$/],
    ['summarizeRun', [resultsWith({ checkers: 5 })], /^summarizeRun: results\.checkers: must be an object \(checker results by name\), got 5$/],
    ['summarizeRun', [okResults, 5], /^summarizeRun: report: must be a string when given, got 5$/],
    // Each field the pages read, typed and bounded: these hung (a 10 MB string walked as a map, an
    // endless axis, a sparse list walked hole by hole) or threw a TypeError from inside.
    ['summarizeRun', [resultsWith({ coverage: { buggify: true, sites: tenMb, events: {}, unreached: { sites: [], events: [] } } })], /^summarizeRun: results\.coverage\.sites: must be an object \(site coverage by name\), got "x+/],
    ['summarizeRun', [resultsWith({ coverage: { buggify: true, sites: {}, events: { e: -1 }, unreached: { sites: [], events: [] } } })], /^summarizeRun: results\.coverage\.events\.e: must be a whole number from 0 up, got -1$/],
    ['summarizeRun', [statsWith({ opsByF: tenMb })], /^summarizeRun: results\.stats\.opsByF: must be an object \(op counts by f\)/],
    ['summarizeRun', [statsWith({ simulatedMs: Infinity })], /^summarizeRun: results\.stats\.simulatedMs: must be a whole number from 0 up, got Infinity$/],
    ['summarizeRun', [resultsWith({ options: tenMb })], /^summarizeRun: results\.options: must be an object/],
    ['summarizeRun', [resultsWith({ options: { a: 10n } })], /^summarizeRun: results\.options\.a: must be a JSON value: a BigInt is none/],
    ['summarizeRun', [resultsWith({ leaders: sparse })], /^summarizeRun: results\.leaders: must hold at most 1000000 elements \(4294967295\)/],
    ['summarizeRun', [resultsWith({ leaders: holeFirst })], /^summarizeRun: results\.leaders\[0\]: is missing \(a sparse list of length 2\)$/],
    ['summarizeRun', [resultsWith({ leaders: [{ node: 'n1', term: 1, startUs: NaN }] })], /^summarizeRun: results\.leaders\[0\]\.startUs: must be a finite number, got NaN$/],
    ['summarizeRun', [resultsWith({ faults: [{ kind: 5, startUs: 0 }] })], /^summarizeRun: results\.faults\[0\]\.kind: must be a string, got 5$/],
    ['summarizeRun', [resultsWith({ error: tenMb })], /^summarizeRun: results\.error: must be at most 1048576 characters \(10000000\), got a string of 10000000 characters$/],
    ['summarizeRun', [resultsWith({ mayBeKnownBug: { kv: 'x' } })], /^summarizeRun: results\.mayBeKnownBug\.kv: must be a list of strings, got "x"$/],
    ['summarizeRun', [resultsWith({ stop: { kind: 'invariant' } })], /^summarizeRun: results\.stop\.layer: missing/],
    ['shardConflict', [null], /^shardConflict: shards: must be an array of shards \(\{dir, runs\}\), got null$/],
    ['shardConflict', [sparse], /^shardConflict: shards\[0\]: is missing/],
    ['shardConflict', [[{ dir: 'a', runs: 'x' }]], /^shardConflict: shards\[0\]\.runs: must be an array of run summaries, got "x"$/],
    ['shardPlanConflict', [undefined], /^shardPlanConflict: shards: must be an array of shards .*, got nothing$/],
    ['shardPlanConflict', [[{ dir: 1, runs: [] }]], /^shardPlanConflict: shards\[0\]\.dir: must be a string, got 1$/],
    ['runReportDir', [undefined, 's', 1], /^runReportDir: reportsDir: must be a path .*, got nothing$/],
  ])('%s, case %#, is one UsageError', (fn, args, message) => {
    expect(refusal(() => r[fn]!(...args))).toMatch(message);
  });

  it.each([
    ['readSweep', [undefined], /^readSweep: dir: must be a path .*, got nothing$/],
    ['readSweep', [[]], /^readSweep: dir: must be a path .*, got \[\]$/],
    ['mergeShards', [null, dir], /^mergeShards: shardDirs: must be an array of paths, got null$/],
    ['mergeShards', [[], 7], /^mergeShards: outDir: must be a path .*, got 7$/],
    ['mergeShards', [sparse, dir], /^mergeShards: shardDirs\[0\]: is missing/],
    ['mergeShards', [[dir, 3], dir], /^mergeShards: shardDirs\[1\]: must be a path .*, got 3$/],
    ['writeSweepReport', [join(dir, 's'), 'runs'], /^writeSweepReport: runs: must be an array of run summaries, got "runs"$/],
    ['renderRunHtml', [null], /^renderRunHtml: input: must be a run report input .*, got null$/],
    ['renderRunHtml', [{ results: okResults }], /^renderRunHtml: input\.history: must be an array of history ops \(\{index, time, process, type, f, value\}\), got nothing$/],
    ['renderRunHtml', [{ results: resultsWith({ coverage: { buggify: true, sites: tenMb, events: {}, unreached: { sites: [], events: [] } } }), history: [] }], /^renderRunHtml: input\.results\.coverage\.sites: must be an object/],
    ['writeRunReportTo', [dir, { results: statsWith({ opsByF: { get: 'x' } }), history: [] }], /^writeRunReportTo: input\.results\.stats\.opsByF\.get: must be an object \(\{ok, fail, info\}\), got "x"$/],
    ['renderRunHtml', [{ results: okResults, history: [null] }], /^renderRunHtml: input\.history\[0\]: must be an op object \(\{process, type, f, value\}\)$/],
    // Checked in full as a history's ops and watches.jsonl's lines are, not one level deep: these
    // met escapeHtml, toPrecision or JSON.stringify as any type, or hung (the API fuzz, s21).
    ['renderRunHtml', [{ results: okResults, history: [opWith({ f: undefined })] }], /^renderRunHtml: input\.history\[0\]\.f: /],
    ['renderRunHtml', [{ results: okResults, history: [opWith({ time: undefined })] }], /^renderRunHtml: input\.history\[0\]\.time: is left out/],
    ['renderRunHtml', [{ results: okResults, history: [opWith({ time: Infinity })] }], /^renderRunHtml: input\.history\[0\]\.time: must be a JSON value: Infinity is no JSON number$/],
    ['writeRunReportTo', [join(dir, 'w1'), { results: okResults, history: [opWith({ value: 10n })] }], /^writeRunReportTo: input\.history\[0\]\.value: must be a JSON value: a BigInt is none/],
    ['writeRunReportTo', [join(dir, 'w2'), { results: okResults, history: [opWith({ value: sparse })] }], /^writeRunReportTo: input\.history\[0\]\.value\[0\]: is missing/],
    ['writeRunReportTo', [join(dir, 'w3'), { results: okResults, history: [opWith({ process: Symbol('p') })] }], /^writeRunReportTo: input\.history\[0\]\.process: must be a JSON value: a symbol is none$/],
    ['writeRunReportTo', [join(dir, 'w4'), { results: okResults, history: [], watches: [cyclic()] }], /^writeRunReportTo: input\.watches\[0\]\.self: must be a JSON value: it holds itself/],
    ['writeRunReportTo', [join(dir, 'w5'), { results: okResults, history: [], watches: [{}] }], /^writeRunReportTo: input\.watches\[0\]: /],
    ['renderRunHtml', [{ results: okResults, history: [], scenario: cyclic() }], /^renderRunHtml: input\.scenario\.self: must be a JSON value: it holds itself/],
    ['renderRunHtml', [{ results: okResults, history: [], limits: { timelineOpsMax: 0 } }], /^renderRunHtml: input\.limits\.timelineOpsMax: must be a whole number from 1 up, got 0$/],
    ['writeRunReportTo', [join(dir, 'w6'), { results: okResults, history: [], extraFiles: { '../x': 'a' } }], /^writeRunReportTo: input\.extraFiles: must name plain files .*, got "\.\.\/x"$/],
    ['writeSweepReport', [join(dir, 's1'), [{}]], /^writeSweepReport: runs\[0\]: scenario is not a string$/],
    ['writeSweepReport', [join(dir, 's2'), [runWith({ checkers: { raft: undefined } })]], /^writeSweepReport: runs\[0\]: checkers\.raft is not an object$/],
    ['writeSweepReport', [join(dir, 's3'), [runWith({ coverage: null })]], /^writeSweepReport: runs\[0\]: coverage is not \{buggify, fired, events\}$/],
    ['writeSweepReport', [join(dir, 's4'), [runWith({ wallMs: 10n })]], /^writeSweepReport: runs\[0\]\.wallMs: must be a JSON value: a BigInt is none/],
    ['writeSweepReport', [join(dir, 's5'), [], { reruns: -1, rerunIn: 'x', mismatches: [] }], /^writeSweepReport: determinism\.reruns is not a non-negative integer$/],
    ['writeSweepReport', [join(dir, 's6'), [], undefined, {}], /^writeSweepReport: plan\.scenarios is not a list of scenario names$/],
    ['writeRunReportTo', [dir, { history: [] }], /^writeRunReportTo: input\.results: must be a run's results .*, got nothing$/],
    ['writeRunReport', [dir, null], /^writeRunReport: input: must be a run report input .*, got null$/],
    ['writeRunReportTo', [5, {}], /^writeRunReportTo: runDir: must be a path .*, got 5$/],
  ])('%s, case %#, rejects with one UsageError', async (fn, args, message) => {
    expect(await asyncRefusal(() => Promise.resolve().then(() => r[fn]!(...args)))).toMatch(message);
  });

  it('exports no step of a command of its own: removeStagingOf (sweep removes its staging folders with it) is not public', () => {
    expect(Object.keys(report)).not.toContain('removeStagingOf');
    expect(Object.keys(report)).toContain('readStdinText');
  });

  it('errnoWords reads a code only from an object (anything can be thrown)', () => {
    expect(report.errnoWords(null)).toBe('null');
    expect(report.errnoWords(undefined)).toBe('undefined');
    expect(report.errnoWords(sparse).length).toBeLessThan(80);
    expect(report.errnoWords({ code: 'ENOENT' })).toBe('a parent of it does not exist (ENOENT)');
  });
});
