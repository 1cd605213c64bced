// Spreading an array into a call's arguments (Math.max(...xs), out.push(...xs),
// String.fromCharCode(...bytes)) puts every element on the stack: past about 120,000 elements
// (fewer when the call is deep) it throws "RangeError: Maximum call stack size exceeded". In
// detcd those arrays are a user's: a history's ops (300,000 made the check page's statistics
// throw), a watch file's records, a results.json's faults. These loops cost no stack; the lint
// (eslint.config.js, stackSpreadSyntax) keeps the spreads out of sim/.

/** Math.max over `xs` and `start` (NaN if any is NaN, as Math.max): -Infinity for none. */
export function maxOf(xs: readonly number[], start = -Infinity): number {
  let m = start;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i]!);
  return m;
}

/** Math.min over `xs` and `start` (NaN if any is NaN, as Math.min): Infinity for none. */
export function minOf(xs: readonly number[], start = Infinity): number {
  let m = start;
  for (let i = 0; i < xs.length; i++) m = Math.min(m, xs[i]!);
  return m;
}

/** `into.push(...xs)` one element at a time; returns `into`. */
export function pushAll<T>(into: T[], xs: readonly T[]): T[] {
  for (let i = 0; i < xs.length; i++) into.push(xs[i]!);
  return into;
}

/** String.fromCharCode(...codes), in chunks the stack holds. */
export function fromCharCodes(codes: readonly number[]): string {
  let s = '';
  for (let i = 0; i < codes.length; i += CHUNK) s += String.fromCharCode.apply(null, codes.slice(i, i + CHUNK));
  return s;
}
const CHUNK = 0x2000;
