// A history's text in any format detcd reads, parsed in code: what `detcd check` does with a
// file, for a program that holds the text (detcd/check's parseHistory). The command line keeps
// its own lazy loading (it loads only the parser a file needs); this loads them all.
import { badArgument } from '../errors/bad-argument.ts';
import { detectFormat } from './detect-format.ts';
import { parseRobustnessOps, robustnessHistory } from './etcd-robustness.ts';
import { parseJepsenEdn } from './jepsen-edn.ts';
import { parseJepsenLog } from './jepsen-log.ts';
import { parseJsonl } from './jsonl.ts';
import { HistoryParseError } from './parse-error.ts';
import { HISTORY_FORMATS } from './parsed-history.ts';
import type { HistoryFormat, ParsedHistory } from './parsed-history.ts';

const FORMATS_SHOWN = HISTORY_FORMATS.map((f) => `'${f}'`).join(', ');

/**
 * Parses a history's text: `format`, or the format its content shows. Throws HistoryParseError
 * (line and reason) for text that is not a history, UsageError for an argument that is wrong.
 */
export function parseHistory(text: string, format?: HistoryFormat): ParsedHistory {
  if (typeof text !== 'string') throw badArgument('parseHistory', 'text', "must be a history's text (a string)", text);
  if (format !== undefined && !HISTORY_FORMATS.includes(format)) throw badArgument('parseHistory', 'format', `must be one of ${FORMATS_SHOWN}`, format);
  const detected = detectFormat(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const f = format ?? detected;
  if (f === undefined) throw new HistoryParseError(1, `cannot tell the history format (give parseHistory(text, format) one of ${FORMATS_SHOWN})`);
  if (format !== undefined && detected !== undefined && detected !== format) throw new HistoryParseError(1, `the content is ${detected}, not ${format}`);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  switch (f) {
    case 'jepsen-log': {
      const h = parseJepsenLog(body);
      if (h.ops.length === 0) throw new HistoryParseError(1, 'no Jepsen op line ("INFO jepsen.util - PROCESS :TYPE :F VALUE")');
      return h;
    }
    case 'jepsen-edn':
      return parseJepsenEdn(body);
    case 'etcd-robustness':
      return robustnessHistory([parseRobustnessOps(body)]);
    case 'jsonl':
      return parseJsonl(body);
  }
}
