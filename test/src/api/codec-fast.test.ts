// The codec's fast paths give what its schema walk gives: the hand-written encoders of nested
// key-values, events and headers (encodeNested), decoding that looks up only the fields a plain
// object spells (presentFields), and sizes summed over a plain object's own fields (messageSize).
// A class instance still takes the schema walk in all three, so it serves as the reference:
// same objects, same key order, same errors, same sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeKeyValue, encodeMessage } from '../../../src/api/json-codec.ts';
import { messageSize } from '../../../src/api/proto-size.ts';
import type { Kind, Schema } from '../../../src/api/schema.ts';
import * as S from '../../../src/api/schema.ts';
import { fcParams } from '../../property-seed.ts';

/** Key order, bigints and -0 included: toEqual ignores key order. */
function text(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : v));
}

const binary = fc.uint8Array({ maxLength: 5 }).map((a) => String.fromCharCode(...a));
const int64 = fc.oneof(fc.constantFrom(0, -0, 1, 2 ** 53 - 1), fc.integer({ min: -50, max: 50 }));
const optional = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });
const keyValue = fc.record({
  key: optional(binary), create_revision: optional(int64), mod_revision: optional(int64), version: optional(int64),
  value: optional(binary), lease: optional(fc.oneof(fc.constantFrom(0n, 1n, (1n << 63n) - 1n), fc.bigInt({ min: -5n, max: 5n }))),
}, { requiredKeys: [] });
const event = fc.record({ type: optional(fc.constantFrom('PUT', 'DELETE')), kv: optional(keyValue), prev_kv: optional(keyValue) }, { requiredKeys: [] });
const responseHeader = fc.record({
  cluster_id: optional(fc.constantFrom('', '0', '7', '14841639068965178418')), member_id: optional(fc.constantFrom('', '0', '2')),
  revision: optional(int64), raft_term: optional(int64),
}, { requiredKeys: [] });

/** The schema walk's answer for a nested message: encodeMessage walks the schema at the top level. */
const walked = (schema: Schema, x: object): unknown => encodeMessage(schema, x);

describe('hand-written encoders of nested messages', () => {
  it('encode key-values, events and headers as the schema walk does', () => {
    fc.assert(fc.property(keyValue, event, responseHeader, (kv, ev, header) => {
      expect(text(encodeKeyValue(kv))).toBe(text(walked(S.KeyValue, kv)));
      const watch = encodeMessage(S.WatchResponse, { header, events: [ev] });
      expect(text(watch['events'])).toBe(text([walked(S.Event, ev)]));
      expect(text(watch['header'])).toBe(text(walked(S.ResponseHeader, header)));
      expect(text(encodeMessage(S.PutResponse, { prev_kv: kv })['prev_kv'])).toBe(text(walked(S.KeyValue, kv)));
    }), fcParams(500));
  });

  it('leave out zero values and keep the schema order', () => {
    expect(JSON.stringify(encodeKeyValue({ lease: 5n, value: 'b', key: 'a', version: 0, mod_revision: -0, create_revision: 3 })))
      .toBe('{"key":"YQ==","create_revision":"3","value":"Yg==","lease":"5"}');
    expect(JSON.stringify(encodeMessage(S.WatchResponse, { events: [{ prev_kv: { key: '' }, type: 'PUT', kv: { key: 'a' } }] })))
      .toBe('{"events":[{"kv":{"key":"YQ=="},"prev_kv":{}}]}');
  });

  it('encode one KeyValue once: every response that carries it shares one frozen object (a stored KeyValue never changes)', () => {
    const kv = { key: 'k', create_revision: 2, mod_revision: 3, version: 2, value: 'v', lease: 0n };
    const first = encodeKeyValue(kv);
    expect(Object.isFrozen(first)).toBe(true);
    expect(encodeKeyValue(kv)).toBe(first);
    expect((encodeMessage(S.RangeResponse, { kvs: [kv, kv] })['kvs'] as unknown[])).toEqual([first, first]);
    expect((encodeMessage(S.RangeResponse, { kvs: [kv] })['kvs'] as unknown[])[0]).toBe(first);
    const events = encodeMessage(S.WatchResponse, { events: [{ kv, prev_kv: kv }] })['events'] as { kv: unknown; prev_kv: unknown }[];
    expect(events[0]?.kv).toBe(first);
    expect(events[0]?.prev_kv).toBe(first);
    // Another object with the same fields is encoded on its own, to an equal object.
    const twin = encodeKeyValue({ ...kv });
    expect(twin).not.toBe(first);
    expect(twin).toEqual(first);
    // KeyValues of one revision from many members, more than the cache keeps: each still encodes to its own fields.
    const members = Array.from({ length: 9 }, (_, i) => ({ ...kv, value: `v${i}` }));
    for (let round = 0; round < 2; round++) {
      for (const [i, m] of members.entries()) expect(encodeKeyValue(m)).toEqual(encodeMessage(S.KeyValue, { ...kv, value: `v${i}` }));
    }
  });
});

