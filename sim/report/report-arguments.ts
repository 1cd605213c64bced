// What the report functions take from a program (detcd/report), checked in full where it comes
// in, by the checks of the files the command line reads the same things from: a run's history
// ops as a parsed history's (history-argument.ts), its watch records as watches.jsonl's lines
// (watch-record-line.ts), run summaries as sweep.json's (sweep-summary.ts), a plan and a
// determinism summary as sweep.json's. Checked one level deep (an array of objects), a field
// the pages read reached escapeHtml, toPrecision or JSON.stringify as any type: a TypeError from
// inside (`Cannot read properties of undefined (reading 'replace')`), a BigInt, a cycle, or a
// sparse array walked to its length (a hang). Each refusal is one UsageError "fn: field: reason".
import { badArgument, checkObjectArgument } from '../errors/bad-argument.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { checkJsonArgument } from '../errors/json-shape.ts';
import { UsageError } from '../errors/usage-error.ts';
import { parsedOpsArgument } from '../history/history-argument.ts';
import { watchRecordOf } from '../history/watch-record-line.ts';
import { isLinearizabilityExplanation } from './counterexample.ts';
import type { JunitSuite } from './junit.ts';
import { limitsProblem } from './limits.ts';
import { isExtraFileName } from './run-report.ts';
import type { RunSummary } from './run-summary.ts';
import { planProblem } from './sweep-plan.ts';
import type { SweepPlanSummary } from './sweep-plan.ts';
import { parseDeterminism, runSummaryProblem } from './sweep-summary.ts';
import type { SweepDeterminism } from './sweep-summary.ts';

/** A run report input's fields past its results (resultsArgument checks those): history, watches, scenario, ... */
export function checkRunInputFields(fn: string, field: string, o: Record<string, unknown>): void {
  parsedOpsArgument(fn, `${field}.history`, o['history']);
  if (o['watches'] !== undefined) {
    checkArrayArgument(fn, `${field}.watches`, o['watches'], 'watch records').forEach((w, i) => {
      const record = watchRecordOf(checkJsonArgument(fn, `${field}.watches[${i}]`, w));
      if (typeof record === 'string') throw new UsageError(`${fn}: ${field}.watches[${i}]: ${record}`);
    });
  }
  if (o['scenario'] !== undefined) checkJsonArgument(fn, `${field}.scenario`, o['scenario']);
  if (o['scenarioLabel'] !== undefined && typeof o['scenarioLabel'] !== 'string') throw badArgument(fn, `${field}.scenarioLabel`, 'must be a string when given', o['scenarioLabel']);
  if (o['explanations'] !== undefined) {
    checkArrayArgument(fn, `${field}.explanations`, o['explanations'], 'counterexamples').forEach((e, i) => {
      if (!isLinearizabilityExplanation(checkJsonArgument(fn, `${field}.explanations[${i}]`, e))) throw badArgument(fn, `${field}.explanations[${i}]`, 'must be a counterexample ({partition, prefix, state, concurrent, failed?})', e);
    });
  }
  if (o['limits'] !== undefined) {
    const limits = checkObjectArgument(fn, `${field}.limits`, o['limits'], 'report limits ({timelineOpsMax, ...})');
    const bad = limitsProblem(limits);
    if (bad !== undefined) throw badArgument(fn, `${field}.limits.${bad}`, 'must be a whole number from 1 up', limits[bad]);
  }
  if (o['extraFiles'] !== undefined) {
    const files = checkObjectArgument(fn, `${field}.extraFiles`, o['extraFiles'], 'file names to their contents');
    for (const [name, content] of Object.entries(files)) {
      if (!isExtraFileName(name)) throw badArgument(fn, `${field}.extraFiles`, 'must name plain files (letters, digits, ., _, -) none of the report\'s own', name);
      if (typeof content !== 'string') throw badArgument(fn, `${field}.extraFiles.${name}`, 'must be a string (the file\'s content)', content);
    }
  }
  if (o['trace'] !== undefined && (typeof o['trace'] !== 'object' || o['trace'] === null || typeof (o['trace'] as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function')) {
    throw badArgument(fn, `${field}.trace`, 'must be an iterable of trace events when given', o['trace']);
  }
}

/** Run summaries (summarizeRun's), each checked as a sweep.json's runs are. */
export function runsArgument(fn: string, field: string, v: unknown): readonly RunSummary[] {
  const list = checkArrayArgument(fn, field, v, 'run summaries');
  list.forEach((r, i) => {
    const problem = runSummaryProblem(checkJsonArgument(fn, `${field}[${i}]`, r));
    if (problem !== undefined) throw new UsageError(`${fn}: ${field}[${i}]: ${problem}`);
  });
  return list as readonly RunSummary[];
}

/** A sweep plan, checked as a sweep.json's is. */
export function planArgument(fn: string, field: string, v: unknown): SweepPlanSummary {
  const problem = planProblem(checkJsonArgument(fn, field, v));
  if (problem !== undefined) throw new UsageError(`${fn}: ${field.replace(/plan$/, '')}${problem}`);
  return v as SweepPlanSummary;
}

/** A determinism summary, checked as a sweep.json's is. */
export function determinismArgument(fn: string, field: string, v: unknown): SweepDeterminism {
  try {
    parseDeterminism(checkJsonArgument(fn, field, v), fn);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return v as SweepDeterminism;
}

const OUTCOMES = ['passed', 'failure', 'error', 'skipped'];

/** JUnit suites ({name, cases}), each case as junit.ts writes one. */
export function suitesArgument(fn: string, field: string, v: unknown): readonly JunitSuite[] {
  const list = checkArrayArgument(fn, field, v, 'JUnit suites');
  list.forEach((s, i) => {
    const at = `${field}[${i}]`;
    const suite = checkObjectArgument(fn, at, checkJsonArgument(fn, at, s), 'a JUnit suite ({name, cases})');
    if (typeof suite['name'] !== 'string') throw badArgument(fn, `${at}.name`, 'must be a string', suite['name']);
    checkArrayArgument(fn, `${at}.cases`, suite['cases'], 'JUnit cases ({classname, name, timeSeconds, outcome})').forEach((c, j) => {
      const caseAt = `${at}.cases[${j}]`;
      const k = checkObjectArgument(fn, caseAt, c, 'a JUnit case ({classname, name, timeSeconds, outcome})');
      for (const key of ['classname', 'name']) if (typeof k[key] !== 'string') throw badArgument(fn, `${caseAt}.${key}`, 'must be a string', k[key]);
      if (typeof k['timeSeconds'] !== 'number' || !(k['timeSeconds'] >= 0)) throw badArgument(fn, `${caseAt}.timeSeconds`, 'must be a number from 0 up', k['timeSeconds']);
      if (!OUTCOMES.includes(k['outcome'] as string)) throw badArgument(fn, `${caseAt}.outcome`, `must be ${OUTCOMES.join(', ')}`, k['outcome']);
      for (const key of ['message', 'body']) if (k[key] !== undefined && typeof k[key] !== 'string') throw badArgument(fn, `${caseAt}.${key}`, 'must be a string when given', k[key]);
      if (k['out'] !== undefined && !(Array.isArray(k['out']) && k['out'].every((l) => typeof l === 'string'))) throw badArgument(fn, `${caseAt}.out`, 'must be a list of strings when given', k['out']);
    });
  });
  return list as readonly JunitSuite[];
}
