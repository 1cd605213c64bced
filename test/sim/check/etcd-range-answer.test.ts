// A range's answer compared without JSON (range-answer.ts) must agree with comparing canonical
// texts, on any store, any range request and any observed answer: the model's own answer, and
// that answer changed in every way a server or a corrupted history could change it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDeleteRange, applyPut, applyRange, applyRangeResult, type Req } from '../../../sim/check/models/etcd/apply.ts';
import { canonical, canonicalText } from '../../../sim/check/models/etcd/json.ts';
import { rangeAnswerOf, rangeAnswerOfResponse, sameRangeAnswer } from '../../../sim/check/models/etcd/range-answer.ts';
import { EtcdState } from '../../../sim/check/models/etcd/state.ts';
import { fcParams } from '../../property-seed.ts';

const KEYS = ['', 'a', 'b', 'c', 'd'];
const b64 = (s: string): string => btoa(s);

const write = fc.record({ del: fc.boolean(), key: fc.constantFrom(...KEYS), value: fc.constantFrom('', 'x', 'y', '0') });
const request = fc.record(
  {
    key: fc.constantFrom(...KEYS.map(b64)),
    range_end: fc.constantFrom(undefined, b64('\0'), b64('c'), b64('e')),
    revision: fc.constantFrom(0, 1, 2, 3, 5, '4', 99),
    limit: fc.constantFrom(0, 1, 2, '2'),
    sort_order: fc.constantFrom(undefined, 'NONE', 'ASCEND', 'DESCEND'),
    sort_target: fc.constantFrom(undefined, 'KEY', 'MOD', 'VERSION', 'VALUE', 'CREATE'),
    keys_only: fc.boolean(),
    count_only: fc.boolean(),
    min_mod_revision: fc.constantFrom(0, 2),
  },
  { requiredKeys: ['key'] },
);

/** Ways an observed answer can differ from the model's (or not at all: 'same'). */
const CHANGES = ['same', 'same', 'revision', 'count-number', 'count-zero', 'drop-kv', 'swap-kvs', 'value', 'version-number', 'extra-field', 'kv-extra', 'more', 'more-string', 'nested-header', 'member-header', 'no-header', 'lease-zero', 'key-empty', 'kvs-null'] as const;

function change(resp: Req, how: (typeof CHANGES)[number]): Req {
  const r = structuredClone(resp);
  const kvs = (r['kvs'] ?? []) as Req[];
  switch (how) {
    case 'same':
      break;
    case 'revision':
      r['header'] = { revision: String(Number((r['header'] as Req)['revision']) + 1) };
      break;
    case 'count-number':
      r['count'] = Number(r['count'] ?? 0);
      break;
    case 'count-zero':
      r['count'] = '0';
      break;
    case 'drop-kv':
      kvs.pop();
      break;
    case 'swap-kvs':
      kvs.reverse();
      break;
    case 'value':
      if (kvs[0] !== undefined) kvs[0]['value'] = b64('z');
      break;
    case 'version-number':
      if (kvs[0] !== undefined) kvs[0]['version'] = Number(kvs[0]['version']);
      break;
    case 'extra-field':
      r['raft_term'] = '3';
      break;
    case 'kv-extra':
      if (kvs[0] !== undefined) kvs[0]['x'] = 'y';
      break;
    case 'more':
      r['more'] = r['more'] !== true;
      break;
    case 'more-string':
      r['more'] = 'true';
      break;
    case 'nested-header':
      if (kvs[0] !== undefined) kvs[0]['header'] = { revision: '9' };
      break;
    case 'member-header':
      r['header'] = { ...(r['header'] as Req), member_id: '5', raft_term: '2' };
      break;
    case 'no-header':
      delete r['header'];
      break;
    case 'lease-zero':
      if (kvs[0] !== undefined) kvs[0]['lease'] = '0';
      break;
    case 'key-empty':
      if (kvs[0] !== undefined) kvs[0]['key'] = '';
      break;
    case 'kvs-null':
      r['kvs'] = kvs.length === 0 ? null : [null, ...kvs.slice(1)];
      break;
  }
  if (kvs.length > 0 && r['kvs'] === undefined) r['kvs'] = kvs;
  return r;
}

