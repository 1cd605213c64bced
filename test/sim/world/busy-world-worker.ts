// Runs one busy world inside a worker thread and posts its trace hash back, to prove that a
// run's fingerprint does not depend on the thread it runs in.
import { parentPort, workerData } from 'node:worker_threads';
import { runBusyWorld } from '../../fixtures/busy-world.ts';
import type { BusyWorldOptions } from '../../fixtures/busy-world.ts';

const result = runBusyWorld(workerData as BusyWorldOptions);
parentPort?.postMessage({ traceHash: result.traceHash, events: result.stats.events });
