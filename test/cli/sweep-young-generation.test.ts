// The young generation of the sweep's workers (young-generation.ts): worker processes start with
// SEMI_SPACE_MB semi-spaces on node's command line, worker threads get it through resourceLimits
// (v8.setFlagsFromString would not resize a running isolate), and a size the user gave node wins.
// The proof is the new space a worker reaches (v8.getHeapSpaceStatistics), not what it was told.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childFlags } from '../../sim/cli/harness/lane-policy.ts';
import { WorkerPool } from '../../sim/cli/harness/worker-pool.ts';
import { SEMI_SPACE_FLAG, SEMI_SPACE_MB, semiSpaceGiven } from '../../sim/cli/harness/young-generation.ts';
import { scratchDir } from '../scratch-dir.ts';

// Allocates batches that survive a few scavenges (so V8 grows the new space to its maximum) and
// answers the largest new space it saw, in MB (both semi-spaces).
const GROW = `
import { parentPort } from 'node:worker_threads';
import { getHeapSpaceStatistics } from 'node:v8';
const newSpaceMb = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
const grow = () => {
  let keep = [];
  let most = 0;
  for (let i = 0; i < 4e6; i++) {
    keep.push({ a: i, b: [i] });
    if (keep.length > 500000) keep = [];
    if (i % 20000 === 0) most = Math.max(most, newSpaceMb());
  }
  return most;
};
if (parentPort !== null) parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, result: grow() }));
else process.on('message', (m) => process.send({ id: m.id, result: grow() }));
`;

async function largestNewSpace(pool: WorkerPool<null, number>): Promise<number> {
  try {
    return (await pool.run(null)).result;
  } finally {
    await pool.close();
  }
}

describe("the sweep workers' young generation", () => {
  it(`is ${SEMI_SPACE_MB} MB semi-spaces in a worker thread as in a worker process (node's default is 16): the new space of each grows to twice that`, async () => {
    const file = join(scratchDir('detcd-young-'), 'grow.mjs');
    writeFileSync(file, GROW);
    expect(await largestNewSpace(new WorkerPool<null, number>(file, 1, { kind: 'thread' }))).toBe(2 * SEMI_SPACE_MB);
    const flags = childFlags([], () => true);
    expect(flags).toContain(`${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`);
    expect(await largestNewSpace(new WorkerPool<null, number>(file, 1, { kind: 'process', execArgv: flags }))).toBe(2 * SEMI_SPACE_MB);
  }, 180_000);

  it("is the user's when node was given a size, on its command line or in NODE_OPTIONS", () => {
    expect(semiSpaceGiven(['--max-semi-space-size=8'], undefined)).toBe(true);
    expect(semiSpaceGiven(['--max-old-space-size=4096'], '--max-semi-space-size=2 --enable-source-maps')).toBe(true);
    expect(semiSpaceGiven(['--max-old-space-size=4096', '--max-semi-space-size-x'], '--max-old-space-size=64')).toBe(false);
    expect(semiSpaceGiven([], undefined)).toBe(false);
  });
});