/** Plain gateway JSON for `schema`, in either spelling of each field, with nulls and fields of no schema. */
function gatewayJson(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const entries = schema.map(([name, kind]) => {
    const camel = name.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    const spelling = camel === name ? fc.constant(name) : fc.constantFrom(name, camel);
    return fc.tuple(spelling, fc.oneof({ weight: 6, arbitrary: fieldJson(kind, depth) }, { weight: 1, arbitrary: fc.constant(null) }));
  });
  const stray = fc.tuple(fc.constantFrom('bogus', 'toString', '__proto__x'), fc.constant(1));
  return fc.array(fc.oneof(...entries, stray), { maxLength: 6 }).map((pairs) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs) o[k] = v;
    return o;
  });
}

function fieldJson(kind: Kind, depth: number): fc.Arbitrary<unknown> {
  if (typeof kind === 'string') {
    switch (kind) {
      case 'bytes': return fc.oneof(binary.map((s) => Buffer.from(s, 'latin1').toString('base64')), fc.constant('YQ='));
      case 'int64': case 'uint32': return fc.oneof(int64, int64.map(String), fc.constant('x'));
      case 'bigint': case 'id': return fc.constantFrom('0', '5', 7, '18446744073709551615');
      case 'bool': return fc.oneof(fc.boolean(), fc.constant('true'));
      case 'string': return fc.string({ maxLength: 3 });
    }
  }
  if ('repeated' in kind) return fc.array(fieldJson(kind.repeated, depth), { maxLength: 2 });
  if ('message' in kind) return depth <= 0 ? fc.constant({}) : gatewayJson(kind.message(), depth - 1);
  return fc.oneof(fc.constantFrom(...kind.names), fc.nat(kind.names.length), fc.constant('BOGUS'));
}

/** A copy whose objects are class instances: decoding then looks up every field of the schema. */
class Wrapped {}
function wrapped(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(wrapped);
  if (typeof x !== 'object' || x === null) return x;
  const out = new Wrapped() as Record<string, unknown>;
  for (const [k, v] of Object.entries(x)) out[k] = wrapped(v);
  return out;
}

describe('decoding looks up only the fields an object spells', () => {
  const schemas: [string, Schema][] = [
    ['RangeRequest', S.RangeRequest], ['PutRequest', S.PutRequest], ['TxnRequest', S.TxnRequest],
    ['WatchRequest', S.WatchRequest], ['LeaseGrantRequest', S.LeaseGrantRequest], ['CompactionRequest', S.CompactionRequest],
  ];
  for (const [name, schema] of schemas) {
    it(`decodes a ${name} as the schema walk does, errors included`, () => {
      fc.assert(fc.property(gatewayJson(schema, 2), (json) => {
        const fast = decodeMessage(schema, json);
        expect(text(fast)).toBe(text(decodeMessage(schema, wrapped(json))));
        const nullProto = Object.assign(Object.create(null) as object, json);
        expect(text(decodeMessage(schema, nullProto))).toBe(text(fast));
        // The size sums a plain object's own fields; the schema walk (for an instance) gives the same.
        if (fast.ok) expect(messageSize(schema, fast.value as object)).toBe(messageSize(schema, wrapped(fast.value) as object));
      }), fcParams(400));
    });
  }

  it('reads the proto name before the lowerCamel one, and a null proto name hides the other', () => {
    expect(decodeMessage(S.RangeRequest, { rangeEnd: 'Yg==', range_end: 'YQ==' })).toEqual({ ok: true, value: { range_end: 'a' } });
    expect(decodeMessage(S.RangeRequest, { range_end: null, rangeEnd: 'Yg==' })).toEqual({ ok: true, value: {} });
    expect(decodeMessage(S.RangeRequest, { rangeEnd: 'Yg==' })).toEqual({ ok: true, value: { range_end: 'b' } });
  });

  it('sizes a key-value from its own fields as from the schema, unknown keys ignored', () => {
    fc.assert(fc.property(keyValue, (kv) => {
      expect(messageSize(S.KeyValue, { ...kv, bogus: 'x' })).toBe(messageSize(S.KeyValue, wrapped(kv) as object));
      expect(messageSize(S.WatchResponse, { events: [{ type: 'PUT', kv }] })).toBe(messageSize(S.WatchResponse, wrapped({ events: [{ type: 'PUT', kv }] }) as object));
    }), fcParams(300));
  });
});
