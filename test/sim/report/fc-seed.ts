// Property tests print their seed, and FC_SEED=N replays one.
export function fcParams(numRuns: number): { seed: number; numRuns: number } {
  const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
  console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed})`);
  return { seed, numRuns };
}
