// Keys an answer shows missing. A range over [key, range_end) that returned every key it
// matched (no limit cut it, no revision filter, not count_only) proves that every other key
// in that range did not exist at the revision it read; a watch DELETE event proves the key
// gone at the event's revision. Such a key that exists after a gap's filler must be deleted
// by then, by a known write or by a filler of a gap before it: without this fact the search
// found the missing delete only at the range that shows it, after trying every order of the
// fillers in between (short-timeouts seed 3: a key put back by a filler twenty gaps before a
// full-range read).
//
// Only keys some write may put (or an answer shows) can exist, so only those are looked for.
// The work is bounded: a history with more reads x keys than ABSENCE_WORK_MAX gives fewer
// facts, which only prunes less.
import type { Req } from './apply.ts';
import { answerRead } from './answer-read.ts';
import type { Sighting } from './gap-constraints.ts';
import { decodeKey, int } from './json.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import { inKeyRanges } from './write-keys.ts';
import { lowerBound } from '../../../../src/sort/lower-bound.ts';

const ABSENCE_WORK_MAX = 20_000_000;

/** The range request's revision filters: a range with any of them lists only some of its keys. */
const RANGE_FILTERS = ['min_mod_revision', 'max_mod_revision', 'min_create_revision', 'max_create_revision'];

/** Whether a range answer lists every key of its range (so a key it does not list was missing). */
function listsEveryKey(req: Req, resp: Req): boolean {
  if (req['count_only'] === true || resp['more'] === true) return false;
  for (let i = 0; i < RANGE_FILTERS.length; i++) if (int(req[RANGE_FILTERS[i]!]) !== 0) return false;
  // etcd's JSON leaves an empty kvs (and a zero count) out; a count beyond the kvs was cut.
  const kvs = resp['kvs'] ?? [];
  return Array.isArray(kvs) && (resp['count'] === undefined || int(resp['count']) === kvs.length);
}


/**
 * Calls `absent(key, revision, i)` for each key of `universe` (sorted) that an ok range answer
 * of `ops` (ops[i]) shows missing at the revision it read. Nested txn ranges are left out (they see the
 * txn's own writes).
 */
/** A range answer that lists every key of its range: the revision it read, its range and the keys it listed. */
export interface FullListing {
  at: number;
  range: readonly (readonly [string, string | undefined])[];
  listed: ReadonlySet<string>;
}


/** The revision a range read: its own revision, or the header's. */
function readAt(req: Req, resp: Req): number {
  const header = int((resp['header'] as Req | undefined)?.['revision']);
  const explicit = int(req['revision']);
  return explicit > 0 ? explicit : header;
}

/** `sightings`: the answer's sightings when read already (gap-constraints.ts): one per kv, in order, when every kv made one. */
function fullListing(req: Req, resp: Req, sightings: readonly Sighting[] | undefined): FullListing | null {
  let known: FullListing | null = null;
  const at = listsEveryKey(req, resp) ? readAt(req, resp) : 0;
  if (at > 0) {
    const listed = new Set<string>();
    const kvs = (resp['kvs'] ?? []) as unknown[];
    // Every kv made a sighting (an object with a string key): its key is decoded there already.
    if (sightings !== undefined && sightings.length === kvs.length) for (let i = 0; i < sightings.length; i++) listed.add(sightings[i]!.key);
    else for (const kv of kvs) if (typeof kv === 'object' && kv !== null && typeof (kv as Req)['key'] === 'string') listed.add(decodeKey((kv as Req)['key']));
    const lo = decodeKey(req['key']);
    const end = req['range_end'] === undefined ? undefined : decodeKey(req['range_end']);
    known = { at, range: [[lo, end] as const], listed };
  }
  return known;
}

/**
 * `into`: what the callback fills (the gap constraints' key facts); each answer listed whole
 * (not cut by the work bound) is marked as read into it (AnswerRead.absencesIn).
 */
export function rangeAbsences(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], universe: readonly string[], absent: (key: string, revision: number, i: number) => void, into?: object): void {
  let work = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const out = op.output;
    if (op.input.f !== 'kv/range' || out === undefined || !('response' in out)) continue;
    // Read once per answer (answer-read.ts): the gap constraints and the contradictions both list absences.
    const read = answerRead(op.input.f, op.input.request, out);
    const listing = read.listing === undefined ? (read.listing = fullListing(op.input.request, out.response, read.sightings)) : read.listing;
    if (listing === null) continue;
    const { at, range, listed } = listing;
    const lo = range[0]![0];
    for (let u = lowerBound(universe, lo); u < universe.length; u++) {
      const k = universe[u]!;
      if (!inKeyRanges(range, k)) break;
      if (++work > ABSENCE_WORK_MAX) return;
      if (!listed.has(k)) absent(k, at, i);
    }
    if (into !== undefined) read.absencesIn = into;
  }
}
