// Report size and time for a run of 100,000 operations (and 10,000 for scale): the page must stay
// small enough to open at once, so the timeline and latency plot are thinned while every
// fail/info op is kept. Prints the figures; `npm run bench -- report`.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderRunHtml } from '../sim/report/run-page.ts';
import { writeRunReport } from '../sim/report/run-report.ts';
import { syntheticRun } from '../test/fixtures/report/synthetic-run.ts';

async function measure(ops: number, root: string): Promise<void> {
  const run = syntheticRun({ seed: 7, scenario: `bench-${ops}`, clients: 10, ops, keys: ['a', 'b', 'c', 'd', 'e'], thinkUsMax: 20_000 });
  const input = { results: run.results, history: run.history, watches: run.watches };
  const anomalies = run.results.stats.ops.fail + run.results.stats.ops.info;
  const t0 = performance.now();
  const html = await renderRunHtml(input);
  const renderMs = performance.now() - t0;
  const t1 = performance.now();
  const dir = await writeRunReport(root, input);
  const writeMs = performance.now() - t1;
  const size = async (name: string): Promise<string> => `${((await stat(join(dir, name))).size / 1e6).toFixed(2)} MB`;
  console.log(`${ops.toLocaleString('en-US')} ops (${run.history.length.toLocaleString('en-US')} history lines, ${anomalies} fail/info):`);
  console.log(`  index.html ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB, rendered in ${renderMs.toFixed(0)} ms`);
  console.log(`  whole report written in ${writeMs.toFixed(0)} ms: history.jsonl ${await size('history.jsonl')}, history.edn ${await size('history.edn')}`);
  console.log(`  heap used after: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
}

export async function bench(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'detcd-report-bench-'));
  try {
    await measure(10_000, root);
    await measure(100_000, root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
