// detcd check of a simulated run's report gives the run's verdict, checker by checker: the run
// keeps what its history checkers judged with beyond the history in leader-timeline.jsonl (its
// leaders in office and lease options, its linearizability search bound, its watch options:
// sim/run/leader-timeline-of.ts). Before, check judged a simulated report's leases without its
// leader timeline (a planted early revoke passed), searched with its own 200 M steps where the
// run had given up, and refused the auth workload's history (exit 3) the run had judged.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { runScenario } from '../../sim/run/run.ts';
import { executeRun } from '../../sim/cli/harness/execute.ts';
import { LEADER_TIMELINE_FILE, leaderTimelineLines } from '../../sim/history/leader-timeline-file.ts';
import { shippedScenarios } from '../../sim/cli/harness/scenario-files.ts';
import type { PlantedBug } from '../../sim/bugs/planted-bugs.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import type { CheckResult } from '../../sim/check/verdict.ts';

/** The checkers `detcd check` judges a history with. */
const HISTORY_CHECKERS = ['linearizable', 'watch', 'lease', 'auth'];

interface Compared {
  run: Record<string, unknown>;
  check: Record<string, unknown>;
  line: Record<string, unknown>;
}

const lines = (items: readonly unknown[]): string => items.map((o) => `${JSON.stringify(o)}\n`).join('');

/**
 * The linearizability search's bound in model steps for a run that left that checker out (its
 * verdict is not compared): a count, not a time. check's --timeout-ms bounded it before, and
 * that wall-clock budget is the lease and watch checkers' too: under load (a CI machine at load
 * 30) it passed during the search and the lease verdict compared came out "unknown".
 */
const UNJUDGED_SEARCH_STEPS_MAX = 2_000_000;

/**
 * A run, and the files of its report check reads (history.jsonl, watches.jsonl, leader-timeline.jsonl,
 * as execute.ts writes them; a run without the linearizable checker has its search bounded in steps).
 */
function runReport(scenario: Scenario, seed: number, bug?: PlantedBug): { dir: string; checkers: Record<string, CheckResult> } {
  const dir = join(scratchDir('detcd-check-run-report-'), 'report');
  mkdirSync(dir);
  const output = runScenario(scenario, seed, { bug, traceLog: false });
  writeFileSync(join(dir, 'history.jsonl'), lines(output.history));
  writeFileSync(join(dir, 'watches.jsonl'), lines(output.watches));
  const timeline = output.leaderTimeline!;
  const bounded = 'linearizable' in output.results.checkers ? timeline : { ...timeline, linearizableStepsMax: timeline.linearizableStepsMax ?? UNJUDGED_SEARCH_STEPS_MAX };
  writeFileSync(join(dir, LEADER_TIMELINE_FILE), `${leaderTimelineLines(bounded).join('\n')}\n`);
  return { dir, checkers: output.results.checkers };
}

/** The run's report, then check of its history.jsonl: each history checker's verdict from both. */
async function runThenCheck(scenario: Scenario, seed: number, bug?: PlantedBug): Promise<Compared> {
  const { dir, checkers: ran } = runReport(scenario, seed, bug);
  // A checker the scenario leaves out is not compared; check still searches, within runReport's step bound.
  const r = await cli(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
  expect(r.err, r.err.join('\n')).toEqual([]);
  const line = JSON.parse(r.out[0]!) as Record<string, unknown>;
  const verdictOf = (name: string): unknown => (name === 'linearizable' ? (line['linearizable'] ?? line['valid']) : (line[name] as { valid: unknown } | undefined)?.valid);
  const run: Record<string, unknown> = {};
  const check: Record<string, unknown> = {};
  for (const name of HISTORY_CHECKERS) {
    if (!(name in ran)) continue;
    // A run's lease checker with no grant in the history judged nothing; check does not run it there.
    if (name === 'lease' && ran[name]!['leases'] === 0 && line['lease'] === undefined) continue;
    run[name] = ran[name]!.valid;
    check[name] = verdictOf(name);
  }
  return { run, check, line };
}

/** Lease 7 (TTL 5 s) granted at 2 ms, and granted again at 2 s: etcd refuses that unless the lease ended, which a leader's clock jumping forward can make it do. */
const REGRANT = [
  { time: 1_000, process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '5', ID: '7' } },
  { time: 2_000, process: 0, type: 'ok', f: 'lease/grant', value: { header: { revision: '1', raft_term: '2' }, ID: '7', TTL: '5' } },
  { time: 2_000_000, process: 1, type: 'invoke', f: 'lease/grant', value: { TTL: '5', ID: '7' } },
  { time: 2_001_000, process: 1, type: 'ok', f: 'lease/grant', value: { header: { revision: '1', raft_term: '2' }, ID: '7', TTL: '5' } },
].map((o, index) => ({ index, ...o }));

/** A simulated run's timeline head: one leader in office from the start, `extra` fields beside. */
function headLine(jumpUsMax: number | null, extra: object = {}): string {
  return `${JSON.stringify({ members: ['n1', 'n2', 'n3'], samplesTruncated: false, lease: { leaderChangesUs: [0], electionTimeoutUs: 1_000_000, clockDriftPpmMax: 0, clockJumpUsMax: jumpUsMax, slowClock: { driftPpmMax: 0, jumpUsMax }, answersCarryLeaderTerm: true, leaders: [{ term: 2, startUs: 0 }] }, ...extra })}\n`;
}

