// Gateway JSON for people: the base64 byte fields (key, value, range_end, prev_value) decoded to
// text, everything else as it is. Explanations show expected and returned responses this way.
import { decodeKey } from './json.ts';

const BYTE_FIELDS: ReadonlySet<string> = new Set(['key', 'value', 'range_end', 'prev_value']);
const DEPTH_MAX = 16;

export function displayJson(v: unknown, depth = 0): unknown {
  if (depth > DEPTH_MAX || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => displayJson(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[k] = BYTE_FIELDS.has(k) && typeof x === 'string' ? decodeText(x) : displayJson(x, depth + 1);
  }
  return out;
}

/** The bytes as text (UTF-8 when valid, else one char per byte); the base64 itself when it is not base64. */
function decodeText(b64: string): string {
  let bytes: string;
  try {
    bytes = decodeKey(b64);
  } catch {
    return b64;
  }
  const arr = Uint8Array.from(bytes, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(arr);
  } catch {
    return bytes;
  }
}
