// Guesses a history's format from its first meaningful line.
import type { HistoryFormat } from './parsed-history.ts';

export function detectFormat(text: string): HistoryFormat | undefined {
  for (const raw of text.split('\n', 200)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    if (/jepsen\.util\s+-/.test(line)) return 'jepsen-log';
    if (line.startsWith('{"') || line.startsWith('{ "')) return 'jsonl';
    if (line.startsWith('{:') || line.startsWith('[{:') || line.startsWith('[')) return 'jepsen-edn';
  }
  return undefined;
}
