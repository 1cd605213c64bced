// normalizeMeasured does in one walk what a member did in three for every proposal: the normal
// form (normalizeMessage), the protobuf size (messageSize) and the gateway JSON text's length
// (encodedTextLength). These tests hold it to those three for any decoded request, and for
// values not decoded by the codec (keys out of order, extra keys, undefined fields, -0, values of
// other types), and check that a value already in normal form is kept, not copied.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodedTextLength } from '../../../src/api/encoded-length.ts';
import { encodeMessage, normalizeMessage } from '../../../src/api/json-codec.ts';
import { freezeNormal, normalizeMeasured } from '../../../src/api/normal-form.ts';
import { messageSize } from '../../../src/api/proto-size.ts';
import type { Schema } from '../../../src/api/schema.ts';
import * as S from '../../../src/api/schema.ts';
import type { RaftRequest } from '../../../src/server/apply/raft-request.ts';
import { normalRaftRequestData, raftRequestData } from '../../../src/server/apply/raft-request.ts';
import { entryDataText } from '../../../src/raft/types.ts';
import { fcParams } from '../../property-seed.ts';
import { KIND_SCHEMAS, SCHEMAS, decodedRequest, deeplyFrozen, forEveryDecoded, text } from '../server/apply/request-json-arbitrary.ts';


/** What the three walks say of `value`, or the error one of them throws. */
function threeWalks(schema: Schema, value: object): { normal: string | undefined; proto: number; text: number } | string {
  try {
    const normal = normalizeMessage(schema, value);
    return { normal: normal === undefined ? undefined : text(normal), proto: messageSize(schema, value), text: encodedTextLength(schema, value) };
  } catch (e) {
    return String(e);
  }
}

function expectSame(schema: Schema, value: object): void {
  const before = text(value);
  let m;
  try {
    m = normalizeMeasured(schema, value);
  } catch (e) {
    expect(threeWalks(schema, value)).toBe(String(e));
    return;
  }
  // The value is not written (frozen only by freezeNormal, later).
  expect(text(value)).toBe(before);
  if (m === undefined) return;
  const walks = threeWalks(schema, value);
  expect(typeof walks).toBe('object');
  if (typeof walks !== 'object') return;
  expect(text(m.value)).toBe(walks.normal);
  expect(m.protoSize).toBe(walks.proto);
  expect(m.textLength).toBe(walks.text);
  expect(m.textLength).toBe(JSON.stringify(encodeMessage(schema, m.value)).length);
}

/** A decoded message reshaped as a builder might make it: keys reversed, an unknown key, a field set to undefined, zeros as -0. */
function reshaped(x: unknown, how: number): unknown {
  if (Array.isArray(x)) return x.map((e) => reshaped(e, how));
  if (typeof x === 'number' && x === 0 && how % 5 === 4) return -0;
  if (typeof x !== 'object' || x === null) return x;
  const entries = Object.entries(x).map(([k, v]) => [k, reshaped(v, how)] as const);
  if (how % 5 === 0) entries.reverse();
  const out: Record<string, unknown> = Object.fromEntries(entries);
  if (how % 5 === 1) out['not_a_field'] = 1;
  if (how % 5 === 2) out['key'] = undefined;
  if (how % 5 === 3 && entries.length > 0) out[entries[0]![0]] = 7;
  return out;
}

describe('normalizeMeasured', () => {
  it('gives normalizeMessage, messageSize and encodedTextLength of any decoded message of any schema', () => {
    expect(SCHEMAS.length).toBeGreaterThan(40);
    for (const [name, schema] of SCHEMAS) {
      forEveryDecoded(schema, 2, name === 'TxnRequest' || name === 'TxnResponse' ? 300 : 40, (value) => {
        expectSame(schema, value);
        // Only a number the text cannot carry back (an int64 beyond 2^53) is left to the three walks.
        if (normalizeMessage(schema, value) !== undefined) expect(normalizeMeasured(schema, value), name).toBeDefined();
      });
    }
  });

  it('gives the same for values the codec did not build: keys out of order, unknown keys, undefined fields, -0, other types', () => {
    for (const [kind, schema] of KIND_SCHEMAS) {
      fc.assert(fc.property(decodedRequest(schema, 2), fc.nat(4), (value, how) => {
        if (value !== undefined) expectSame(schema, reshaped(value, how) as object);
      }), fcParams(kind === 'txn' ? 400 : 100));
    }
    // Not of the kind's type: left to the three walks.
    expect(normalizeMeasured(S.PutRequest, { key: 5 })).toBeUndefined();
    expect(normalizeMeasured(S.TxnRequest, { compare: {} })).toBeUndefined();
    expect(normalizeMeasured(S.RangeRequest, { key: 'k', sort_order: 'SIDEWAYS' })).toBeUndefined();
    expect(normalizeMeasured(S.RangeRequest, { key: 'k', limit: 2 ** 60 })).toBeUndefined();
  });

  it('keeps what is already normal and copies only what is not', () => {
    const put = { key: 'k', value: 'v' };
    expect(normalizeMeasured(S.PutRequest, put)?.value).toBe(put);
    const op = { request_put: put };
    const cmp = { result: 'EQUAL', target: 'MOD', key: 'k', mod_revision: 0 };
    const txn = { compare: [cmp], success: [op], failure: [] };
    const m = normalizeMeasured(S.TxnRequest, txn)!;
    expect(m.value).not.toBe(txn);
    expect(text(m.value)).toBe('{"compare":[{"target":"MOD","key":"k","mod_revision":0}],"success":[{"request_put":{"key":"k","value":"v"}}]}');
    expect((m.value['success'] as unknown[])).toBe(txn.success);
    expect(Object.isFrozen(put)).toBe(false);
    freezeNormal(m.value);
    expect(deeplyFrozen(m.value)).toBe(true);
    expect(Object.isFrozen(put)).toBe(true);
  });

  it('makes the raft entry raftRequestData makes: the same text, length and request', () => {
    let seq = 0;
    for (const [kind, schema] of KIND_SCHEMAS) {
      forEveryDecoded(schema, 2, kind === 'txn' ? 200 : 60, (value) => {
        const m = normalizeMeasured(schema, value);
        if (m === undefined) return;
        const r = { id: String(1000 + seq++), body: { kind, request: value } as RaftRequest };
        const want = raftRequestData(r);
        const got = normalRaftRequestData(r, m);
        expect(got.length).toBe(want.length);
        expect(entryDataText(got)).toBe(entryDataText(want));
        expect(got.length).toBe(entryDataText(got).length);
        if (typeof got !== 'string' && typeof want !== 'string') {
          expect(text((got as unknown as { request: unknown }).request)).toBe(text((want as unknown as { request: unknown }).request));
          expect(deeplyFrozen((got as unknown as { request: unknown }).request)).toBe(true);
        }
      });
    }
  });
});
