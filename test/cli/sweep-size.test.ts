// `detcd sweep --seeds 1..2147483647` (or campaign --seeds 2147483647) was taken: it ran for years
// at best, and a sweep past ~350,000 runs would have lost them all at its end, its sweep.json past
// V8's longest string. One sweep (or one shard of it) holds at most 100,000 runs; more is refused
// before anything runs or is written, naming --seeds, the count and the way to split it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { mergeSizeRefusal, SWEEP_RUNS_MAX, sweepSizeRefusal } from '../../sim/cli/harness/sweep-size.ts';

describe('the runs one sweep holds', () => {
  it('refuses a sweep of every seed before it makes its report directory', async () => {
    const out = join(scratchDir('detcd-sweep-size-'), 'never');
    await refused(['sweep', '--scenario', 'kill-leader', '--seeds', '1..2147483647', '--out', out], 'detcd sweep: --seeds 1..2147483647: 2147483647 runs (1 scenario × 2147483647 seeds), past the 100000 one sweep reports', '--shard I/N');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a campaign whose scenarios × seeds pass the bound', async () => {
    await refused(['campaign', '--seeds', '2147483647', '--out', join(scratchDir('detcd-sweep-size-'), 'c')], /^detcd campaign: --seeds 1\.\.2147483647: \d+ runs \(\d+ scenarios × 2147483647 seeds\), past the 100000/);
  });

  it('takes up to the bound, counted per shard', () => {
    expect(sweepSizeRefusal('sweep', [1, SWEEP_RUNS_MAX], 1, 1, SWEEP_RUNS_MAX)).toBeUndefined();
    expect(sweepSizeRefusal('sweep', [1, SWEEP_RUNS_MAX + 1], 1, 1, SWEEP_RUNS_MAX + 1)).toMatch(/100001 runs \(1 scenario × 100001 seeds\), past the 100000/);
    expect(sweepSizeRefusal('sweep', [1, 2 * SWEEP_RUNS_MAX], 1, 2, SWEEP_RUNS_MAX)).toBeUndefined();
    expect(sweepSizeRefusal('sweep', [1, 400_000], 1, 2, 200_000)).toMatch(/200000 runs \(1 scenario × 400000 seeds in 2 shards each\)/);
    expect(mergeSizeRefusal(SWEEP_RUNS_MAX, 3)).toBeUndefined();
    expect(mergeSizeRefusal(SWEEP_RUNS_MAX + 1, 3)).toMatch(/^100001 runs in 3 shards, past the 100000/);
  });
});
