// An argument a program passed to the package's API (detcd/property, detcd/check, the harness)
// refused in one line naming the function, the argument and the reason, as a bad file is on the
// command line: a user's vitest suite sees what to fix, not a TypeError from deep inside a run.
import { shownValue } from '../history/shown-value.ts';
import { UsageError } from './usage-error.ts';

/** `v` as a message shows it: numbers as JavaScript writes them (NaN, Infinity, 1.5), the rest as JSON, short. */
export function shownArgument(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  return shownValue(v);
}

/** The refusal of `fn`'s argument `field`: "fn: field: reason, got V". */
export function badArgument(fn: string, field: string, reason: string, got: unknown): UsageError {
  return new UsageError(`${fn}: ${field}: ${reason}, got ${shownArgument(got)}`);
}

/** A whole number in [min, max], or the refusal naming `fn` and `field`. */
export function checkWholeArgument(fn: string, field: string, v: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badArgument(fn, field, max === Number.MAX_SAFE_INTEGER ? `must be a whole number from ${min} up` : `must be a whole number from ${min} to ${max}`, v);
  }
  return v;
}

/** A plain object (not null, not an array), or the refusal naming `fn` and `field`. */
export function checkObjectArgument(fn: string, field: string, v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badArgument(fn, field, `must be ${what}`, v);
  return v as Record<string, unknown>;
}
