// Ad hoc: npx tsx test/sim/check/etcd-ground-truth/sweep.mts FROM COUNT
import { checkHistory } from '../../../../sim/check/check-history.ts';
import { generate } from './history.ts';
const from = Number(process.argv[2] ?? 1), count = Number(process.argv[3] ?? 100);
let valid = 0, unknown = 0, invalid = 0, ops = 0;
const t0 = Date.now();
for (let seed = from; seed < from + count; seed++) {
  const size = { processes: 2 + (seed % 4), steps: 20 + (seed % 8) * 15, keys: 2 + (seed % 4) };
  let g; try { g = generate(seed, size); } catch (e) { console.log('seed', seed, 'GENERATE THROW', (e as Error).message); continue; }
  ops += g.history.length;
  let r;
  try { r = checkHistory({ ops: g.history, lines: g.history.map((_, i) => i + 1) }, 'etcd', { maxSteps: 200_000 }, { watches: g.watches, ...(g.initialDump !== undefined ? { initialDump: g.initialDump } : {}) }); }
  catch (e) { console.log('seed', seed, 'THROW', (e as Error).message); invalid++; continue; }
  if (r.valid === true) valid++; else if (r.valid === false) { invalid++; console.log('seed', seed, JSON.stringify(size), r.summary); } else { unknown++; console.log('seed', seed, 'unknown', r.unknownReason); }
}
console.log({ valid, unknown, invalid, ops, ms: Date.now() - t0 });
