// An entry proposed in this process is never parsed: encodeRaftRequest remembers the request as
// decoding its text would give it (normalizeMessage). These tests pin that the remembered value
// is exactly the decoded text — same fields, same values, same key order — for any request a
// member can decode from a client, and that one size measurement per request is the same figure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, normalizeMessage } from '../../../../src/api/json-codec.ts';
import { internalRaftRequestSize, messageSize } from '../../../../src/api/proto-size.ts';
import type { RaftRequest } from '../../../../src/server/apply/raft-request.ts';
import { decodeRaftRequest, decodeRaftRequestUncached, encodeRaftRequest, raftRequestSize } from '../../../../src/server/apply/raft-request.ts';
import { SingleMemberDriver } from './driver.ts';
import { fcParams } from '../../../property-seed.ts';
import { KIND_SCHEMAS, decodedRequest, deeplyFrozen, forEveryDecoded, text } from './request-json-arbitrary.ts';

function hasUnsafeNumber(x: unknown): boolean {
  if (typeof x === 'number') return !Number.isSafeInteger(x);
  if (typeof x === 'object' && x !== null) return Object.values(x).some(hasUnsafeNumber);
  return false;
}


describe('raft entries proposed here are remembered, not parsed', () => {
  it('normalizeMessage gives what decoding the encoded text gives, key order included', () => {
    for (const [kind, schema] of KIND_SCHEMAS) {
      forEveryDecoded(schema, 3, kind === 'txn' ? 400 : 150, (value) => {
        const viaText = decodeMessage(schema, JSON.parse(JSON.stringify(encodeMessage(schema, value))) as unknown);
        const normal = normalizeMessage(schema, value);
        if (normal === undefined) {
          // Its pair: only a number the text cannot carry back (an int64 beyond 2^53) is left to the text.
          expect(hasUnsafeNumber(value)).toBe(true);
          return;
        }
        expect(viaText.ok).toBe(true);
        if (viaText.ok) expect(text(normal)).toBe(text(viaText.value));
      });
    }
  });

  it('decodeRaftRequest answers a proposed entry with exactly its decoded text, frozen', () => {
    let seq = 0;
    for (const [kind, schema] of KIND_SCHEMAS) {
      forEveryDecoded(schema, 2, 100, (value) => {
        const r = { id: String(1000 + seq++), body: { kind, request: value } as RaftRequest };
        let data: string;
        try {
          data = encodeRaftRequest(r);
        } catch {
          return;
        }
        let fromText;
        try {
          fromText = decodeRaftRequestUncached(data);
        } catch {
          return; // the text does not read back (int64 beyond 2^53): then nothing was remembered either
        }
        const remembered = decodeRaftRequest(data);
        expect(text(remembered)).toBe(text(fromText));
        expect(deeplyFrozen(remembered)).toBe(true);
        // Remembering copies: the proposer's request stays as it was (not frozen).
        if (Object.keys(value).length > 0) expect(Object.isFrozen(value)).toBe(false);
      });
    }
  });

  it('a request whose text cannot be read back is not remembered: applying it still fails as before', () => {
    const data = encodeRaftRequest({ id: '7', body: { kind: 'compaction', request: { revision: 1e21 } } });
    expect(() => decodeRaftRequest(data)).toThrow(/raft entry decodes/);
    // Its pair: a safe revision is remembered and answered.
    const ok = encodeRaftRequest({ id: '8', body: { kind: 'compaction', request: { revision: 12, physical: false } } });
    expect(decodeRaftRequest(ok)).toEqual({ id: '8', body: { kind: 'compaction', request: { revision: 12 } } });
  });

  it('the size of a raft request with the request measured once is the size measured twice', () => {
    const ids = fc.oneof(fc.constantFrom(0n, 127n, 128n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
    for (const [kind, schema] of KIND_SCHEMAS) {
      fc.assert(fc.property(decodedRequest(schema, 2), ids, (value, id) => {
        if (value === undefined) return;
        const r = { id: String(id), body: { kind, request: value } as RaftRequest };
        expect(raftRequestSize(r, messageSize(schema, value))).toBe(raftRequestSize(r));
      }), fcParams(60));
    }
    // Varint sizes of request ids at every byte boundary (the header is tag 2 + length 1 + 1 + varint).
    for (let k = 1; k <= 9; k++) {
      const below = (1n << BigInt(7 * k)) - 1n;
      expect(internalRaftRequestSize('compaction', {}, below) - internalRaftRequestSize('compaction', {}, below + 1n)).toBe(-1);
    }
    expect(internalRaftRequestSize('compaction', {}, (1n << 64n) - 1n)).toBe(2 + 1 + 1 + 10 + 1 + 1);
  });

  it('a member that did not propose an entry applies it alike without encoding the reply', () => {
    const header = { clusterId: '1', memberId: '2', raftTerm: () => 3 };
    const here = new SingleMemberDriver(header);
    const elsewhere = new SingleMemberDriver(header);
    const put = here.sm.classify('/v3/kv/put', { key: 'aw==', value: 'dg==', prev_kv: true }, header);
    expect(put.kind).toBe('propose');
    if (put.kind !== 'propose') return;
    const { data } = put.encode('4242');
    const a = here.sm.apply(1, 1, data, 0, () => true);
    const b = elsewhere.sm.apply(1, 1, data, 0, () => false);
    expect(a.requestId).toBe('4242');
    expect(b.requestId).toBe('4242');
    expect(a.reply).toEqual({ ok: true, body: { header: { cluster_id: '1', member_id: '2', revision: '2', raft_term: '3' } } });
    expect(here.sm.status()).toEqual(elsewhere.sm.status());
    expect(here.request('/v3/kv/range', { key: 'aw==' })).toEqual(elsewhere.request('/v3/kv/range', { key: 'aw==' }));
  });
});
