import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../../src/api/base64.ts';
import { decodeMessage, decodeMessageText, encodeMessage, encodeWithHeader } from '../../../src/api/json-codec.ts';
import { MAX_GRPC_RECV_BYTES, MAX_REQUEST_BYTES, internalRaftRequestSize, messageSize } from '../../../src/api/proto-size.ts';
import * as S from '../../../src/api/schema.ts';
import { SingleMemberDriver } from '../server/apply/driver.ts';
import { fcParams } from '../../property-seed.ts';

const header = { clusterId: '1', memberId: '2', raftTerm: () => 3 };

describe('wire codec', () => {
  it('base64 round-trips any bytes, matching Node', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
      const s = String.fromCharCode(...a);
      const enc = base64Encode(s);
      expect(enc).toBe(Buffer.from(a).toString('base64'));
      expect(base64Decode(enc)).toEqual({ ok: true, bytes: s });
    }), fcParams(300));
  });

  it('rejects bad base64 with Go\'s message', () => {
    expect(base64Decode('YQ=')).toEqual({ ok: false, error: 'illegal base64 data at input byte 3' });
    expect(base64Decode('Y*==')).toEqual({ ok: false, error: 'illegal base64 data at input byte 1' });
    expect(base64Decode('YQ==YQ==')).toEqual({ ok: false, error: 'illegal base64 data at input byte 4' });
  });

  it('omits zero fields, writes int64 as strings, enums by name, set oneof zeros kept', () => {
    expect(encodeMessage(S.KeyValue, { key: 'a', create_revision: 0, mod_revision: 5, version: 1, value: '', lease: 0n }))
      .toEqual({ key: 'YQ==', mod_revision: '5', version: '1' });
    expect(encodeMessage(S.Compare, { key: 'a', target: 'VERSION', result: 'EQUAL', version: 0 })).toEqual({ key: 'YQ==', version: '0' });
    expect(encodeMessage(S.Event, { type: 'DELETE', kv: { key: 'a', create_revision: 0, mod_revision: 2, version: 0, value: '', lease: 0n } }))
      .toEqual({ type: 'DELETE', kv: { key: 'YQ==', mod_revision: '2' } });
    expect(JSON.stringify(encodeMessage(S.TxnResponse, { header: {}, succeeded: false }))).toBe('{"header":{}}');
  });

  it('encodes a response with a header in place of its own exactly as the spread copy would', () => {
    const kv = fc.record({ key: fc.string({ maxLength: 4 }), mod_revision: fc.nat(9), version: fc.nat(3), value: fc.string({ maxLength: 4 }) });
    const hdr = fc.option(fc.record({ cluster_id: fc.constantFrom('', '7'), member_id: fc.constant('2'), revision: fc.nat(5), raft_term: fc.nat(3) }), { nil: undefined });
    fc.assert(fc.property(hdr, hdr, fc.array(kv, { maxLength: 3 }), fc.nat(4), (own, filled, kvs, count) => {
      const resp = { header: own, kvs, count, more: count > 2 };
      expect(encodeWithHeader(S.RangeResponse, resp, filled)).toEqual(encodeMessage(S.RangeResponse, filled === undefined ? resp : { ...resp, header: filled }));
    }), fcParams(300));
    // Its pair: a schema without a header field ignores the one given, as the copy's was ignored.
    expect(encodeWithHeader(S.KeyValue, { key: 'a', version: 1 }, { revision: 3 })).toEqual({ key: 'YQ==', version: '1' });
  });

  it('decodes what jsonpb accepts: lowerCamel names, numbers or strings, enum numbers, null', () => {
    expect(decodeMessage(S.RangeRequest, { key: 'YQ==', rangeEnd: 'AA==', limit: '2', revision: 3, sort_order: 2, keys_only: null }))
      .toEqual({ ok: true, value: { key: 'a', range_end: '\0', limit: 2, revision: 3, sort_order: 'DESCEND' } });
    expect(decodeMessage(S.LeaseGrantRequest, { ID: '9223372036854775807', TTL: 5 })).toEqual({ ok: true, value: { ID: 9223372036854775807n, TTL: 5 } });
    expect(decodeMessage(S.RangeRequest, { key: 'YQ==', sort_order: 'BOGUS' }))
      .toEqual({ ok: false, error: 'unknown value "BOGUS" for enum etcdserverpb.RangeRequest_SortOrder' });
    expect(decodeMessage(S.RangeRequest, { key: 'YQ==', revision: 'abc' })).toEqual({ ok: false, error: "invalid character 'a' looking for beginning of value" });
    expect(decodeMessageText(S.PutRequest, '')).toEqual({ ok: true, value: {} });
    expect(decodeMessageText(S.PutRequest, '{"key":')).toEqual({ ok: false, error: 'unexpected EOF' });
  });

  it('measures protobuf sizes: the 2 MiB gRPC limit message matches etcd\'s figure', () => {
    // etcd 3.4.23 answered "grpc: received message larger than max (2097170 vs. 2097152)" for this put.
    expect(messageSize(S.PutRequest, { key: 'a', value: 'x'.repeat(2 * 1024 * 1024 + 10) })).toBe(2097170);
    expect(MAX_GRPC_RECV_BYTES).toBe(2097152);
    expect(messageSize(S.Compare, { key: 'a', range_end: 'b' })).toBe(3 + 4);
    expect(messageSize(S.WatchCreateRequest, { key: 'a', filters: ['NOPUT', 'NODELETE'] })).toBe(3 + 4);
  });

  it('request too large: a put just over MaxRequestBytes in its raft request is rejected, just under is not', () => {
    // header: tag 100 (2 bytes) + length (1) + ID tag (1) + ID varint (9 bytes for 61 bits) = 13;
    // put: key field 3 + value field 1 + varint(n) (3) + n; outer tag 1 + length varint (3).
    const id = 0x1234_5678_9abc_def0n;
    const n = MAX_REQUEST_BYTES - 24;
    expect(internalRaftRequestSize('put', { key: 'k', value: 'x'.repeat(n) }, id)).toBe(MAX_REQUEST_BYTES);
    expect(internalRaftRequestSize('put', { key: 'k', value: 'x'.repeat(n + 1) }, id)).toBe(MAX_REQUEST_BYTES + 1);
    const d = new SingleMemberDriver(header);
    const c = d.sm.classify('/v3/kv/put', { key: 'aw==', value: Buffer.from('x'.repeat(MAX_REQUEST_BYTES)).toString('base64') }, header);
    expect(c.kind).toBe('propose');
    if (c.kind === 'propose') expect(c.encode('12345').sizeBytes).toBeGreaterThan(MAX_REQUEST_BYTES);
    const big = d.sm.classify('/v3/kv/put', { key: 'aw==', value: Buffer.from('x'.repeat(MAX_GRPC_RECV_BYTES)).toString('base64') }, header);
    expect(big).toEqual({ kind: 'invalid', error: { error: 'grpc: received message larger than max (2097160 vs. 2097152)', code: 8, message: 'grpc: received message larger than max (2097160 vs. 2097152)' } });
  });
});
