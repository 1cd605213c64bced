// PUT /config/local/log as etcd 3.4 answers it (etcdhttp's logHandleFunc): the body's first JSON
// value (src/api/go-json.ts) read into struct{ Level string } (keys matched without regard to
// case, the last match winning, null leaving the field empty, anything else not a string refused), the level
// upper-cased and parsed as capnslog names it. A level it knows is 204, empty; a body it cannot
// read is 400 {"message":"Invalid json body"}; an unknown level 400 "Invalid log level X".
// serve has no capnslog to set: an accepted level changes nothing.
import { GoNumber, GoString, parseGoJson, scanGoJson } from '../../../src/api/go-json.ts';

/** capnslog.ParseLevel's names: each level by name, letter and number (CRITICAL has no number). */
const LEVELS = new Set(['CRITICAL', 'C', 'ERROR', 'E', '0', 'WARNING', 'W', '1', 'NOTICE', 'N', '2', 'INFO', 'I', '3', 'DEBUG', 'D', '4', 'TRACE', 'T', '5']);

export type LogLevelAnswer = { readonly status: 204 } | { readonly status: 400; readonly message: string };

/** The Level the handler reads from `body`, or undefined when Go's decoder refuses it. */
function levelOf(body: Buffer): string | undefined {
  const scan = scanGoJson(body);
  if (!scan.ok || scan.empty) return undefined;
  const value = parseGoJson(body.subarray(0, scan.end).toString('utf8'));
  if (value === null) return '';
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof GoString || value instanceof GoNumber) return undefined;
  let level = '';
  for (const [k, v] of Object.entries(value)) {
    if (k.toLowerCase() !== 'level' || v === null) continue;
    if (typeof v !== 'string' && !(v instanceof GoString)) return undefined;
    level = typeof v === 'string' ? v : v.value;
  }
  return level;
}

export function setLogLevel(body: Buffer): LogLevelAnswer {
  const level = levelOf(body);
  if (level === undefined) return { status: 400, message: 'Invalid json body' };
  return LEVELS.has(level.toUpperCase()) ? { status: 204 } : { status: 400, message: `Invalid log level ${level}` };
}
