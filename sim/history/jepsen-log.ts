// Jepsen's log lines, in both shapes its versions print:
//   INFO  jepsen.util - 2	:invoke	:cas	[3 0]                                   (the etcd_NNN.log histories)
//   INFO [2019-04-01 11:25:23,760] jepsen worker 3 - jepsen.util 3	:fail	:cas	[0 4]   (Jepsen 0.1.x on)
// Fields are split by tabs or spaces; the value is EDN (nil, a number, [from to], or
// :timed-out on an `info` or timed-out `fail`), and a completion may carry its error after the
// value (`:info :cas [0 4] :timed-out`, `:fail :txn [...] [:txn-conflict "CAS failed!"]`).
// Lines of the nemesis (`:nemesis :info :start nil`) are faults, not client ops, and are
// skipped, as the EDN reader skips them. Lines that are not op lines are ignored (Jepsen logs
// interleave other messages); a line that looks like an op line but does not parse is an error.
import { EdnKeyword, EdnReader, ednToPlain, type EdnValue } from './edn.ts';
import type { Op, OpType } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import { probeLine, type MemoryProbe } from './read-budget.ts';
import { shownValue } from './shown-value.ts';

// The op's head (process, type, f); its value and error are the rest of the line, trimmed. The
// rest was matched by the same expression, `(?:\s+(.*?))?\s*$`, which tried the trailing `\s*$`
// from every character: 20,000 spaces in a value took 4 s, a megabyte of them hours.
const OP_HEAD = /jepsen\.util\s+(?:-\s+)?(\S+)\s+:(\w+)\s+:(\S+)/;
const LOOKS_LIKE_OP = /jepsen\.util\s+(?:-\s+)?\S+\s+:/;
const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

/** A completion's error as text: a keyword's name (":timed-out" → "timed-out"), anything else as JSON. */
function errorText(v: EdnValue): string {
  return v instanceof EdnKeyword ? v.name : JSON.stringify(ednToPlain(v));
}

/** `probe`: the memory bound, asked every few thousand lines (read-budget.ts). */
export function parseJepsenLog(text: string, probe?: MemoryProbe): ParsedHistory {
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    probeLine(probe, i + 1);
    const row = rows[i]!.replace(/\r$/, '');
    if (!LOOKS_LIKE_OP.test(row)) continue;
    const lineNo = i + 1;
    const m = OP_HEAD.exec(row);
    if (m === null) throw new HistoryParseError(lineNo, `not a Jepsen op line: ${JSON.stringify(row.slice(0, 80))}`);
    const [, proc, type, f] = m;
    const rest = row.slice(m.index + m[0].length).trim();
    // A keyword process (:nemesis) is one of Jepsen's own actors, not a client.
    if (proc!.startsWith(':')) continue;
    if (!TYPES.has(type!)) throw new HistoryParseError(lineNo, `unknown op type ':${type}'`);
    const process = /^-?\d+$/.test(proc!) ? Number(proc) : proc!;
    let value: unknown = null;
    let error: string | undefined;
    if (rest !== '') {
      const reader = new EdnReader(rest, lineNo);
      const v = reader.read();
      // A keyword in value position on a completion is Jepsen's error (":timed-out").
      if (v instanceof EdnKeyword && type !== 'invoke') error = v.name;
      else value = ednToPlain(v);
      // A completion's error after its value.
      if (reader.more() && type !== 'invoke' && error === undefined) error = errorText(reader.read());
      if (reader.more()) throw new HistoryParseError(lineNo, `unexpected text after the value: ${shownValue(rest)}`);
    }
    const op: Op = { index: ops.length, time: ops.length, process, type: type as OpType, f: f!, value };
    if (error !== undefined) op.error = error;
    ops.push(op);
    lines.push(lineNo);
  }
  // A log line has no time: every op is placed at its position (untimed).
  return { ops, lines, untimed: true };
}
