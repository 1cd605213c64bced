// Whether etcd 3.4 could decode a request message, and if not, its words. etcd's messages are
// decoded by gogo-protobuf's generated Unmarshal methods (rpc.pb.go), which refuse what
// protobufjs takes (a known field with the wrong wire type is read anyway by protobufjs) and say
// why in their own text: "proto: wrong wireType = 0 for field Key", "proto: RangeRequest:
// illegal tag 0 (wire type 0)", "proto: RangeRequest: wiretype end group for non-group",
// "proto: illegal wireType 6" (skipping an unknown field), "proto: integer overflow",
// "proto: negative length found during unmarshaling", "unexpected EOF". This walks the bytes as
// those methods do, in their order of checks, with the message's descriptor from our .proto.
// Varints are 64-bit in Go: the rare long ones are read as BigInt.

/** The part of a protobuf DescriptorProto field that decoding needs (as @grpc/proto-loader gives it). */
export interface FieldDescriptor {
  readonly name: string;
  readonly number: number;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
}

export interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
}

/** A message's descriptor by the type name a field gives, relative to the message that names it. */
export type MessageLookup = (typeName: string, from: MessageDescriptor) => MessageDescriptor | undefined;

const ERR_EOF = 'unexpected EOF';
const ERR_OVERFLOW = 'proto: integer overflow';
const ERR_NEGATIVE_LENGTH = 'proto: negative length found during unmarshaling';

const VARINT_TYPES = new Set(['TYPE_INT32', 'TYPE_INT64', 'TYPE_UINT32', 'TYPE_UINT64', 'TYPE_SINT32', 'TYPE_SINT64', 'TYPE_BOOL', 'TYPE_ENUM']);
const FIXED64_TYPES = new Set(['TYPE_FIXED64', 'TYPE_SFIXED64', 'TYPE_DOUBLE']);
const FIXED32_TYPES = new Set(['TYPE_FIXED32', 'TYPE_SFIXED32', 'TYPE_FLOAT']);

/** The wire type a field's values are written with (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
function wireTypeOf(field: FieldDescriptor): number {
  if (VARINT_TYPES.has(field.type)) return 0;
  if (FIXED64_TYPES.has(field.type)) return 1;
  if (FIXED32_TYPES.has(field.type)) return 5;
  return 2;
}

/** protoc-gen-gogo's CamelCase of a field name, as its errors name the field ("range_end" -> "RangeEnd"). */
export function goFieldName(name: string): string {
  return name.replace(/^[a-z]/, (c) => c.toUpperCase()).replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** gogo's error, thrown out of the walk (its text is the answer). */
class Refused extends Error {}

/** A cursor over one message's bytes [at, end). */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly end: number,
  ) {}

  /** A varint as Go's generated loop reads it: overflow past 64 bits, EOF at the end; BigInt past 7 bytes. */
  varint(): bigint | number {
    let n = 0;
    let big: bigint | undefined;
    for (let shift = 0; ; shift += 7) {
      if (shift >= 64) throw new Refused(ERR_OVERFLOW);
      if (this.at >= this.end) throw new Refused(ERR_EOF);
      const b = this.bytes[this.at++]!;
      if (shift < 49) n += (b & 0x7f) * 2 ** shift;
      else big = (big ?? BigInt(n)) | (BigInt(b & 0x7f) << BigInt(shift));
      if (b < 0x80) return big === undefined ? n : BigInt.asUintN(64, big);
    }
  }

  /** A length as Go's `int`: negative when the varint's bit 63 is set. */
  length(): number {
    const v = this.varint();
    if (typeof v === 'number') return v;
    const signed = BigInt.asIntN(64, v);
    if (signed < 0n) throw new Refused(ERR_NEGATIVE_LENGTH);
    return signed > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(signed);
  }

  /** The end of `n` more bytes, which must be there. */
  span(n: number): number {
    if (this.at + n > this.end) throw new Refused(ERR_EOF);
    return this.at + n;
  }
}

