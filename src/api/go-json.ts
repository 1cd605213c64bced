// Reads JSON the way etcd's gateway does, with Go's own messages for what it refuses ("invalid
// character 'x' looking for beginning of value", "unexpected EOF"), so a malformed request gets
// the same answer from detcd serve as from etcd:
//   - a request body as Go's encoding/json Decoder reads it (scanGoJson): the first JSON value,
//     text after it ignored; its value with every number's own text kept where a JS number
//     would not hold it (parseGoJson: 1e3, 1.0 and 99999999999999999999 are not int64s to Go);
//   - an integer field as jsonpb reads it (goUnmarshalInteger): a JSON number, or a string whose
//     text (quotes dropped) json.Unmarshal reads as one, in the field's Go type's range.

export type GoJsonScan = { readonly ok: true; readonly end: number; readonly empty: boolean } | { readonly ok: false; readonly message: string };

/** Go's quoteChar: the offending byte as Go prints it. */
function quoteChar(b: number): string {
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return '\'"\'';
  if (b === 0x5c) return "'\\\\'";
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
  if (named[b] !== undefined) return `'${named[b]}'`;
  if (b < 0x20 || b === 0x7f) return `'\\x${b.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(b)}'`;
}

/** A syntax error with Go's message; thrown inside the scanner, returned as a value from it. */
class GoSyntaxError extends Error {}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isHex = (b: number): boolean => isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);

/** Bound on nesting, like Go's maxNestingDepth. */
const NESTING_MAX = 10_000;

class Scanner {
  i = 0;
  /**
   * `whole`: json.Unmarshal's checkValid, not the Decoder: at the end of the text an unfinished
   * number or literal reads one more ' ' (Go's scanner.eof), anything else unfinished is
   * "unexpected end of JSON input".
   */
  constructor(private readonly s: Uint8Array, private readonly whole = false) {}

  private peek(): number {
    if (this.i >= this.s.length) throw new GoSyntaxError(this.whole ? 'unexpected end of JSON input' : 'unexpected EOF');
    return this.s[this.i] as number;
  }

  /** peek inside a number or literal: at the end of a whole text, Go's eof steps a ' '. */
  private peekInToken(): number {
    return this.whole && this.i >= this.s.length ? 0x20 : this.peek();
  }

  private fail(b: number, context: string): never {
    throw new GoSyntaxError(`invalid character ${quoteChar(b)} ${context}`);
  }

  skipSpace(): void {
    while (this.i < this.s.length && isSpace(this.s[this.i] as number)) this.i++;
  }

  value(depth: number): void {
    if (depth > NESTING_MAX) throw new GoSyntaxError('exceeded max depth');
    this.skipSpace();
    const b = this.peek();
    if (b === 0x7b) return this.object(depth);
    if (b === 0x5b) return this.array(depth);
    if (b === 0x22) return this.string();
    if (b === 0x2d || isDigit(b)) return this.number();
    if (b === 0x74) return this.literal('true');
    if (b === 0x66) return this.literal('false');
    if (b === 0x6e) return this.literal('null');
    this.fail(b, 'looking for beginning of value');
  }