describe('a range answer compared without JSON', () => {
  it('agrees with the canonical text comparison on random stores, requests and answers', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(write, { maxLength: 8 }), request, fc.constantFrom(...CHANGES), fc.integer({ min: 0, max: 2 }), (writes, req, how, compacted) => {
        let s = EtcdState.initial();
        for (const w of writes) {
          const r = w.del ? applyDeleteRange(s, { key: b64(w.key) }) : applyPut(s, { key: b64(w.key), value: b64(w.value) });
          s = r.state;
        }
        if (compacted > 0) s = s.withCompactRevision(Math.min(s.revision, compacted + 1));
        const model = applyRange(s, req);
        if ('error' in model) {
          expect(applyRangeResult(s, req as Req)).toBe(model.error);
          return;
        }
        const observed = change(model.response, how);
        // The model orders ties as the observed answer does (TieRank), as the search's step does.
        const answered = applyRange(s, req, observed);
        if ('error' in answered) throw new Error('the same range failed the second time');
        const byText = canonicalText(answered.response) === canonicalText(observed);
        const answer = rangeAnswerOf(canonical(observed));
        expect(rangeAnswerOfResponse(observed)).toStrictEqual(answer);
        if (answer === undefined) return;
        compared++;
        const found = applyRangeResult(s, req, observed);
        expect(typeof found).not.toBe('string');
        expect(sameRangeAnswer(answer, s.revision, found as Exclude<typeof found, string>)).toBe(byText);
      }),
      fcParams(3000),
    );
    expect(compared).toBeGreaterThan(1000);
  });

  it('is read from the answer as it is exactly as from its canonical form, on random JSON of a range answer\'s shape', () => {
    const scalar = fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.integer({ min: -2, max: 12 }), fc.constantFrom('', '0', '7', 'YQ==', 'true'));
    const small = fc.oneof(scalar, fc.constant([]), fc.constant({}), fc.constant([null]), fc.record({ revision: scalar }, { requiredKeys: [] }), fc.record({ a: scalar }, { requiredKeys: [] }));
    const kvKeys = ['key', 'create_revision', 'mod_revision', 'version', 'value', 'lease', 'header', 'x', '__proto__'];
    const kv = fc.oneof(fc.array(fc.tuple(fc.constantFrom(...kvKeys), small), { maxLength: 7 }).map(own), scalar, fc.constant([]));
    const answerKeys = ['header', 'count', 'kvs', 'more', 'raft_term', '__proto__'];
    const answer = fc.array(fc.tuple(fc.constantFrom(...answerKeys), fc.oneof(small, fc.array(kv, { maxLength: 3 }))), { maxLength: 6 }).map(own);
    let typed = 0;
    fc.assert(
      fc.property(answer, (a) => {
        const expected = rangeAnswerOf(canonical(a));
        expect(rangeAnswerOfResponse(a)).toStrictEqual(expected);
        if (expected !== undefined) typed++;
      }),
      fcParams(4000),
    );
    expect(typed).toBeGreaterThan(300);
  });

  it('leaves answers of another shape to the text comparison', () => {
    expect(rangeAnswerOf(canonical({ header: { revision: '3' }, count: '1', kvs: [{ key: 'YQ==', extra: 'x' }] }))).toBeUndefined();
    expect(rangeAnswerOf(canonical({ header: { revision: '3' }, more: 'yes' }))).toBeUndefined();
    expect(rangeAnswerOf(canonical({ header: { revision: '3' }, kvs: [null] }))).toBeUndefined();
    expect(rangeAnswerOf(canonical({ header: { revision: '3' }, count: '0', kvs: [], more: false }))).toEqual({ revision: '3', count: undefined, more: false, kvs: [] });
  });
});

/** An object with these own fields (a '__proto__' field stays a field, as JSON.parse makes it). */
function own(pairs: readonly [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
