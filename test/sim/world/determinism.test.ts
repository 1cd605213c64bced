import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runBusyWorld } from '../../fixtures/busy-world.ts';
import type { BusyWorldOptions } from '../../fixtures/busy-world.ts';

const SEED = 20_261_123;
const OPTIONS: BusyWorldOptions = { seed: SEED, durationUs: 3_000_000, buggify: true };

function runInWorker(options: BusyWorldOptions): Promise<{ traceHash: string; events: number }> {
  return new Promise((resolve, reject) => {
    // Node 20 does not apply `--import tsx` to a worker's entry file, so a small JavaScript shim
    // registers tsx's loader inside the worker and then imports the TypeScript entry.
    const entry = new URL('./busy-world-worker.ts', import.meta.url).href;
    const shim = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(shim, { eval: true, workerData: options });
    worker.once('message', (m: { traceHash: string; events: number }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before answering`)));
  });
}

describe('determinism of the world', () => {
  it(`gives the same trace hash for the same seed, with every fault kind happening (seed ${SEED})`, () => {
    const a = runBusyWorld(OPTIONS);
    const b = runBusyWorld({ ...OPTIONS, traceLog: 1_000 }); // the log must not change the hash
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.stats).toEqual(a.stats);
    // The run is busy and every fault kind actually happened, so the hash covers them.
    const s = a.stats;
    expect(s.events).toBeGreaterThan(10_000);
    expect(s.network.droppedRandom).toBeGreaterThan(0);
    expect(s.network.droppedCut).toBeGreaterThan(0);
    expect(s.network.duplicated).toBeGreaterThan(0);
    expect(s.network.reordered).toBeGreaterThan(0);
    expect(s.network.clogHeld).toBeGreaterThan(0);
    expect(s.crashes).toBeGreaterThan(0);
    expect(s.restarts).toBeGreaterThan(0);
    expect(s.pauses).toBeGreaterThan(0);
    expect(s.clockChanges).toBeGreaterThan(0);
    expect(s.disk.fsyncs).toBeGreaterThan(0);
    expect(s.disk.opsLost).toBeGreaterThan(0);
    expect(s.disk.tornRecords).toBeGreaterThan(0);
    expect(s.disk.fsyncSpikes).toBeGreaterThan(0);
    expect(a.recovered).toBeGreaterThan(0);
  });

  it(`gives the same trace hash in a worker thread as in the main thread (seed ${SEED})`, async () => {
    const inWorker = await runInWorker(OPTIONS);
    const here = runBusyWorld(OPTIONS);
    expect(inWorker.traceHash).toBe(here.traceHash);
    expect(inWorker.events).toBe(here.stats.events);
  });

  it('gives different trace hashes for different seeds', () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) hashes.add(runBusyWorld({ ...OPTIONS, seed, durationUs: 500_000 }).traceHash);
    expect(hashes.size).toBe(8);
  });

  it('gives a different hash when one event differs (buggify on vs off)', () => {
    const seedWithFiringSite = [1, 2, 3, 4, 5, 6, 7, 8].find(
      (seed) => runBusyWorld({ ...OPTIONS, seed, durationUs: 500_000 }).stats.buggifyFired > 0,
    );
    expect(seedWithFiringSite).toBeDefined();
    const on = runBusyWorld({ ...OPTIONS, seed: seedWithFiringSite!, durationUs: 500_000 });
    const off = runBusyWorld({ ...OPTIONS, seed: seedWithFiringSite!, durationUs: 500_000, buggify: false });
    expect(off.stats.buggifyFired).toBe(0);
    expect(off.traceHash).not.toBe(on.traceHash);
  });
});
