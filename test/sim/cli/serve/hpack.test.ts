// HPACK as the port rewrites gRPC header blocks: the canonical Huffman codes are RFC 7541's,
// its Appendix C examples decode (with the dynamic table carried from request to request), and
// a connection whose first :authority carries a scheme is rewritten without it while a plain
// one passes byte for byte.
import { describe, expect, test } from 'vitest';
import { encodeLiterals, HpackDecoder, HpackError, huffmanCode } from '../../../../sim/cli/serve/hpack.ts';
import { AuthorityRewriter } from '../../../../sim/cli/serve/h2-authority.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const pairs = (fields: { name: string; value: string }[]): string[][] => fields.map((f) => [f.name, f.value]);

describe('HPACK', () => {
  test("the canonical Huffman codes are RFC 7541 Appendix B's", () => {
    expect(huffmanCode(0)).toEqual({ code: 0x1ff8, bits: 13 });
    expect(huffmanCode(1)).toEqual({ code: 0x7fffd8, bits: 23 });
    expect(huffmanCode(47)).toEqual({ code: 0x18, bits: 6 });
    expect(huffmanCode(97)).toEqual({ code: 0x3, bits: 5 });
    expect(huffmanCode(255)).toEqual({ code: 0x3ffffee, bits: 26 });
    expect(huffmanCode(256)).toEqual({ code: 0x3fffffff, bits: 30 });
  });

  test('Appendix C.4: three requests with Huffman strings share one dynamic table', () => {
    const d = new HpackDecoder();
    expect(pairs(d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff')))).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
    expect(pairs(d.decode(hex('8286 84be 5886 a8eb 1064 9cbf')))).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']]);
    expect(pairs(d.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf')))).toEqual([[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']]);
  });

  test('a bad index or a bad Huffman padding is an HpackError, not a crash', () => {
    expect(() => new HpackDecoder().decode(hex('be'))).toThrow(HpackError);
    expect(() => new HpackDecoder().decode(hex('0081 00'))).toThrow(HpackError);
  });

  test('literals re-encoded decode to the same fields and leave the table empty', () => {
    const fields = [{ name: ':authority', value: '127.0.0.1:2379', sensitive: false }, { name: 'token', value: 'x'.repeat(200), sensitive: true }];
    const d = new HpackDecoder();
    expect(d.decode(encodeLiterals(fields))).toEqual(fields);
    expect(() => d.decode(hex('be'))).toThrow(HpackError);
  });
});

/** An HTTP/2 frame. */
function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, payload]);
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const SETTINGS = frame(0x4, 0, 0, Buffer.alloc(0));
/** Literal with incremental indexing, :authority (index 1), raw value. */
const authority = (v: string): Buffer => Buffer.concat([Buffer.from([0x41, v.length]), Buffer.from(v, 'latin1')]);

describe('the authority rewriter', () => {
  test('a connection whose first :authority has a scheme: every header block is rewritten, the scheme dropped, the table honoured', () => {
    const first = Buffer.concat([hex('83 86'), authority('http://127.0.0.1:2379')]);
    const input = Buffer.concat([PREFACE, SETTINGS, frame(0x1, 0x4, 1, first), frame(0x0, 0x1, 1, Buffer.from('body')), frame(0x1, 0x5, 3, hex('83 86 be'))]);
    const r = new AuthorityRewriter();
    // Fed a byte at a time: frames cut anywhere are gathered.
    const out = Buffer.concat([...input].map((b) => r.push(Buffer.from([b]))));
    expect(out.subarray(0, PREFACE.length + SETTINGS.length)).toEqual(Buffer.concat([PREFACE, SETTINGS]));
    const d = new HpackDecoder();
    let at = PREFACE.length + SETTINGS.length;
    const seen: unknown[] = [];
    while (at < out.length) {
      const len = out.readUIntBE(at, 3);
      const payload = out.subarray(at + 9, at + 9 + len);
      seen.push(out[at + 3] === 0x1 ? { stream: out.readUInt32BE(at + 5), flags: out[at + 4], fields: pairs(d.decode(payload)) } : payload.toString());
      at += 9 + len;
    }
    expect(seen).toEqual([
      { stream: 1, flags: 0x4, fields: [[':method', 'POST'], [':scheme', 'http'], [':authority', '127.0.0.1:2379']] },
      'body',
      { stream: 3, flags: 0x5, fields: [[':method', 'POST'], [':scheme', 'http'], [':authority', '127.0.0.1:2379']] },
    ]);
  });

  test('a connection whose first :authority is plain passes byte for byte', () => {
    const input = Buffer.concat([PREFACE, SETTINGS, frame(0x1, 0x4, 1, Buffer.concat([hex('83 86'), authority('127.0.0.1:2379')])), frame(0x1, 0x4, 3, hex('83 86 be'))]);
    const r = new AuthorityRewriter();
    expect(Buffer.concat([r.push(input.subarray(0, 40)), r.push(input.subarray(40))])).toEqual(input);
  });
});
