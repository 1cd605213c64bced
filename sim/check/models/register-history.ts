// Register histories (Jepsen's etcd logs, or the same ops as JSONL) to search operations.
// - read ok: an observation; read fail or info: dropped (a read has no effect).
// - write ok: took effect; write fail: certainly did not happen, dropped; info or never
//   completed: may take effect any time after its call, or never (return = +∞).
// - cas ok: swapped; cas fail: completed WITHOUT swapping — an observation that the
//   register did not hold `from` (Jepsen's etcd client reports a failed compare as :fail);
//   cas info: unknown outcome, return = +∞.
import type { OpPair } from '../../history/pair.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import type { RegisterInput, RegisterOperation, RegisterOutput, RegisterValue } from './register.ts';

function registerValue(v: unknown, line: number): RegisterValue {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string') return v ?? null;
  throw new HistoryParseError(line, `register value must be nil, a number or a string, got ${JSON.stringify(v)}`);
}

function casArgs(v: unknown, line: number): [RegisterValue, RegisterValue] {
  if (!Array.isArray(v) || v.length !== 2) throw new HistoryParseError(line, `cas value must be [from to], got ${JSON.stringify(v)}`);
  return [registerValue(v[0], line), registerValue(v[1], line)];
}

export function registerOperations(pairs: readonly OpPair[]): RegisterOperation[] {
  const out: RegisterOperation[] = [];
  for (const p of pairs) {
    const c = p.completion;
    const type = c?.type ?? 'info';
    let input: RegisterInput;
    let output: RegisterOutput | undefined;
    switch (p.invoke.f) {
      case 'read':
        if (type !== 'ok') continue;
        input = { f: 'read' };
        output = { value: registerValue(c!.value, p.completionLine!) };
        break;
      case 'write':
        if (type === 'fail') continue;
        input = { f: 'write', value: registerValue(p.invoke.value, p.line) };
        output = type === 'ok' ? {} : undefined;
        break;
      case 'cas': {
        const [from, to] = casArgs(p.invoke.value, p.line);
        input = { f: 'cas', from, to };
        output = type === 'info' ? undefined : { swapped: type === 'ok' };
        break;
      }
      default:
        throw new HistoryParseError(p.line, `the register model has no op :${p.invoke.f} (read, write, cas)`);
    }
    const unknown = output === undefined;
    out.push({ id: out.length, process: p.invoke.process, input, output, call: p.call, return: unknown ? Infinity : p.return, index: p.invoke.index });
  }
  return out;
}
