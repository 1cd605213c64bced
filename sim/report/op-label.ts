// Short human labels for operations. Values are in etcd's gateway JSON form, so keys and values
// are base64; a label shows them decoded when they are printable text. Labels are plain text:
// callers escape them.
import { Buffer } from 'node:buffer';
import { truncate } from './escape.ts';

const base64Fields = new Set(['key', 'value', 'range_end', 'prev_value']);

/** Decodes a base64 string when it is canonical base64 of printable UTF-8, else returns null. */
export function decodeBase64Text(text: string): string | null {
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  const decoded = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (decoded.includes('\ufffd') || /[\u0000-\u0008\u000e-\u001f]/.test(decoded)) return null;
  return decoded;
}

/** A deep copy with base64 key/value fields decoded, for tooltips a person reads. */
export function decodeForDisplay(value: unknown, depthMax = 8): unknown {
  if (depthMax <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => decodeForDisplay(v, depthMax - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const decoded = typeof v === 'string' && base64Fields.has(k) ? decodeBase64Text(v) : null;
    out[k] = decoded === null ? decodeForDisplay(v, depthMax - 1) : decoded;
  }
  return out;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return decodeBase64Text(value) ?? value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

/** A compact one-line JSON rendering, bounded. */
export function compactJson(value: unknown, charsMax: number): string {
  if (value === undefined) return '';
  return truncate(JSON.stringify(decodeForDisplay(value)) ?? typeof value, charsMax);
}

function requestOpText(op: unknown): string {
  const put = field(op, 'request_put');
  if (put !== undefined) return `put ${text(field(put, 'key'))}=${text(field(put, 'value'))}`;
  const range = field(op, 'request_range');
  if (range !== undefined) return `range ${text(field(range, 'key'))}`;
  const del = field(op, 'request_delete_range');
  if (del !== undefined) return `delete ${text(field(del, 'key'))}`;
  if (field(op, 'request_txn') !== undefined) return 'txn …';
  return compactJson(op, 40);
}

function compareText(c: unknown): string {
  const target = text(field(c, 'target') ?? 'VERSION');
  const fieldName = { VERSION: 'version', CREATE: 'create_revision', MOD: 'mod_revision', VALUE: 'value', LEASE: 'lease' }[target] ?? target.toLowerCase();
  const op = { EQUAL: '=', GREATER: '>', LESS: '<', NOT_EQUAL: '≠' }[text(field(c, 'result') ?? 'EQUAL')] ?? '?';
  return `${text(field(c, 'key'))}.${fieldName}${op}${text(field(c, fieldName) ?? '0')}`;
}

/** "txn if x.mod_revision=0 then put x=1 else range x". */
function txnLabel(request: unknown): string {
  const list = (name: string): unknown[] => {
    const v = field(request, name);
    return Array.isArray(v) ? v : [];
  };
  const parts = [`txn if ${list('compare').map(compareText).join(' ∧ ') || 'true'}`, `then ${list('success').map(requestOpText).join(', ') || 'nothing'}`];
  if (list('failure').length > 0) parts.push(`else ${list('failure').map(requestOpText).join(', ')}`);
  return parts.join(' ');
}

/** "put k=v", "range k", "txn if … then … else …", or the f and a compact request. */
export function opLabel(f: string, request: unknown, charsMax = 60): string {
  const key = field(request, 'key');
  const short = f.replace(/^kv\//, '');
  if (short === 'txn' && request !== null && typeof request === 'object') return truncate(txnLabel(request), charsMax);
  if (key !== undefined && (short === 'put' || short === 'range' || short === 'deleterange')) {
    const v = short === 'put' ? `=${text(field(request, 'value'))}` : '';
    return truncate(`${short} ${text(key)}${v}`, charsMax);
  }
  if (key !== undefined) return truncate(`${short} ${text(key)}`, charsMax);
  // A request of nothing (a Jepsen register's read) is the f alone: "read null" read as a read of null.
  const body = request === null || request === undefined ? '' : compactJson(request, charsMax);
  return truncate(body === '' || body === '{}' ? short : `${short} ${body}`, charsMax);
}

function kvText(kv: unknown): string {
  const key = text(field(kv, 'key'));
  const value = field(kv, 'value');
  const mod = field(kv, 'mod_revision');
  return `${key}${value === undefined ? '' : `=${text(value)}`}${mod === undefined ? '' : `@${text(mod)}`}`;
}

/**
 * A short reading of an etcd gateway response: the header's revision (cluster and member ids
 * are noise here), key-values as key=value@mod_revision, watch events, then whatever else.
 */
export function responseLabel(response: unknown, charsMax: number): string {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return compactJson(response, charsMax);
  const parts: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(response as Record<string, unknown>)) {
    if (name === 'header') {
      const revision = field(value, 'revision');
      if (revision !== undefined) parts.push(`rev ${text(revision)}`);
    } else if (name === 'kvs' && Array.isArray(value)) {
      parts.push(`kvs [${value.map(kvText).join(', ')}]`);
    } else if (name === 'events' && Array.isArray(value)) {
      parts.push(`events [${value.map((e) => `${text(field(e, 'type') ?? 'PUT')} ${kvText(field(e, 'kv'))}`).join(', ')}]`);
    } else if (name === 'prev_kv') {
      parts.push(`prev ${kvText(value)}`);
    } else {
      rest[name] = value;
    }
  }
  if (Object.keys(rest).length > 0) parts.push(compactJson(rest, charsMax));
  return truncate(parts.join(' · '), charsMax);
}

/**
 * A label cut to `chars` for a bar it is drawn in: between words with an ellipsis, so a cut label
 * reads as cut ("22. cas…"), not as a label of its own ("22. cas [", "21. w"). The tooltip has it whole.
 */
export function fitLabel(text: string, chars: number): string {
  if (text.length <= chars) return text;
  if (chars < 2) return '';
  const cut = text.slice(0, chars - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
