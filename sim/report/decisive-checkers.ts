// Which checkers a run's verdict is told by, wherever a failure is told in a line (the run
// report's banner, the sweep page's rows, summary.md): an invalid run's checkers that found a
// violation, an unknown run's that gave up. The others stay in the checker tables: an unknown
// beside a violation ("liveness: not reached: the safety phase stopped on a violation") only
// followed from it, and buried the cause.
import type { Validity } from '../check/verdict.ts';
import { verdictWord, type RunSummary } from './run-summary.ts';

/**
 * The checkers whose verdict is the run's; every checker that did not pass when none is (a run
 * whose error no checker holds). One that had nothing to check is told only when every checker
 * that did not pass had nothing (a run unknown on nothing): beside a verdict it did not hold, it
 * buries the cause too.
 */
export function decisiveCheckers<C extends { valid: Validity; nothing?: boolean }>(valid: Validity, checkers: Readonly<Record<string, C>>): [string, C][] {
  const all = Object.entries(checkers).filter(([, c]) => c.valid !== true);
  const judged = all.filter(([, c]) => c.nothing !== true);
  const notPassed = judged.length > 0 || valid === true ? judged : all;
  const decisive = valid === true ? notPassed : notPassed.filter(([, c]) => c.valid === valid);
  return decisive.length > 0 ? decisive : notPassed;
}

/** What failed in a sweep's run: each decisive checker's summary, then the run's error where no checker already says it. */
export function whatFailedParts(run: RunSummary): string[] {
  const decisive = decisiveCheckers(run.valid, run.checkers);
  const parts = decisive.map(([name, c]) => `${name}: ${c.summary ?? verdictWord(c.valid)}`);
  if (run.error !== undefined && !decisive.some(([, c]) => c.summary === run.error)) parts.push(run.error);
  return parts;
}
