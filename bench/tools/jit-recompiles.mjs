// node bench/tools/jit-recompiles.mjs ROOT [RUNS] [TOP]
// Where a cold sweep worker's TurboFan time goes: RUNS (default 100) runs of the sweep's bench scenario in a fresh
// node with a sweep worker process's flags (lane-policy.ts) and --trace-opt --trace-deopt, then a summary of the
// trace: compilations, the time of each function's first compilation and of its re-compilations after a
// deoptimization, and the TOP (default 30) functions by re-compilation time with the reasons V8 gave for throwing
// their code away ("wrong map": an object of another shape reached optimized code; "Insufficient type feedback":
// a path the function had not taken before). Every worker isolate pays the re-compilations again, so a function
// that keeps meeting objects of several shapes costs each extra sweep worker its compile time more than once.
// The times are V8's own (wall ms of each compile job, on a background thread): on a loaded machine they are
// inflated alike, so read them as shares. Then the compile time by whose functions they are (the checkers' or the
// rest's, by name in ROOT's dist/) and the largest single compile times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [root, runsS = '100', topS = '30'] = process.argv.slice(2);
if (root === undefined) { console.error('usage: node bench/tools/jit-recompiles.mjs ROOT [RUNS] [TOP] (ROOT has dist/)'); process.exit(3); }
const { childFlags, nodeAccepts } = await import(`${root}/dist/sim/cli/harness/lane-policy.js`);
const flags = childFlags([], nodeAccepts);
const tool = fileURLToPath(new URL('./warmup-cost.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jit-'));
const traceFile = join(dir, 'trace.txt');
// The trace goes to a file: it is tens of MB, and a pipe's buffer would stall the child.
const child = spawnSync('sh', ['-c', `"$0" "$@" > ${JSON.stringify(traceFile)}`, process.execPath, ...flags, '--trace-opt', '--trace-deopt', tool, root, runsS, '1'], { stdio: ['ignore', 'inherit', 'inherit'] });
if (child.status !== 0) { console.error(`the traced runs failed (exit ${child.status})`); process.exit(4); }
const lines = readFileSync(traceFile, 'utf8').split('\n');
rmSync(dir, { recursive: true, force: true });

const fns = new Map();
const fn = (name, sfi) => { const k = `${name}@${sfi}`; if (!fns.has(k)) fns.set(k, { name, compiles: 0, firstMs: 0, againMs: 0, reasons: new Set() }); return fns.get(k); };
for (const line of lines) {
  const done = /completed compiling 0x\w+ <JSFunction (.*?) \(sfi = (\w+)\)>.*took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
  if (done) {
    const f = fn(done[1], done[2]);
    const ms = Number(done[3]) + Number(done[4]) + Number(done[5]);
    if (f.compiles === 0) f.firstMs = ms; else f.againMs += ms;
    f.compiles++;
    continue;
  }
  const deopt = /bailout \(kind: [^,]+, reason: ([^)]*)\): begin\. deoptimizing 0x\w+ <JSFunction (.*?) \(sfi = (\w+)\)/.exec(line);
  if (deopt) fn(deopt[2], deopt[3]).reasons.add(deopt[1]);
  const dependent = /marking dependent code 0x\w+ <Code TURBOFAN> \(0x\w+ <SharedFunctionInfo (.*?)>\).*reason: (.*)\]/.exec(line);
  if (dependent) for (const f of fns.values()) if (f.name === dependent[1]) f.reasons.add(`${dependent[2]} (lazy)`);
}
const all = [...fns.values()];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const firstMs = sum(all.map((f) => f.firstMs)), againMs = sum(all.map((f) => f.againMs));
console.log(`${runsS} runs of the sweep's bench scenario, node ${flags.join(' ')}`);
console.log(`TurboFan compilations: ${sum(all.map((f) => f.compiles))} of ${all.length} functions; first compilations ${firstMs.toFixed(0)} ms, re-compilations ${againMs.toFixed(0)} ms (${((100 * againMs) / (firstMs + againMs)).toFixed(0)} % of compile time) in ${all.filter((f) => f.compiles > 1).length} functions`);
for (const f of all.filter((x) => x.againMs > 0).sort((a, b) => b.againMs - a.againMs).slice(0, Number(topS))) {
  console.log(`  ${f.name.padEnd(32)} ${String(f.compiles).padStart(2)} compilations, first ${f.firstMs.toFixed(0).padStart(4)} ms, again ${f.againMs.toFixed(0).padStart(4)} ms  ${[...f.reasons].join('; ')}`);
}
// Whose code the compile time goes to: each function name matched to the files of ROOT's dist/ that define it (a
// function declaration, a method, a class or an arrow bound to a name): the checkers' (sim/check, src/check), the
// rest of detcd's, names both define (counted apart: `step`, `run`, `check` …), and names dist/ does not define (node's).
const definedIn = (dir, out = new Map(), rel = '') => {
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = join(rel, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') definedIn(dir, out, r); continue; }
    if (!e.name.endsWith('.js') || e.name.includes('bundle')) continue;
    const area = /^(sim|src)\/check\//.test(r) ? 'checkers' : 'rest';
    const text = readFileSync(join(dir, r), 'utf8');
    for (const m of text.matchAll(/(?:function\*?\s+|class\s+|^\s+(?:static\s+|get\s+|set\s+|async\s+)*)([A-Za-z_$][\w$]*)\s*[(<{]|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/gm)) {
      const name = m[1] ?? m[2];
      if (!out.has(name)) out.set(name, new Set());
      out.get(name).add(area);
    }
  }
  return out;
};
const areas = definedIn(join(root, 'dist'));
const byArea = new Map();
for (const f of all) {
  const a = areas.get(f.name);
  const area = a === undefined ? "node's (not in dist/)" : a.size === 2 ? 'both (a name in each)' : a.has('checkers') ? 'checkers (sim/check, src/check)' : 'the rest of detcd';
  byArea.set(area, (byArea.get(area) ?? 0) + f.firstMs + f.againMs);
}
console.log(`compile time by whose function (by name): ${[...byArea].sort((x, y) => y[1] - x[1]).map(([a, ms]) => `${a} ${((100 * ms) / (firstMs + againMs)).toFixed(0)} %`).join(', ')}`);
console.log(`largest compile times (first + again):`);
for (const f of [...all].sort((a, b) => b.firstMs + b.againMs - (a.firstMs + a.againMs)).slice(0, Math.min(15, Number(topS)))) {
  const a = areas.get(f.name);
  console.log(`  ${f.name.padEnd(32)} ${(f.firstMs + f.againMs).toFixed(0).padStart(5)} ms (${((100 * (f.firstMs + f.againMs)) / (firstMs + againMs)).toFixed(1)} %) ${a === undefined ? 'node' : [...a].join('+')}`);
}
// Keep the raw trace when asked (JIT_TRACE_KEEP=FILE): for reading one function's story.
if (process.env.JIT_TRACE_KEEP) writeFileSync(process.env.JIT_TRACE_KEEP, lines.join('\n'));
