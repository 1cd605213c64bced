// node bench/tools/checker-profile.mjs ROOT [ROUNDS] [TOP]: a CPU profile (inspector, 100 µs sampling) of the history checkers
// (linearizability with the watch events, watch, lease) on the 5 harness bench runs, warmed once, then ROUNDS rounds; prints
// the TOP functions by self and by inclusive share of the samples, and writes the profile to /tmp/checker-profile.cpuprofile.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const root = process.argv[2]; const rounds = Number(process.argv[3] ?? 3); const top = Number(process.argv[4] ?? 40);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const { historyCheckers } = await import(`${root}/dist/sim/run/history-checkers.js`);
const scenario = defineScenario(BENCH_SCENARIO);
const outs = [1, 2, 3, 4, 5].map((seed) => runScenario(scenario, seed));
const all = new Set(['linearizable', 'watch', 'lease']);
for (const o of outs) historyCheckers(all, o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
const s = new Session(); s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.setSamplingInterval', { interval: 100 });
await s.post('Profiler.start');
for (let r = 0; r < rounds; r++) for (const o of outs) historyCheckers(all, o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
const { profile } = await s.post('Profiler.stop');
writeFileSync('/tmp/checker-profile.cpuprofile', JSON.stringify(profile));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfCount = new Map(); for (const id of profile.samples) selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
const total = profile.samples.length;
const self = new Map(); const incl = new Map();
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`;
const walk = (n, stack) => { const k = name(n); const c = selfCount.get(n.id) ?? 0; self.set(k, (self.get(k) ?? 0) + c); const fresh = !stack.has(k); if (fresh) stack.add(k); let sub = c; for (const ch of n.children ?? []) sub += walk(byId.get(ch), stack); if (fresh) { stack.delete(k); incl.set(k, (incl.get(k) ?? 0) + sub); } return sub; };
walk(byId.get(profile.nodes[0].id), new Set());
console.log(`samples ${total}`);
console.log('SELF'); console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n'));
console.log('INCL'); console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n'));
