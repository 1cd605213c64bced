// A request proposed in this process travels through raft as a value (RaftRequestPayload), not
// as text: raft, the WAL and the network size it by `length`, so that length must be exactly the
// length of the text it stands for, and every member must apply exactly what decoding that text
// would give. These tests pin both for any request a member can decode from a client, and that
// comparing entry data compares texts (the Raft observer's notion of "the same entry").
import { describe, expect, it } from 'vitest';
import { encodedTextLength } from '../../../../src/api/encoded-length.ts';
import { encodeMessage } from '../../../../src/api/json-codec.ts';
import * as S from '../../../../src/api/schema.ts';
import { entryDataText, sameEntryData } from '../../../../src/raft/types.ts';
import type { RaftRequest } from '../../../../src/server/apply/raft-request.ts';
import {
  RaftRequestPayload, decodeRaftRequest, decodeRaftRequestUncached, encodeRaftRequest, raftRequestData,
} from '../../../../src/server/apply/raft-request.ts';
import { KIND_SCHEMAS, SCHEMAS, deeplyFrozen, forEveryDecoded, text } from './request-json-arbitrary.ts';


describe('encodedTextLength', () => {
  it('is the length of the encoded text for any decoded message of any schema', () => {
    expect(SCHEMAS.length).toBeGreaterThan(40);
    for (const [name, schema] of SCHEMAS) {
      forEveryDecoded(schema, 2, name === 'TxnRequest' || name === 'TxnResponse' ? 200 : 40, (value) => {
        expect(encodedTextLength(schema, value), name).toBe(JSON.stringify(encodeMessage(schema, value)).length);
      });
    }
  });

  it('measures a value not of its kind by its encoding, and counts zero values only where encoding keeps them', () => {
    // Not the kind's type (a number where bytes belong, a string revision): the encoded text decides.
    const odd = { key: 'k', create_revision: '12', value: 5 } as unknown as object;
    let viaText: number | undefined;
    try {
      viaText = JSON.stringify(encodeMessage(S.KeyValue, odd)).length;
    } catch {
      viaText = undefined;
    }
    if (viaText !== undefined) expect(encodedTextLength(S.KeyValue, odd)).toBe(viaText);
    expect(encodedTextLength(S.KeyValue, { key: 'k', create_revision: '12' })).toBe('{"key":"aw==","create_revision":"12"}'.length);
    // Zero values: left out of a plain field, kept in a compare's oneof target.
    expect(encodedTextLength(S.PutRequest, { key: '', value: '', lease: 0n, prev_kv: false })).toBe(2);
    expect(encodedTextLength(S.Compare, { version: 0 })).toBe('{"version":"0"}'.length);
    expect(encodedTextLength(S.HashResponse, { hash: 4_294_967_295 })).toBe('{"hash":4294967295}'.length);
  });
});

describe('raft entry data proposed here is a payload of exactly its text length', () => {
  it('a payload stands for the text encodeRaftRequest writes, and members apply what decoding that text gives', () => {
    let seq = 0;
    for (const [kind, schema] of KIND_SCHEMAS) {
      forEveryDecoded(schema, 2, kind === 'txn' ? 300 : 100, (value) => {
        const r = { id: String(1000 + seq++), body: { kind, request: value } as RaftRequest };
        const data = raftRequestData(r);
        const written = encodeRaftRequest(r);
        expect(entryDataText(data)).toBe(written);
        expect(data.length).toBe(written.length);
        if (!(data instanceof RaftRequestPayload)) {
          // Its pair: only a request whose text would not read back as it is (an int64 beyond
          // 2^53 held as a number) stays text, and is then applied from the text as before.
          expect(typeof data).toBe('string');
          return;
        }
        expect(Object.isFrozen(data)).toBe(true);
        expect(deeplyFrozen(data.request)).toBe(true);
        expect(text(decodeRaftRequest(data))).toBe(text(decodeRaftRequestUncached(written)));
      });
    }
  });

  it('a request the text cannot carry back stays text; a safe one becomes a payload', () => {
    const big = raftRequestData({ id: '7', body: { kind: 'compaction', request: { revision: 1e21 } } });
    expect(typeof big).toBe('string');
    expect(() => decodeRaftRequest(big)).toThrow(/raft entry decodes/);
    const ok = raftRequestData({ id: '8', body: { kind: 'compaction', request: { revision: 12, physical: false } } });
    expect(ok).toBeInstanceOf(RaftRequestPayload);
    expect(decodeRaftRequest(ok)).toEqual({ id: '8', body: { kind: 'compaction', request: { revision: 12 } } });
    expect(entryDataText(ok)).toBe('{"ID":"8","compaction":{"revision":"12"}}');
  });

  it('entry data compare as their texts: the same value, equal texts of distinct payloads, or text and payload', () => {
    const r = { id: '9', body: { kind: 'put', request: { key: 'k', value: 'v' } } as RaftRequest };
    const a = raftRequestData(r);
    const b = raftRequestData(r);
    expect(a).not.toBe(b);
    expect(sameEntryData(a, a)).toBe(true);
    expect(sameEntryData(a, b)).toBe(true);
    expect(sameEntryData(a, encodeRaftRequest(r))).toBe(true);
    expect(sameEntryData(encodeRaftRequest(r), a)).toBe(true);
    // Their pairs: another id, another value, the empty entry.
    expect(sameEntryData(a, raftRequestData({ ...r, id: '10' }))).toBe(false);
    expect(sameEntryData(a, raftRequestData({ id: '9', body: { kind: 'put', request: { key: 'k', value: 'w' } } }))).toBe(false);
    expect(sameEntryData(a, '')).toBe(false);
  });
});
