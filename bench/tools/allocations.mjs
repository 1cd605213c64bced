// Allocation profile of the harness bench scenario (seeds 1 and 2 after a warm-up), every allocation
// sampled, also those already collected: `node bench/tools/allocations.mjs ROOT [TOP]` (ROOT has dist/).
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { Session } from 'node:inspector/promises';
const root = process.argv[2] ?? '.';
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const scenario = defineScenario(BENCH_SCENARIO);
runScenario(scenario, 100);
const s = new Session(); s.connect();
await s.post('HeapProfiler.enable');
await s.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (const seed of [1, 2]) runScenario(scenario, seed);
const { profile } = await s.post('HeapProfiler.stopSampling');
const self = new Map(); let total = 0;
// Built-ins (no url: sort, push, Map, iterators) are charged to their nearest caller with a source file, named after it.
const walk = (n, parent) => { const cf = n.callFrame; const own = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/dist\//, '')}:${cf.lineNumber + 1}`; const key = cf.url === '' && parent !== undefined ? `${parent} <${cf.functionName || '(anon)'}>` : own; const src = cf.url === '' ? parent : own; total += n.selfSize; self.set(key, (self.get(key) ?? 0) + n.selfSize); for (const c of n.children) walk(c, src); };
walk(profile.head, undefined);
console.log('total sampled MB', (total / 1e6).toFixed(0));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40)).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}% ${k}`).join('\n'));
