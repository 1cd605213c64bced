// A raft entry's data as a person reads it: etcd's requests are JSON whose byte fields (key,
// value, range_end) are base64, and values may be kilobytes long. This decodes the byte fields
// when they are printable text, cuts every long string to a few dozen characters (saying how long
// it was) and bounds the whole, so an invariant message stays one readable line.

import type { EntryData } from '../../src/raft/types.ts';
import { entryDataText } from '../../src/raft/types.ts';

const BYTE_FIELDS: ReadonlySet<string> = new Set(['key', 'value', 'range_end', 'prev_value']);
const STRING_CHARS_MAX = 24;
const DEPTH_MAX = 8;
export const ENTRY_TEXT_CHARS_MAX = 160;

function decodeBytes(b64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  let bytes: string;
  try {
    bytes = atob(b64);
  } catch {
    return undefined;
  }
  return /^[\x20-\x7e]*$/.test(bytes) ? bytes : undefined;
}

function shorten(s: string): string {
  return s.length <= STRING_CHARS_MAX ? s : `${s.slice(0, STRING_CHARS_MAX)}…(${s.length} chars)`;
}

function readable(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return shorten(v);
  if (depth > DEPTH_MAX || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => readable(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const text = BYTE_FIELDS.has(k) && typeof x === 'string' ? decodeBytes(x) : undefined;
    out[k] = text === undefined ? readable(x, depth + 1) : shorten(text);
  }
  return out;
}

/** `data` decoded and bounded; an empty entry (a new leader's no-op) is "(empty)". */
export function entryText(entryData: EntryData, charsMax = ENTRY_TEXT_CHARS_MAX): string {
  const data = entryDataText(entryData);
  if (data === '') return '(empty)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    parsed = undefined;
  }
  const text = parsed === undefined ? shorten(data) : (JSON.stringify(readable(parsed, 0)) ?? shorten(data));
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}…`;
}
