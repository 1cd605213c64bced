// The one seed convention for every property test: the seed is fixed (so CI is deterministic)
// unless DETCD_PROPERTY_SEED=N asks for another one, and a failure names the seed and the
// command that replays it.
import fc from 'fast-check';
import { expect } from 'vitest';

/** The seed every property test uses when DETCD_PROPERTY_SEED is not set. */
export const PROPERTY_SEED_DEFAULT = 20_261_204;

export function propertySeed(): number {
  const raw = process.env['DETCD_PROPERTY_SEED'];
  if (raw === undefined || raw === '') return PROPERTY_SEED_DEFAULT;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`DETCD_PROPERTY_SEED must be an integer, got '${raw}'`);
  return seed;
}

/** The command that reruns the current test file with `seed`. */
export function replayCommand(seed: number): string {
  const path = expect.getState().testPath ?? '<test file>';
  const rel = path.includes('/test/') ? `test/${path.split('/test/').slice(1).join('/test/')}` : path;
  return `DETCD_PROPERTY_SEED=${seed} npx vitest run ${rel}`;
}

/** fast-check parameters with the shared seed; a failure's message starts with the replay command. */
export function fcParams<T = unknown>(numRuns: number, seed = propertySeed()): fc.Parameters<T> {
  return {
    seed,
    numRuns,
    reporter: (details) => {
      if (!details.failed) return;
      throw new Error(`property failed with seed ${seed} (replay: ${replayCommand(seed)})\n${fc.defaultReportMessage(details) ?? ''}`);
    },
  };
}

/** For property loops over a PRNG of their own: runs `body(seed)` and names the replay on failure. */
export function withPropertySeed(body: (seed: number) => void): void {
  const seed = propertySeed();
  try {
    body(seed);
  } catch (err) {
    if (err instanceof Error) err.message = `property failed with seed ${seed} (replay: ${replayCommand(seed)})\n${err.message}`;
    throw err;
  }
}
