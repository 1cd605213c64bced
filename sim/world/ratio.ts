// Probabilities are integer ratios (TigerStyle): exact, and they print well in scenario files.
import { badArgument } from '../errors/bad-argument.ts';

export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export const NEVER: Ratio = { num: 0, den: 1 };

/**
 * Throws unless `ratio` is a probability num/den with integers 0 <= num <= den, den >= 1. A
 * UsageError (detcd/world exports this and the classes that call it): a program's wrong ratio,
 * or no ratio at all, is its mistake, named in one line, not a TypeError from destructuring.
 */
export function checkRatio(name: string, ratio: Ratio): void {
  if (typeof name !== 'string') throw badArgument('checkRatio', 'name', 'must be the name of the probability (a string)', name);
  if (!isRatio(ratio)) throw badArgument(name, 'probability', 'must be integers {num, den} with 0 <= num <= den and den >= 1', ratio);
}

/** Whether `ratio` is a probability num/den: whole numbers with 0 <= num <= den, den >= 1. */
export function isRatio(ratio: unknown): ratio is Ratio {
  const { num, den } = typeof ratio === 'object' && ratio !== null ? (ratio as Partial<Ratio>) : { num: undefined, den: undefined };
  return Number.isSafeInteger(num) && Number.isSafeInteger(den) && (den as number) >= 1 && (num as number) >= 0 && (num as number) <= (den as number);
}
