import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { BUGGIFY_SITES, COVERAGE_EVENTS, coverageCounts, runCoverage, splitVotes, sweepCoverage } from '../../../sim/run/coverage.ts';
import { buildSweepSummary } from '../../../sim/report/sweep-summary.ts';
import { renderSweepMarkdown } from '../../../sim/report/markdown-summary.ts';
import { renderSweepHtml } from '../../../sim/report/sweep-page.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';

describe('coverage', () => {
  it('lists every known site and event, with what never happened as unreached', () => {
    const c = runCoverage(true, [{ site: 'member.snapshot-early', enabled: true, reached: 9, fired: 3 }], { 'snapshot-taken': 3 }, []);
    expect(Object.keys(c.sites).sort()).toEqual(Object.keys(BUGGIFY_SITES).sort());
    expect(Object.keys(c.events).sort()).toEqual(Object.keys(COVERAGE_EVENTS).sort());
    expect(c.sites['member.snapshot-early']).toEqual({ enabled: true, reached: 9, fired: 3 });
    expect(c.unreached.sites).not.toContain('member.snapshot-early');
    expect(c.unreached.sites).toContain('watch.stream-full');
    expect(c.unreached.events).toContain('conf-change-applied');
    expect(c.unreached.events).not.toContain('snapshot-taken');
  });

  it('a site that is reached but never fires shows as unreached in a sweep; one that fired once anywhere does not', () => {
    const fired = runCoverage(true, [{ site: 'watch.stream-full', enabled: true, reached: 5, fired: 1 }], {}, []);
    const neverFired = runCoverage(true, [{ site: 'host.tick-late', enabled: false, reached: 40, fired: 0 }], {}, []);
    const sweep = sweepCoverage([coverageCounts(fired), coverageCounts(neverFired), undefined]);
    expect(sweep.runs).toBe(2);
    expect(sweep.unreached.sites).toContain('host.tick-late');
    expect(sweep.unreached.sites).not.toContain('watch.stream-full');
    expect(sweep.sites['watch.stream-full']).toEqual({ runsFired: 1, fired: 1 });
  });

  it('counts terms that ended without a leader as split votes', () => {
    expect(splitVotes([{ node: 'n1', term: 2, startUs: 0 }, { node: null, term: 0, startUs: 5 }, { node: 'n2', term: 5, startUs: 9 }])).toBe(2);
    expect(splitVotes([{ node: 'n1', term: 2, startUs: 0 }, { node: 'n2', term: 3, startUs: 9 }])).toBe(0);
  });

  it('results.json of a run without buggify fires no site; the sweep report names what was never reached', () => {
    const s = defineScenario({ name: 'cov', workload: { durationMs: 800, rateOpsPerSecond: 100 }, nemesis: { packages: [] } });
    const r = runScenario(s, 1).results;
    expect(r.coverage?.buggify).toBe(false);
    expect(Object.values(r.coverage?.sites ?? {}).every((x) => x.fired === 0)).toBe(true);
    expect(r.coverage?.events['leader-change']).toBe(0);
    const sweep = buildSweepSummary([summarizeRun(r)]);
    // No run had buggify on: no site could fire, and the page says so instead of naming every site as never reached.
    for (const page of [renderSweepMarkdown(sweep), renderSweepHtml(sweep)]) {
      expect(page).toContain('buggify off in every run, so no buggify site could fire');
      expect(page).toMatch(/Never reached:.*event .?leader-change/);
      expect(page).not.toContain('member.ready-delayed');
    }
    // With one buggify run, a site none fired is never reached again, and the site table is back.
    const withBuggify = buildSweepSummary([summarizeRun(r), summarizeRun({ ...r, seed: 2, coverage: { ...r.coverage!, buggify: true } })]);
    const md = renderSweepMarkdown(withBuggify);
    expect(md).toContain('2 runs with coverage, 1 with buggify');
    expect(md).toContain('site `member.ready-delayed`');
    expect(md).toContain('| buggify site | runs fired | times fired |');
  });

  it('a buggify run records the sites it fired, and the correct build stays valid', () => {
    const s = defineScenario({ name: 'cov-buggify', workload: { durationMs: 1500, rateOpsPerSecond: 150 }, nemesis: { packages: ['buggify'] } });
    const fired = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const r = runScenario(s, seed).results;
      expect(r.valid, `seed ${seed}: ${r.error ?? ''}`).not.toBe(false);
      expect(r.coverage?.buggify).toBe(true);
      for (const [site, c] of Object.entries(r.coverage?.sites ?? {})) if (c.fired > 0) fired.add(site);
    }
    expect(fired.size).toBeGreaterThan(0);
  });

  it('a member restarted from a WAL with a torn last record counts torn-write-recovered (torn-writes seed 11 tears one)', () => {
    // The host looked for the torn record after recovery had truncated it away, in the very array
    // the disk's read returned: the event stayed at 0 in every run of every scenario.
    // Seed 2 until a follower's Ready sent one MsgAppResp (etcd's processMessages) moved the runs.
    const r = runScenario(loadScenario('torn-writes').scenario, 11).results;
    expect(r.valid).toBe(true);
    expect(r.coverage?.events['torn-write-recovered']).toBeGreaterThan(0);
  });

  it('the swarm reaches lease expiry and torn-write recovery (seed 9 lets leases expire; seed 15 tears its kills)', () => {
    // Neither was reached in 300 swarm seeds before: the etcd workload's leases lived 7,200 s
    // and only the torn-writes package's kills tore a record.
    const swarm = loadScenario('swarm').scenario;
    // Seed 13 (2 s leases, 5 s of run) until one MsgAppResp per follower Ready moved the runs.
    const expired = runScenario(swarm, 9).results;
    expect(expired.valid).toBe(true);
    expect(expired.coverage?.events['lease-expired']).toBeGreaterThan(0);
    // Seed 15 until the eleventh session's draws (the tenth session's packages) moved its schedule,
    // 16 until one MsgAppResp per follower Ready (etcd's processMessages) moved it back.
    const torn = runScenario(swarm, 15).results;
    expect(torn.valid).toBe(true);
    expect(torn.coverage?.events['torn-write-recovered']).toBeGreaterThan(0);
  });
});
