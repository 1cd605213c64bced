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

// Numbers get their own helper: V8 keeps type feedback per function, and one push site fed both
// object arrays and number arrays (SMI, then double) was compiled again at each new kind ("wrong
// map": packedMap compiled 6 times in a cold worker's trace); the model's step calls packedMap
// with kvs, the preparation's passes with revisions and times.

/** `xs.map(f)` for numbers, as a packed array of numbers. */
export function packedNumbers<T>(xs: readonly T[], f: (x: T, i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}
