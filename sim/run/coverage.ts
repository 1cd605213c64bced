// What a run reached, for results.json's `coverage` and the sweep report: every BUGGIFY site of
// the product and the hosts (switched on for this run? reached? fired how often?) and counts
// of the rare events a harness exists to provoke (split votes, snapshots sent and installed,
// conf changes, ReadIndex retries, lease expiries, watches cancelled by compaction, torn
// writes recovered...). Every known site and event is listed, with 0 when never reached, so
// that what a sweep never exercised shows by name.
import { MEMBER_EVENTS, PRODUCT_BUGGIFY_SITES } from '../../src/server/buggify.ts';
import { HOST_BUGGIFY_SITES, HOST_EVENTS } from '../etcd/member-host.ts';
import type { BuggifySiteCoverage } from '../world/buggify.ts';
import type { LeaderSpan } from './results.ts';
import { withFields } from '../../src/object/with-fields.ts';

/** Every BUGGIFY site a run may reach, with what it does. */
export const BUGGIFY_SITES: Readonly<Record<string, string>> = withFields(PRODUCT_BUGGIFY_SITES, HOST_BUGGIFY_SITES);

/** Every rare event counted, with what it means. */
export const COVERAGE_EVENTS: Readonly<Record<string, string>> = withFields(withFields(MEMBER_EVENTS, HOST_EVENTS), {
  'split-vote': 'a term that ended without a leader (an election nobody won)',
  'leader-change': 'a new leader',
});

export interface SiteCoverage {
  /** Switched on for this run (one run in four, by seed and name). */
  enabled: boolean;
  reached: number;
  fired: number;
}

export interface RunCoverage {
  /** Whether the run enabled buggify at all (the buggify nemesis package). */
  buggify: boolean;
  /** Every known site, in name order. */
  sites: Record<string, SiteCoverage>;
  /** Every known event with its count, in name order. */
  events: Record<string, number>;
  /** Known sites that never fired, and events that never happened, in this run. */
  unreached: { sites: string[]; events: string[] };
}

/** Terms skipped between consecutive leaders: elections that ended without one. */
export function splitVotes(leaders: readonly LeaderSpan[]): number {
  let n = 0;
  let lastTerm: number | undefined;
  for (const l of leaders) {
    if (l.node === null) continue;
    if (lastTerm !== undefined && l.term > lastTerm + 1) n += l.term - lastTerm - 1;
    lastTerm = l.term;
  }
  return n;
}

export function runCoverage(buggify: boolean, sites: readonly BuggifySiteCoverage[], events: Readonly<Record<string, number>>, leaders: readonly LeaderSpan[]): RunCoverage {
  const bySite = new Map(sites.map((s) => [s.site, s]));
  const siteOut: Record<string, SiteCoverage> = {};
  for (const name of [...new Set([...Object.keys(BUGGIFY_SITES), ...bySite.keys()])].sort()) {
    const s = bySite.get(name);
    siteOut[name] = { enabled: s?.enabled ?? false, reached: s?.reached ?? 0, fired: s?.fired ?? 0 };
  }
  const counts: Record<string, number> = withFields(events, { 'split-vote': splitVotes(leaders), 'leader-change': Math.max(0, leaders.filter((l) => l.node !== null).length - 1) });
  const eventOut: Record<string, number> = {};
  for (const name of [...new Set([...Object.keys(COVERAGE_EVENTS), ...Object.keys(counts)])].sort()) eventOut[name] = counts[name] ?? 0;
  return {
    buggify,
    sites: siteOut,
    events: eventOut,
    unreached: {
      sites: Object.entries(siteOut).filter(([, s]) => s.fired === 0).map(([n]) => n),
      events: Object.entries(eventOut).filter(([, c]) => c === 0).map(([n]) => n),
    },
  };
}

/** What a sweep keeps of a run's coverage (sweep.json holds thousands): only what is not zero. */
export interface CoverageCounts {
  buggify: boolean;
  /** Sites that fired, with how often. */
  fired: Record<string, number>;
  /** Events that happened, with how often. */
  events: Record<string, number>;
}

export function coverageCounts(c: RunCoverage): CoverageCounts {
  return {
    buggify: c.buggify,
    fired: Object.fromEntries(Object.entries(c.sites).filter(([, s]) => s.fired > 0).map(([k, s]) => [k, s.fired])),
    events: Object.fromEntries(Object.entries(c.events).filter(([, n]) => n > 0)),
  };
}

/** A sweep's coverage: per site the runs that fired it and the total fired, per event the total. */
export interface SweepCoverage {
  runs: number;
  /** Runs with buggify enabled. */
  buggifyRuns: number;
  sites: Record<string, { runsFired: number; fired: number }>;
  events: Record<string, { runs: number; total: number }>;
  /** What no run of the sweep reached: sites never fired, events never seen. */
  unreached: { sites: string[]; events: string[] };
}

/** Adds up the coverage of runs (runs without coverage, from older reports, are skipped). */
export function sweepCoverage(runs: readonly (CoverageCounts | undefined)[]): SweepCoverage {
  const sites: Record<string, { runsFired: number; fired: number }> = {};
  const events: Record<string, { runs: number; total: number }> = {};
  for (const name of Object.keys(BUGGIFY_SITES)) sites[name] = { runsFired: 0, fired: 0 };
  for (const name of Object.keys(COVERAGE_EVENTS)) events[name] = { runs: 0, total: 0 };
  let n = 0;
  let buggifyRuns = 0;
  for (const c of runs) {
    if (c === undefined) continue;
    n++;
    if (c.buggify) buggifyRuns++;
    for (const [name, fired] of Object.entries(c.fired)) {
      const t = (sites[name] ??= { runsFired: 0, fired: 0 });
      if (fired > 0) t.runsFired++;
      t.fired += fired;
    }
    for (const [name, count] of Object.entries(c.events)) {
      const t = (events[name] ??= { runs: 0, total: 0 });
      if (count > 0) t.runs++;
      t.total += count;
    }
  }
  const sorted = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const s = sorted(sites);
  const e = sorted(events);
  return {
    runs: n,
    buggifyRuns,
    sites: s,
    events: e,
    unreached: {
      sites: Object.entries(s).filter(([, v]) => v.fired === 0).map(([k]) => k),
      events: Object.entries(e).filter(([, v]) => v.total === 0).map(([k]) => k),
    },
  };
}
