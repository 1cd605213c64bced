// Checkers compose as Jepsen's do: false beats unknown beats true. The composed result keeps
// every checker's own result under its name; a checker with nothing to check does not count
// unless none had anything (verdict.ts composeJudged).
import { composeJudged, type CheckResult, type Validity } from './verdict.ts';
import { count } from '../text/count.ts';

export interface ComposedResult extends CheckResult {
  valid: Validity;
  checkers: Record<string, CheckResult>;
}

export function compose(results: Record<string, CheckResult>): ComposedResult {
  const names = Object.keys(results).sort();
  const valid = composeJudged(names.map((n) => results[n]!));
  const failing = names.filter((n) => results[n]!.valid === false);
  const judged = names.filter((n) => results[n]!.nothing !== true);
  const unknown = (judged.length > 0 ? judged : names).filter((n) => results[n]!.valid === 'unknown');
  const idle = names.length - judged.length;
  const summary = valid === true ? `all ${count(judged.length, 'checker')} valid${idle === 0 ? '' : ` (${idle} with nothing to check)`}` : valid === false ? `invalid: ${failing.join(', ')}` : `unknown: ${unknown.join(', ')}`;
  return { valid, checkers: { ...results }, summary };
}

/** Runs checkers lazily, in order, each receiving nothing: for callers that build closures. */
export function composeCheckers(checkers: Record<string, () => CheckResult>): ComposedResult {
  const results: Record<string, CheckResult> = {};
  for (const [name, run] of Object.entries(checkers)) results[name] = run();
  return compose(results);
}
