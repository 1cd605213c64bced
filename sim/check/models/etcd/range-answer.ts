// A range's observed answer as the model's comparison needs it, read once from the history
// instead of at every step: most steps of an etcd search are ranges, and writing the model's
// answer as gateway JSON, putting it in canonical form and printing it took a quarter of the
// check. The comparison here gives exactly what comparing the canonical texts gives: the
// answer is taken from its canonical form (zero fields dropped, nested headers gone), and only
// when that form has the shape the model's answer has (header revision, count, kvs of six
// string fields, more); any other answer keeps the text comparison.
import type { KeyValue } from './state.ts';
import type { RangeResult } from './apply.ts';
import { canonicalIsZero, canonicalTextOf, encodeKey, canonicalHeaderRevision, type Json } from './json.ts';
import { UNRECORDED } from '../../../history/etcd-robustness.ts';

/** One kv of the canonical answer: each field's text, undefined where canonical form dropped it (zero). */
export interface AnswerKv {
  key: string | undefined;
  create_revision: string | undefined;
  mod_revision: string | undefined;
  version: string | undefined;
  value: string | undefined;
  lease: string | undefined;
}

export interface RangeAnswer {
  /** header.revision; undefined when the answer has no (non-zero) header revision. */
  revision: string | undefined;
  count: string | undefined;
  more: boolean;
  kvs: readonly AnswerKv[];
}

const ANSWER_FIELDS = new Set(['header', 'count', 'kvs', 'more']);
const KV_FIELDS = new Set(['key', 'create_revision', 'mod_revision', 'version', 'value', 'lease']);

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringOrAbsent(v: Json | undefined): v is string | undefined {
  return v === undefined || typeof v === 'string';
}

/** The answer read from its canonical form `c` (json.ts canonical), or undefined when it has another shape. */
export function rangeAnswerOf(c: Json): RangeAnswer | undefined {
  if (!isObject(c)) return undefined;
  for (const k of Object.keys(c)) if (!ANSWER_FIELDS.has(k)) return undefined;
  const header = c['header'];
  const count = c['count'];
  const more = c['more'];
  const kvs = c['kvs'];
  if (header !== undefined && !(isObject(header) && typeof header['revision'] === 'string')) return undefined;
  if (!stringOrAbsent(count) || (more !== undefined && more !== true)) return undefined;
  if (kvs !== undefined && !Array.isArray(kvs)) return undefined;
  const out: AnswerKv[] = [];
  for (const kv of kvs ?? []) {
    if (!isObject(kv)) return undefined;
    for (const k of Object.keys(kv)) if (!KV_FIELDS.has(k)) return undefined;
    const { key, create_revision, mod_revision, version, value, lease } = kv;
    if (!stringOrAbsent(key) || !stringOrAbsent(create_revision) || !stringOrAbsent(mod_revision) || !stringOrAbsent(version) || !stringOrAbsent(value) || !stringOrAbsent(lease)) return undefined;
    out.push({ key, create_revision, mod_revision, version, value, lease });
  }
  return { revision: header === undefined ? undefined : (header['revision'] as string), count, more: more === true, kvs: out };
}

const NO_KVS: readonly AnswerKv[] = [];

/**
 * Kvs already read, by the kv object, within one history's preparation (null: a kv of another
 * shape). The simulated store hands the same kv object to every answer that shows that key at
 * that revision (a bench history: 10,655 range kvs, 3,870 objects), so each is read once; an
 * AnswerKv is never changed once read, so answers may share it. A history parsed from a file
 * has an object per kv and gains nothing but pays a lookup per kv.
 */
export type SharedKvs = Map<object, AnswerKv | null>;

/**
 * rangeAnswerOf(canonical(resp)) for a JSON answer, read from the answer as it is: the history
 * preparation reads every range's answer, and building its canonical form first was most of that work.
 */
