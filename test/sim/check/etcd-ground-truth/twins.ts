// Must-fail twins of ground-truth histories: the same history with one answer made a lie, so
// the checker must call it not linearizable (a ground-truth test that cannot fail is a defect).
import type { Op } from '../../../../sim/history/op.ts';

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
export function requestOf(history: readonly Op[], at: number): unknown {
  for (let i = at - 1; i >= 0; i--) if (history[i]!.process === history[at]!.process && history[i]!.type === 'invoke') return history[i]!.value;
  return undefined;
}

/**
 * The history with the first value an answer shows replaced by one nobody wrote, or undefined.
 * On a store that held data, not in the answer to a request naming a revision: a read of a
 * revision before the history is not checked (what the store held then is not known), and the
 * preparation leaves out a txn naming one in either branch.
 */
export function withUnwrittenValue(history: readonly Op[], preloaded: boolean): Op[] | undefined {
  const at = history.findIndex((o, i) => o.type === 'ok' && firstValued(o.value) !== undefined && !(preloaded && JSON.stringify(requestOf(history, i)).includes('"revision"')));
  if (at < 0) return undefined;
  const op = history[at]!;
  const body = JSON.parse(JSON.stringify(op.value)) as unknown;
  firstValued(body)!.value = btoa('nobody wrote this');
  const out = [...history];
  out[at] = { ...op, value: body };
  return out;
}
