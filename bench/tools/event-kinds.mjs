// node bench/tools/event-kinds.mjs ROOT [SEEDS]
// The harness bench runs' events by kind, per client op: which events a change of "events per op"
// came from. Every event the loop runs is counted under a label: a message's arrival by what it
// carries (a raft message by its type, an append with entries apart from an empty one; a client
// message by its kind and, for a request, its gateway path; a reply by its status; a watch
// response by its kind), any other event by its function's name or the first words of its source.
// The counting wraps each scheduled function (the run's behaviour and trace hash do not change:
// they are printed beside the counts). Medians over seeds 1..SEEDS (default 5) of count per op.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';

const [root, seedsS = '5'] = process.argv.slice(2);
if (root === undefined) { console.error('usage: node bench/tools/event-kinds.mjs ROOT [SEEDS]'); process.exit(3); }
const { EventLoop } = await import(`${root}/dist/sim/world/event-loop.js`);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);

let counts = new Map();
const sourceLabel = new Map();
function messageLabel(m) {
  if (m === null || typeof m !== 'object') return `message ${typeof m}`;
  if (typeof m.type === 'string' && m.kind === undefined) {
    if (m.type === 'MsgApp') return `raft MsgApp ${m.entries !== undefined && m.entries.length > 0 ? 'with entries' : 'empty'}`;
    return `raft ${m.type}`;
  }
  if (m.kind === 'request') return `client request ${m.path}`;
  if (m.kind === 'reply') return `client reply ${m.status === 200 ? 'ok' : 'error'}`;
  return `${m.kind ?? 'object'}${m.type !== undefined ? ` ${m.type}` : ''}`;
}
function label(fn, arg) {
  if (arg !== undefined && arg !== null && typeof arg === 'object' && 'message' in arg && 'link' in arg) return `arrive: ${messageLabel(arg.message)}`;
  let l = sourceLabel.get(fn);
  if (l === undefined) {
    const src = String(fn).replace(/\s+/g, ' ');
    l = fn.name !== '' ? `${fn.name}: ${src.slice(0, 70)}` : src.slice(0, 90);
    sourceLabel.set(fn, l);
  }
  return l;
}
const atWith = EventLoop.prototype.atWith;
EventLoop.prototype.atWith = function (timeUs, fn, arg) {
  return atWith.call(this, timeUs, (a) => { const l = label(fn, a); counts.set(l, (counts.get(l) ?? 0) + 1); fn(a); }, arg);
};

const scenario = defineScenario(BENCH_SCENARIO);
const perSeed = [];
const seeds = Array.from({ length: Number(seedsS) }, (_, i) => i + 1);
for (const seed of seeds) {
  counts = new Map();
  const r = runScenario(scenario, seed).results;
  const ops = r.stats.ops.ok + r.stats.ops.fail + r.stats.ops.info;
  let total = 0; for (const c of counts.values()) total += c;
  perSeed.push({ seed, ops, events: r.stats.events, counted: total, hash: r.traceHash, counts });
  console.log(`seed ${seed}: ${ops} ops, ${r.stats.events} events (${(r.stats.events / ops).toFixed(2)} per op; counted ${total}), trace ${r.traceHash.slice(0, 12)}`);
}
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const labels = new Set(); for (const p of perSeed) for (const l of p.counts.keys()) labels.add(l);
const rows = [...labels].map((l) => ({ l, perOp: median(perSeed.map((p) => (p.counts.get(l) ?? 0) / p.ops)) })).sort((a, b) => b.perOp - a.perOp);
console.log(`median events per op ${median(perSeed.map((p) => p.events / p.ops)).toFixed(3)}; by kind (median per op):`);
for (const { l, perOp } of rows) if (perOp >= 0.001) console.log(`${perOp.toFixed(3).padStart(7)}  ${l}`);
