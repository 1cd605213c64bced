// Splits a byte stream of concatenated JSON values (how the gateway reads a streaming request
// body such as a watch's) into complete values, however the chunks fall. Every top-level value
// is one, as Go's json.Decoder reads them: objects and arrays, strings, and a bare token (a
// number, a literal, or bytes that begin no value) ended by a space, a delimiter or the end of
// the body, so the reader refuses `5`, `"x"` or `[]` with etcd's own message instead of
// waiting for an object that never comes.

/** Bound on one buffered value, so a client cannot make the bridge hold unbounded memory. */
export const JSON_VALUE_BYTES_MAX = 4 * 1024 * 1024;

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
/** Bytes that end a bare token (Go's scanner ends a number or literal at any byte that cannot continue it). */
const ENDS_TOKEN = new Set([' ', '\t', '\n', '\r', '{', '}', '[', ']', '"', ',', ':']);

export class JsonStreamSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private inToken = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds text; returns the complete top-level JSON texts it finished. */
  push(text: string): string[] {
    this.buffer += text;
    if (this.buffer.length > JSON_VALUE_BYTES_MAX) throw new Error('json stream: value too large');
    const out: string[] = [];
    const emit = (end: number): void => {
      out.push(this.buffer.slice(this.start, end));
      this.buffer = this.buffer.slice(end);
      this.start = -1;
    };
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.depth === 0) {
            emit(i + 1);
            i = -1;
          }
        }
        continue;
      }
      if (this.inToken) {
        if (!ENDS_TOKEN.has(ch)) continue;
        this.inToken = false;
        emit(i);
        i = -1;
        continue;
      }
      if (this.depth === 0 && isSpace(ch)) continue;
      if (this.depth === 0) this.start = i;
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        if (this.depth === 0) {
          // A closing delimiter that opens nothing: a value of its own, which the reader refuses.
          emit(i + 1);
          i = -1;
          continue;
        }
        this.depth--;
        if (this.depth === 0) {
          emit(i + 1);
          i = -1;
        }
      } else if (this.depth === 0) this.inToken = true;
    }
    this.scanned = this.buffer.length;
    if (this.start < 0 && this.buffer.trim() === '') {
      this.buffer = '';
      this.scanned = 0;
    }
    return out;
  }

  /** At the end of the body: what is left unfinished (a bare token, or a value cut short), if anything. */
  end(): string | undefined {
    const rest = this.start < 0 ? '' : this.buffer.slice(this.start);
    this.buffer = '';
    this.scanned = 0;
    this.start = -1;
    this.depth = 0;
    this.inString = this.inToken = this.escaped = false;
    return rest.trim() === '' ? undefined : rest;
  }
}
