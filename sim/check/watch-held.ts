// A watch re-created with the id of the one its client cancelled. etcd 3.4's send loop
// (v3rpc/watch.go sendLoop) forgets a watch id when it sends the id's Canceled response
// (`delete(ids, wid)`); a response the cancelled watcher had queued before the cancel then waits
// in `pending`, as for an id not yet created, and is sent right after the Created response of
// the next watch created with that id (a create request may name its watch_id), before that
// watch's own. The stream then shows, after the new Created, some responses of the old watch:
// each made before the cancel, so at or below the Canceled response's header revision (the
// store's revision when the watch was cancelled). Which of the first responses after the Created
// are the old watch's is not recorded: a history is valid when some split of them is.
import type { WatchCheckResult, WatchOp, WatchResponse } from './watch.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { count } from '../text/count.ts';

/** Splits tried in all (the product of each re-created watch's choices); past it the verdict is unknown. */
const SPLITS_MAX = 64;

/** The Canceled response of a watch its client cancelled (not a compaction, not a create refused). */
export function clientCancel(op: WatchOp): WatchResponse | undefined {
  return op.responses.find((r) => r.canceled && !r.created && r.compactRevision === 0 && !r.compactedUnrecorded);
}

interface Recreated {
  /** The re-created watch and the cancelled one before it, as indexes into the ops. */
  op: number;
  prev: number;
  /** Index of the re-created watch's Created response. */
  created: number;
  /** How many responses right after it may be the old watch's. */
  candidates: number;
  /** The counts of them a split may give back to the old watch (see splitChoices). */
  choices: number[];
}

/**
 * The counts n of the candidates after a re-created watch's Created that a split may give back to
 * the old watch: all of 0..candidates, less, for a watch "from now", every n that leaves the new
 * watch a first event at or below its Created revision (watch.ts checkWatchDelivery convicts
 * each such split as "resumable", so trying it could only fail). A slow consumer on a real etcd
 * 3.4.23 (bench/tools/record-shared-watch.mjs --held) got 120 held responses after one Created:
 * 121 splits, past the bound, where only the one giving back all 120 could pass.
 */
function splitChoices(op: WatchOp, created: number, candidates: number): number[] {
  const all = Array.from({ length: candidates + 1 }, (_, n) => n);
  if (op.startRevision !== 0 || op.responses.slice(0, created + 1).some((r) => r.events.length > 0)) return all;
  const at = op.responses[created]!.headerRevision;
  // firstFrom[j]: the revision of the first event in responses j.. (Infinity: none).
  const firstFrom = new Array<number>(op.responses.length + 1).fill(Infinity);
  for (let j = op.responses.length - 1; j > created; j--) {
    const r = op.responses[j]!;
    firstFrom[j] = r.events.length > 0 ? r.events[0]!.revision : firstFrom[j + 1]!;
  }
  return all.filter((n) => firstFrom[created + 1 + n]! > at);
}

/** Each watch created with an explicit id that its client's previous watch had and was cancelled with. */
function recreatedWatches(ops: readonly WatchOp[]): Recreated[] {
  const lastOf = new Map<number | string, number>();
  const out: Recreated[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const p = lastOf.get(op.process);
    lastOf.set(op.process, i);
    // watch_id 0 asks etcd to pick an id (mvcc AutoWatchID): it never names a cancelled watch's.
    if (p === undefined || op.requestedId === 0) continue;
    const prev = ops[p]!;
    const cancel = clientCancel(prev);
    const prevId = prev.requestedId !== 0 ? prev.requestedId : (prev.responses.find((r) => r.created)?.watchId ?? 0);
    if (cancel === undefined || prevId !== op.requestedId) continue;
    const created = op.responses.findIndex((r) => r.created && !r.canceled);
    if (created < 0) continue;
    let candidates = 0;
    for (let j = created + 1; j < op.responses.length; j++) {
      const r = op.responses[j]!;
      if (r.created || r.canceled || r.compactRevision > 0 || r.compactedUnrecorded || r.headerRevision <= 0 || r.headerRevision > cancel.headerRevision) break;
      candidates++;
    }
    if (candidates > 0) out.push({ op: i, prev: p, created, candidates, choices: splitChoices(op, created, candidates) });
  }
  return out;
}

const eventsOf = (responses: readonly WatchResponse[]): WatchResponse['events'] => responses.flatMap((r) => r.events);

/** The ops with `moved[k]` responses after re-created watch k's Created given back to the watch cancelled before it. */
function split(ops: readonly WatchOp[], recreated: readonly Recreated[], moved: readonly number[]): WatchOp[] {
  const out = [...ops];
  for (let k = 0; k < recreated.length; k++) {
    const n = moved[k]!;
    if (n === 0) continue;
    const { op, prev, created } = recreated[k]!;
    const b = out[op]!;
    const a = out[prev]!;
    const held = b.responses.slice(created + 1, created + 1 + n).map((r) => withFields(r, { held: true }));
    const kept = [...b.responses.slice(0, created + 1), ...b.responses.slice(created + 1 + n)];
    out[op] = withFields(b, { responses: kept, events: eventsOf(kept) });
    const responses = [...a.responses, ...held];
    out[prev] = withFields(a, { responses, events: eventsOf(responses) });
  }
  return out;
}

/**
 * A failed verdict judged again with the responses after each re-created watch's Created split
 * every way between it and the watch cancelled before it: valid when one split is (its summary
 * says how many responses were the old watch's), unknown when there are too many splits to try
 * or a split's judgement gave up (a budget ran out) where none was valid.
 */
export function withHeldResponses(ops: readonly WatchOp[], failed: WatchCheckResult, judge: (ops: readonly WatchOp[]) => WatchCheckResult): WatchCheckResult {
  const recreated = recreatedWatches(ops);
  if (recreated.length === 0) return failed;
  const splits = recreated.reduce((n, r) => n * r.choices.length, 1);
  if (splits > SPLITS_MAX) {
    const why = `${count(recreated.length, 'watch')} re-created with a cancelled watch's id, whose held responses may be any of ${splits} splits (more than ${SPLITS_MAX} are not tried)`;
    return unknownSplit(failed, why);
  }
  let unknown: WatchCheckResult | undefined;
  for (let s = 0; s < splits; s++) {
    // Mixed radix: split s gives re-created watch k its choice s_k, in base choices_k.length.
    let rest = s;
    const moved = recreated.map((r) => {
      const n = r.choices[rest % r.choices.length]!;
      rest = Math.floor(rest / r.choices.length);
      return n;
    });
    // The split moving nothing is the verdict judged already.
    if (moved.every((n) => n === 0)) continue;
    const r = judge(split(ops, recreated, moved));
    if (r.valid === 'unknown') unknown ??= r;
    if (r.valid !== true) continue;
    const n = moved.reduce((a, b) => a + b, 0);
    return withFields(r, { summary: `${r.summary ?? 'valid'}; ${count(n, 'response')} after a re-created watch's Created judged as held ones of the watch its client cancelled before it (etcd 3.4's send loop sends them then)` });
  }
  // A split judged unknown (a budget ran out) may be valid: not a conviction.
  if (unknown !== undefined) return unknownSplit(failed, `a split of the held responses was not judged in full (${unknown.summary ?? 'unknown'})`);
  return failed;
}

function unknownSplit(failed: WatchCheckResult, why: string): WatchCheckResult {
  return withFields(failed, { valid: 'unknown' as const, summary: `unknown: ${why}; unsplit: ${failed.summary ?? ''}`, unknownReason: why });
}
