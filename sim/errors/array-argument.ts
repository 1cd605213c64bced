// An array a program hands the package's API, checked before anything walks it: a sparse
// array (`a.length = 2 ** 32 - 1`, or `[op, , op]`) made every checker hang — map and forEach
// visit each of its 4 billion missing indexes — and messages that quoted it failed with
// "Invalid string length". JSON, which the command line reads, has no holes: neither do the
// arrays the API takes. The walk stops at the first hole, so it costs the elements present.
import { badArgument } from './bad-argument.ts';
import { UsageError } from './usage-error.ts';

/** The index of the first missing element of `a`, or -1 when every index below its length holds one. */
export function firstHole(a: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) if (!(i in a)) return i;
  return -1;
}

/** An array with no holes, or the refusal naming `fn` and `field` ("must be an array of `what`"). */
export function checkArrayArgument(fn: string, field: string, v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v)) throw badArgument(fn, field, `must be an array of ${what}`, v);
  const hole = firstHole(v);
  if (hole >= 0) throw new UsageError(`${fn}: ${field}[${hole}]: is missing (a sparse array of length ${v.length}: every element must be given)`);
  return v;
}
