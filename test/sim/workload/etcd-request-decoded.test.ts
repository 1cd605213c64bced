// The request builders carry the body already decoded (EtcdRequest.decoded), and the member reads
// it instead of decoding the body: it must be exactly what the member's codec makes of the body
// (same values, same field order), for every key, value and option, or absent.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMessage } from '../../../src/api/json-codec.ts';
import { apiPath } from '../../../src/api/paths.ts';
import type { Compare, EtcdRequest, RangeOptions, TxnOp } from '../../../sim/workload/etcd-request.ts';
import { deleteRange, prefixEnd, put, range, txn, withWriteOptions } from '../../../sim/workload/etcd-request.ts';

/** What the member decodes from the body as it travels (the gateway's JSON text). */
function decodedByCodec(r: EtcdRequest): unknown {
  const api = apiPath(r.path);
  if (api === undefined) throw new Error(`no schema for ${r.path}`);
  const d = decodeMessage<object>(api.request, JSON.parse(JSON.stringify(r.body)));
  return d.ok ? d.value : { refused: d.error };
}

/** Values and key order, all the way down (toStrictEqual does not look at key order). */
function shape(x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (Array.isArray(x)) return x.map(shape);
  if (x !== null && typeof x === 'object') return Object.entries(x).map(([k, v]) => [k, shape(v)]);
  return x;
}

function expectAgrees(r: EtcdRequest): void {
  if (r.decoded === undefined) return;
  expect(shape(r.decoded)).toStrictEqual(shape(decodedByCodec(r)));
}

const text = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('', 'key1', 'é', '\u{1F600}', '\u0000'));
const int = fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.constantFrom(0, -0, 2 ** 53, 1.5, Number.NaN, 1e21));
const lease = fc.oneof(fc.constantFrom('0', '7', '007', '-0', '-12', '3704389103885817874', 'x', '', '1.5', '1e3'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }).map(String));
const rangeOptions: fc.Arbitrary<RangeOptions> = fc.record({
  rangeEnd: text, revision: int, limit: int, serializable: fc.boolean(), sortOrder: fc.constantFrom('ASCEND' as const, 'DESCEND' as const),
  countOnly: fc.boolean(), minModRevision: int,
}, { requiredKeys: [] });
const compare: fc.Arbitrary<Compare> = fc.oneof(
  fc.record({ target: fc.constant('VALUE' as const), key: text, value: text, result: fc.constantFrom('EQUAL' as const, 'LESS' as const), rangeEnd: text }, { requiredKeys: ['target', 'key', 'value'] }),
  fc.record({ target: fc.constantFrom('MOD' as const, 'CREATE' as const, 'VERSION' as const), key: text, revision: int, result: fc.constantFrom('NOT_EQUAL' as const, 'GREATER' as const) }, { requiredKeys: ['target', 'key', 'revision'] }),
  fc.record({ target: fc.constant('LEASE' as const), key: text, lease }),
);
const leaf: fc.Arbitrary<TxnOp> = fc.oneof(
  fc.tuple(text, text).map(([k, v]): TxnOp => ({ put: put(k, v) })),
  fc.tuple(text, rangeOptions).map(([k, o]): TxnOp => ({ range: range(k, o) })),
  fc.tuple(text, fc.option(text, { nil: undefined })).map(([k, e]): TxnOp => ({ deleteRange: deleteRange(k, e) })),
  fc.tuple(text, text).map(([k, v]): TxnOp => ({ put: withWriteOptions(put(k, v), { prevKv: true }) })),
);
const op: fc.Arbitrary<TxnOp> = fc.oneof(leaf, fc.tuple(fc.array(compare, { maxLength: 2 }), fc.array(leaf, { maxLength: 2 })).map(([c, s]): TxnOp => ({ txn: txn(c, s) })));

describe('request builders: the decoded body they carry is the codec\'s', () => {
  it('carries it for the requests of the etcd traffic mix', () => {
    // put, get, stale get, list, delete, put with a lease, multi-op txn, CAS: the member decodes none of them.
    const requests = [
      put('key1', 'v'), range('key1'), range('key1', { revision: 12 }), range('key', { rangeEnd: prefixEnd('key') }),
      deleteRange('key3'), put('key2', 'v', '3704389103885817874'),
      txn([], [{ put: put('key1', 'a') }, { range: range('key2') }, { deleteRange: deleteRange('key3') }]),
      txn([{ target: 'MOD', key: 'key1', revision: 4 }], [{ put: put('key1', 'b') }], [{ range: range('key1') }]),
    ];
    for (const r of requests) {
      expect(r.decoded).toBeDefined();
      expectAgrees(r);
    }
  });

  it('put, range and delete agree for any key, value, lease and option', () => {
    fc.assert(fc.property(text, text, fc.option(lease, { nil: undefined }), rangeOptions, fc.option(text, { nil: undefined }), (k, v, l, o, end) => {
      expectAgrees(put(k, v, l));
      expectAgrees(range(k, o));
      expectAgrees(deleteRange(k, end));
    }), { numRuns: 400 });
  });

  it('txn agrees for any compares and nested operations', () => {
    fc.assert(fc.property(fc.array(compare, { maxLength: 3 }), fc.array(op, { maxLength: 3 }), fc.array(op, { maxLength: 2 }), (c, s, f) => {
      expectAgrees(txn(c, s, f));
    }), { numRuns: 300 });
  });

  it('carries nothing the codec would refuse or read otherwise', () => {
    for (const r of [put('k', 'v', 'x'), put('k', 'v', '1.5'), range('k', { revision: 1.5 }), range('k', { limit: 2 ** 53 }), range('k', { sortOrder: 'DESCEND' }),
      txn([{ target: 'MOD', key: 'k', revision: Number.NaN }], []), txn([], [{ put: withWriteOptions(put('k', 'v'), { ignoreValue: true }) }])]) {
      expect(r.decoded).toBeUndefined();
    }
  });
});
