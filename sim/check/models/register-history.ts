// Register histories (Jepsen's etcd logs, or the same ops as JSONL) to search operations.
// - read ok: an observation; read fail or info: dropped (a read has no effect).
// - write ok: took effect; write fail: certainly did not happen, dropped; info or never
//   completed: may take effect any time after its call, or never (return = +∞).
// - cas ok: swapped; cas fail: completed WITHOUT swapping — an observation that the
//   register did not hold `from` (Jepsen's etcd client reports a failed compare as :fail);
//   a cas fail with an :error is a request that failed (jepsen.etcd's with-errors makes a
//   definite error :fail): it did not happen and observed nothing, dropped;
//   cas info: unknown outcome, return = +∞.
// - versioned values (jepsen.etcd.register: [version value], the key's etcd version beside its
//   value): checked against versioned-register.ts, nil versions not compared.
import type { OpPair } from '../../history/pair.ts';
import { HistoryParseError, inReason } from '../../history/parse-error.ts';
import { noSuchOp } from '../model-names.ts';
import type { RegisterInput, RegisterOperation, RegisterOutput, RegisterValue } from './register.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { shownValue } from '../../history/shown-value.ts';

function registerValue(v: unknown, line: number): RegisterValue {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string') return v ?? null;
  throw new HistoryParseError(line, `register value must be nil, a number or a string, got ${shownValue(v)}`, inReason('value'));
}

function casArgs(v: unknown, line: number): [RegisterValue, RegisterValue] {
  if (!Array.isArray(v) || v.length !== 2) throw new HistoryParseError(line, `cas value must be [from to], got ${shownValue(v)}`, inReason('value'));
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

/**
 * jepsen.etcd.register's values (inside the [key value] of an independent-key history): a
 * [version value] pair, whose value is a [from to] pair for a cas.
 */
function versionedValue(f: string, v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 2) return false;
  return f === 'cas' ? Array.isArray(v[1]) : f === 'read' || f === 'write';
}

/** A [version value] pair's version: nil (not observed) or a whole number ≥ 0. */
function versionOf(v: unknown, line: number): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  throw new HistoryParseError(line, `a register version must be nil or a whole number ≥ 0, got ${shownValue(v)}`, inReason('value'));
}

/** The [version value] pair of a versioned op (the value alone; its version on `.version`), or the value of an unversioned one. */
function unversioned(f: string, v: unknown, line: number, versioned: boolean): { value: unknown; version: number | undefined } {
  if (!versioned) return { value: v, version: undefined };
  if (!versionedValue(f, v)) throw new HistoryParseError(line, `a versioned register history needs [version value] values, got ${shownValue(v)}`, inReason('value'));
  const [version, value] = v as [unknown, unknown];
  return { value, version: versionOf(version, line) };
}

export function registerOperations(pairs: readonly OpPair[]): RegisterOperation[] {
  const first = pairs[0];
  const independent = first !== undefined && independentKey(first.invoke.f, first.invoke.value);
  const versioned = independent && versionedValue(first.invoke.f, (first.invoke.value as unknown[])[1]);
  const out: RegisterOperation[] = [];
  for (const p of pairs) {
    let key: string | undefined;
    let invokeValue = p.invoke.value;
    let completionValue = p.completion?.value;
    if (independent) {
      if (!independentKey(p.invoke.f, invokeValue)) throw new HistoryParseError(p.line, `an independent-key history needs [key value] values, got ${shownValue(invokeValue)}`, inReason('value'));
      const [k, v] = invokeValue as [unknown, unknown];
      key = keyText(k);
      invokeValue = v;
      if (Array.isArray(completionValue) && completionValue.length === 2 && keyText(completionValue[0]) === key) completionValue = completionValue[1];
    } else if (p.invoke.f !== 'cas' && Array.isArray(invokeValue)) {
      throw new HistoryParseError(p.line, `a [key value] value in a history whose first op has none: ${shownValue(invokeValue)}`, inReason('value'));
    }
    const invoked = unversioned(p.invoke.f, invokeValue, p.line, versioned);
    // Only an ok completion says what it observed; a fail or info keeps the invocation's value.
    const completed = p.completion?.type === 'ok' ? unversioned(p.invoke.f, completionValue, p.completionLine!, versioned) : { value: completionValue, version: undefined };
    const op = registerOperation(p, out.length, invoked.value, completed.value, completed.version);
    if (op === undefined) continue;
    if (key !== undefined) op.input = withFields(op.input, { key });
    out.push(op);
  }
  return out;
}

function registerOperation(p: OpPair, id: number, invokeValue: unknown, completionValue: unknown, version: number | undefined): RegisterOperation | undefined {
  const c = p.completion;
  const type = c?.type ?? 'info';
  let input: RegisterInput;
  let output: RegisterOutput | undefined;
  switch (p.invoke.f) {
    case 'read':
      if (type !== 'ok') return undefined;
      input = { f: 'read' };
      output = version === undefined ? { value: registerValue(completionValue, p.completionLine!) } : { value: registerValue(completionValue, p.completionLine!), version };
      break;
    case 'write':
      if (type === 'fail') return undefined;
      input = version === undefined ? { f: 'write', value: registerValue(invokeValue, p.line) } : { f: 'write', value: registerValue(invokeValue, p.line), version };
      output = type === 'ok' ? {} : undefined;
      break;
    case 'cas': {
      // A request that failed with an error (no leader, a refused connection) did not happen and observed nothing.
      if (type === 'fail' && c?.error !== undefined) return undefined;
      const [from, to] = casArgs(invokeValue, p.line);
      input = version === undefined ? { f: 'cas', from, to } : { f: 'cas', from, to, version };
      output = type === 'info' ? undefined : { swapped: type === 'ok' };
      break;
    }
    default:
      throw new HistoryParseError(p.line, noSuchOp('register', p.invoke.f), inReason('f'));
  }
  const unknown = output === undefined;
  return { id, process: p.invoke.process, input, output, call: p.call, return: unknown ? Infinity : p.return, index: p.invoke.index };
}