  private object(depth: number): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const b = this.peek();
      if (b !== 0x22) this.fail(b, 'looking for beginning of object key string');
      this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== 0x3a) this.fail(colon, 'after object key');
      this.i++;
      this.value(depth + 1);
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === 0x7d) return;
      if (c !== 0x2c) this.fail(c, 'after object key:value pair');
    }
  }

  private array(depth: number): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === 0x5d) return;
      if (c !== 0x2c) this.fail(c, 'after array element');
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const b = this.peek();
      this.i++;
      if (b === 0x22) return;
      if (b < 0x20) this.fail(b, 'in string literal');
      if (b !== 0x5c) continue;
      const e = this.peek();
      this.i++;
      if (e === 0x75) {
        for (let k = 0; k < 4; k++) {
          const h = this.peek();
          if (!isHex(h)) this.fail(h, 'in \\u hexadecimal character escape');
          this.i++;
        }
      } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
        this.fail(e, 'in string escape code');
      }
    }
  }

  /** A number ends at the first byte that cannot continue it; at the end of input it is complete. */
  private number(): void {
    const more = (): number | undefined => (this.i < this.s.length ? (this.s[this.i]) : undefined);
    if (more() === 0x2d) {
      this.i++;
      const b = this.peekInToken();
      if (!isDigit(b)) this.fail(b, 'in numeric literal');
    }
    if (more() === 0x30) this.i++;
    else while (more() !== undefined && isDigit(more()!)) this.i++;
    if (more() === 0x2e) {
      this.i++;
      const b = this.peekInToken();
      if (!isDigit(b)) this.fail(b, 'after decimal point in numeric literal');
      while (more() !== undefined && isDigit(more()!)) this.i++;
    }
    const e = more();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      let b = this.peekInToken();
      if (b === 0x2b || b === 0x2d) {
        this.i++;
        b = this.peekInToken();
      }
      if (!isDigit(b)) this.fail(b, 'in exponent of numeric literal');
      while (more() !== undefined && isDigit(more()!)) this.i++;
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      const b = this.peekInToken();
      if (b !== word.charCodeAt(k)) this.fail(b, `in literal ${word} (expecting '${word[k]!}')`);
      this.i++;
    }
  }
}

/** Scans the first JSON value of `bytes`; `end` is the byte offset just after it. */
export function scanGoJson(bytes: Uint8Array): GoJsonScan {
  const sc = new Scanner(bytes);
  sc.skipSpace();
  if (sc.i >= bytes.length) return { ok: true, end: sc.i, empty: true };
  try {
    sc.value(0);
    return { ok: true, end: sc.i, empty: false };
  } catch (err) {
    if (err instanceof GoSyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}

/**
 * A JSON number whose text a JS number would not keep: not an integer as written (1e3, 1.0, 1e400)
 * or beyond 2^53. Go reads the text: an int64 field refuses the first, takes the second exactly.
 */
export class GoNumber {
  constructor(readonly text: string) {}
  /** Anything that writes a body out again writes the number's own text. */
  toJSON(): string {
    return this.text;
  }
}

/**
 * A string written with an escape: its value, and where in the value the first escape fell. jsonpb
 * reads an integer field's string by its raw text, which an escape makes no integer.
 */
export class GoString {
  constructor(readonly value: string, readonly firstEscape: number) {}
  /** Anything that writes a body out again writes the string's value. */
  toJSON(): string {
    return this.value;
  }
}

const EXACT_INTEGER = /^-?(?:0|[1-9]\d{0,15})$/;

/**
 * The first JSON value of `text` (which scanGoJson found valid up to `end`), with GoNumber for
 * every number a JS number would not keep. Duplicate keys: the last one wins, as in Go.
 */
export function parseGoJson(text: string): unknown {
  let i = 0;
  const space = (): void => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  };
  const value = (): unknown => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      space();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        space();
        const key = value();
        const k = key instanceof GoString ? key.value : key as string;
        space();
        i++; // ':'
        // defineProperty: a "__proto__" key is a field like any other.
        Object.defineProperty(o, k, { value: value(), enumerable: true, writable: true, configurable: true });
        space();
        if (text[i++] === '}') return o;
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        space();
        if (text[i++] === ']') return a;
      }
    }
    if (c === '"') {
      const start = i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      const raw = text.slice(start, ++i);
      const v = JSON.parse(raw) as string;
      const escape = raw.indexOf('\\');
      return escape < 0 ? v : new GoString(v, (JSON.parse(raw.slice(0, escape) + '"') as string).length);
    }
    for (const [word, v] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const start = i;
    while (i < text.length && /[-+.eE0-9]/.test(text[i]!)) i++;
    const n = text.slice(start, i);
    const x = Number(n);
    return EXACT_INTEGER.test(n) && Number.isSafeInteger(x) ? x : new GoNumber(n);
  };
  return value();
}

