// A txn's observed answer as the model's comparison needs it, read once from the history: the
// model wrote each txn's answer as gateway JSON (nested ranges' kvs, puts' and deletes' prev
// kvs, nested txns) to compare it in canonical form at every step. The comparison here gives
// exactly what comparing canonical forms gives (sameResponse): the answer is read as canonical
// form shows it (zero fields dropped, so an op's answer with nothing but zeros is an empty
// object; nested headers gone), and only when it has the shape the model's answer has; any
// other answer keeps the JSON comparison.
import type { TxnBody, TxnOpResult } from './apply.ts';
import { canonicalIsZero, canonicalTextOf, canonicalHeaderRevision } from './json.ts';
import { putAnswerOfResponse, type PutAnswer } from './put-answer.ts';
import { answerKvs, rangeAnswerOfResponse, sameField, sameKv, sameRangeBody, type AnswerKv, type RangeAnswer, type SharedKvs } from './range-answer.ts';

export interface TxnAnswer {
  /** header.revision (top-level answer only); undefined when there is no (non-zero) one. */
  revision: string | undefined;
  succeeded: boolean;
  responses: readonly TxnOpAnswer[];
}

export interface DeleteAnswer {
  deleted: string | undefined;
  prevKvs: readonly AnswerKv[];
}

/** One op's answer; 'empty' when canonical form leaves nothing of it (its only field was zero). */
export type TxnOpAnswer =
  | { kind: 'empty' }
  | { kind: 'range'; answer: RangeAnswer }
  | { kind: 'put'; answer: PutAnswer }
  | { kind: 'delete'; answer: DeleteAnswer }
  | { kind: 'txn'; answer: TxnAnswer };

const EMPTY: TxnOpAnswer = { kind: 'empty' };
const NO_ANSWERS: readonly TxnOpAnswer[] = [];
const NO_KVS: readonly AnswerKv[] = [];

/** The answer as canonical form shows it, or undefined when it has another shape; `top`: a whole answer (its header counts). */
export function txnAnswerOfResponse(resp: unknown, top = true, shared?: SharedKvs): TxnAnswer | undefined {
  if (typeof resp !== 'object' || resp === null || Array.isArray(resp)) return undefined;
  const o = resp as Record<string, unknown>;
  let revision: string | undefined;
  let succeeded = false;
  let responses: readonly TxnOpAnswer[] = NO_ANSWERS;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      const r = canonicalHeaderRevision(o, top);
      if (r === null) return undefined;
      if (r !== undefined) revision = r;
      continue;
    }
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    if (k === 'succeeded') {
      if (v !== true) return undefined;
      succeeded = true;
    } else if (k === 'responses') {
      if (!Array.isArray(v)) return undefined;
      const list: TxnOpAnswer[] = [];
      for (let i = 0; i < v.length; i++) {
        const one = opAnswerOf(v[i], shared);
        if (one === undefined) return undefined;
        list.push(one);
      }
      responses = list;
    } else return undefined;
  }
  return { revision, succeeded, responses };
}

/** One element of `responses`: an object with at most one non-zero field, one of the four answers. */
function opAnswerOf(x: unknown, shared: SharedKvs | undefined): TxnOpAnswer | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  let found: TxnOpAnswer = EMPTY;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || k === 'header') continue;
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    if (found !== EMPTY) return undefined;
    let one: TxnOpAnswer | undefined;
    if (k === 'response_range') {
      const answer = rangeAnswerOfResponse(v, false, shared);
      one = answer === undefined ? undefined : { kind: 'range', answer };
    } else if (k === 'response_put') {
      const answer = putAnswerOfResponse(v, false, shared);
      one = answer === undefined ? undefined : { kind: 'put', answer };
    } else if (k === 'response_delete_range') {
      const answer = deleteAnswerOf(v, shared);
      one = answer === undefined ? undefined : { kind: 'delete', answer };
    } else if (k === 'response_txn') {
      const answer = txnAnswerOfResponse(v, false, shared);
      one = answer === undefined ? undefined : { kind: 'txn', answer };
    }
    if (one === undefined) return undefined;
    found = one;
  }
  return found;
}

/** A delete's answer inside a txn (its header dropped), or undefined when it has another shape. */
function deleteAnswerOf(x: unknown, shared: SharedKvs | undefined): DeleteAnswer | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  let deleted: string | undefined;
  let prevKvs: readonly AnswerKv[] = NO_KVS;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || k === 'header') continue;
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    if (k === 'deleted') {
      deleted = canonicalTextOf(v);
      if (deleted === undefined) return undefined;
    } else if (k === 'prev_kvs') {
      if (!Array.isArray(v)) return undefined;
      const kvs = answerKvs(v, shared);
      if (kvs === undefined) return undefined;
      prevKvs = kvs;
    } else return undefined;
  }
  return { deleted, prevKvs };
}

/** Whether the model's answer (header revision `revision`, then `body`) is the observed one: the same as sameResponse on the JSON answer. */
export function sameTxnAnswer(a: TxnAnswer, revision: number, body: TxnBody): boolean {
  return sameField(String(revision), a.revision) && sameTxnBody(a, body);
}

function sameTxnBody(a: TxnAnswer, t: TxnBody): boolean {
  if (a.succeeded !== t.succeeded || a.responses.length !== t.responses.length) return false;
  for (let i = 0; i < a.responses.length; i++) if (!sameOpAnswer(a.responses[i]!, t.responses[i]!)) return false;
  return true;
}

/** Whether canonical form leaves nothing of the model's answer to one op. */
function isZeroResult(m: TxnOpResult): boolean {
  switch (m.kind) {
    case 'range':
      return m.range.count === 0 && m.range.found.length === 0 && !m.range.more;
    case 'put':
      return m.prevKv === undefined;
    case 'delete':
      return m.deleted === 0;
    case 'txn':
      return !m.txn.succeeded && m.txn.responses.length === 0;
  }
}

function sameOpAnswer(a: TxnOpAnswer, m: TxnOpResult): boolean {
  if (a.kind === 'empty') return isZeroResult(m);
  switch (m.kind) {
    case 'range':
      return a.kind === 'range' && sameRangeBody(a.answer, m.range);
    case 'put':
      // The model's prev_kv always has a mod_revision, so canonical form keeps it.
      return a.kind === 'put' && m.prevKv !== undefined && a.answer.prevKv !== undefined && sameKv(m.prevKv, false, a.answer.prevKv);
    case 'delete': {
      if (a.kind !== 'delete' || !sameField(String(m.deleted), a.answer.deleted)) return false;
      const prevs = m.prevKvs ?? [];
      if (prevs.length !== a.answer.prevKvs.length) return false;
      for (let i = 0; i < prevs.length; i++) if (!sameKv(prevs[i]!, false, a.answer.prevKvs[i]!)) return false;
      return true;
    }
    case 'txn':
      return a.kind === 'txn' && sameTxnBody(a.answer, m.txn);
  }
}
