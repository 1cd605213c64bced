// Jepsen histories as EDN maps, one op per map, either one per line (the kv cNN files) or
// inside one top-level vector (history.edn):
//   {:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}
// Ops of non-numeric processes (the :nemesis) are skipped: they are faults, not client ops.
import { EdnKeyword, keyword, readAllEdn, ednToPlain, type EdnValue } from './edn.ts';
import type { Op, OpType } from './op.ts';
import { HistoryParseError, inReason } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import type { MemoryProbe } from './read-budget.ts';
import { pushAll } from '../array/stack-safe.ts';

const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);
const NANOS_PER_MICRO = 1000;
const K = {
  process: keyword('process'),
  type: keyword('type'),
  f: keyword('f'),
  value: keyword('value'),
  key: keyword('key'),
  time: keyword('time'),
  error: keyword('error'),
  index: keyword('index'),
};

function name(v: EdnValue | undefined): string | undefined {
  if (v instanceof EdnKeyword) return v.name;
  if (typeof v === 'string') return v;
  return undefined;
}

function toOp(m: EdnValue, line: number, index: number): Op | undefined {
  if (!(m instanceof Map)) throw new HistoryParseError(line, 'expected an op map {:process …, :type …, :f …}');
  const proc = m.get(K.process);
  if (proc === undefined) throw new HistoryParseError(line, 'op map without :process', inReason('process'));
  if (typeof proc !== 'number') return undefined;
  const type = name(m.get(K.type));
  if (type === undefined || !TYPES.has(type)) throw new HistoryParseError(line, `bad :type ${JSON.stringify(ednToPlain(m.get(K.type) ?? null))}`, inReason('type'));
  const f = name(m.get(K.f));
  if (f === undefined) throw new HistoryParseError(line, 'op map without :f', inReason('f'));
  // Jepsen's :time is nanoseconds (detcd's history.edn too: sim/report/edn.ts); an op's time is
  // µs. Read as µs, every duration was 1000 times too long: a grant of a live lease's id 19 ms
  // after the first looked 19 s later, past its TTL (the lease checker's rules judge durations).
  const time = m.get(K.time);
  const op: Op = { index, time: typeof time === 'number' ? time / NANOS_PER_MICRO : index, process: proc, type: type as OpType, f, value: ednToPlain(m.get(K.value) ?? null) };
  if (m.has(K.key)) op.key = ednToPlain(m.get(K.key)!);
  const error = m.get(K.error);
  if (error !== undefined && error !== null) op.error = typeof error === 'string' ? error : JSON.stringify(ednToPlain(error));
  return op;
}

/** `probe`: the memory bound, asked every few thousand forms as they are read (read-budget.ts). */
export function parseJepsenEdn(text: string, probe?: MemoryProbe): ParsedHistory {
  const forms = readAllEdn(text, probe);
  const items: { value: EdnValue; line: number }[] = [];
  if (forms.length === 1 && Array.isArray(forms[0]!.value)) {
    for (const v of forms[0]!.value) items.push({ value: v, line: forms[0]!.line });
  } else pushAll(items, forms);
  const ops: Op[] = [];
  const lines: number[] = [];
  let timed = false;
  for (const it of items) {
    const op = toOp(it.value, it.line, ops.length);
    if (op === undefined) continue;
    timed ||= it.value instanceof Map && typeof it.value.get(K.time) === 'number';
    ops.push(op);
    lines.push(it.line);
  }
  // No op with a :time: each is placed at its position, an order and no duration.
  return timed || ops.length === 0 ? { ops, lines } : { ops, lines, untimed: true };
}
