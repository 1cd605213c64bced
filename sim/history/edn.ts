// A small reader for EDN, the data notation of Jepsen's histories: maps, vectors, lists,
// sets, keywords, symbols, strings, characters, numbers, booleans, nil, tagged values
// (#inst "..." reads as its string) and comments. Keywords are interned, so a map keyed by
// keywords can be looked up with keyword('name').
import { HistoryParseError } from './parse-error.ts';
import { probeLine, type MemoryProbe } from './read-budget.ts';

export class EdnKeyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

export class EdnSymbol {
  constructor(readonly name: string) {}
}

export type EdnValue =
  | null
  | boolean
  | number
  | string
  | EdnKeyword
  | EdnSymbol
  | EdnValue[]
  | Set<EdnValue>
  | Map<EdnValue, EdnValue>;

const keywords = new Map<string, EdnKeyword>();

export function keyword(name: string): EdnKeyword {
  let k = keywords.get(name);
  if (k === undefined) keywords.set(name, (k = new EdnKeyword(name)));
  return k;
}

/** Bounds nesting so a hostile file cannot exhaust the stack. */
const DEPTH_MAX = 256;

/** A string's one-character escapes and what they stand for (\u is read apart). */
const ESCAPES: ReadonlyMap<string, string> = new Map([['n', '\n'], ['t', '\t'], ['r', '\r'], ['b', '\b'], ['f', '\f'], ['"', '"'], ['\\', '\\']]);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

const DELIMITERS = new Set([' ', '\t', '\n', '\r', ',', '(', ')', '[', ']', '{', '}', '"', ';']);

export class EdnReader {
  private pos = 0;
  private lineNo: number;

  constructor(
    private readonly text: string,
    firstLine = 1,
  ) {
    this.lineNo = firstLine;
  }

  get line(): number {
    return this.lineNo;
  }

  /** Skips whitespace and comments; false at the end of the text. */
  more(): boolean {
    this.skip();
    return this.pos < this.text.length;
  }

  /** Reads the next form. */
  read(depth = 0): EdnValue {
    if (depth > DEPTH_MAX) this.fail(`nesting deeper than ${DEPTH_MAX}`);
    this.skip();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of input');
    switch (c) {
      case '{':
        return this.readMap(depth);
      case '[':
        this.pos++;
        return this.readSeq(']', depth);
      case '(':
        this.pos++;
        return this.readSeq(')', depth);
      case '"':
        return this.readString();
      case ':':
        this.pos++;
        return keyword(this.readToken());
      case '#':
        return this.readDispatch(depth);
      case '\\':
        this.pos++;
        return this.readChar();
      case ')':
      case ']':
      case '}':
        this.fail(`unexpected '${c}'`);
    }
    return this.readAtom(this.readToken());
  }

  private fail(reason: string): never {
    throw new HistoryParseError(this.lineNo, `EDN: ${reason}`);
  }

  private skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === '\n') {
        this.lineNo++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === ',') this.pos++;
      else if (c === ';') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  private readToken(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !DELIMITERS.has(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail('empty token');
    return this.text.slice(start, this.pos);
  }

  private readSeq(close: string, depth: number): EdnValue[] {
    const out: EdnValue[] = [];
    while (true) {
      this.skip();
      const c = this.text[this.pos];
      if (c === undefined) this.fail(`missing '${close}'`);
      if (c === close) {
        this.pos++;
        return out;
      }
      out.push(this.read(depth + 1));
    }
  }

  private readMap(depth: number): Map<EdnValue, EdnValue> {
    this.pos++;
    const items = this.readSeq('}', depth);
    if (items.length % 2 !== 0) this.fail('map with an odd number of forms');
    const m = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) m.set(items[i]!, items[i + 1]!);
    return m;
  }

  private readDispatch(depth: number): EdnValue {
    const c = this.text[this.pos + 1];
    if (c === '{') {
      this.pos += 2;
      return new Set(this.readSeq('}', depth));
    }
    if (c === '_') {
      this.pos += 2;
      this.read(depth + 1);
      return this.read(depth);
    }
    this.pos++;
    this.readToken();
    // A tagged literal (#inst, #uuid, record tags): the tagged form's value is kept.
    return this.read(depth + 1);
  }

  /**
   * A string's text: the runs between escapes are sliced whole, and the parts joined once (a
   * string grown a character at a time took about 2 s a megabyte on the command line). Clojure's
   * pr-str writes \b and \f as well as \n, \t, \r, \" and \\ (char-escape-string).
   */
  private readString(): string {
    const t = this.text;
    const parts: string[] = [];
    let run = this.pos + 1;
    for (let i = run; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        if (parts.length === 0) return t.slice(run, i);
        parts.push(t.slice(run, i));
        return parts.join('');
      }
      if (c === NEWLINE) this.lineNo++;
      else if (c === BACKSLASH) {
        if (i > run) parts.push(t.slice(run, i));
        i = this.readEscape(i + 1, parts);
        run = i + 1;
      }
    }
    this.pos = t.length;
    this.fail('unterminated string');
  }

  /** The escape whose letter is at `at`, pushed onto `parts`; the index of its last character. */
  private readEscape(at: number, parts: string[]): number {
    const t = this.text;
    const e = t[at];
    const escaped = e === undefined ? undefined : ESCAPES.get(e);
    if (escaped !== undefined) {
      parts.push(escaped);
      return at;
    }
    if (e === 'u') {
      const hex = t.slice(at + 1, at + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
      parts.push(String.fromCharCode(parseInt(hex, 16)));
      return at + 4;
    }
    this.pos = at + 1;
    this.fail(`bad escape '\\${e ?? ''}'`);
  }

  private readChar(): string {
    const tok = this.readToken();
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };
    return named[tok] ?? tok;
  }

  private readAtom(tok: string): EdnValue {
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (/^[+-]?\d+N?$/.test(tok)) return Number(tok.replace(/N$/, ''));
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(tok)) return Number(tok.replace(/M$/, ''));
    if (/^[+-]?\d/.test(tok)) this.fail(`bad number '${tok}'`);
    return new EdnSymbol(tok);
  }
}

/** Reads every form in `text`; `probe`: the memory bound, asked every few thousand forms (read-budget.ts). */
export function readAllEdn(text: string, probe?: MemoryProbe): { value: EdnValue; line: number }[] {
  const r = new EdnReader(text);
  const out: { value: EdnValue; line: number }[] = [];
  while (r.more()) {
    const line = r.line;
    probeLine(probe, out.length + 1);
    out.push({ value: r.read(), line });
  }
  return out;
}

/** EDN to plain JSON-like data: keywords and symbols become their names, maps objects, sets arrays. */
export function ednToPlain(v: EdnValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof EdnKeyword || v instanceof EdnSymbol) return v.name;
  if (Array.isArray(v)) return v.map(ednToPlain);
  if (v instanceof Set) return [...v].map(ednToPlain);
  const o: Record<string, unknown> = {};
  // defineProperty, not assignment: a key named "__proto__" must become an own property (as
  // JSON.parse makes it), not replace the object's prototype and vanish.
  for (const [k, val] of v) {
    const name = k instanceof EdnKeyword || k instanceof EdnSymbol ? k.name : String(ednToPlain(k));
    Object.defineProperty(o, name, { value: ednToPlain(val), enumerable: true, writable: true, configurable: true });
  }
  return o;
}
