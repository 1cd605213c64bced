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

const r = report as unknown as Record<string, (...args: unknown[]) => unknown>;

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
    ['runReportDir', [dir, 's', NaN], /^runReportDir: seed: must be a finite number, got NaN$/],
    ['summarizeRun', [null], /^summarizeRun: results: must be a run's results .*, got null$/],
    ['summarizeRun', [{}], /^summarizeRun: results\.checkers: must be an object of checker results, got nothing$/],
    ['summarizeRun', [{ checkers: {} }, 5], /^summarizeRun: report: must be a string when given, got 5$/],
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
    ['renderRunHtml', [{ results: { checkers: {} } }], /^renderRunHtml: input\.history: must be an array of history ops, got nothing$/],
    ['renderRunHtml', [{ results: { checkers: {} }, history: [null] }], /^renderRunHtml: input\.history\[0\]: must be a history op, got null$/],
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
