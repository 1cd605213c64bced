// A put's answer compared without JSON (put-answer.ts) must agree with comparing canonical
// texts, on any store, any put request and any observed answer: the model's own answer, and
// that answer changed in every way a server or a corrupted history could change it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLeaseGrant, applyPut, putResult, type Req } from '../../../sim/check/models/etcd/apply.ts';
import { canonicalText } from '../../../sim/check/models/etcd/json.ts';
import { createEtcdModel, type EtcdInput, type EtcdOutput } from '../../../sim/check/models/etcd/model.ts';
import { putAnswerOfResponse, samePutAnswer } from '../../../sim/check/models/etcd/put-answer.ts';
import { EtcdState } from '../../../sim/check/models/etcd/state.ts';
import { fcParams } from '../../property-seed.ts';

const KEYS = ['', 'a', 'b', 'c'];
const b64 = (s: string): string => btoa(s);

const write = fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom('', 'x', 'y', '0'), lease: fc.constantFrom(undefined, '7', '9007199254740993') });
const request = fc.record(
  {
    key: fc.constantFrom(...KEYS.map(b64)),
    value: fc.constantFrom(undefined, '', b64('v'), b64('0')),
    lease: fc.constantFrom(undefined, '0', '7', 7, '9007199254740993'),
    prev_kv: fc.boolean(),
    ignore_value: fc.boolean(),
    ignore_lease: fc.boolean(),
  },
  { requiredKeys: ['key'] },
);

/** Ways an observed answer can differ from the model's (or not at all: 'same'). */
const CHANGES = ['same', 'same', 'same', 'revision', 'revision-number', 'no-header', 'member-header', 'nested-header', 'extra-field', 'prev-drop', 'prev-add', 'prev-null', 'prev-empty', 'prev-array', 'prev-value', 'prev-version-number', 'prev-lease-zero', 'prev-key-empty', 'prev-extra', 'prev-more-string'] as const;

function change(resp: Req, how: (typeof CHANGES)[number]): Req {
  const r = structuredClone(resp);
  const prev = r['prev_kv'] as Req | undefined;
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
      r['header'] = { ...(r['header'] as Req), member_id: '5', raft_term: '2' };
      break;
    case 'nested-header':
      if (prev !== undefined) prev['header'] = { revision: '9' };
      break;
    case 'extra-field':
      r['raft_term'] = '3';
      break;
    case 'prev-drop':
      delete r['prev_kv'];
      break;
    case 'prev-add':
      r['prev_kv'] = { key: b64('a'), create_revision: '2', mod_revision: '2', version: '1', value: b64('x') };
      break;
    case 'prev-null':
      r['prev_kv'] = null;
      break;
    case 'prev-empty':
      r['prev_kv'] = {};
      break;
    case 'prev-array':
      r['prev_kv'] = prev === undefined ? [] : [prev];
      break;
    case 'prev-value':
      if (prev !== undefined) prev['value'] = b64('z');
      break;
    case 'prev-version-number':
      if (prev !== undefined) prev['version'] = Number(prev['version']);
      break;
    case 'prev-lease-zero':
      if (prev !== undefined) prev['lease'] = '0';
      break;
    case 'prev-key-empty':
      if (prev !== undefined) prev['key'] = '';
      break;
    case 'prev-extra':
      if (prev !== undefined) prev['x'] = 'y';
      break;
    case 'prev-more-string':
      if (prev !== undefined) prev['version'] = true;
      break;
  }
  return r;
}

function storeOf(writes: readonly { key: string; value: string; lease: string | undefined }[]): EtcdState {
  let s = EtcdState.initial();
  for (const id of ['7', '9007199254740993']) s = applyLeaseGrant(s, { ID: id, TTL: '5' }, undefined, undefined).state;
  for (const w of writes) {
    const req: Req = { key: b64(w.key), value: b64(w.value) };
    if (w.lease !== undefined) req['lease'] = w.lease;
    s = applyPut(s, req).state;
  }
  return s;
}

describe('a put answer compared without JSON', () => {
  it('agrees with the canonical text comparison on random stores, requests and answers, in the model step too', () => {
    let typed = 0;
    let equal = 0;
    const model = createEtcdModel();
    fc.assert(
      fc.property(fc.array(write, { maxLength: 6 }), request, fc.constantFrom(...CHANGES), (writes, req, how) => {
        const s = storeOf(writes);
        const applied = applyPut(s, req);
        const result = putResult(s, req);
        if ('error' in applied) {
          expect(result).toBe(applied.error);
          return;
        }
        if (typeof result === 'string') throw new Error(`putResult failed where applyPut did not: ${result}`);
        expect(result.state.hash).toBe(applied.state.hash);
        const observed = change(applied.response, how);
        const byText = canonicalText(applied.response) === canonicalText(observed);
        const answer = putAnswerOfResponse(observed);
        // The step with the typed answer and with none (the JSON path) must agree too.
        const input: EtcdInput = { f: 'kv/put', request: req };
        const withTyped: EtcdOutput = { response: observed, range: undefined, put: answer };
        const withJson: EtcdOutput = { response: observed, range: undefined, put: undefined };
        expect(model.step(s, input, withTyped) !== undefined).toBe(byText);
        expect(model.step(s, input, withJson) !== undefined).toBe(byText);
        if (answer === undefined) return;
        typed++;
        if (byText) equal++;
        expect(samePutAnswer(answer, result.state.revision, result.prevKv)).toBe(byText);
      }),
      fcParams(3000),
    );
    expect(typed).toBeGreaterThan(1000);
    expect(equal).toBeGreaterThan(400);
  });

  it('leaves answers of another shape to the JSON comparison', () => {
    expect(putAnswerOfResponse({ header: { revision: '3' }, prev_kv: { key: 'YQ==', extra: 'x' } })).toBeUndefined();
    expect(putAnswerOfResponse({ header: { revision: '3' }, prev_kv: [] })).toEqual({ revision: '3', prevKv: undefined });
    expect(putAnswerOfResponse({ header: { revision: '3' }, prev_kv: [{}] })).toBeUndefined();
    expect(putAnswerOfResponse({ header: { revision: true } })).toBeUndefined();
    expect(putAnswerOfResponse({ header: { revision: 4, member_id: '1' }, raft_term: '0' })).toEqual({ revision: '4', prevKv: undefined });
    expect(putAnswerOfResponse([])).toBeUndefined();
  });
});
