// Key-value histories (Jepsen's kv cNN files, or JSONL) to search operations. The key is
// the op's `key` field, or the first element of a [key value] tuple value (Jepsen's
// independent workloads). get ok: an observation; get fail/info: dropped; put/append ok:
// took effect; fail: dropped; info or never completed: return = +∞.
import type { Op } from '../../history/op.ts';
import type { OpPair } from '../../history/pair.ts';
import { HistoryParseError, inReason } from '../../history/parse-error.ts';
import { noSuchOp } from '../model-names.ts';
import type { KvInput, KvOperation } from './kv.ts';
import { shownValue } from '../../history/shown-value.ts';

function keyAndValue(op: Op, line: number): { key: string; value: unknown } {
  if (typeof op.key === 'string' || typeof op.key === 'number') return { key: String(op.key), value: op.value };
  if (Array.isArray(op.value) && op.value.length === 2) return { key: String(op.value[0] as string | number), value: op.value[1] };
  throw new HistoryParseError(line, 'kv op without a :key (or a [key value] tuple)', inReason('key'));
}

function text(v: unknown, line: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new HistoryParseError(line, `kv value must be a string, got ${shownValue(v)}`, inReason('value'));
}

export function kvOperations(pairs: readonly OpPair[]): KvOperation[] {
  const out: KvOperation[] = [];
  for (const p of pairs) {
    const c = p.completion;
    const type = c?.type ?? 'info';
    if (type === 'fail') continue;
    const f = p.invoke.f;
    if (f !== 'get' && f !== 'put' && f !== 'append') throw new HistoryParseError(p.line, noSuchOp('kv', f), inReason('f'));
    if (f === 'get' && type !== 'ok') continue;
    const { key, value } = keyAndValue(p.invoke, p.line);
    const input: KvInput = f === 'get' ? { f: 'get', key } : { f, key, value: text(value, p.line) };
    const output = type === 'ok' ? (f === 'get' ? { value: text(keyAndValue(c!, p.completionLine!).value, p.completionLine!) } : {}) : undefined;
    out.push({ id: out.length, process: p.invoke.process, input, output, call: p.call, return: output === undefined ? Infinity : p.return, index: p.invoke.index });
  }
  return out;
}
