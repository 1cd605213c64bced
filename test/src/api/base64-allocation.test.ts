// What decoding a value costs in allocation: every put's value crosses base64Decode once (the
// gateway's JSON, and serve's gRPC requests converted to it), and under `etcdctl check
// datascale` (10,000 1 KiB values) its garbage was a third of serve's allocation and most of the
// resident memory the check reports. The decoder once grew its string three characters at a
// time (≈19 KB allocated per 1 KiB value, a rope of short strings); it now fills an array and
// makes one string (≈9.5 KB, the most of it V8's argument list of String.fromCharCode.apply).
// Measured with V8's sampling heap profiler, collected objects included.
import { Session } from 'node:inspector/promises';
import { expect, test } from 'vitest';
import { base64Decode } from '../../../src/api/base64.ts';

const VALUES = 3000;
const VALUE_BYTES = 1024;
/** Between the two: ≈9.5 KB now, ≈19 KB before. */
const BYTES_PER_DECODE_MAX = 14_000;

test('decoding a 1 KiB value allocates a few times the value, not a rope of three-character strings', async () => {
  // Distinct texts: the memo must not answer them (it keeps only short ones anyway).
  const texts = Array.from({ length: VALUES }, (_, i) => Buffer.from(`${i}:`.padEnd(VALUE_BYTES, String.fromCharCode(97 + (i % 26)))).toString('base64'));
  for (const t of texts.slice(0, 100)) base64Decode(t); // warm: optimized code allocates as it will
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    let bytes = 0;
    for (const t of texts.slice(100)) {
      const r = base64Decode(t);
      if (r.ok) bytes += r.bytes.length;
    }
    const { profile } = await session.post('HeapProfiler.stopSampling');
    expect(bytes).toBe((VALUES - 100) * VALUE_BYTES);
    let sampled = 0;
    const walk = (n: typeof profile.head): void => {
      sampled += n.selfSize;
      n.children.forEach(walk);
    };
    walk(profile.head);
    expect(sampled / (VALUES - 100)).toBeLessThan(BYTES_PER_DECODE_MAX);
  } finally {
    session.disconnect();
  }
});