function handReport(timeline: string | undefined): string {
  const dir = scratchDir('detcd-check-run-report-');
  writeFileSync(join(dir, 'history.jsonl'), lines(REGRANT));
  if (timeline !== undefined) writeFileSync(join(dir, LEADER_TIMELINE_FILE), timeline);
  return join(dir, 'history.jsonl');
}

describe('detcd check judges a run report\'s history with what its leader-timeline.jsonl says of the run', () => {
  it('its clocks: a lease granted again 2 s into a 5 s TTL is valid where clocks may jump without bound (the run said so), not linearizable without the file', async () => {
    const jumps = await cli(['check', '--model', 'etcd', '--json', handReport(headLine(null))]);
    expect(JSON.parse(jumps.out[0]!)).toMatchObject({ valid: true, linearizable: true, lease: { valid: true } });
    const none = await cli(['check', '--model', 'etcd', '--json', handReport(undefined)]);
    expect(JSON.parse(none.out[0]!)).toMatchObject({ valid: false, linearizable: false });
    const still = await cli(['check', '--model', 'etcd', '--json', handReport(headLine(0))]);
    expect(JSON.parse(still.out[0]!)).toMatchObject({ valid: false, linearizable: false });
  });

  it('its search bound: the run\'s step budget, not check\'s 200 M steps', async () => {
    const r = await cli(['check', '--model', 'etcd', handReport(headLine(null, { linearizable: { stepsMax: 1 } }))]);
    expect(r.out[0]).toMatch(/UNKNOWN .* step budget: 1 model steps/);
  });

  it('a history cut at its bound: no verdict on it is valid', async () => {
    const r = await cli(['check', '--model', 'etcd', '--json', handReport(headLine(null, { historyTruncated: true }))]);
    const line = JSON.parse(r.out[0]!) as { valid: unknown; lease: { summary: string } };
    expect(line.valid).toBe('unknown');
    expect(line.lease.summary).toMatch(/truncated at its bound/);
  });

  it('refuses fields it cannot read, naming the file, line and field (exit 3)', async () => {
    await refused(['check', '--model', 'etcd', handReport(headLine(null, { linearizable: { stepsMax: 0 } }))], 'leader-timeline.jsonl:1', 'linearizable.stepsMax');
    await refused(['check', '--model', 'etcd', handReport(headLine(null, { watch: {} }))], 'leader-timeline.jsonl:1', 'watch.expectRevisionUnique');
    await refused(['check', '--model', 'etcd', handReport(headLine(null, { budget: 1 }))], 'leader-timeline.jsonl:1', 'field budget');
    await refused(['check', '--model', 'etcd', handReport(headLine(null).replace('"startUs":0}]', '"startUs":-1}]'))], 'leader-timeline.jsonl:1', 'lease.leaders[0].startUs');
    await refused(['check', '--model', 'etcd', handReport(headLine(null).replace('"leaders":', '"transfersUs":[5],"transferEndsUs":[6,7],"leaders":'))], 'leader-timeline.jsonl:1', 'lease.transferEndsUs has 2 entries for 1 transfer');
  });
});

describe('detcd check of a simulated run report gives the run\'s verdict per checker', () => {
  it('a planted early revoke (deposed-lessor-revokes): the run\'s lease violation, found with the leader timeline its report keeps', async () => {
    const scenario = shippedScenarios().find((s) => s.ref === 'deposed-lessor')!.scenario;
    const c = await runThenCheck(scenario, 1, 'deposed-lessor-revokes');
    expect(c.run['lease']).toBe(false);
    expect(c.check).toEqual(c.run);
    expect((c.line['lease'] as { summary: string }).summary).toMatch(/reported gone at 10236285 µs with no revoke asked for.*judged as the run did: the leader timeline of .*leader-timeline\.jsonl, 2 leaders in office/);
  }, 300_000);

  it('the report (detcd run) keeps the run\'s leaders, search bound and watch options', async () => {
    const scenario = shippedScenarios().find((s) => s.ref === 'lease-renew-expiry')!.scenario;
    const dir = join(scratchDir('detcd-check-run-report-'), 'report');
    await executeRun({ scenario, scenarioRef: scenario.name, seed: 1, outDir: dir, traceLog: false });
    const head = JSON.parse(readFileSync(join(dir, 'leader-timeline.jsonl'), 'utf8').split('\n')[0]!) as { lease: { leaders: unknown[]; answersCarryLeaderTerm: boolean }; linearizable: { stepsMax: number }; watch: { expectRevisionUnique: boolean } };
    expect(head.lease.leaders.length).toBeGreaterThan(0);
    expect(head.lease.answersCarryLeaderTerm).toBe(true);
    expect(head.linearizable.stepsMax).toBeGreaterThanOrEqual(200_000);
    expect(head.watch.expectRevisionUnique).toBe(false);
  }, 300_000);

  for (const { ref, scenario } of shippedScenarios()) {
    it(`${ref} seed 1`, async () => {
      const c = await runThenCheck(scenario, 1);
      expect(c.check, JSON.stringify(c.line)).toEqual(c.run);
    }, 600_000);
  }
});
