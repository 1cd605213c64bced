// What a put of a new key keeps in the store: a long-lived `detcd serve` holds every revision
// (as etcd does, until a compaction), so the bytes per revision bound how long it can run. A
// push onto an empty array reserves room for 17 elements: a key's first revision and a
// revision's first change made one-element arrays with 128 bytes to spare each (749 bytes per
// put of a new key, 494 after).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MvccStore } from '../../../src/mvcc/store.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('the store\'s memory per revision', () => {
  it('a put of a new key keeps under 600 bytes besides its key and value', () => {
    const n = 50_000;
    const keys = Array.from({ length: n }, (_, i) => `/f/${i}`);
    const value = 'v'.repeat(256);
    const s = new MvccStore();
    const before = heapAfterGc();
    for (const k of keys) {
      const t = s.write();
      t.put(k, value, 0n);
      t.end();
    }
    const perPut = (heapAfterGc() - before) / n;
    expect(s.currentRev).toBe(n + 1);
    expect(perPut).toBeLessThan(600);
  });
});
