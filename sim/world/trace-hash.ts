// The run's fingerprint: a 64-bit hash (two 32-bit lanes) folded over every world event as
// integers, so hashing costs a few multiplies per event and never allocates. Equal runs give
// equal hashes in any process or worker thread because only integer arithmetic is used.
// The first lane is FNV-1a over 32-bit words (src/hash/fnv1a.ts); the second a multiply-shift mix.
import { FNV1A_OFFSET, FNV1A_PRIME } from '../../src/hash/fnv1a.ts';

export class TraceHash {
  private h1 = FNV1A_OFFSET;
  private h2 = FNV1A_PRIME;
  private count = 0;

  /** Folds one integer (safe integer range) into the hash. */
  mix(value: number): void {
    const lo = value >>> 0;
    // Most values are small non-negative integers: skip the division for them (same result).
    const hi = value >= 0 && value < 0x1_0000_0000 ? 0 : Math.floor(value / 0x1_0000_0000) >>> 0;
    this.h1 = Math.imul(this.h1 ^ lo, FNV1A_PRIME);
    this.h1 = Math.imul(this.h1 ^ hi, FNV1A_PRIME);
    this.h2 = Math.imul(this.h2 ^ lo, 0x5bd1e995);
    this.h2 = (this.h2 ^ (this.h2 >>> 15)) + hi;
    this.h2 = Math.imul(this.h2, 0x27d4eb2d);
  }

  mixString(text: string): void {
    for (let i = 0; i < text.length; i++) this.mix(text.charCodeAt(i));
    this.mix(text.length);
  }

  /** Folds one event: a kind code and up to four integer fields. */
  event(kind: number, timeUs: number, a = 0, b = 0, c = 0): void {
    this.count++;
    this.mix(kind);
    this.mix(timeUs);
    this.mix(a);
    this.mix(b);
    this.mix(c);
  }

  get events(): number {
    return this.count;
  }

  /** The hash as a safe integer (53 of its 64 bits), for folding into another hash. */
  toNumber(): number {
    return (this.h1 >>> 0) * 0x20_0000 + ((this.h2 >>> 0) >>> 11);
  }

  /** 16 hex digits. */
  digest(): string {
    const a = (this.h1 >>> 0).toString(16).padStart(8, '0');
    const b = (this.h2 >>> 0).toString(16).padStart(8, '0');
    return a + b;
  }
}
