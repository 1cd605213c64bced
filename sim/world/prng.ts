// The one source of randomness in a run. Every subsystem forks its own stream by name, so an
// extra draw in one subsystem never shifts what another one sees. Probabilities are integer
// ratios (TigerStyle): `chance(1, 20)` is exact and prints well in scenario files.
import seedrandom from 'seedrandom';
import { badArgument } from '../errors/bad-argument.ts';

const UINT32 = 0x1_0000_0000;

export class Prng {
  readonly seed: string;
  private readonly source: seedrandom.PRNG;

  constructor(seed: number | string) {
    // detcd/world exports Prng: a program's seed that is no number or text (String() of a
    // null-prototype object throws a TypeError) is refused naming it.
    if (typeof seed !== 'number' && typeof seed !== 'string') throw badArgument('Prng', 'seed', 'must be a number or a string', seed);
    this.seed = String(seed);
    this.source = seedrandom.alea(this.seed);
  }

  /** A child stream whose draws depend only on this stream's seed and `name`. */
  fork(name: string): Prng {
    if (typeof name !== 'string') throw badArgument('Prng.fork', 'name', 'must be a string', name);
    return new Prng(`${this.seed}/${name}`);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.source.int32() >>> 0;
  }

  /** A uniform integer in [0, boundExclusive). Exact (rejection sampling), for boundExclusive <= 2^32. */
  int(boundExclusive: number): number {
    if (!Number.isInteger(boundExclusive) || boundExclusive <= 0 || boundExclusive > UINT32) {
      throw new Error(`Prng.int: bound must be an integer in [1, 2^32], got ${boundExclusive}`);
    }
    const limit = UINT32 - (UINT32 % boundExclusive);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % boundExclusive;
    }
  }

  /** A uniform integer in [min, max], both inclusive. */
  intRange(min: number, max: number): number {
    if (max < min) throw new Error(`Prng.intRange: max ${max} < min ${min}`);
    return min + this.int(max - min + 1);
  }

  /** True with probability numerator/denominator, exactly. */
  chance(numerator: number, denominator: number): boolean {
    if (numerator <= 0) return false;
    if (numerator >= denominator) return true;
    return this.int(denominator) < numerator;
  }

  /** A float in [0, 1) with 53 bits; only for latency shapes, never for decisions. */
  float(): number {
    return this.source.double();
  }

  /** An exponentially distributed integer with the given mean (for latencies). */
  exponential(mean: number): number {
    if (mean <= 0) return 0;
    return Math.floor(-Math.log(1 - this.float()) * mean);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick: empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}
