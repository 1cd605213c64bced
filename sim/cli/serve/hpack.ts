// HPACK (RFC 7541), the decoding half and a plain encoder: what the port needs to rewrite the
// header blocks a gRPC client sends (see h2-authority.ts). Decoding keeps the sender's dynamic
// table; encoding writes every field as a literal that is never added to a table, with raw
// (not Huffman) strings, so the receiver's table stays empty whatever the sender's holds.
// Strings are latin1: one character per octet, so binary header values pass unchanged.

/** RFC 7541 Appendix A. */
const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/**
 * The Huffman code lengths of RFC 7541 Appendix B, symbols 0..255 then EOS (256). The code is
 * canonical: codes follow from the lengths alone (assigned in order of length, then symbol).
 */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];
const CODE_BITS_MAX = 30;
const EOS = 256;

/** Per length: the first canonical code and the symbols with that length, in order. */
interface Canonical {
  readonly first: readonly number[];
  readonly symbols: readonly (readonly number[])[];
}

function canonical(): Canonical {
  const symbols: number[][] = Array.from({ length: CODE_BITS_MAX + 1 }, () => []);
  CODE_LENGTHS.forEach((len, sym) => symbols[len]!.push(sym));
  const first: number[] = [];
  let code = 0;
  for (let len = 0; len <= CODE_BITS_MAX; len++) {
    first.push(code);
    code = (code + symbols[len]!.length) * 2;
  }
  return { first, symbols };
}

const CODE = canonical();

/** The code of `symbol` (tests check it against RFC 7541's table). */
export function huffmanCode(symbol: number): { code: number; bits: number } {
  const bits = CODE_LENGTHS[symbol]!;
  return { code: CODE.first[bits]! + CODE.symbols[bits]!.indexOf(symbol), bits };
}

export class HpackError extends Error {}

export function huffmanDecode(data: Buffer): string {
  let out = '';
  let code = 0;
  let bits = 0;
  for (const byte of data) {
    for (let b = 7; b >= 0; b--) {
      code = code * 2 + ((byte >> b) & 1);
      bits++;
      const i = code - CODE.first[bits]!;
      const symbols = CODE.symbols[bits]!;
      if (i >= 0 && i < symbols.length) {
        const sym = symbols[i]!;
        if (sym === EOS) throw new HpackError('hpack: EOS in a Huffman string');
        out += String.fromCharCode(sym);
        code = 0;
        bits = 0;
      } else if (bits >= CODE_BITS_MAX) {
        throw new HpackError('hpack: invalid Huffman code');
      }
    }
  }
  // The padding: fewer than 8 bits, all ones (a prefix of EOS).
  if (bits >= 8 || code !== 2 ** bits - 1) throw new HpackError('hpack: invalid Huffman padding');
  return out;
}

export interface HeaderField {
  readonly name: string;
  readonly value: string;
  /** Sent as "never indexed" (a sensitive value): kept so when encoded again. */
  readonly sensitive: boolean;
}

/** A cursor over one header block. */
class Reader {
  private at = 0;
  constructor(private readonly block: Buffer) {}

  get done(): boolean {
    return this.at >= this.block.length;
  }

  peek(): number {
    return this.block[this.at]!;
  }

  integer(prefixBits: number): number {
    if (this.done) throw new HpackError('hpack: truncated integer');
    const max = 2 ** prefixBits - 1;
    let n = this.block[this.at++]! & max;
    if (n < max) return n;
    for (let shift = 0; ; shift += 7) {
      if (this.done || shift > 28) throw new HpackError('hpack: bad integer');
      const b = this.block[this.at++]!;
      n += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return n;
    }
  }

  string(): string {
    if (this.done) throw new HpackError('hpack: truncated string');
    const huffman = (this.peek() & 0x80) !== 0;
    const len = this.integer(7);
    if (this.at + len > this.block.length) throw new HpackError('hpack: truncated string');
    const data = this.block.subarray(this.at, this.at + len);
    this.at += len;
    return huffman ? huffmanDecode(data) : data.toString('latin1');
  }
}

/** Decodes the header blocks of one direction of one connection, in order (the table is shared). */
export class HpackDecoder {
  private readonly dynamic: (readonly [string, string])[] = [];
  private size = 0;

  constructor(private maxSize = 4096) {}

  private entry(index: number): readonly [string, string] {
    const e = index <= STATIC_TABLE.length ? STATIC_TABLE[index - 1] : this.dynamic[index - STATIC_TABLE.length - 1];
    if (index < 1 || e === undefined) throw new HpackError(`hpack: no table entry ${index}`);
    return e;
  }

  private add(name: string, value: string): void {
    this.dynamic.unshift([name, value]);
    this.size += name.length + value.length + 32;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize) {
      const [n, v] = this.dynamic.pop()!;
      this.size -= n.length + v.length + 32;
    }
  }

  decode(block: Buffer): HeaderField[] {
    const r = new Reader(block);
    const fields: HeaderField[] = [];
    while (!r.done) {
      const b = r.peek();
      if (b & 0x80) {
        const [name, value] = this.entry(r.integer(7));
        fields.push({ name, value, sensitive: false });
      } else if (b & 0x40) {
        const index = r.integer(6);
        const name = index === 0 ? r.string() : this.entry(index)[0];
        const value = r.string();
        this.add(name, value);
        fields.push({ name, value, sensitive: false });
      } else if (b & 0x20) {
        this.maxSize = r.integer(5);
        this.evict();
      } else {
        const sensitive = (b & 0x10) !== 0;
        const index = r.integer(4);
        const name = index === 0 ? r.string() : this.entry(index)[0];
        fields.push({ name, value: r.string(), sensitive });
      }
    }
    return fields;
  }
}

function integer(n: number, prefixBits: number, firstByte: number): number[] {
  const max = 2 ** prefixBits - 1;
  if (n < max) return [firstByte | n];
  const out = [firstByte | max];
  let rest = n - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

function rawString(s: string): Buffer {
  return Buffer.concat([Buffer.from(integer(s.length, 7, 0)), Buffer.from(s, 'latin1')]);
}

/** A header block of literals that no table keeps ("without indexing", or "never indexed" when sensitive). */
export function encodeLiterals(fields: readonly HeaderField[]): Buffer {
  return Buffer.concat(fields.flatMap((f) => [Buffer.from([f.sensitive ? 0x10 : 0x00]), rawString(f.name), rawString(f.value)]));
}
