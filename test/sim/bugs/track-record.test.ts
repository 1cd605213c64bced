import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PLANTED_BUGS } from '../../../sim/bugs/planted-bugs.ts';
import type { CaughtByRun, CaughtByTest } from '../../../sim/bugs/planted-bugs.ts';
import { medianWallSeconds, trackRecordMarkdown, trackRecordRow } from '../../../sim/bugs/track-record.ts';
import type { TrackRecordRow } from '../../../sim/bugs/track-record.ts';
import { SCENARIOS_DIR, loadScenario } from '../../../sim/cli/harness/scenario-files.ts';

describe('the planted-bug track record', () => {
  it('every bug names its reference, the file it is planted in and the scenario or test that catches it', () => {
    expect(new Set(PLANTED_BUGS.map((b) => b.name)).size).toBe(PLANTED_BUGS.length);
    for (const b of PLANTED_BUGS) {
      expect(b.reference.length, b.name).toBeGreaterThan(3);
      expect(existsSync(b.plantedIn), `${b.name}: ${b.plantedIn}`).toBe(true);
      // Typed as the registry allows (every entry is a run today, so the literal type leaves no test).
      const caught = b.caughtBy as CaughtByRun | CaughtByTest;
      const where = 'scenario' in caught ? join(SCENARIOS_DIR, `${caught.scenario}.json`) : caught.test;
      expect(existsSync(where), `${b.name}: ${where}`).toBe(true);
    }
    // etcd's robustness track record, every row in scope.
    const refs = PLANTED_BUGS.map((b) => b.reference).join(' ');
    for (const issue of ['13766', '14370', '15220', '15271', '17247', '17529', '17780', '18055', '18089', '18667', '19179', '20221', '20418']) {
      expect(refs, issue).toContain(issue);
    }
  });

  it('hunts a bug down on its scenario, and runs the correct build on the same seeds', () => {
    const entry = PLANTED_BUGS.find((b) => b.name === 'apply-before-persist')!;
    let t = 0;
    const row = trackRecordRow(entry, { seedsMax: 3, shrinkRunsMax: 0, scenario: (n) => loadScenario(n).scenario, wallNowMs: () => (t += 500) });
    expect(row.found).toBe(true);
    expect(row.seedsTried).toBeLessThanOrEqual(3);
    expect(row.cleanRuns).toBe(row.seedsTried);
    expect(row.cleanNotValid).toBe(0);
    expect(row.replay).toContain('--bug apply-before-persist');
  });

  it('prints a Markdown table and the median time of the bugs found', () => {
    const rows: TrackRecordRow[] = [
      { bug: 'figure8', reference: 'r', scenario: 'figure8', found: true, seedsTried: 1, wallSeconds: 2, caughtBy: 'raft', scheduleFaults: 3, shrunkFaults: 1, cleanRuns: 1, cleanNotValid: 0 },
      { bug: 'victim-replay', reference: 'r', scenario: 'swarm', found: false, seedsTried: 20, wallSeconds: 50, caughtBy: 'not found', scheduleFaults: 0, cleanRuns: 10, cleanNotValid: 0 },
      { bug: 'send-before-fsync', reference: 'r', scenario: 'torn-writes', found: true, seedsTried: 2, wallSeconds: 4, caughtBy: 'raft', scheduleFaults: 2, cleanRuns: 2, cleanNotValid: 0 },
    ];
    expect(medianWallSeconds(rows)).toBe(3);
    const md = trackRecordMarkdown(rows);
    expect(md).toContain('| `figure8` | r | figure8 | 1 | 2.0 | raft | 3 (1) | 1/1 clean |');
    expect(md).toContain('not in 20');
  });
});
