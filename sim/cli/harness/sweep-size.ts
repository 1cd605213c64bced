// How many runs one sweep (or one shard of it) may hold. A sweep keeps every run's summary and
// writes its report whole at the end: sweep.json is one JSON text of ~1.5 KB per run, and V8's
// longest string (2^29 − 24 characters, ~512 MB) is reached near 350,000 runs. `--seeds
// 1..2147483647` was taken, ran for years at best, and a sweep past that size would have thrown
// away all its runs when it came to write its report. It is refused before anything runs.

/** Runs one sweep report holds: well under the ~350,000 whose sweep.json V8 cannot hold as one string. */
export const SWEEP_RUNS_MAX = 100_000;

/** The refusal of a sweep of `runs` runs (this shard's), or undefined when it fits. */
export function sweepSizeRefusal(command: string, seeds: readonly [number, number], scenarios: number, shardCount: number, runs: number): string | undefined {
  if (runs <= SWEEP_RUNS_MAX) return undefined;
  const seedCount = seeds[1] - seeds[0] + 1;
  const shape = `${scenarios} scenario${scenarios === 1 ? '' : 's'} × ${seedCount} seed${seedCount === 1 ? '' : 's'}${shardCount > 1 ? ` in ${shardCount} shards` : ''}`;
  return `detcd ${command}: --seeds ${seeds[0]}..${seeds[1]}: ${runs} runs (${shape}${shardCount > 1 ? ' each' : ''}), past the ${SWEEP_RUNS_MAX} one sweep reports (its sweep.json keeps every run, written whole at the end): give fewer seeds, or split the range into sweeps of at most ${SWEEP_RUNS_MAX} runs (--shard I/N runs every Nth)`;
}

/** The refusal of a merge of `runs` runs from `shards` shard directories, or undefined when it fits. */
export function mergeSizeRefusal(runs: number, shards: number): string | undefined {
  if (runs <= SWEEP_RUNS_MAX) return undefined;
  return `${runs} runs in ${shards} shards, past the ${SWEEP_RUNS_MAX} one sweep report holds (its sweep.json keeps every run): merge fewer shards at a time`;
}