export function rangeAnswerOfResponse(resp: unknown, top = true, shared?: SharedKvs): RangeAnswer | undefined {
  if (typeof resp !== 'object' || resp === null || Array.isArray(resp)) return undefined;
  const o = resp as Record<string, unknown>;
  let revision: string | undefined;
  let count: string | undefined;
  let more = false;
  let kvs: readonly AnswerKv[] = NO_KVS;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      // A nested answer's header (a txn's range) is dropped by canonical form.
      const r = canonicalHeaderRevision(o, top);
      if (r === null) return undefined;
      if (r !== undefined) revision = r;
      continue;
    }
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    if (k === 'count') {
      count = canonicalTextOf(v);
      if (count === undefined) return undefined;
    } else if (k === 'more') {
      if (v !== true) return undefined;
      more = true;
    } else if (k === 'kvs') {
      if (!Array.isArray(v)) return undefined;
      const read = answerKvs(v, shared);
      if (read === undefined) return undefined;
      kvs = read;
    } else return undefined;
  }
  return { revision, count, more, kvs };
}

/** The kvs of an answer as their canonical form shows them, or undefined when one has another shape. */
export function answerKvs(list: readonly unknown[], shared?: SharedKvs): AnswerKv[] | undefined {
  const out: AnswerKv[] = [];
  for (let i = 0; i < list.length; i++) {
    const kv = sharedAnswerKvOf(list[i], shared);
    if (kv === undefined) return undefined;
    out.push(kv);
  }
  return out;
}

/** answerKvOf(kv), read once per kv object in `shared`. */
export function sharedAnswerKvOf(kv: unknown, shared: SharedKvs | undefined): AnswerKv | undefined {
  if (shared === undefined || typeof kv !== 'object' || kv === null) return answerKvOf(kv);
  let a = shared.get(kv);
  if (a === undefined) shared.set(kv, (a = answerKvOf(kv) ?? null));
  return a ?? undefined;
}

/** One kv of an answer (a JSON value) as canonical form shows it, or undefined when it is no object of kv fields. */
export function answerKvOf(kv: unknown): AnswerKv | undefined {
  if (typeof kv !== 'object' || kv === null || Array.isArray(kv)) return undefined;
  const o = kv as Record<string, unknown>;
  const a: AnswerKv = { key: undefined, create_revision: undefined, mod_revision: undefined, version: undefined, value: undefined, lease: undefined };
  for (const k in o) {
    // Nested headers are dropped by canonical form.
    if (!Object.hasOwn(o, k) || k === 'header') continue;
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    const text = canonicalTextOf(v);
    if (text === undefined || !KV_FIELDS.has(k)) return undefined;
    a[k as keyof AnswerKv] = text;
  }
  return a;
}

/**
 * A field of the model's answer against the canonical answer's: canonical form drops '' and '0'.
 * An observed UNRECORDED ('*': a field the history's recorder did not keep, as etcd's
 * robustness tests keep no create_revision or lease; sim/history/etcd-robustness.ts) is any value.
 */
export function sameField(model: string, observed: string | undefined): boolean {
  if (observed === UNRECORDED) return true;
  return model === '' || model === '0' ? observed === undefined : model === observed;
}

export function sameKv(kv: KeyValue, keysOnly: boolean, a: AnswerKv): boolean {
  return (
    sameField(String(kv.mod), a.mod_revision) &&
    sameField(String(kv.version), a.version) &&
    sameField(String(kv.create), a.create_revision) &&
    (keysOnly ? a.value === undefined : sameField(kv.value, a.value)) &&
    sameField(kv.lease, a.lease) &&
    sameField(kv.key === '' ? '' : encodeKey(kv.key), a.key)
  );
}

/**
 * Whether the model's answer (header revision `revision`, then `r`) is the observed one: the
 * same as comparing canonicalText of rangeOn's JSON with the observed canonical text.
 */
export function sameRangeAnswer(a: RangeAnswer, revision: number, r: RangeResult): boolean {
  return sameField(String(revision), a.revision) && sameRangeBody(a, r);
}

/** The same without the header revision (a range inside a txn, whose header canonical form drops). */
export function sameRangeBody(a: RangeAnswer, r: RangeResult): boolean {
  if (!sameField(String(r.count), a.count)) return false;
  if (r.countOnly) return a.kvs.length === 0 && !a.more;
  if (r.more !== a.more || r.found.length !== a.kvs.length) return false;
  for (let i = 0; i < r.found.length; i++) if (!sameKv(r.found[i]!, r.keysOnly, a.kvs[i]!)) return false;
  return true;
}
