// Probabilities are integer ratios (TigerStyle): exact, and they print well in scenario files.

export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export const NEVER: Ratio = { num: 0, den: 1 };

/** Throws unless `ratio` is a probability num/den with integers 0 <= num <= den, den >= 1. */
export function checkRatio(name: string, ratio: Ratio): void {
  const { num, den } = ratio;
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den < 1 || num < 0 || num > den) {
    throw new Error(`${name}: probability must be integers {num, den} with 0 <= num <= den and den >= 1, got ${num}/${den}`);
  }
}
