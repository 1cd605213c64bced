// Array.prototype.map gives arrays of two kinds in V8: the builtin (interpreted or baseline
// caller) makes a packed array, TurboFan's inlined map in an optimized caller a holey one. The
// arrays the checkers hand from one pass to the next (the search's ops, answer times, watch
// events, sorted revisions) are read in loops by other functions, and a loop compiled for one
// kind is thrown away ("wrong map") the first time the other arrives: in a cold sweep worker
// that happened to gapConstraints, keyFacts, rangeAbsences and others on every new isolate,
// each compiled again. An array built by push is packed whoever builds it.

/** `xs.map(f)` as a packed array, whether the caller runs interpreted or optimized. */
export function packedMap<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}
