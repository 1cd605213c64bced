// A sweep's coverage as its page and summary.md tell it. A buggify site fires only in a run with
// buggify on: in a sweep where no run had it, every site is "never reached" by construction, and
// listing them (17 names, 17 rows of zeros) said nothing about the sweep and hid the events that
// were never reached among them. Then the sites are left out and the sentence says why.
import type { SweepCoverage } from '../run/coverage.ts';
import { count } from '../text/count.ts';

export interface CoverageView {
  /** "4 runs with coverage, 1 with buggify", or that buggify was off in every run. */
  sentence: string;
  /** What was never reached, "site X" and "event Y": the sites only when a run could fire them. */
  never: { kind: 'site' | 'event'; name: string }[];
  /** Whether the buggify site table says anything (some run had buggify on). */
  sitesShown: boolean;
}

export function coverageView(c: SweepCoverage): CoverageView {
  const sitesShown = c.buggifyRuns > 0;
  const sentence = sitesShown || c.runs === 0
    ? `${count(c.runs, 'run')} with coverage, ${c.buggifyRuns} with buggify`
    : `${count(c.runs, 'run')} with coverage; buggify off in every run, so no buggify site could fire`;
  const never = [...(sitesShown ? c.unreached.sites.map((name) => ({ kind: 'site' as const, name })) : []), ...c.unreached.events.map((name) => ({ kind: 'event' as const, name }))];
  return { sentence, never, sitesShown };
}
