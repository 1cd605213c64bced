// detcd check --timeout-ms bounds the watch checker too: once the check's time budget has passed,
// the watch verdict is unknown and names the budget (the watch checker took no deadline: a
// robustness watch of 150,000 responses ran 140 s past any --timeout-ms; /work/notes/bounds2.md).
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';

const DIR = 'test/fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3-watch';

async function check(...flags: string[]): Promise<{ code: number; verdict: { valid: unknown; watch?: { valid: unknown; summary: string } } }> {
  const r = await cli(['check', '--model', 'etcd', '--json', ...flags, DIR]);
  return { code: r.code, verdict: JSON.parse(r.out[0]!) as { valid: unknown; watch?: { valid: unknown; summary: string } } };
}

describe('detcd check --timeout-ms bounds the watch checker', () => {
  it('a real etcd robustness run with watches stays valid without a budget', async () => {
    const r = await check();
    expect(r.verdict.watch?.valid).toBe(true);
    expect(r.code).toBe(0);
  });

  it('past the time budget the watch verdict is unknown, naming the budget (exit 2)', async () => {
    // 1 ms: reading the run's files alone takes longer.
    const r = await check('--timeout-ms', '1');
    expect(r.verdict.watch).toEqual({ valid: 'unknown', summary: 'unknown: the time budget (--timeout-ms) passed before every guarantee was checked' });
    expect(r.verdict.valid).toBe('unknown');
    expect(r.code).toBe(2);
  });
});
