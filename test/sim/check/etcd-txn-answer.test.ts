// A txn's answer compared without JSON (txn-answer.ts) must agree with comparing canonical
// texts, on any store, any txn (ranges, puts, deletes, nested txns in either branch) and any
// observed answer: the model's own answer, and that answer changed in every way a server or a
// corrupted history could change it, at the top and inside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPut, applyTxn, txnResult, type Req } from '../../../sim/check/models/etcd/apply.ts';
import { canonicalText } from '../../../sim/check/models/etcd/json.ts';
import { createEtcdModel, type EtcdInput, type EtcdOutput } from '../../../sim/check/models/etcd/model.ts';
import { sameTxnAnswer, txnAnswerOfResponse } from '../../../sim/check/models/etcd/txn-answer.ts';
import { EtcdState } from '../../../sim/check/models/etcd/state.ts';
import { fcParams } from '../../property-seed.ts';

const KEYS = ['', 'a', 'b', 'c'];
const b64 = (s: string): string => btoa(s);
const key = fc.constantFrom(...KEYS.map(b64));

const range = fc.record(
  { key, range_end: fc.constantFrom(undefined, b64('\0'), b64('c')), revision: fc.constantFrom(0, 2, '3'), limit: fc.constantFrom(0, 1), count_only: fc.boolean(), keys_only: fc.boolean(), sort_order: fc.constantFrom(undefined, 'DESCEND'), sort_target: fc.constantFrom(undefined, 'MOD') },
  { requiredKeys: ['key'] },
);
const put = fc.record({ key, value: fc.constantFrom(undefined, b64('v'), b64('0')), prev_kv: fc.boolean() }, { requiredKeys: ['key'] });
const del = fc.record({ key, range_end: fc.constantFrom(undefined, b64('\0')), prev_kv: fc.boolean() }, { requiredKeys: ['key'] });
const compare = fc.record({ key, target: fc.constantFrom('VERSION', 'MOD', 'CREATE', 'VALUE'), result: fc.constantFrom('EQUAL', 'GREATER', 'LESS'), version: fc.constantFrom(0, 1, '2'), mod_revision: fc.constantFrom(0, 3), value: fc.constantFrom(undefined, b64('x')) }, { requiredKeys: ['key'] });
const txn: fc.Arbitrary<Req> = fc.letrec<{ txn: Req; op: Req }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small' },
    range.map((r) => ({ request_range: r })),
    put.map((p) => ({ request_put: p })),
    del.map((d) => ({ request_delete_range: d })),
    tie('txn').map((t) => ({ request_txn: t })),
  ),
  txn: fc.record({ compare: fc.array(compare, { maxLength: 2 }), success: fc.array(tie('op'), { maxLength: 3 }), failure: fc.array(tie('op'), { maxLength: 2 }) }, { requiredKeys: [] }),
})).txn;

const CHANGES = ['same', 'same', 'same', 'revision', 'revision-number', 'no-header', 'member-header', 'succeeded-flip', 'succeeded-string', 'extra-field', 'responses-drop', 'responses-add-empty', 'responses-null', 'op-empty', 'op-second-field', 'op-header', 'op-count', 'op-count-number', 'op-kv-value', 'op-deleted', 'op-prev-drop', 'op-nested-header', 'op-kind', 'op-string'] as const;

/** The first op answer inside the (possibly nested) answer, for changes inside. */
function firstOp(resp: Req): Req | undefined {
  const list = resp['responses'];
  return Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null ? (list[0] as Req) : undefined;
}

