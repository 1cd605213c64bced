// The report functions as the package exports them (detcd/report): each argument is checked
// first, so a program's wrong value is one UsageError naming the function, the argument and the
// reason (as detcd/check and detcd/world do), not Node's 'The "path" argument must be of type
// string', "shardDirs is not iterable" or, for a sparse array, "Invalid string length" from inside.
// The CLI's callers pass right values by construction; the checks cost one typeof per path.
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { UsageError } from '../errors/usage-error.ts';
import type { Op } from '../history/op.ts';
import type { Results } from '../run/results.ts';
import { resultsShapeProblem } from '../run/results-shape.ts';
import { parsedOpArgument } from '../history/history-argument.ts';
import { checkRunInputFields, determinismArgument, planArgument, runsArgument, suitesArgument } from './report-arguments.ts';
import { opToEdn as edn } from './edn.ts';
import { readInputBytes as inputBytes, readInputText as inputText, readStdinText as stdinText, INPUT_BYTES_MAX } from './input-file.ts';
import { renderJunit as junit, suitesFromRuns as suites } from './junit.ts';
import type { JunitSuite } from './junit.ts';
import { claimReportDir as claim, isDetcdReport as isReport, prepareReportDir as prepare, removeEmptyReportDir as removeEmpty, writeFileReplacing as replacing } from './report-dir.ts';
import { runReportDir as runDir, writeRunReport as runReport, writeRunReportTo as runReportTo } from './run-report.ts';
import { renderRunHtml as runHtml } from './run-page.ts';
import type { RunReportInput } from './run-page.ts';
import { summarizeRun as summarize } from './run-summary.ts';
import type { RunSummary } from './run-summary.ts';
import { shardPlanConflict as planConflict } from './sweep-plan.ts';
import type { PlannedShard, SweepPlanSummary } from './sweep-plan.ts';
import type { SweepDeterminism, SweepSummary } from './sweep-summary.ts';
import { mergeShards as merge, readSweep as sweep, shardConflict as conflict, writeSweepReport as sweepReport } from './sweep-report.ts';

/** A path: a non-empty string with no NUL byte (Node refuses one with a TypeError). */
function pathArgument(fn: string, field: string, v: unknown): string {
  if (typeof v !== 'string' || v === '' || v.includes('\0')) throw badArgument(fn, field, 'must be a path (a non-empty string without a NUL byte)', v);
  return v;
}

function booleanArgument(fn: string, field: string, v: unknown): boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw badArgument(fn, field, 'must be a boolean when given', v);
  return v;
}

/** An array of objects, each `one` ("a run summary"), with no holes. */
function objectsArgument(fn: string, field: string, v: unknown, what: string, one: string): readonly Record<string, unknown>[] {
  const list = checkArrayArgument(fn, field, v, what);
  return list.map((e, i) => checkObjectArgument(fn, `${field}[${i}]`, e, one));
}

/** A run's results: every field a report reads typed and bounded, as a results.json is (results-shape.ts). */
function resultsArgument(fn: string, field: string, v: unknown): Record<string, unknown> {
  const o = checkObjectArgument(fn, field, v, "a run's results ({scenario, seed, valid, checkers, ...})");
  const problem = resultsShapeProblem(o);
  if (problem !== undefined) throw new UsageError(`${fn}: ${field}.${problem.field}: ${problem.reason}`);
  return o;
}

/** What a run report is written from: {results, history, ...}. */
function runInputArgument(fn: string, field: string, v: unknown): RunReportInput {
  const o = checkObjectArgument(fn, field, v, 'a run report input ({results, history, ...})');
  resultsArgument(fn, `${field}.results`, o['results']);
  checkRunInputFields(fn, field, o);
  return v as RunReportInput;
}

/** Sweep shards: [{dir, runs}], each run a run summary. */
function shardsArgument(fn: string, field: string, v: unknown): void {
  objectsArgument(fn, field, v, 'shards ({dir, runs})', 'a shard ({dir, runs})').forEach((s, i) => {
    if (typeof s['dir'] !== 'string') throw badArgument(fn, `${field}[${i}].dir`, 'must be a string', s['dir']);
    runsArgument(fn, `${field}[${i}].runs`, s['runs']);
    if (s['plan'] !== undefined) planArgument(fn, `${field}[${i}].plan`, s['plan']);
  });
}

export function summarizeRun(results: Results, report?: string): RunSummary {
  const fn = 'summarizeRun';
  resultsArgument(fn, 'results', results);
  if (report !== undefined && typeof report !== 'string') throw badArgument(fn, 'report', 'must be a string when given', report);
  return summarize(results, report);
}

export function shardConflict(shards: readonly { dir: string; runs: readonly RunSummary[] }[]): string | undefined {
  shardsArgument('shardConflict', 'shards', shards);
  return conflict(shards);
}

export function shardPlanConflict(shards: readonly PlannedShard[]): string | undefined {
  shardsArgument('shardPlanConflict', 'shards', shards);
  return planConflict(shards);
}

