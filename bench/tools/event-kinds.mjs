// node bench/tools/event-kinds.mjs ROOT [SEEDS] [--time]
// The harness bench runs' events by kind, per client op: which events a change of "events per op"
// came from. Every event the loop runs is counted under a label: a message's arrival by what it
// carries (a raft message by its type, an append with entries apart from an empty one; a client
// message by its kind and, for a request, its gateway path; a reply by its status; a watch
// response by its kind), any other event by its function's name or the first words of its source.
// Then the members' raft Readies: per Ready (leader's and followers' apart), the entries it
// appends (on a leader: the proposals it batched), the entries it commits, and its messages by
// type (how many MsgApps to one follower, how many MsgAppResps one follower Ready carries); and
// the entries per MsgApp that arrived. `--time`: each kind's share of the loop's time (wall time
// of its events, performance.now() around each: on a loaded machine a preemption lands on
// whichever event runs, so compare shares, not µs), and the loop's share of the whole run.
// The counting wraps each scheduled function and Member's afterPersist (the run's behaviour and
// trace hash do not change: they are printed beside the counts). Medians over seeds 1..SEEDS
// (default 5) of count per op.
import { performance } from 'node:perf_hooks';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';

const args = process.argv.slice(2);
const timed = args.includes('--time');
const [root, seedsS = '5'] = args.filter((a) => a !== '--time');
if (root === undefined || !/^[1-9][0-9]*$/.test(seedsS)) { console.error('usage: node bench/tools/event-kinds.mjs ROOT [SEEDS] [--time]'); process.exit(3); }
const { EventLoop } = await import(`${root}/dist/sim/world/event-loop.js`);
const { Member } = await import(`${root}/dist/src/server/member.js`);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);

let counts = new Map();
let times = new Map();
let readies = new Map();
const sourceLabel = new Map();
function messageLabel(m) {
  if (m === null || typeof m !== 'object') return `message ${typeof m}`;
  if (typeof m.type === 'string' && m.kind === undefined) {
    if (m.type === 'MsgApp') {
      const n = m.entries !== undefined ? m.entries.length : 0;
      add(counts, 'entries carried by MsgApps (not an event)', n);
      return `raft MsgApp ${n > 0 ? 'with entries' : 'empty'}`;
    }
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
function add(map, key, n = 1) { map.set(key, (map.get(key) ?? 0) + n); }
const atWith = EventLoop.prototype.atWith;
EventLoop.prototype.atWith = function (timeUs, fn, arg) {
  return atWith.call(this, timeUs, (a) => {
    const l = label(fn, a);
    add(counts, l);
    if (!timed) return fn(a);
    const t0 = performance.now();
    try { fn(a); } finally { add(times, l, performance.now() - t0); }
  }, arg);
};
const afterPersist = Member.prototype.afterPersist;
Member.prototype.afterPersist = function (rd) {
  const role = this.isLeader ? 'leader' : 'follower';
  add(readies, `${role} Readies`);
  add(readies, `${role} entries appended`, rd.entries.length);
  if (rd.entries.length > 0) add(readies, `${role} Readies appending entries`);
  add(readies, `${role} entries committed`, rd.committedEntries.length);
  const perPeer = new Map();
  for (const m of rd.messages) {
    add(readies, `${role} sends ${m.type}${m.type === 'MsgApp' ? (m.entries.length > 0 ? ' with entries' : ' empty') : ''}`);
    if (m.type === 'MsgApp' || m.type === 'MsgAppResp') add(perPeer, `${m.type} ${m.to}`);
  }
  for (const [k, n] of perPeer) if (n > 1) add(readies, `${role} ${k.split(' ')[0]}s beyond the first to one peer in one Ready`, n - 1);
  return afterPersist.call(this, rd);
};

const scenario = defineScenario(BENCH_SCENARIO);
const perSeed = [];
const seeds = Array.from({ length: Number(seedsS) }, (_, i) => i + 1);
for (const seed of seeds) {
  counts = new Map(); times = new Map(); readies = new Map();
  const t0 = performance.now();
  const r = runScenario(scenario, seed).results;
  const wall = performance.now() - t0;
  const ops = r.stats.ops.ok + r.stats.ops.fail + r.stats.ops.info;
  let total = 0; for (const [l, c] of counts) if (!l.startsWith('entries')) total += c;
  let loop = 0; for (const t of times.values()) loop += t;
  perSeed.push({ seed, ops, events: r.stats.events, counted: total, hash: r.traceHash, counts, times, loop, wall, readies });
  console.log(`seed ${seed}: ${ops} ops, ${r.stats.events} events (${(r.stats.events / ops).toFixed(2)} per op; counted ${total}), trace ${r.traceHash.slice(0, 12)}${timed ? `; loop ${(100 * loop / wall).toFixed(1)} % of the run's ${wall.toFixed(0)} ms` : ''}`);
}
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const labels = new Set(); for (const p of perSeed) for (const l of p.counts.keys()) labels.add(l);
const rows = [...labels].map((l) => ({
  l,
  perOp: median(perSeed.map((p) => (p.counts.get(l) ?? 0) / p.ops)),
  share: median(perSeed.map((p) => (p.times.get(l) ?? 0) / p.loop)),
  usEach: median(perSeed.map((p) => 1000 * (p.times.get(l) ?? 0) / (p.counts.get(l) ?? 1))),
})).sort((a, b) => b.perOp - a.perOp);
console.log(`median events per op ${median(perSeed.map((p) => p.events / p.ops)).toFixed(3)}; by kind (median per op${timed ? '; median share of the loop\'s time, µs per event' : ''}):`);
for (const { l, perOp, share, usEach } of rows) if (perOp >= 0.001) console.log(`${perOp.toFixed(3).padStart(7)}  ${timed && !l.startsWith('entries') ? `${(100 * share).toFixed(1).padStart(5)} % ${usEach.toFixed(1).padStart(6)} µs  ` : ''}${l}`);
const rKeys = new Set(); for (const p of perSeed) for (const k of p.readies.keys()) rKeys.add(k);
console.log('Readies (median per op; per Ready of that role in brackets):');
for (const k of [...rKeys].sort()) {
  const role = k.split(' ')[0];
  const perOp = median(perSeed.map((p) => (p.readies.get(k) ?? 0) / p.ops));
  const perReady = median(perSeed.map((p) => (p.readies.get(k) ?? 0) / (p.readies.get(`${role} Readies`) ?? 1)));
  console.log(`${perOp.toFixed(3).padStart(7)}  (${perReady.toFixed(3)})  ${k}`);
}
const ea = median(perSeed.map((p) => (p.counts.get('entries carried by MsgApps (not an event)') ?? 0) / (p.counts.get('arrive: raft MsgApp with entries') ?? 1)));
console.log(`entries per MsgApp with entries (median): ${ea.toFixed(3)}`);
