// node bench/tools/checker-allocations.mjs ROOT [TOP]: the bytes the history checkers (linearizability with the watch events, watch, lease) allocate on the 5 harness bench runs, sampled every 8 KB by the HeapProfiler, objects already collected included; by allocating function. Run it for two builds and compare the totals.
import { Session } from 'node:inspector/promises';
const root = process.argv[2]; const top = Number(process.argv[3] ?? 30);
const sc = { name: 'bench-etcd-50-clients', cluster: { members: 3 }, clients: { count: 50, requestTimeoutMs: 1000 },
  workload: { kind: 'etcd', rateOpsPerSecond: 1000, durationMs: 5000, keys: 10, compactionIntervalMs: 500 },
  nemesis: { packages: ['partition-leader', 'kill-follower', 'pause', 'clock'], faultDurationMs: { min: 300, max: 800 } } };
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const { historyCheckers } = await import(`${root}/dist/sim/run/history-checkers.js`);
const scenario = defineScenario(sc);
const outs = [1, 2, 3, 4, 5].map((seed) => runScenario(scenario, seed));
const all = new Set(['linearizable', 'watch', 'lease']);
for (const o of outs.slice(0, 2)) historyCheckers(all, o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
const s = new Session(); s.connect();
await s.post('HeapProfiler.enable');
await s.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (const o of outs) historyCheckers(all, o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
const { profile } = await s.post('HeapProfiler.stopSampling');
const self = new Map(); let total = 0;
const walk = (n, parent) => { const cf = n.callFrame; const own = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/dist\//, '')}:${cf.lineNumber + 1}`; const key = cf.url === '' && parent !== undefined ? `${parent} <${cf.functionName || '(anon)'}>` : own; const src = cf.url === '' ? parent : own; total += n.selfSize; self.set(key, (self.get(key) ?? 0) + n.selfSize); for (const c of n.children) walk(c, src); };
walk(profile.head, undefined);
console.log(`total ${(total / 1e6).toFixed(1)} MB`);
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(v / 1e6).toFixed(1).padStart(7)} MB ${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n'));
