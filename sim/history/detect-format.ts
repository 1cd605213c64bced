// Guesses a history's format from its first meaningful line. A history that opens with '['
// is an EDN vector of maps ({:type ...}) or a JSON array of op objects ({"type": ...}): the
// first map's first key tells them apart, wherever the line breaks fall.
import type { HistoryFormat } from './parsed-history.ts';

/** The first character at or after `from` that is not whitespace (or a comma, EDN's whitespace). */
function nextToken(text: string, from: number): { c: string | undefined; at: number } {
  let i = from;
  while (i < text.length && /[\s,]/.test(text[i]!)) i++;
  return { c: text[i], at: i };
}

/**
 * An etcd robustness-test operation (porcupine's ClientId, Input, Call, Output, Return:
 * etcd-robustness.ts) opens with its ClientId, or at least holds Input and Call.
 */
function isRobustnessOp(text: string): boolean {
  return /^\{\s*"ClientId"\s*:/.test(text) || (/"Input"\s*:/.test(text) && /"Call"\s*:/.test(text) && !/"process"\s*:/.test(text));
}

function arrayFormat(text: string, open: number): HistoryFormat {
  const first = nextToken(text, open + 1);
  if (first.c !== '{') return first.c === ']' ? 'jsonl' : 'jepsen-edn';
  if (nextToken(text, first.at + 1).c !== '"') return 'jepsen-edn';
  return isRobustnessOp(text.slice(first.at, first.at + 4096)) ? 'etcd-robustness' : 'jsonl';
}

/**
 * A Jepsen log op line (jepsen-log.ts), in either shape Jepsen prints, anywhere in the file: a
 * jepsen.log opens with the test's options, pretty-printed over hundreds of lines (some starting
 * with `{:`), before its first op. A line opening with '{', '[' or '"' is data, never a log line.
 */
const JEPSEN_LOG_OP = /^[^{["\s][^\n]*jepsen\.util\s+(?:-\s+)?\S+\s+:\w+\s+:/m;

export function detectFormat(text: string): HistoryFormat | undefined {
  if (JEPSEN_LOG_OP.test(text)) return 'jepsen-log';
  let offset = 0;
  for (const raw of text.split('\n', 200)) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    if (line.startsWith('{"') || line.startsWith('{ "')) return isRobustnessOp(line) ? 'etcd-robustness' : 'jsonl';
    if (line.startsWith('[')) return arrayFormat(text, start + raw.indexOf('['));
    if (line.startsWith('{:')) return 'jepsen-edn';
  }
  return undefined;
}
