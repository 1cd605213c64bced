// A put's observed answer as the model's comparison needs it, read once from the history: puts
// are most of the writes the search tries, and the model wrote each one's answer as gateway
// JSON to compare it in canonical form. The comparison here gives exactly what comparing
// canonical forms gives (sameResponse): the answer is read as canonical form shows it (zero
// fields dropped, nested headers gone), and only when it has the shape the model's answer has
// (a header revision, a prev_kv of kv fields); any other answer keeps the JSON comparison.
import { canonicalHeaderRevision, canonicalIsZero } from './json.ts';
import { sameField, sameKv, sharedAnswerKvOf, type AnswerKv, type SharedKvs } from './range-answer.ts';
import type { KeyValue } from './state.ts';

export interface PutAnswer {
  /** header.revision; undefined when the answer has no (non-zero) header revision. */
  revision: string | undefined;
  /** undefined when the answer has no (non-zero) prev_kv. */
  prevKv: AnswerKv | undefined;
}

/** The answer as canonical form shows it, or undefined when it has another shape. */
export function putAnswerOfResponse(resp: unknown, top = true, shared?: SharedKvs): PutAnswer | undefined {
  if (typeof resp !== 'object' || resp === null || Array.isArray(resp)) return undefined;
  const o = resp as Record<string, unknown>;
  let revision: string | undefined;
  let prevKv: AnswerKv | undefined;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      // A nested answer's header (a txn's put) is dropped by canonical form.
      const r = canonicalHeaderRevision(o, top);
      if (r === null) return undefined;
      if (r !== undefined) revision = r;
      continue;
    }
    const v = o[k];
    if (canonicalIsZero(v)) continue;
    if (k !== 'prev_kv') return undefined;
    prevKv = sharedAnswerKvOf(v, shared);
    if (prevKv === undefined) return undefined;
  }
  return { revision, prevKv };
}

/**
 * Whether the model's answer (header revision `revision`, and `prevKv` when the request asked
 * for it and the key existed) is the observed one: the same as sameResponse on the JSON answer.
 */
export function samePutAnswer(a: PutAnswer, revision: number, prevKv: KeyValue | undefined): boolean {
  if (!sameField(String(revision), a.revision)) return false;
  // The model's prev_kv always has a mod_revision, so canonical form keeps it.
  if (prevKv === undefined) return a.prevKv === undefined;
  return a.prevKv !== undefined && sameKv(prevKv, false, a.prevKv);
}
