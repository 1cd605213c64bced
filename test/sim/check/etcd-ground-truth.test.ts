// The etcd linearizability checker never calls a linearizable history "not linearizable": random
// ground-truth histories (etcd-ground-truth/history.ts: random requests applied by the real
// state machine in a random linearization, with timeouts, ambiguous errors, a lagging follower
// serving serializable reads, watch streams, lease expiry and stores that already held data) are
// all valid or unknown, and the unknowns are few. Each history has a must-fail twin where that
// is certain (an answer showing a value nobody wrote), so the test cannot pass by the
// checker calling everything valid.
//
// More histories: ETCD_GROUND_TRUTH_HISTORIES=20000 npx vitest run test/sim/check/etcd-ground-truth.test.ts
// (ETCD_GROUND_TRUTH_FROM=N starts at another seed). A failure names its seed; shrink it with
// npx tsx test/sim/check/etcd-ground-truth/shrink.mts SEED.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import type { Op } from '../../../sim/history/op.ts';
import { generate, type Generated, type GenerateOptions } from './etcd-ground-truth/history.ts';

const HISTORIES = Number(process.env['ETCD_GROUND_TRUTH_HISTORIES'] ?? 400);
const FROM = Number(process.env['ETCD_GROUND_TRUTH_FROM'] ?? 1);
/** The search's step bound per history, as a simulated run's smallest (sim/run/history-checkers.ts). */
const MAX_STEPS = 200_000;

/** Sizes cycle with the seed: small histories shrink well, larger ones interleave more. */
export function sizeOf(seed: number): GenerateOptions {
  return { processes: 2 + (seed % 4), steps: 20 + (seed % 8) * 15, keys: 2 + (seed % 4) };
}

function check(g: Generated, history: Op[] = g.history): ReturnType<typeof checkHistory> {
  const options = { watches: g.watches, ...(g.initialDump !== undefined ? { initialDump: g.initialDump } : {}) };
  return checkHistory({ ops: history, lines: history.map((_, i) => i + 1) }, 'etcd', { maxSteps: MAX_STEPS }, options);
}

/** The first key-value with a value in an answer (range kvs, prev_kv, prev_kvs, nested txn answers). */
function firstValued(o: unknown): { value?: unknown } | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  if (typeof r['value'] === 'string' && r['mod_revision'] !== undefined) return r;
  for (const v of Object.values(r)) {
    const found = firstValued(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The request an op's completion answers. */
function requestOf(history: readonly Op[], at: number): unknown {
  for (let i = at - 1; i >= 0; i--) if (history[i]!.process === history[at]!.process && history[i]!.type === 'invoke') return history[i]!.value;
  return undefined;
}

/**
 * The history with the first value an answer shows replaced by one nobody wrote, or undefined.
 * On a store that held data, not in the answer to a request naming a revision: a read of a
 * revision before the history is not checked (what the store held then is not known), and the
 * preparation leaves out a txn naming one in either branch.
 */
function withUnwrittenValue(history: readonly Op[], preloaded: boolean): Op[] | undefined {
  const at = history.findIndex((o, i) => o.type === 'ok' && firstValued(o.value) !== undefined && !(preloaded && JSON.stringify(requestOf(history, i)).includes('"revision"')));
  if (at < 0) return undefined;
  const op = history[at]!;
  const body = JSON.parse(JSON.stringify(op.value)) as unknown;
  firstValued(body)!.value = btoa('nobody wrote this');
  const out = [...history];
  out[at] = { ...op, value: body };
  return out;
}

describe('etcd checker on ground-truth histories', () => {
  it(`calls none of ${HISTORIES} linearizable histories (seeds ${FROM}..) not linearizable, and every must-fail twin not linearizable`, () => {
    const falseAlarms: string[] = [];
    const twinsPassed: number[] = [];
    let unknown = 0;
    let twins = 0;
    let ops = 0;
    for (let seed = FROM; seed < FROM + HISTORIES; seed++) {
      const g = generate(seed, sizeOf(seed));
      ops += g.history.length;
      let r: ReturnType<typeof check>;
      try {
        r = check(g);
      } catch (err) {
        falseAlarms.push(`seed ${seed}: threw ${String(err)}`);
        continue;
      }
      if (r.valid === false) falseAlarms.push(`seed ${seed}: ${r.summary ?? ''}`);
      if (r.valid === 'unknown' && r.unknownReason !== 'no operations') unknown++;
      const twin = withUnwrittenValue(g.history, g.initialDump !== undefined);
      if (twin === undefined) continue;
      twins++;
      if (check(g, twin).valid !== false) twinsPassed.push(seed);
    }
    expect(falseAlarms).toEqual([]);
    expect(twinsPassed).toEqual([]);
    // Most histories have a twin (an answer showing a value), and the search decides nearly all.
    expect(twins).toBeGreaterThan(HISTORIES / 2);
    expect(unknown).toBeLessThanOrEqual(Math.ceil(HISTORIES / 50));
    expect(ops).toBeGreaterThan(HISTORIES * 10);
  });

  it('the same seed gives the same history', () => {
    const a = generate(7, sizeOf(7));
    const b = generate(7, sizeOf(7));
    expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history));
    expect(JSON.stringify(b.watches)).toBe(JSON.stringify(a.watches));
  });
});
