// history.edn in Jepsen's format: one op map per line,
//   {:index 0, :time 123000, :type :invoke, :process 0, :f :kv/put, :value {...}}
// so Jepsen's own tools (jepsen.history, knossos, elle) read our histories. Jepsen's :time is in
// nanoseconds since the start of the test; ours is in microseconds, so it is scaled here.
import type { Op } from '../history/op.ts';

const NANOS_PER_MICRO = 1000;

/** Conservative EDN keyword body (no leading digit, no slash) usable for map keys. */
const keywordName = /^[A-Za-z_*+!?<>=-][A-Za-z0-9_*+!?<>=.-]*$/;
/** A keyword with an optional namespace, as f names like kv/put need. */
const namespacedKeyword = /^[A-Za-z_*+!?<>=-][A-Za-z0-9_*+!?<>=.-]*(\/[A-Za-z_*+!?<>=-][A-Za-z0-9_*+!?<>=.-]*)?$/;

/** The characters a string literal escapes: the quote, the backslash and the control characters. */
// eslint-disable-next-line no-control-regex
const ESCAPED = /["\\\x00-\x1f\x7f]/g;
const ESCAPE_OF: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * `text` as an EDN string literal. One replace over the text (a string grown a character at a
 * time cost about 2 s a megabyte; a value of megabytes is a user's to write).
 */
export function ednString(text: string): string {
  return `"${text.replace(ESCAPED, (ch) => ESCAPE_OF[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function ednNumber(n: number): string {
  if (Number.isNaN(n)) return '##NaN';
  if (!Number.isFinite(n)) return n > 0 ? '##Inf' : '##-Inf';
  return String(n);
}

/** Any JSON-like value as EDN: objects become maps (keyword keys where legal), arrays vectors. */
export function toEdn(value: unknown, depthMax = 64): string {
  if (depthMax <= 0) throw new Error('toEdn: value nesting exceeds depthMax (cycle?)');
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return ednString(value);
  if (typeof value === 'number') return ednNumber(value);
  if (typeof value === 'bigint') return `${value}N`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => toEdn(v, depthMax - 1)).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${keywordName.test(k) ? `:${k}` : ednString(k)} ${toEdn(v, depthMax - 1)}`);
    return `{${entries.join(', ')}}`;
  }
  // Functions and symbols have no EDN form; JSON-like histories never contain them.
  return 'nil';
}

function keywordOrString(text: string): string {
  return namespacedKeyword.test(text) ? `:${text}` : ednString(text);
}

/** One history op as one line of Jepsen EDN. */
export function opToEdn(op: Op): string {
  const parts = [
    `:index ${op.index}`,
    `:time ${ednNumber(op.time * NANOS_PER_MICRO)}`,
    `:type :${op.type}`,
    `:process ${typeof op.process === 'number' ? ednNumber(op.process) : keywordOrString(op.process)}`,
    `:f ${keywordOrString(op.f)}`,
    `:value ${toEdn(op.value)}`,
  ];
  if (op.error !== undefined) parts.push(`:error ${ednString(op.error)}`);
  if (op.node !== undefined) parts.push(`:node ${ednString(op.node)}`);
  return `{${parts.join(', ')}}`;
}
