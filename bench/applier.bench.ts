// The state machine alone: applied puts, txns and ranges per wall second on one applier, with
// 10 synced watchers on the key space and a compaction every 1000 revisions, plus snapshot and
// restore time for the resulting store.
import { Applier } from '../src/server/apply/applier.ts';

const OPS = 200_000;
const KEYS = 1_000;

export async function bench(): Promise<void> {
  const a = new Applier();
  const streams = Array.from({ length: 10 }, () => a.openWatchStream());
  for (const s of streams) s.create({ key: '\0', range_end: '\0' });
  let events = 0;
  const t0 = performance.now();
  for (let i = 1; i <= OPS; i++) {
    const key = `k${i % KEYS}`;
    if (i % 10 === 0) {
      a.range({ key: 'k1', range_end: 'k2', limit: 10 });
      a.applyNoop(i);
    } else if (i % 10 === 1) {
      a.apply(i, { id: String(i), body: { kind: 'txn', request: {
        compare: [{ key, target: 'VERSION', result: 'GREATER', version: 0 }],
        success: [{ request_put: { key, value: `v${i}` } }, { request_range: { key } }],
        failure: [{ request_put: { key, value: 'first' } }],
      } } }, 0);
    } else {
      a.apply(i, { id: String(i), body: { kind: 'put', request: { key, value: `v${i}` } } }, 0);
    }
    if (i % 1000 === 0) a.store.compact(a.store.currentRev - 100);
    if (i % 100 === 0) for (const s of streams) events += s.take().length;
  }
  const applyS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const snap = JSON.stringify(a.snapshot());
  const b = new Applier();
  b.restore(JSON.parse(snap) as ReturnType<Applier['snapshot']>);
  const snapMs = performance.now() - t1;
  console.log(`applier: ${OPS} ops (80% put, 10% txn, 10% range) with 10 watchers in ${applyS.toFixed(2)} s: ${Math.round(OPS / applyS)} ops/s, ${events} watch responses`);
  console.log(`  snapshot + restore of ${KEYS} keys at revision ${a.store.currentRev} (${(snap.length / 1024).toFixed(0)} KiB): ${snapMs.toFixed(1)} ms; hashes equal: ${a.hash().hash === b.hash().hash}`);
  await Promise.resolve();
}
