// Reads the first JSON value of a request body the way Go's encoding/json Decoder does (which is
// what etcd's gateway uses): text after that value is ignored, and a syntax error gets Go's own
// message ("invalid character 'x' looking for beginning of value", "unexpected EOF"), so a
// malformed request gets the same answer from detcd serve as from etcd.

export type GoJsonScan = { readonly ok: true; readonly end: number; readonly empty: boolean } | { readonly ok: false; readonly message: string };

/** Go's quoteChar: the offending byte as Go prints it. */
function quoteChar(b: number): string {
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return '\'"\'';
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
  constructor(private readonly s: Uint8Array) {}

  private peek(): number {
    if (this.i >= this.s.length) throw new GoSyntaxError('unexpected EOF');
    return this.s[this.i] as number;
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
      const b = this.peek();
      if (!isDigit(b)) this.fail(b, 'in numeric literal');
    }
    if (more() === 0x30) this.i++;
    else while (more() !== undefined && isDigit(more()!)) this.i++;
    if (more() === 0x2e) {
      this.i++;
      const b = this.peek();
      if (!isDigit(b)) this.fail(b, 'after decimal point in numeric literal');
      while (more() !== undefined && isDigit(more()!)) this.i++;
    }
    const e = more();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      let b = this.peek();
      if (b === 0x2b || b === 0x2d) {
        this.i++;
        b = this.peek();
      }
      if (!isDigit(b)) this.fail(b, 'in exponent of numeric literal');
      while (more() !== undefined && isDigit(more()!)) this.i++;
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      const b = this.peek();
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