/** gogo's skipRpc: how far an unknown field (from its tag at c.at) reaches. */
function skip(c: Cursor): void {
  const { wireType } = tag(c.varint());
  switch (wireType) {
    case 0:
      c.varint();
      return;
    case 1:
      c.at += 8;
      return;
    case 2: {
      const n = c.length();
      c.at += n;
      return;
    }
    case 3:
      // A group: fields until its end tag.
      for (;;) {
        const start = c.at;
        if (tag(c.varint()).wireType === 4) return;
        c.at = start;
        skip(c);
      }
    case 4:
      return;
    case 5:
      c.at += 4;
      return;
    default:
      throw new Refused(`proto: illegal wireType ${wireType}`);
  }
}

/** A field's tag as Go splits it: fieldNum is int32(wire >> 3), so a long tag can wrap to any number. */
function tag(wire: bigint | number): { fieldNum: number; wireType: number; wire: bigint | number } {
  if (typeof wire === 'number' && wire < 2 ** 31) return { fieldNum: wire >>> 3, wireType: wire & 7, wire };
  const w = BigInt(wire);
  return { fieldNum: Number(BigInt.asIntN(32, w >> 3n)), wireType: Number(w & 7n), wire };
}

/** Each message's fields by number, built once. */
const FIELDS = new WeakMap<MessageDescriptor, Map<number, FieldDescriptor>>();

function fieldsOf(message: MessageDescriptor): Map<number, FieldDescriptor> {
  let fields = FIELDS.get(message);
  if (fields === undefined) FIELDS.set(message, (fields = new Map(message.field.map((f) => [f.number, f]))));
  return fields;
}

function unmarshal(c: Cursor, message: MessageDescriptor, lookup: MessageLookup): void {
  const fields = fieldsOf(message);
  while (c.at < c.end) {
    const preIndex = c.at;
    const { fieldNum, wireType, wire } = tag(c.varint());
    if (wireType === 4) throw new Refused(`proto: ${message.name}: wiretype end group for non-group`);
    if (fieldNum <= 0) throw new Refused(`proto: ${message.name}: illegal tag ${fieldNum} (wire type ${wire})`);
    const field = fields.get(fieldNum);
    if (field === undefined) {
      c.at = preIndex;
      skip(c);
      if (c.at > c.end) throw new Refused(ERR_EOF);
      continue;
    }
    value(c, message, field, wireType, lookup);
  }
}

/** One known field's value, as its generated case reads it. */
function value(c: Cursor, message: MessageDescriptor, field: FieldDescriptor, wireType: number, lookup: MessageLookup): void {
  const expected = wireTypeOf(field);
  const packable = field.label === 'LABEL_REPEATED' && expected !== 2;
  if (packable && wireType === 2) {
    // A packed run: its length, then values up to there (each read against the message's end, as gogo does).
    const end = c.span(c.length());
    while (c.at < end) scalar(c, expected);
    return;
  }
  if (wireType !== expected) throw new Refused(`proto: wrong wireType = ${wireType} for field ${goFieldName(field.name)}`);
  if (expected !== 2) return scalar(c, expected);
  const end = c.span(c.length());
  if (field.type === 'TYPE_MESSAGE') {
    const nested = lookup(field.typeName, message);
    if (nested !== undefined) unmarshal(new Cursor(c.bytes, c.at, end), nested, lookup);
  }
  c.at = end;
}

function scalar(c: Cursor, wireType: number): void {
  if (wireType === 0) c.varint();
  else c.at = c.span(wireType === 1 ? 8 : 4);
}

/** Why etcd 3.4 would refuse to decode `bytes` as `message` (gogo's error text), or undefined if it decodes. */
export function gogoUnmarshalError(bytes: Uint8Array, message: MessageDescriptor, lookup: MessageLookup): string | undefined {
  try {
    unmarshal(new Cursor(bytes, 0, bytes.length), message, lookup);
    return undefined;
  } catch (err) {
    if (err instanceof Refused) return err.message;
    throw err;
  }
}
