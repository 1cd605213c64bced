// Splits a byte stream of concatenated JSON values (how the gateway reads a streaming request
// body such as a watch's) into complete values, however the chunks fall.

/** Bound on one buffered value, so a client cannot make the bridge hold unbounded memory. */
export const JSON_VALUE_BYTES_MAX = 4 * 1024 * 1024;

export class JsonStreamSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds text; returns the complete top-level JSON texts it finished. */
  push(text: string): string[] {
    this.buffer += text;
    if (this.buffer.length > JSON_VALUE_BYTES_MAX) throw new Error('json stream: value too large');
    const out: string[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === '}' || ch === ']') {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          out.push(this.buffer.slice(this.start, i + 1));
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    this.scanned = this.buffer.length;
    if (this.depth === 0 && this.buffer.trim() === '') {
      this.buffer = '';
      this.scanned = 0;
    }
    return out;
  }
}
