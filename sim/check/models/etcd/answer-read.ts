// What the facts about the answers (gap-constraints.ts, absences.ts, contradictions.ts) read
// of one ok answer, kept on its output: the gap constraints read every answer, the
// contradictions read them again, and a WeakMap by answer to share that reading cost a
// hash lookup (and an ephemeron for the collector) per answer and reader. The output object
// is the op's for the whole check, so each answer is read once.
import type { Req } from './apply.ts';
import type { FullListing } from './absences.ts';
import type { Sighting } from './gap-constraints.ts';
import type { EtcdInput } from './model.ts';

/** An answer's readings for one op (its f and request: a reading holds only for those). */
export interface AnswerRead {
  f: EtcdInput['f'];
  req: Req;
  /** What it shows of keys (gap-constraints.ts sightings), once read. */
  sightings: readonly Sighting[] | undefined;
  /** A range's listing of every key in its range (absences.ts; null: none), once read. */
  listing: FullListing | null | undefined;
  /**
   * The key facts (GapConstraints.keys) that hold every absence this listing shows among their
   * keys, once the gap constraints read it whole: the contradictions then need not list it again.
   */
  absencesIn: object | undefined;
}

/** The readings of `out` for the op (f, req), new when it has none for them. */
export function answerRead(f: EtcdInput['f'], req: Req, out: { read?: AnswerRead | undefined }): AnswerRead {
  let r = out.read;
  if (r === undefined || r.f !== f || r.req !== req) out.read = r = { f, req, sightings: undefined, listing: undefined, absencesIn: undefined };
  return r;
}