function change(resp: Req, how: (typeof CHANGES)[number]): Req {
  const r = structuredClone(resp);
  const op = firstOp(r);
  const inner = op === undefined ? undefined : (Object.values(op)[0] as Req | undefined);
  switch (how) {
    case 'same':
      break;
    case 'revision':
      r['header'] = { revision: String(Number((r['header'] as Req)['revision']) + 1) };
      break;
    case 'revision-number':
      r['header'] = { revision: Number((r['header'] as Req)['revision']) };
      break;
    case 'no-header':
      delete r['header'];
      break;
    case 'member-header':
      r['header'] = { ...(r['header'] as Req), member_id: '5' };
      break;
    case 'succeeded-flip':
      r['succeeded'] = r['succeeded'] !== true;
      break;
    case 'succeeded-string':
      if (r['succeeded'] === true) r['succeeded'] = 'true';
      break;
    case 'extra-field':
      r['raft_term'] = '3';
      break;
    case 'responses-drop':
      (r['responses'] as Req[]).pop();
      break;
    case 'responses-add-empty':
      (r['responses'] as Req[]).push({ response_put: {} });
      break;
    case 'responses-null':
      if ((r['responses'] as Req[]).length > 0) (r['responses'] as unknown[])[0] = null;
      break;
    case 'op-empty':
      if (op !== undefined) for (const k of Object.keys(op)) delete op[k];
      break;
    case 'op-second-field':
      if (op !== undefined) op['response_put'] = { prev_kv: { key: b64('a'), mod_revision: '2', create_revision: '2', version: '1' } };
      break;
    case 'op-header':
      if (inner !== undefined) inner['header'] = { revision: '99' };
      break;
    case 'op-count':
      if (inner !== undefined && 'count' in inner) inner['count'] = String(Number(inner['count']) + 1);
      break;
    case 'op-count-number':
      if (inner !== undefined && 'count' in inner) inner['count'] = Number(inner['count']);
      break;
    case 'op-kv-value': {
      const kvs = (inner?.['kvs'] ?? inner?.['prev_kvs'] ?? (inner?.['prev_kv'] === undefined ? undefined : [inner['prev_kv']])) as Req[] | undefined;
      if (kvs !== undefined && kvs[0] !== undefined) kvs[0]['value'] = b64('z');
      break;
    }
    case 'op-deleted':
      if (inner !== undefined && 'deleted' in inner) inner['deleted'] = '7';
      break;
    case 'op-prev-drop':
      if (inner !== undefined) {
        delete inner['prev_kv'];
        delete inner['prev_kvs'];
      }
      break;
    case 'op-nested-header':
      if (inner !== undefined && Array.isArray(inner['kvs']) && inner['kvs'][0] !== undefined) (inner['kvs'][0] as Req)['header'] = { revision: '9' };
      break;
    case 'op-kind':
      if (op !== undefined && inner !== undefined) {
        const k = Object.keys(op)[0]!;
        delete op[k];
        op[k === 'response_range' ? 'response_put' : 'response_range'] = inner;
      }
      break;
    case 'op-string':
      if (op !== undefined) op[Object.keys(op)[0] ?? 'response_put'] = 'x';
      break;
  }
  return r;
}

function storeOf(writes: readonly { key: string; value: string }[]): EtcdState {
  let s = EtcdState.initial();
  for (const w of writes) s = applyPut(s, { key: b64(w.key), value: b64(w.value) }).state;
  return s;
}

describe('a txn answer compared without JSON', () => {
  it('agrees with the canonical text comparison on random stores, txns and answers, in the model step too', () => {
    let typed = 0;
    let equal = 0;
    const model = createEtcdModel();
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom('x', 'y', '') }), { maxLength: 6 }), txn, fc.constantFrom(...CHANGES), (writes, req, how) => {
        const s = storeOf(writes);
        const applied = applyTxn(s, req);
        const result = txnResult(s, req);
        if ('error' in applied) {
          expect(result).toBe(applied.error);
          return;
        }
        if (typeof result === 'string') throw new Error(`txnResult failed where applyTxn did not: ${result}`);
        expect(result.state.hash).toBe(applied.state.hash);
        const observed = change(applied.response, how);
        // The model orders range ties as the observed answer does (TieRank), as the step does.
        const answered = applyTxn(s, req, observed);
        if ('error' in answered) throw new Error('the same txn failed the second time');
        const byText = canonicalText(answered.response) === canonicalText(observed);
        const answer = txnAnswerOfResponse(observed);
        const input: EtcdInput = { f: 'kv/txn', request: req };
        const withTyped: EtcdOutput = { response: observed, range: undefined, txn: answer };
        const withJson: EtcdOutput = { response: observed, range: undefined, txn: undefined };
        expect(model.step(s, input, withTyped) !== undefined).toBe(byText);
        expect(model.step(s, input, withJson) !== undefined).toBe(byText);
        if (answer === undefined) return;
        typed++;
        if (byText) equal++;
        const tied = txnResult(s, req, observed);
        if (typeof tied === 'string') throw new Error('the same txn failed the third time');
        expect(sameTxnAnswer(answer, tied.state.revision, tied.body)).toBe(byText);
      }),
      fcParams(3000),
    );
    expect(typed).toBeGreaterThan(1500);
    expect(equal).toBeGreaterThan(600);
  });

  it('leaves answers of another shape to the JSON comparison', () => {
    expect(txnAnswerOfResponse({ header: { revision: '3' }, succeeded: 'true' })).toBeUndefined();
    expect(txnAnswerOfResponse({ header: { revision: '3' }, responses: [{ response_put: { prev_kv: { key: 'YQ==', mod_revision: '2' } }, response_range: { count: '1' } }] })).toBeUndefined();
    expect(txnAnswerOfResponse({ header: { revision: '3' }, responses: [{ response_put: {}, response_range: { count: '0' } }] })).toEqual({ revision: '3', succeeded: false, responses: [{ kind: 'empty' }] });
    expect(txnAnswerOfResponse({ header: { revision: '3' }, responses: [null] })).toBeUndefined();
    expect(txnAnswerOfResponse({ responses: [{ response_other: { x: '1' } }] })).toBeUndefined();
  });
});
