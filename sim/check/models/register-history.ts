// Register histories (Jepsen's etcd logs, or the same ops as JSONL) to search operations.
// - read ok: an observation; read fail or info: dropped (a read has no effect).
// - write ok: took effect; write fail: certainly did not happen, dropped; info or never
//   completed: may take effect any time after its call, or never (return = +∞).
// - cas ok: swapped; cas fail: completed WITHOUT swapping — an observation that the
//   register did not hold `from` (Jepsen's etcd client reports a failed compare as :fail);
//   cas info: unknown outcome, return = +∞.
import type { OpPair } from '../../history/pair.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import { noSuchOp } from '../model-names.ts';
import type { RegisterInput, RegisterOperation, RegisterOutput, RegisterValue } from './register.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { shownValue } from '../../history/shown-value.ts';

function registerValue(v: unknown, line: number): RegisterValue {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string') return v ?? null;
  throw new HistoryParseError(line, `register value must be nil, a number or a string, got ${shownValue(v)}`);
}

function casArgs(v: unknown, line: number): [RegisterValue, RegisterValue] {
  if (!Array.isArray(v) || v.length !== 2) throw new HistoryParseError(line, `cas value must be [from to], got ${shownValue(v)}`);
  return [registerValue(v[0], line), registerValue(v[1], line)];
}

/**
 * Jepsen's independent-key histories (jepsen.independent) wrap every value as [key value]:
 * a read [k nil] → [k 3], a write [k 3], a cas [k [1 2]]. Each key is its own register.
 */
function independentKey(f: string, v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 2) return false;
  return f === 'cas' ? Array.isArray(v[1]) : f === 'read' || f === 'write';
}

function keyText(k: unknown): string {
  return typeof k === 'string' ? k : JSON.stringify(k);
}

export function registerOperations(pairs: readonly OpPair[]): RegisterOperation[] {
  const independent = pairs.length > 0 && independentKey(pairs[0]!.invoke.f, pairs[0]!.invoke.value);
  const out: RegisterOperation[] = [];
  for (const p of pairs) {
    let key: string | undefined;
    let invokeValue = p.invoke.value;
    let completionValue = p.completion?.value;
    if (independent) {
      if (!independentKey(p.invoke.f, invokeValue)) throw new HistoryParseError(p.line, `an independent-key history needs [key value] values, got ${shownValue(invokeValue)}`);
      const [k, v] = invokeValue as [unknown, unknown];
      key = keyText(k);
      invokeValue = v;
      if (Array.isArray(completionValue) && completionValue.length === 2 && keyText(completionValue[0]) === key) completionValue = completionValue[1];
    } else if (p.invoke.f !== 'cas' && Array.isArray(invokeValue)) {
      throw new HistoryParseError(p.line, `a [key value] value in a history whose first op has none: ${shownValue(invokeValue)}`);
    }
    const op = registerOperation(p, out.length, invokeValue, completionValue);
    if (op === undefined) continue;
    if (key !== undefined) op.input = withFields(op.input, { key });
    out.push(op);
  }
  return out;
}

function registerOperation(p: OpPair, id: number, invokeValue: unknown, completionValue: unknown): RegisterOperation | undefined {
  const c = p.completion;
  const type = c?.type ?? 'info';
  let input: RegisterInput;
  let output: RegisterOutput | undefined;
  switch (p.invoke.f) {
    case 'read':
      if (type !== 'ok') return undefined;
      input = { f: 'read' };
      output = { value: registerValue(completionValue, p.completionLine!) };
      break;
    case 'write':
      if (type === 'fail') return undefined;
      input = { f: 'write', value: registerValue(invokeValue, p.line) };
      output = type === 'ok' ? {} : undefined;
      break;
    case 'cas': {
      const [from, to] = casArgs(invokeValue, p.line);
      input = { f: 'cas', from, to };
      output = type === 'info' ? undefined : { swapped: type === 'ok' };
      break;
    }
    default:
      throw new HistoryParseError(p.line, noSuchOp('register', p.invoke.f));
  }
  const unknown = output === undefined;
  return { id, process: p.invoke.process, input, output, call: p.call, return: unknown ? Infinity : p.return, index: p.invoke.index };
}
