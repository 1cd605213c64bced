// detcd check --timeout-ms bounds the watch and lease checkers too: once the check's time budget
// has passed, their verdicts are unknown and name the budget (they took no deadline: a robustness
// watch of 150,000 responses ran 140 s past any --timeout-ms, a lease history of 60,000 ops 5 s
// in the lease checker; /work/notes/bounds2.md).
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';

const DIR = 'test/fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3-watch';
const LEASES = 'test/fixtures/check/sim-short-timeouts-seed1.jsonl';

type Verdict = { valid: unknown; watch?: { valid: unknown; summary: string }; lease?: { valid: unknown; summary: string } };
async function check(...flags: string[]): Promise<{ code: number; verdict: Verdict }> {
  const r = await cli(['check', '--model', 'etcd', '--json', ...flags]);
  return { code: r.code, verdict: JSON.parse(r.out[0]!) as Verdict };
}

describe('detcd check --timeout-ms bounds the watch checker', () => {
  it('a real etcd robustness run with watches stays valid without a budget', async () => {
    const r = await check(DIR);
    expect(r.verdict.watch?.valid).toBe(true);
    expect(r.code).toBe(0);
  });

  it('past the time budget the watch verdict is unknown, naming the budget (exit 2)', async () => {
    // 1 ms: reading the run's files alone takes longer.
    const r = await check('--timeout-ms', '1', DIR);
    expect(r.verdict.watch).toEqual({ valid: 'unknown', summary: 'unknown: the time budget (--timeout-ms) passed before every guarantee was checked' });
    expect(r.verdict.valid).toBe('unknown');
    expect(r.code).toBe(2);
  });
});

describe('detcd check --timeout-ms bounds the lease checker', () => {
  it('a history with leases stays valid without a budget', async () => {
    const r = await check(LEASES);
    expect(r.verdict.lease?.valid).toBe(true);
  });

  it('past the time budget the lease verdict is unknown, naming the budget (exit 2)', async () => {
    // 1 ms: reading and checking the history's 2142 lines alone takes longer.
    const r = await check('--timeout-ms', '1', LEASES);
    expect(r.verdict.lease).toEqual({ valid: 'unknown', summary: 'unknown: the time budget (--timeout-ms) passed before every op was checked' });
    expect(r.code).toBe(2);
  });
});
