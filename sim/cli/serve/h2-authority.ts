// etcd 3.4's Go clients (etcdctl, clientv3) given an endpoint with its scheme
// ("--endpoints=http://127.0.0.1:2379", the usual form) dial "passthrough:///http://..." and
// send ":authority: http://127.0.0.1:2379". etcd's Go gRPC server accepts that; Node's HTTP/2
// (nghttp2) refuses an authority with a "/" in it and resets the stream (PROTOCOL_ERROR), so
// every call failed. This rewriter sits on the client-to-server bytes of one connection: it
// reads the first request's header block and, only when its :authority (or host) carries a
// scheme, rewrites that connection's header blocks from then on, the scheme dropped. Every
// block must then be re-encoded (hpack.ts: literals no table keeps), since the server's HPACK
// table must not miss entries the client's has; a connection whose first authority is plain
// passes through untouched, byte for byte.
import { encodeLiterals, HpackDecoder, type HeaderField } from './hpack.ts';

const PREFACE_BYTES = 24;
const FRAME_HEADER_BYTES = 9;
const HEADERS = 0x1;
const CONTINUATION = 0x9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
/** HTTP/2's default SETTINGS_MAX_FRAME_SIZE, which the server (Node) keeps. */
const FRAME_BYTES_MAX = 16_384;
/** Bound on one header block being gathered (gRPC metadata is small). */
const BLOCK_BYTES_MAX = 1024 * 1024;

function withoutScheme(field: HeaderField): HeaderField {
  if (field.name !== ':authority' && field.name !== 'host') return field;
  return { ...field, value: field.value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') };
}

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(FRAME_HEADER_BYTES);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId, 5);
  return Buffer.concat([h, payload]);
}

export class AuthorityRewriter {
  private pending: Buffer = Buffer.alloc(0);
  private prefaceLeft = PREFACE_BYTES;
  /** undefined until the first header block decided; then whether to rewrite this connection. */
  private rewriting: boolean | undefined;
  private readonly decoder = new HpackDecoder();
  /** A HEADERS frame waiting for its CONTINUATIONs: its stream, END_STREAM, fragments and raw frames. */
  private block: { streamId: number; endStream: boolean; fragments: Buffer[]; raw: Buffer[]; bytes: number } | undefined;

  /** Takes bytes from the client; returns the bytes to send to the server (throws on a malformed header block). */
  push(chunk: Buffer): Buffer {
    if (this.passing()) return chunk;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    if (this.prefaceLeft > 0) {
      const n = Math.min(this.prefaceLeft, this.pending.length);
      out.push(this.pending.subarray(0, n));
      this.pending = this.pending.subarray(n);
      this.prefaceLeft -= n;
    }
    while (this.prefaceLeft === 0 && this.pending.length >= FRAME_HEADER_BYTES) {
      const len = this.pending.readUIntBE(0, 3);
      if (this.pending.length < FRAME_HEADER_BYTES + len) break;
      const raw = this.pending.subarray(0, FRAME_HEADER_BYTES + len);
      this.pending = this.pending.subarray(FRAME_HEADER_BYTES + len);
      out.push(this.frame(raw));
      if (this.passing()) {
        out.push(this.pending);
        this.pending = Buffer.alloc(0);
      }
    }
    return Buffer.concat(out);
  }

  /** The connection's first authority was plain: everything passes as it is. */
  private passing(): boolean {
    return this.rewriting === false;
  }

  /** One whole frame: passed on, or gathered (header blocks) and passed on rewritten. */
  private frame(raw: Buffer): Buffer {
    const type = raw[3]!;
    const flags = raw[4]!;
    const streamId = raw.readUInt32BE(5) & 0x7fffffff;
    if (type !== HEADERS && type !== CONTINUATION) return this.block === undefined ? raw : this.hold(raw);
    let payload = raw.subarray(FRAME_HEADER_BYTES);
    if (type === HEADERS) {
      const pad = flags & PADDED ? payload[0]! : 0;
      payload = payload.subarray(flags & PADDED ? 1 : 0, payload.length - pad);
      if (flags & PRIORITY) payload = payload.subarray(5);
      this.block = { streamId, endStream: (flags & END_STREAM) !== 0, fragments: [], raw: [], bytes: 0 };
    }
    const block = this.block;
    if (block === undefined) return raw;
    block.fragments.push(payload);
    block.raw.push(raw);
    block.bytes += payload.length;
    if (block.bytes > BLOCK_BYTES_MAX) throw new Error('h2: header block too large');
    if ((flags & END_HEADERS) === 0) return Buffer.alloc(0);
    this.block = undefined;
    return this.headerBlock(block.streamId, block.endStream, Buffer.concat(block.fragments), Buffer.concat(block.raw));
  }

  /** Frames of other types between a HEADERS and its CONTINUATION are a protocol error: let the server say so. */
  private hold(raw: Buffer): Buffer {
    const block = this.block!;
    this.block = undefined;
    return Buffer.concat([...block.raw, raw]);
  }

  private headerBlock(streamId: number, endStream: boolean, block: Buffer, raw: Buffer): Buffer {
    const fields = this.decoder.decode(block);
    if (this.rewriting === undefined) {
      this.rewriting = fields.some((f) => withoutScheme(f) !== f && withoutScheme(f).value !== f.value);
      if (!this.rewriting) return raw;
    }
    const encoded = encodeLiterals(fields.map(withoutScheme));
    const frames: Buffer[] = [];
    for (let at = 0; at < encoded.length || at === 0; at += FRAME_BYTES_MAX) {
      const part = encoded.subarray(at, at + FRAME_BYTES_MAX);
      const last = at + FRAME_BYTES_MAX >= encoded.length;
      const flags = (last ? END_HEADERS : 0) | (at === 0 && endStream ? END_STREAM : 0);
      frames.push(frame(at === 0 ? HEADERS : CONTINUATION, flags, streamId, part));
    }
    return Buffer.concat(frames);
  }
}
