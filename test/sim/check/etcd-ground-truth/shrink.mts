// Ad hoc: npx tsx test/sim/check/etcd-ground-truth/shrink.mts SEED [watch|lease] — shrinks a false alarm's steps (of the
// etcd checker, or with `watch` of the watch checker, with `lease` of the lease checker), prints the history.
import { checkHistory } from '../../../../sim/check/check-history.ts';
import { checkWatch } from '../../../../sim/check/watch.ts';
import { generate, replaySteps, type Step } from './history.ts';
import { sizeOf } from './sizes.ts';
import { checkLease } from '../../../../sim/check/lease.ts';
import { leaseOptions } from './lease-options.ts';
const seed = Number(process.argv[2]);
const size = sizeOf(seed);
const g = generate(seed, size);
const verdict = (steps: Step[], shapes: number[]) => {
  const h = replaySteps(steps, shapes, g.cluster);
  if (process.argv[3] === 'lease') return checkLease(h.history, leaseOptions(h));
  if (process.argv[3] === 'watch') return checkWatch(h.watches, h.history, { autoCompaction: h.autoCompaction });
  try { return checkHistory({ ops: h.history, lines: h.history.map((_, i) => i + 1) }, 'etcd', { maxSteps: 200_000 }, { watches: h.watches, autoCompaction: h.autoCompaction, ...(h.initialDump !== undefined ? { initialDump: h.initialDump } : {}) }); } catch { return undefined; }
};
let steps = g.steps, shapes = g.shapes;
const first = verdict(steps, shapes);
const threw = first === undefined;
console.log('before:', first?.summary ?? 'threw');
const fails = (st: Step[], sh: number[]) => { const r = verdict(st, sh); return threw ? r === undefined : r !== undefined && r.valid === false; };
for (let i = shapes.length - 1; i >= 0; i--) { const s2 = shapes.filter((_, j) => j !== i); if (fails(steps, s2)) shapes = s2; }
for (let chunk = 16; chunk >= 1; chunk = Math.floor(chunk / 2)) {
  for (let i = steps.length - chunk; i >= 0; i -= 1) {
    const s2 = [...steps.slice(0, i), ...steps.slice(i + chunk)];
    if (fails(s2, shapes)) { steps = s2; i = Math.min(i, steps.length - chunk + 1); }
  }
}
const h = replaySteps(steps, shapes, g.cluster);
console.log('after:', verdict(steps, shapes)?.summary ?? 'threw');
console.log('shapes', JSON.stringify(shapes), 'cluster', JSON.stringify(g.cluster));
const dec = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (typeof x === 'string' && ['key', 'value', 'range_end'].includes(k) ? `b64:${atob(x)}` : x))) as unknown;
for (const o of h.history) console.log(o.index, o.time, o.process, o.type, o.f, JSON.stringify(dec(o.value)), o.error ?? '');
for (const w of h.watches) console.log('W', w.time, w.process, JSON.stringify(dec(w.response)), w.request ? JSON.stringify(dec(w.request)) : '');
console.log('LEADERS', JSON.stringify(h.leaders));
console.log('STEPS', JSON.stringify(steps));
