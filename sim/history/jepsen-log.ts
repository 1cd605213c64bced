// Jepsen's log lines, as in the etcd_NNN.log histories:
//   INFO  jepsen.util - 2	:invoke	:cas	[3 0]
// Fields are split by tabs or spaces; the value is EDN (nil, a number, [from to], or
// :timed-out on an `info` or timed-out `fail`). Lines that are not op lines are ignored
// (Jepsen logs interleave other messages); a line that looks like an op line but does not
// parse is an error.
import { EdnKeyword, EdnReader, ednToPlain } from './edn.ts';
import type { Op, OpType } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';

const OP_LINE = /^\S+\s+jepsen\.util\s+-\s+(\S+)\s+:(\w+)\s+:(\S+)(?:\s+(.*?))?\s*$/;
const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

export function parseJepsenLog(text: string): ParsedHistory {
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.replace(/\r$/, '');
    if (!/jepsen\.util\s+-\s+\S+\s+:/.test(row)) continue;
    const lineNo = i + 1;
    const m = OP_LINE.exec(row);
    if (m === null) throw new HistoryParseError(lineNo, `not a Jepsen op line: ${JSON.stringify(row.slice(0, 80))}`);
    const [, proc, type, f, rest] = m;
    if (!TYPES.has(type!)) throw new HistoryParseError(lineNo, `unknown op type ':${type}'`);
    const process = /^-?\d+$/.test(proc!) ? Number(proc) : proc!;
    let value: unknown = null;
    let error: string | undefined;
    if (rest !== undefined && rest !== '') {
      const reader = new EdnReader(rest, lineNo);
      const v = reader.read();
      if (reader.more()) throw new HistoryParseError(lineNo, `unexpected text after the value: ${JSON.stringify(rest)}`);
      // A keyword in value position on a completion is Jepsen's error (":timed-out").
      if (v instanceof EdnKeyword && type !== 'invoke') error = v.name;
      else value = ednToPlain(v);
    }
    const op: Op = { index: ops.length, time: ops.length, process, type: type as OpType, f: f!, value };
    if (error !== undefined) op.error = error;
    ops.push(op);
    lines.push(lineNo);
  }
  return { ops, lines };
}
