// Every shipped scenario for seeds 1..SEEDS, then every planted bug on the run that catches it: one line each with the trace hash, the verdict and every checker summary.
// node bench/tools/determinism-set.mjs ROOT [SEEDS] > a.txt (ROOT has dist/); run it for two builds and diff the outputs: same lines = same behaviour.
import { readdirSync, readFileSync } from 'node:fs';
const root = process.argv[2]; const seeds = Number(process.argv[3] ?? 2);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { parseScenarioText } = await import(`${root}/dist/sim/scenario/parse.js`);
const { PLANTED_BUGS } = await import(`${root}/dist/sim/bugs/planted-bugs.js`);
const sc = new Map();
for (const f of readdirSync(`${root}/scenarios`).filter((f) => f.endsWith('.json')).sort()) sc.set(f.replace('.json', ''), parseScenarioText(readFileSync(`${root}/scenarios/${f}`, 'utf8'), f));
const out = [];
const one = (name, seed, bug) => {
  let line;
  try { const r = runScenario(sc.get(name), seed, bug ? { bug } : {}).results; line = `${name} ${seed} ${bug ?? '-'} ${r.traceHash.slice(0, 16)} ${r.valid} ${Object.entries(r.checkers).map(([k, c]) => `${k}=${c.valid}:${String(c.summary ?? '').slice(0, 80)}`).join(' | ')}`; }
  catch (e) { line = `${name} ${seed} ${bug ?? '-'} THROW ${String(e.message).slice(0, 120)}`; }
  console.log(line);
};
for (const name of sc.keys()) for (let s = 1; s <= seeds; s++) one(name, s, undefined);
for (const b of PLANTED_BUGS) if ('scenario' in b.caughtBy && sc.has(b.caughtBy.scenario)) one(b.caughtBy.scenario, b.caughtBy.seed, b.name);
