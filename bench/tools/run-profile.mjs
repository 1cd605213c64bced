// node bench/tools/run-profile.mjs ROOT [ROUNDS] [TOP] [--focus REGEX]   |   node bench/tools/run-profile.mjs --read FILE [TOP] [--focus REGEX]
// A warm CPU profile of whole harness bench runs (simulation and checkers; inspector, 100 µs sampling): four warm-up runs,
// then seeds 1–5 ROUNDS times (default 2). Prints the self share by area (src/raft, sim/world, ..., GC; a built-in is
// charged to its nearest caller with a file), the TOP (default 40) functions by self and by inclusive share, and with
// --focus REGEX (matched against "name file:line") the inclusive shares inside the outermost calls of the matching
// functions and the callers those calls came from: where a subtree's time goes before changing it. The profile is
// written to /tmp/run-profile.cpuprofile; --read FILE analyses a profile written before (ROOT is then not loaded).
// Under load V8's parallel scavenges wait for helper threads: the GC share is then above GC's share of the CPU.
// --lines N: for the N functions of most self time, their hottest source lines (the profile's line ticks, with the
// line's text from the build the profile ran): where inside a flat function the time goes. 2026-12-07: the hottest
// lines outside the loop were lookups in large Maps (BoundedMemo.get's `done.get`, AppliedRequestIds' `seq.get`),
// cache misses rather than instructions: a change that only cuts instructions there does not show in a run.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const focus = option('--focus');
const linesOption = option('--lines');
const read = option('--read');
const [root, roundsS = '2', topS = '40'] = read === undefined ? args : [undefined, '0', args[0] ?? '40'];
const usage = 'usage: node bench/tools/run-profile.mjs ROOT [ROUNDS] [TOP] [--focus REGEX] [--lines N] | --read FILE [TOP] [--focus REGEX] [--lines N]';
if (root === undefined && read === undefined) { console.error(usage); process.exit(3); }
if (linesOption !== undefined && !/^[1-9][0-9]*$/.test(linesOption)) { console.error(`run-profile: --lines: a count of functions (1 or more), got ${JSON.stringify(linesOption)}`); process.exit(3); }
const top = Number(topS);

async function record() {
  const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
  const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
  const scenario = defineScenario(BENCH_SCENARIO);
  for (let i = 0; i < 4; i++) runScenario(scenario, 100 + i);
  const s = new Session(); s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 100 });
  await s.post('Profiler.start');
  for (let r = 0; r < Number(roundsS); r++) for (const seed of [1, 2, 3, 4, 5]) runScenario(scenario, seed);
  const { profile } = await s.post('Profiler.stop');
  writeFileSync('/tmp/run-profile.cpuprofile', JSON.stringify(profile));
  return profile;
}

const profile = read !== undefined ? JSON.parse(readFileSync(read, 'utf8')) : await record();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfCount = new Map(); for (const id of profile.samples) selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
const total = profile.samples.length;
const file = (n) => n.callFrame.url.replace(/.*\/dist\//, '');
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${file(n)}:${n.callFrame.lineNumber + 1}`;
const pct = (v) => `${(100 * v / total).toFixed(1).padStart(5)}%`;
const print = (title, m) => { console.log(title); console.log([...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${pct(v)}  ${k}`).join('\n')); };
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);

/** Self and inclusive samples by function under `start` (recursion counted once), and the samples under it. */
function shares(start) {
  const self = new Map(); const incl = new Map();
  const walk = (n, stack) => {
    const k = name(n); const c = selfCount.get(n.id) ?? 0; add(self, k, c);
    const fresh = !stack.has(k); if (fresh) stack.add(k);
    let sub = c; for (const ch of n.children ?? []) sub += walk(byId.get(ch), stack);
    if (fresh) { stack.delete(k); add(incl, k, sub); }
    return sub;
  };
  return { self, incl, samples: walk(start, new Set()) };
}

const rootNode = byId.get(profile.nodes[0].id);
const areas = new Map();
const byArea = (n, parentArea) => {
  const m = /^(src|sim)\/([^/.]+)/.exec(file(n));
  const area = n.callFrame.functionName === '(garbage collector)' ? 'GC' : m !== null ? `${m[1]}/${m[2]}` : file(n) === '' ? parentArea : 'other';
  add(areas, area ?? 'other', selfCount.get(n.id) ?? 0);
  for (const ch of n.children ?? []) byArea(byId.get(ch), area);
};
byArea(rootNode, undefined);
const all = shares(rootNode);
console.log(`samples ${total} (100 µs each)`);
print('SELF BY AREA', areas);
print('SELF', all.self);
print('INCLUSIVE', all.incl);

if (focus !== undefined) {
  const re = new RegExp(focus);
  const inside = { self: new Map(), incl: new Map(), samples: 0 };
  const callers = new Map();
  const find = (n, chain) => {
    if (re.test(name(n))) {
      const s = shares(n); inside.samples += s.samples;
      for (const [k, v] of s.self) add(inside.self, k, v);
      for (const [k, v] of s.incl) add(inside.incl, k, v);
      add(callers, chain.slice(-2).reverse().join(' <- ') || '(root)', s.samples);
      return;
    }
    chain.push(name(n)); for (const ch of n.children ?? []) find(byId.get(ch), chain); chain.pop();
  };
  find(rootNode, []);
  console.log(`FOCUS ${focus}: ${pct(inside.samples).trim()} of the samples`);
  print('FOCUS CALLERS', callers);
  print('FOCUS INCLUSIVE', inside.incl);
  print('FOCUS SELF', inside.self);
}

if (linesOption !== undefined) {
  // Line ticks summed over every node of a function (one function has a node per call path).
  const byFunction = new Map();
  for (const n of profile.nodes) {
    if (n.callFrame.url === '') continue;
    const k = name(n);
    const f = byFunction.get(k) ?? { url: n.callFrame.url, self: 0, lines: new Map() };
    f.self += selfCount.get(n.id) ?? 0;
    for (const t of n.positionTicks ?? []) add(f.lines, t.line, t.ticks);
    byFunction.set(k, f);
  }
  const sources = new Map();
  const sourceLine = (url, line) => {
    if (!sources.has(url)) {
      let text;
      try { text = readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8').split('\n'); } catch { text = undefined; }
      sources.set(url, text);
    }
    return (sources.get(url)?.[line - 1] ?? '(source not found)').trim().slice(0, 110);
  };
  console.log('HOTTEST LINES (self share of the run; the line as the build has it)');
  for (const [k, f] of [...byFunction].sort((a, b) => b[1].self - a[1].self).slice(0, Number(linesOption))) {
    console.log(`${pct(f.self)}  ${k}`);
    for (const [line, ticks] of [...f.lines].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`   ${pct(ticks)}  L${line}: ${sourceLine(f.url, line)}`);
  }
}