export async function renderRunHtml(input: RunReportInput): Promise<string> {
  return runHtml(runInputArgument('renderRunHtml', 'input', input));
}

/** The run reports' directory for `scenario` and `seed` under `reportsDir`. */
export function runReportDir(reportsDir: string, scenario: string, seed: number): string {
  const fn = 'runReportDir';
  pathArgument(fn, 'reportsDir', reportsDir);
  if (typeof scenario !== 'string' || scenario === '') throw badArgument(fn, 'scenario', 'must be a scenario name (a non-empty string)', scenario);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw badArgument(fn, 'seed', 'must be a finite number', seed);
  return runDir(reportsDir, scenario, seed);
}

export async function writeRunReportTo(dir: string, input: RunReportInput): Promise<void> {
  const fn = 'writeRunReportTo';
  pathArgument(fn, 'runDir', dir);
  return runReportTo(dir, runInputArgument(fn, 'input', input));
}

export async function writeRunReport(reportsDir: string, input: RunReportInput): Promise<string> {
  const fn = 'writeRunReport';
  pathArgument(fn, 'reportsDir', reportsDir);
  return runReport(reportsDir, runInputArgument(fn, 'input', input));
}

export async function writeSweepReport(dir: string, runs: readonly RunSummary[], determinism?: SweepDeterminism, plan?: SweepPlanSummary): Promise<SweepSummary> {
  const fn = 'writeSweepReport';
  pathArgument(fn, 'dir', dir);
  runsArgument(fn, 'runs', runs);
  if (determinism !== undefined) determinismArgument(fn, 'determinism', determinism);
  if (plan !== undefined) planArgument(fn, 'plan', plan);
  return sweepReport(dir, runs, determinism, plan);
}

export async function readSweep(dir: string): Promise<SweepSummary> {
  return sweep(pathArgument('readSweep', 'dir', dir));
}

export async function mergeShards(shardDirs: readonly string[], outDir: string): Promise<SweepSummary> {
  const fn = 'mergeShards';
  checkArrayArgument(fn, 'shardDirs', shardDirs, 'paths').forEach((d, i) => pathArgument(fn, `shardDirs[${i}]`, d));
  return merge(shardDirs, pathArgument(fn, 'outDir', outDir));
}

export function renderJunit(list: readonly JunitSuite[], name = 'detcd'): string {
  const fn = 'renderJunit';
  suitesArgument(fn, 'suites', list);
  if (typeof name !== 'string') throw badArgument(fn, 'name', 'must be a string', name);
  return junit(list, name);
}

export function suitesFromRuns(runs: readonly RunSummary[]): JunitSuite[] {
  runsArgument('suitesFromRuns', 'runs', runs);
  return suites(runs);
}

export function opToEdn(op: Op): string {
  checkObjectArgument('opToEdn', 'op', op, 'a history op ({index, time, type, process, f, value})');
  return edn(parsedOpArgument('opToEdn', 'op', op));
}

/**
 * A read's bound: a whole number of bytes up to INPUT_BYTES_MAX (what fits in one string). A
 * larger one, Infinity, NaN or a string was no bound at all: a stream (stdin) was read until
 * memory ran out, and a file past V8's longest string failed inside toString.
 */
function bytesMaxArgument(fn: string, v: unknown): number {
  return v === undefined ? INPUT_BYTES_MAX : checkWholeArgument(fn, 'bytesMax', v, 0, INPUT_BYTES_MAX);
}

/** Standard input to its end, refused past `bytesMax` (default INPUT_BYTES_MAX) as a PathError naming (stdin). */
export function readStdinText(bytesMax?: number): string {
  return stdinText(bytesMaxArgument('readStdinText', bytesMax));
}

export function readInputText(path: string, bytesMax?: number): string {
  return inputText(pathArgument('readInputText', 'path', path), bytesMaxArgument('readInputText', bytesMax));
}

export function readInputBytes(path: string, bytesMax?: number): Buffer {
  return inputBytes(pathArgument('readInputBytes', 'path', path), bytesMaxArgument('readInputBytes', bytesMax));
}

export function isDetcdReport(dir: string): boolean {
  return isReport(pathArgument('isDetcdReport', 'dir', dir));
}

export function prepareReportDir(dir: string, acceptSubdirs?: boolean): void {
  prepare(pathArgument('prepareReportDir', 'dir', dir), booleanArgument('prepareReportDir', 'acceptSubdirs', acceptSubdirs));
}

export function claimReportDir(dir: string, acceptSubdirs?: boolean): void {
  claim(pathArgument('claimReportDir', 'dir', dir), booleanArgument('claimReportDir', 'acceptSubdirs', acceptSubdirs));
}

export function removeEmptyReportDir(dir: string): void {
  removeEmpty(pathArgument('removeEmptyReportDir', 'dir', dir));
}

export function writeFileReplacing(path: string, content: string): void {
  const fn = 'writeFileReplacing';
  if (typeof content !== 'string') throw badArgument(fn, 'content', 'must be a string', content);
  replacing(pathArgument(fn, 'path', path), content);
}
