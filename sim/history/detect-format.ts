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

function arrayFormat(text: string, open: number): HistoryFormat {
  const first = nextToken(text, open + 1);
  if (first.c !== '{') return first.c === ']' ? 'jsonl' : 'jepsen-edn';
  return nextToken(text, first.at + 1).c === '"' ? 'jsonl' : 'jepsen-edn';
}

export function detectFormat(text: string): HistoryFormat | undefined {
  let offset = 0;
  for (const raw of text.split('\n', 200)) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    if (/jepsen\.util\s+-/.test(line)) return 'jepsen-log';
    if (line.startsWith('{"') || line.startsWith('{ "')) return 'jsonl';
    if (line.startsWith('[')) return arrayFormat(text, start + raw.indexOf('['));
    if (line.startsWith('{:')) return 'jepsen-edn';
  }
  return undefined;
}
