// junit.xml for CI: one <testsuite> per scenario, one <testcase> per seed and checker. A checker
// that found a violation is a <failure>; one that gave up (unknown) is an <error>, which CI
// shows as red too but distinguishes from a proven violation; one that had nothing to check is
// <skipped>, neither. Every failure carries the
// command that replays it.
import { escapeXml } from './escape.ts';
import type { RunSummary } from './run-summary.ts';
import { differenceTextLines } from './target-differences.ts';
import { pushAll } from '../array/stack-safe.ts';

export interface JunitCase {
  classname: string;
  name: string;
  timeSeconds: number;
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  message?: string;
  body?: string;
  /** Lines for the case's <system-out>: what a real-etcd run did not run as asked (target-differences.ts). */
  out?: string[];
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

function failureBody(run: RunSummary, detail: string | undefined): string {
  const lines = [];
  if (detail !== undefined && detail !== '') lines.push(detail);
  lines.push(`replay: ${run.replay}`);
  if (run.shrink !== undefined) lines.push(`shrink: ${run.shrink}`);
  if (run.report !== undefined) lines.push(`report: ${run.report}/index.html`);
  return lines.join('\n');
}

/** The testcases of one run: one per checker, plus one for a run-level error. */
export function runCases(run: RunSummary): JunitCase[] {
  const classname = `detcd.${run.scenario}`;
  const cases: JunitCase[] = [];
  for (const [name, checker] of Object.entries(run.checkers)) {
    const c: JunitCase = {
      classname,
      name: `seed ${run.seed} · ${name}`,
      timeSeconds: (checker.ms ?? 0) / 1000,
      outcome: checker.valid === true ? 'passed' : checker.valid === false ? 'failure' : checker.nothing === true ? 'skipped' : 'error',
    };
    if (c.outcome === 'skipped') c.message = `${name}: ${checker.summary ?? 'nothing to check'}`;
    else if (c.outcome !== 'passed') {
      c.message = `${name}: ${checker.summary ?? (checker.valid === false ? 'violation' : 'unknown')}`;
      c.body = failureBody(run, [checker.summary ?? '', ...(checker.detail ?? [])].filter((l) => l !== '').join('\n'));
    }
    cases.push(c);
  }
  const otherwiseSilent = cases.length === 0 || (run.valid !== true && cases.every((c) => c.outcome === 'passed' || c.outcome === 'skipped'));
  if (run.error !== undefined || otherwiseSilent) {
    const c: JunitCase = {
      classname,
      name: `seed ${run.seed} · run`,
      timeSeconds: run.wallMs / 1000,
      outcome: run.valid === true && run.error === undefined ? 'passed' : run.valid === 'unknown' ? 'error' : 'failure',
    };
    if (c.outcome !== 'passed') {
      c.message = run.error ?? `run ${run.valid === false ? 'invalid' : 'unknown'}`;
      c.body = failureBody(run, run.error);
    }
    cases.push(c);
  }
  // A real run's differences go with its first case, passing or not: CI shows a case's output beside it.
  const out = differenceTextLines(run.targetDifferences);
  if (out.length > 0 && cases[0] !== undefined) cases[0].out = out;
  return withRunTime(cases, run.wallMs / 1000);
}

/**
 * The run's real time on its cases: a checker's own measured time stays on its case, and the
 * rest of the run's wall time (the simulation, mostly) goes to its first case, so that the
 * times of a suite add up to the time its runs took.
 */
function withRunTime(cases: JunitCase[], runSeconds: number): JunitCase[] {
  const measured = cases.reduce((sum, c) => sum + c.timeSeconds, 0);
  const first = cases[0];
  if (first !== undefined && runSeconds > measured) first.timeSeconds += runSeconds - measured;
  return cases;
}

/** Groups runs into one suite per scenario, in first-seen order. */
export function suitesFromRuns(runs: readonly RunSummary[]): JunitSuite[] {
  const byScenario = new Map<string, JunitSuite>();
  for (const run of runs) {
    let suite = byScenario.get(run.scenario);
    if (suite === undefined) {
      suite = { name: run.scenario, cases: [] };
      byScenario.set(run.scenario, suite);
    }
    pushAll(suite.cases, runCases(run));
  }
  return [...byScenario.values()];
}

function renderCase(c: JunitCase): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${c.timeSeconds.toFixed(3)}"`;
  const out = c.out === undefined || c.out.length === 0 ? '' : `\n      <system-out>${escapeXml(c.out.join('\n'))}</system-out>`;
  if (c.outcome === 'passed') return out === '' ? `${open}/>` : `${open}>${out}\n    </testcase>`;
  if (c.outcome === 'skipped') return `${open}>\n      <skipped message="${escapeXml(c.message ?? '')}"/>${out}\n    </testcase>`;
  const tag = c.outcome;
  const type = c.outcome === 'failure' ? 'violation' : 'unknown';
  return `${open}>\n      <${tag} message="${escapeXml(c.message ?? '')}" type="${type}">${escapeXml(c.body ?? '')}</${tag}>${out}\n    </testcase>`;
}

export function renderJunit(suites: readonly JunitSuite[], name = 'detcd'): string {
  const count = (suite: JunitSuite, outcome: JunitCase['outcome']): number => suite.cases.filter((c) => c.outcome === outcome).length;
  const time = (suite: JunitSuite): number => suite.cases.reduce((sum, c) => sum + c.timeSeconds, 0);
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const body = suites.map((suite) => {
    const failures = count(suite, 'failure');
    const errors = count(suite, 'error');
    const skipped = count(suite, 'skipped');
    total.tests += suite.cases.length;
    total.failures += failures;
    total.errors += errors;
    total.skipped += skipped;
    total.time += time(suite);
    return [
      `  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time(suite).toFixed(3)}">`,
      ...suite.cases.map(renderCase),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${total.time.toFixed(3)}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