const LITERALS: readonly [string, unknown][] = [['true', true], ['false', false], ['null', null]];

/** The Go integer types of proto fields. */
export type GoInteger = 'int64' | 'uint64' | 'uint32';

const RANGES: Record<GoInteger, readonly [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
};

/** Canonical decimal integers every value of which the type holds (int64: 18 digits, uint64: 19, uint32: 9). */
const SHORT_CANONICAL: Record<GoInteger, RegExp> = {
  int64: /^(?:0|-?[1-9]\d{0,17})$/,
  uint64: /^(?:0|[1-9]\d{0,18})$/,
  uint32: /^(?:0|[1-9]\d{0,8})$/,
};

/** The UTF-8 bytes of a JS string (the text a string field held before JSON unescaped it). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export type GoIntegerRead = { readonly ok: true; readonly text: string | undefined } | { readonly ok: false; readonly message: string };

/**
 * An integer field as jsonpb reads it: a JSON number (`x` a number or GoNumber) as Go's
 * json.Unmarshal reads a number into `type` (strconv's ParseInt/ParseUint: digits only, in
 * range), a string as json.Unmarshal reads its text (so " 1" is 1, "01" and "1x" are syntax
 * errors, "null" leaves the field unset, "true" is a bool). `text`: the integer in canonical
 * decimal, undefined for null. Undefined for a value that is neither (the caller's type error).
 */
export function goUnmarshalInteger(x: unknown, type: GoInteger): GoIntegerRead | undefined {
  // The common case, quickly: canonical decimal text short enough to be in range.
  if (typeof x === 'string' && SHORT_CANONICAL[type].test(x)) return { ok: true, text: x };
  let text: string;
  if (typeof x === 'number') text = String(x);
  else if (x instanceof GoNumber) text = x.text;
  else if (typeof x === 'string' || x instanceof GoString) {
    // jsonpb reads the text between the quotes as sent: where JSON had to escape a character
    // (a quote, a backslash, a control character) or the sender wrote an escape, that text held
    // a backslash. The scanner stops at the first one (the raw text holds no JSON string), so
    // the text up to it decides.
    const plain = x instanceof GoString ? x.value.slice(0, x.firstEscape) + '\\' : x;
    let raw = '';
    for (const ch of plain) raw += ch === '"' || ch === '\\' || ch < ' ' ? '\\' : ch;
    const bytes = utf8(raw);
    const sc = new Scanner(bytes, true);
    sc.skipSpace();
    if (sc.i >= bytes.length) return { ok: false, message: 'unexpected end of JSON input' };
    const start = sc.i;
    try {
      sc.value(0);
      sc.skipSpace();
      if (sc.i < bytes.length) return { ok: false, message: `invalid character ${quoteChar(bytes[sc.i]!)} after top-level value` };
    } catch (err) {
      if (err instanceof GoSyntaxError) return { ok: false, message: err.message };
      throw err;
    }
    const first = bytes[start]!;
    const kind = first === 0x22 ? 'string' : first === 0x74 || first === 0x66 ? 'bool' : first === 0x5b ? 'array' : first === 0x7b ? 'object' : first === 0x6e ? 'null' : 'number';
    if (kind === 'null') return { ok: true, text: undefined };
    if (kind !== 'number') return { ok: false, message: `json: cannot unmarshal ${kind} into Go value of type ${type}` };
    text = plain.trim();
  } else return undefined;
  const [min, max] = RANGES[type];
  const digits = type === 'int64' ? /^-?\d+$/ : /^\d+$/;
  const n = digits.test(text) ? BigInt(text) : undefined;
  if (n === undefined || n < min || n > max) return { ok: false, message: `json: cannot unmarshal number ${text} into Go value of type ${type}` };
  return { ok: true, text: n.toString() };
}
