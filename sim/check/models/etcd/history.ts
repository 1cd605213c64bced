// detcd etcd histories to search operations, using what etcd returns to cut the search:
//
// - Every ok response's header.revision pins the revision the state had just before the op
//   (a put at R was applied at R-1; a range at R reads R). The search rejects an op at any
//   other revision in O(1) and prunes states that passed a pending op's revision, so with
//   revisions known the search runs close to a merge of the clients' streams.
// - Put values are unique (etcd's robustness traffic and detcd's workloads make them so). A
//   timed-out put whose value some ok response shows with mod_revision R certainly took
//   effect at R: it becomes an op with a known revision and an unknown response, due by
//   the return of the first op that saw it.
// - A timed-out write that nobody saw can only have taken effect at a revision that no known
//   write created (a gap). If no gap lies after its call, it never took effect as far as any
//   response can tell, and is dropped.
// - Reads with unknown outcome are dropped (no effect). A `fail` whose error the state
//   decides (compacted, future revision, lease not found, key not found, lease exists) is an
//   observation with no effect; an ambiguous one (timeout, leader changed, connection) is
//   treated as `info`; any other `fail` certainly did not happen and is dropped.
// - An op its client sent more than once (`tries`) is answered by its last try; each earlier try
//   of a write is a write of unknown outcome besides it (earlier-tries.ts).
// - A lease that is never revoked by a client may be revoked by the leader on expiry at any
//   time after its grant: a virtual `lease/expire` op with unknown outcome stands for that.
//   (Timing of expiry is the lease checker's business, not linearizability's, but for one id
//   granted again: etcd refuses a live lease's id, so with the leader clock's error bounded the
//   earlier lease's expiry waits for its TTL: addLeaseExpiry.)
//
// The etcd model always checks one partition: header.revision is global, so keys are not
// independent (splitting by key would lose the check that revisions are dense and shared).
import type { OpPair } from '../../../history/pair.ts';
import { HistoryParseError, inReason } from '../../../history/parse-error.ts';
import { noSuchOp } from '../../model-names.ts';
import type { Operation } from '../../linearizability/model.ts';
import { isSerializableRead, type Req } from './apply.ts';
import { gapConstraints, NO_GAP_CONSTRAINTS, type GapConstraints } from './gap-constraints.ts';
import { RevisionReachedBefore } from './gap-deadlines.ts';
import { checkGapCount } from './gap-bound.ts';
import { forEachStoredValue, leasedPuts } from './write-keys.ts';
import { dumpedState, inferInitialState } from './initial-state.ts';
import { forEachPutValue, hideUnseenValues, valuedObjects } from './unseen-values.ts';
import { NO_WATCH_FACTS, watchFacts, type WatchFacts, type WatchObservation } from './watch-observations.ts';
import type { NotJudged } from '../../not-judged.ts';
import { EtcdState } from './state.ts';
import { decidedError, decodeKey, errorKind, id64, int, mayHaveApplied } from './json.ts';
import { putAnswerOfResponse } from './put-answer.ts';
import { rangeAnswerOfResponse, type SharedKvs } from './range-answer.ts';
import { txnAnswerOfResponse } from './txn-answer.ts';
import { ETCD_FS, txnWrites, type EtcdF, type EtcdInput, type EtcdOutput } from './model.ts';
import { withFields } from '../../../../src/object/with-fields.ts';
import { packedMap } from '../../packed-map.ts';
import { branchOps, TXN_BRANCHES, txnBranch } from './txn-branches.ts';
import { earlierTries } from './earlier-tries.ts';

export type EtcdOperation = Operation<EtcdInput, EtcdOutput>;

/** Unseen writes of unknown outcome from which on gap constraints are worth their pass over the answers. */
const GAP_CONSTRAINTS_GATED_MIN = 32;

export interface EtcdPrepared {
  ops: EtcdOperation[];
  /** Ops left out: reads with unknown outcome, fails that did not happen, unseen writes with no gap. */
  dropped: number;
  /** Timed-out writes whose revision was recovered from an observed unique value. */
  resolved: number;
  /**
   * Revisions no known write created: only a timed-out write, a revoke or an expiry can have.
   * Up to maxRevision every one needs a filler; past it (trailing, seen only through decided
   * errors) none does.
   */
  gaps: ReadonlySet<number>;
  /** Which keys the write filling each gap may and must touch. */
  constraints: GapConstraints;
  /** The state before the history: an empty etcd, or what the answers show of one that held data. */
  initial: EtcdState;
  /** The value standing for every value no answer shows (unseen-values.ts), if any was hidden. */
  placeholder?: string | undefined;
  /**
   * How many ways there are to name the leases timed-out grants with ID 0 made (1 when there is
   * nothing to choose; ANONYMOUS_GRANT_CHOICES_MAX + 1 means at least that many): these ops
   * hold choice `anonymousGrantChoice`, and another may be linearizable when this one is not.
   */
  anonymousGrantChoices: number;
  /** Answers the check does not judge, and why (the verdict says so: not-judged.ts). */
  notJudged: NotJudged[];
}

/** The ways of naming the leases of timed-out ID-0 grants a check tries at most (history-check/etcd.ts). */
export const ANONYMOUS_GRANT_CHOICES_MAX = 16;
/** Search nodes spent at most listing those ways (many timed-out ID-0 grants and many leases). */
const ANONYMOUS_GRANT_NODES_MAX = 20_000;

const READS = new Set<EtcdF>(['kv/range', 'lease/keepalive', 'lease/timetolive']);

function isDecided(error: string): boolean {
  return decidedError(error) !== undefined;
}

/** The pre-op revision the response pins, as [exact, upper bound]; `rev`: its header revision. */
function revisionBounds(f: EtcdF, req: Req, resp: Req, rev: number): [number | undefined, number | undefined] {
  if (rev === 0 || f === 'lease/keepalive' || f === 'lease/timetolive') return [undefined, undefined];
  switch (f) {
    case 'kv/put':
      return [rev - 1, undefined];
    case 'kv/deleterange':
      return [int(resp['deleted']) > 0 ? rev - 1 : rev, undefined];
    case 'kv/txn':
      return [txnWrites(req, resp) ? rev - 1 : rev, undefined];
    case 'lease/revoke':
      return [undefined, rev];
    case 'kv/compaction':
      // etcd's Compact answers with the revision when it answers (v3_server.go: Header.Revision =
      // s.kv.Rev() after the apply returned), not the one it applied at: writes applied in
      // between raise it. The compaction applied at that revision or before.
      return [undefined, rev];
    default:
      return [rev, undefined];
  }
}

/** Put values a request writes (txn branches included). */
function putValues(f: EtcdF, req: Req, out: string[]): void {
  forEachPutValue(f, req, (v) => out.push(v));
}

/** Every value any request of the history puts, whatever became of the request. */
function writtenValues(pairs: readonly OpPair[]): Set<string> {
  const out: string[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const v = p.invoke.value;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) putValues(p.invoke.f as EtcdF, v as Req, out);
  }
  return new Set(out);
}

/** Every (value, mod_revision, key) an ok response shows (its valued objects with a mod_revision): range kvs, prev_kv(s), nested txn responses. */
function observedValues(shown: readonly Req[], out: (value: string, mod: number, key: unknown) => void): void {
  for (let i = 0; i < shown.length; i++) {
    const o = shown[i]!;
    if (o['mod_revision'] !== undefined) out(o['value'] as string, int(o['mod_revision']), o['key']);
  }
}

const NOTHING_SHOWN: readonly Req[] = [];

interface Draft {
  pair: OpPair;
  f: EtcdF;
  request: Req;
  output: EtcdOutput | undefined;
  /** The objects with a value the ok answer shows (valuedObjects), read once. */
  shown: readonly Req[];
  pre: number | undefined;
  preMax: number | undefined;
  gaps: ReadonlySet<number> | undefined;
  servedAt: number | undefined;
  /** The request as the history holds it, when the check uses another (unseen values hidden). */
  original: Req | undefined;
  returnPos: number;
  /** The ok answer's header revision (0 without one). */
  rev: number;
}

/** `shared`: the kvs its answers read already (range-answer.ts SharedKvs), one map per preparation. */
function draft(p: OpPair, shared: SharedKvs): Draft | undefined {
  const f = p.invoke.f as EtcdF;
  if (p.invoke.f === 'lease/leases') return undefined;
  if (!ETCD_FS.includes(f)) throw new HistoryParseError(p.line, noSuchOp('etcd', p.invoke.f), inReason('f'));
  const request = p.invoke.value;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new HistoryParseError(p.line, `${f}: the invoke's value must be the request object`, inReason('value'));
  const c = p.completion;
  const d: Draft = { pair: p, f, request: request as Req, output: undefined, shown: NOTHING_SHOWN, pre: undefined, preMax: undefined, gaps: undefined, servedAt: undefined, original: undefined, returnPos: p.return, rev: 0 };
  const serializable = isSerializableRead(f, d.request);
  if (c?.type === 'ok') {
    const resp = c.value;
    if (typeof resp !== 'object' || resp === null) throw new HistoryParseError(p.completionLine!, `${f}: the ok's value must be the response object`, inReason('value'));
    d.output = { response: resp as Req, range: f === 'kv/range' ? rangeAnswerOfResponse(resp, true, shared) : undefined, put: f === 'kv/put' ? putAnswerOfResponse(resp, true, shared) : undefined, txn: f === 'kv/txn' ? txnAnswerOfResponse(resp, true, shared) : undefined, read: undefined };
    const shown: Req[] = [];
    valuedObjects(resp, shown);
    if (shown.length > 0) d.shown = shown;
    // The TTL of a time-to-live answer is read where the answer is compared: a bad one is bad input, said here.
    if (f === 'lease/timetolive') int((resp as Req)['TTL']);
    d.rev = int((resp as { header?: Req }).header?.['revision']);
    if (serializable) d.servedAt = d.rev;
    else {
      const bounds = revisionBounds(f, d.request, resp as Req, d.rev);
      d.pre = bounds[0];
      d.preMax = bounds[1];
    }
    return d;
  }
  // A serializable read that failed may have failed on a lagging member (a future revision
  // there): it tells nothing about the cluster.
  if (serializable) return undefined;
  if (c?.type === 'fail' && !mayHaveApplied(c.error ?? '')) {
    if (!isDecided(c.error ?? '')) return undefined;
    d.output = { error: c.error! };
    return d;
  }
  // Unknown outcome.
  if (READS.has(f)) return undefined;
  d.returnPos = Infinity;
  return d;
}

export interface EtcdPrepareOptions {
  /** The store's revision before the history (default: inferred, 1 for an empty etcd). */
  initialRevision?: number;
  /** The store before the history as a dump shows it (etcdctl get -w json output); implies its revision. */
  initialDump?: unknown;
  /** Watch responses recorded with the history, placed among its ops (watch-observations.ts). */
  watches?: readonly WatchObservation[];
  /** Which naming of the leases timed-out ID-0 grants made to use (EtcdPrepared.anonymousGrantChoices); default 0, the first. */
  anonymousGrantChoice?: number;
  /** The history's op times by position (µs) and how wrong a leader's clock may be: see addLeaseExpiry. Absent: expiry not timed. */
  leaseClock?: { times: readonly number[]; driftPpmMax: number; jumpUsMax: number };
}

export function etcdOperations(pairs: readonly OpPair[], options: EtcdPrepareOptions = {}): EtcdPrepared {
  let dropped = 0;
  let leaseLists = 0;
  const drafts: Draft[] = [];
  // Per pair, what its ok answer shows (valuedObjects), read once by its draft.
  const shownByPair: (readonly Req[] | undefined)[] = new Array<readonly Req[] | undefined>(pairs.length);
  const shared: SharedKvs = new Map();
  for (let i = 0; i < pairs.length; i++) {
    const d = draft(pairs[i]!, shared);
    if (pairs[i]!.invoke.f === 'lease/leases' && pairs[i]!.completion?.type === 'ok') leaseLists++;
    if (d === undefined) dropped++;
    else {
      drafts.push(d);
      shownByPair[i] = d.shown;
    }
    // A request sent more than once: each earlier try a write of unknown outcome (reads: none).
    const earlier = earlierTries(pairs[i]!);
    for (let t = 0; t < earlier.length; t++) {
      const e = draft(earlier[t]!, shared);
      if (e !== undefined) drafts.push(e);
    }
  }
  const watched = watchFacts(options.watches ?? []);
  if (watched.reached.length > 0) returnBeforeWatchers(drafts, watched.reached);
  const dumpRevision = options.initialDump === undefined ? undefined : int(((options.initialDump as Req)['header'] as Req | undefined)?.['revision']);
  const { resolved, gaps, pinnedGaps, initialRevision } = resolveUnknownWrites(drafts, dumpRevision ?? options.initialRevision, () => writtenValues(pairs), watched);
  const before = initialRevision > 1 ? dropBeforeHistory(drafts, initialRevision) : 0;
  dropped += before;
  const anonymousGrantChoices = settleUnknownLeaseOps(drafts, leaseEvidence(drafts), gaps, options.anonymousGrantChoice ?? 0);
  dropped += drafts.filter((d) => d.output === undefined && d.returnPos === -1).length;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (!isLeaseRead(d) || d.returnPos === -1) continue;
    d.returnPos = -1;
    dropped++;
  }
  const kept = drafts.filter((d) => d.returnPos !== -1);
  const placeholder = hideValuesNobodySaw(pairs, shownByPair, kept, options.watches ?? []);
  const ops: EtcdOperation[] = packedMap(kept, (d, id) => {
    // Every field set (undefined when not known): one object shape for every op's input, so the
    // code reading them (the facts about the answers, the model's step) sees one shape, not dozens.
    const input: EtcdInput = { f: d.f, request: d.request, pre: d.pre, preMax: d.preMax, gaps: d.gaps, servedAt: d.servedAt, original: d.original };
    return { id, process: d.pair.invoke.process, input, output: d.output, call: d.pair.call, return: d.returnPos, index: d.pair.invoke.index };
  });
  addLeaseExpiry(kept, ops, leaseEvidence(kept), gaps, options.leaseClock);
  // The constraints cost a pass over every answer; they pay off only with many unseen writes.
  const gated = ops.reduce((n, op) => n + (op.input.gaps !== undefined ? 1 : 0), 0);
  const worth = gated >= GAP_CONSTRAINTS_GATED_MIN || initialRevision > 1 || (gated > 0 && watched !== NO_WATCH_FACTS);
  const constraints = worth ? gapConstraints(ops, pinnedGaps, watched) : NO_GAP_CONSTRAINTS;
  const initial = options.initialDump !== undefined ? dumpedState(options.initialDump, ops) : initialRevision > 1 ? inferInitialState(initialRevision, ops, constraints) : EtcdState.initial();
  const notJudged: NotJudged[] = [];
  // etcd 3.4's LeaseLeases lists the answering member's own lessor, with no read barrier: a member
  // behind may list a lease already revoked or leave out one just granted, so no answer is wrong.
  if (leaseLists > 0) notJudged.push({ count: leaseLists, what: 'lease/leases answer', why: "etcd 3.4 lists the answering member's own lessor's leases, with no read barrier" });
  if (before > 0) notJudged.push({ count: before, what: 'answer', why: `it reads a revision before the history's first (${initialRevision}), whose key space is not known` });
  return { ops, dropped, resolved, gaps, constraints, initial, placeholder, anonymousGrantChoices, notJudged };
}

/**
 * Unseen writes' values become one placeholder (unseen-values.ts); the placeholder, or undefined
 * when not done. A value a watch event shows is seen as much as one an answer shows.
 */
function hideValuesNobodySaw(pairs: readonly OpPair[], shownByPair: readonly (readonly Req[] | undefined)[], kept: Draft[], watches: readonly WatchObservation[]): string | undefined {
  const unseen = kept.filter((d) => d.gaps !== undefined && d.output === undefined && (d.f === 'kv/put' || d.f === 'kv/txn'));
  if (unseen.length === 0) return undefined;
  const requests: { f: string; request: Req }[] = [];
  const shown: (readonly Req[])[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const v = p.invoke.value;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) requests.push({ f: p.invoke.f, request: v as Req });
    if (p.completion?.type !== 'ok') continue;
    // Every ok answer: those the preparation left out (lease listings) are read here.
    let list = shownByPair[i];
    if (list === undefined) valuedObjects(p.completion.value, (list = []));
    shown.push(list);
  }
  const hidden = hideUnseenValues(requests, shown, unseen, packedMap(watches, (w) => w.response));
  if (hidden === undefined) return undefined;
  unseen.forEach((d, i) => {
    const req = hidden.requests[i]!;
    if (req === d.request) return;
    d.original = d.request;
    d.request = req;
  });
  return hidden.placeholder;
}

/**
 * Marks as dropped what the history cannot decide when it starts at `initialRevision` > 1:
 * reads of revisions before it (the key space then is unknown) and compacted answers to
 * compactions of them (what was compacted before is unknown). Returns how many. A txn that
 * reads before it and writes keeps its effect with its answer unchecked (dropping it lost a
 * revision: a generated ground-truth history was "not linearizable").
 */
function dropBeforeHistory(drafts: Draft[], initialRevision: number): number {
  let n = 0;
  const readsBefore = (req: Req): boolean => {
    const rev = int(req['revision']);
    if (rev > 0 && rev < initialRevision) return true;
    for (let b = 0; b < TXN_BRANCHES; b++) {
      for (const op of txnBranch(req, b)) {
        if (op['request_range'] !== undefined && readsBefore(op['request_range'] as Req)) return true;
        if (op['request_txn'] !== undefined && readsBefore(op['request_txn'] as Req)) return true;
      }
    }
    return false;
  };
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.returnPos === -1) continue;
    const compactedBefore = d.f === 'kv/compaction' && int(d.request['revision']) <= initialRevision && d.output !== undefined && 'error' in d.output;
    // A serializable read a member served at a revision before the history: the same.
    const servedBefore = d.servedAt !== undefined && d.servedAt < initialRevision;
    // Only an answer can show the key space before the history: a txn of unknown outcome keeps its writes.
    const answered = d.output !== undefined && !('effective' in d.output);
    if (!compactedBefore && !servedBefore && !(answered && (d.f === 'kv/range' || d.f === 'kv/txn') && readsBefore(d.request))) continue;
    // A txn that also wrote still made its revision: its answer is not checked, its writes are.
    if (d.f === 'kv/txn' && d.output !== undefined && 'response' in d.output && txnWrites(d.request, d.output.response)) {
      d.output = { effective: true };
      continue;
    }
    d.returnPos = -1;
    n++;
  }
  return n;
}


/**
 * A keep-alive or time-to-live answer. etcd serves both from the leader's own lessor without a
 * ReadIndex (v3_server.go LeaseRenew, LeaseTimeToLive), so a leader cut off from the others
 * answers them until its check-quorum step-down, which can lag the election of a new leader:
 * it may still list a lease the new leader revoked, or say "not found" (TTL 0 / -1) for a lease
 * the new leader granted after the partition (seen in sweep lease-expiry-partition seeds 36
 * and 44). Neither answer is linearizable in etcd, so neither is checked as such; etcd's own
 * robustness model leaves them out too. The lease checker still judges what keys outlive.
 */
function isLeaseRead(d: Draft): boolean {
  return d.f === 'lease/keepalive' || d.f === 'lease/timetolive';
}

/**
 * A write whose answer shows the revision it made was applied before any watch response showing
 * that revision or a later one (header or event) was sent: an op called after such a response
 * arrived follows the write, even when the write's own answer came later (its client or member
 * slow, cut off). Its return is moved to just before the first such op (the response's position
 * - 0.5), when that is after its call and before its answer.
 */
function returnBeforeWatchers(drafts: Draft[], reached: readonly { revision: number; by: number }[]): void {
  // The highest revision shown by each position, as steps: positions ascending, revisions rising.
  const sorted = [...reached].sort((a, b) => a.by - b.by);
  const bys: number[] = [];
  const revisions: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (revisions.length > 0 && r.revision <= revisions[revisions.length - 1]!) continue;
    bys.push(r.by);
    revisions.push(r.revision);
  }
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output === undefined || !('response' in d.output) || d.pre === undefined || d.pre !== d.rev - 1) continue;
    // The first step whose revision is at least the write's.
    let lo = 0;
    let hi = revisions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (revisions[mid]! < d.rev) lo = mid + 1;
      else hi = mid;
    }
    if (lo === revisions.length) continue;
    const by = bys[lo]! - 0.5;
    if (by > d.pair.call && by < d.returnPos) d.returnPos = by;
  }
}

/**
 * Gives timed-out writes a revision when their unique value was observed, and marks (with
 * returnPos -1) the unseen ones that no gap in the known revisions could hold.
 */
function resolveUnknownWrites(drafts: Draft[], initialRevisionGiven: number | undefined, written: () => ReadonlySet<string>, watched: WatchFacts): { resolved: number; gaps: ReadonlySet<number>; pinnedGaps: readonly number[]; initialRevision: number } {
  // One small function per pass over the drafts, not one body with every loop: this runs once
  // per check, and V8 compiles a function at each hot loop it enters (on-stack replacement), so
  // one body of nine loops was compiled again and again in every cold worker.
  const valueCount = putValueCounts(drafts);
  const keepsOld = keysKeepingOldValue(drafts);
  const created = new Set<number>();
  const seen = new Map<string, { mod: number; by: number }>();
  const answeredMax = firstSightings(drafts, keepsOld, created, seen);
  watchedSightings(watched, keepsOld, seen);
  const resolved = settleSeenWrites(drafts, seen, valueCount, initialRevisionGiven, created);
  // Watch events may show revisions past the last answer (a timed-out write applied late): the
  // history then reaches them too, and those no write is known to have made are gaps.
  const maxRevision = Math.max(answeredMax, watched.maxRevision);
  const initialRevision = initialRevisionGiven ?? inferInitialRevision(drafts, written);
  // Every op fills at most one gap, and every lease one more (its expiry): 2 per draft bounds them.
  checkGapCount(initialRevision, maxRevision, created, 2 * drafts.length);
  const gaps = gapsBetween(initialRevision, maxRevision, created);
  const lastGap = gaps.length === 0 ? 0 : gaps[gaps.length - 1]!;
  // Past the last revision anything shows, an unseen write is still seen through a decided
  // error (no header revision: "key not found" after a timed-out delete of the key): called
  // before the last such error returned, it may fill a trailing revision. Those need no
  // filler (gapConstraints gets only the gaps below maxRevision), and there are at most as
  // many as the writes, revokes and grants (their expiry) that may fill them.
  const seenBy = lastDecidedErrorReturn(drafts);
  const trailing = trailingFillers(drafts, seenBy);
  const gapSet: ReadonlySet<number> = new Set(trailing === 0 ? gaps : [...gaps, ...Array.from({ length: trailing }, (_, i) => maxRevision + 1 + i)]);
  gateUnseenWrites(drafts, initialRevision, lastGap, seenBy, gapSet);
  return { resolved, gaps: gapSet, pinnedGaps: gaps, initialRevision };
}

/** How many writes of the history put each value (any outcome). */
function putValueCounts(drafts: readonly Draft[]): Map<string, number> {
  const valueCount = new Map<string, number>();
  const count = (v: string): void => void valueCount.set(v, (valueCount.get(v) ?? 0) + 1);
  for (let i = 0; i < drafts.length; i++) forEachPutValue(drafts[i]!.f, drafts[i]!.request, count);
  return valueCount;
}

/**
 * Keys some write may put keeping the old value (ignore_value, any outcome): there a value
 * shows with that write's mod_revision, not the revision of the write that stored it, so a
 * sighting on such a key does not say when the value's writer took effect.
 */
function keysKeepingOldValue(drafts: readonly Draft[]): Set<string> {
  const keepsOld = new Set<string>();
  const note = (key: string, value: string | undefined): void => void (value === undefined && keepsOld.add(key));
  for (let i = 0; i < drafts.length; i++) forEachStoredValue(drafts[i]!.f, drafts[i]!.request, note);
  return keepsOld;
}

/**
 * The earliest sighting of each value in the ok answers (into `seen`), and the revisions known
 * writes made (into `created`); returns the highest revision an answer shows (at least 1).
 */
function firstSightings(drafts: readonly Draft[], keepsOld: ReadonlySet<string>, created: Set<number>, seen: Map<string, { mod: number; by: number }>): number {
  let maxRevision = 1;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output === undefined || !('response' in d.output)) continue;
    const rev = d.rev;
    maxRevision = Math.max(maxRevision, rev);
    if (d.pre !== undefined && d.pre === rev - 1) created.add(rev);
    const by = d.returnPos;
    // observedValues written out: a callback closing over `by` was a closure per answer.
    const shown = d.shown;
    for (let j = 0; j < shown.length; j++) {
      const o = shown[j]!;
      if (o['mod_revision'] === undefined) continue;
      const value = o['value'] as string;
      const mod = int(o['mod_revision']);
      if (keepsOld.size > 0 && keepsOld.has(decodeKey(o['key']))) continue;
      const s = seen.get(value);
      if (s === undefined || by < s.by) seen.set(value, { mod, by });
    }
  }
  return maxRevision;
}

/**
 * A watch response arrived before every op from its position on was called (placeWatches):
 * the write it shows returns just before that op's call (by - 0.5), not at it, where the op
 * would count as concurrent and could still be placed before the write.
 */
function watchedSightings(watched: WatchFacts, keepsOld: ReadonlySet<string>, seen: Map<string, { mod: number; by: number }>): void {
  for (let i = 0; i < watched.values.length; i++) {
    const w = watched.values[i]!;
    if (keepsOld.size > 0 && keepsOld.has(w.key)) continue;
    const s = seen.get(w.value);
    if (s === undefined || w.by - 0.5 < s.by) seen.set(w.value, { mod: w.mod, by: w.by - 0.5 });
  }
}

/** Timed-out writes whose unique value was seen after their call took effect at its mod_revision, by then: how many. */
function settleSeenWrites(drafts: readonly Draft[], seen: ReadonlyMap<string, { mod: number; by: number }>, valueCount: ReadonlyMap<string, number>, initialRevisionGiven: number | undefined, created: Set<number>): number {
  let resolved = 0;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output !== undefined || d.f === 'lease/revoke' || d.f === 'lease/grant' || d.f === 'kv/compaction') continue;
    if (settleSeenWrite(d, seen, valueCount, initialRevisionGiven, created)) resolved++;
  }
  return resolved;
}

function settleSeenWrite(d: Draft, seen: ReadonlyMap<string, { mod: number; by: number }>, valueCount: ReadonlyMap<string, number>, initialRevisionGiven: number | undefined, created: Set<number>): boolean {
  const vals: string[] = [];
  putValues(d.f, d.request, vals);
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i]!;
    const s = seen.get(v);
    if (s === undefined || valueCount.get(v) !== 1 || s.by < d.pair.call) continue;
    // Seen at or before the revision the history starts at: the store held it before (a value the history writes again).
    if (initialRevisionGiven !== undefined && s.mod <= initialRevisionGiven) continue;
    d.output = { effective: true };
    d.pre = s.mod - 1;
    d.returnPos = s.by;
    created.add(s.mod);
    return true;
  }
  return false;
}

/** The revisions after `initialRevision` up to `maxRevision` that no known write created, ascending. */
function gapsBetween(initialRevision: number, maxRevision: number, created: ReadonlySet<number>): number[] {
  const gaps: number[] = [];
  for (let r = initialRevision + 1; r <= maxRevision; r++) if (!created.has(r)) gaps.push(r);
  return gaps;
}

/** How many ops called before `seenBy` may fill a trailing revision (mayFillTrailing). */
function trailingFillers(drafts: readonly Draft[], seenBy: number): number {
  let trailing = 0;
  for (let i = 0; i < drafts.length; i++) if (drafts[i]!.pair.call < seenBy && mayFillTrailing(drafts[i]!)) trailing++;
  return trailing;
}

/**
 * Each unseen write may fill only a gap after the revision reached before its call: one with
 * none left (and called after the last decided error) is dropped (returnPos -1), the others
 * are gated by the gaps.
 */
function gateUnseenWrites(drafts: readonly Draft[], initialRevision: number, lastGap: number, seenBy: number, gapSet: ReadonlySet<number>): void {
  const reachedBefore = new RevisionReachedBefore(
    packedMap(
      drafts.filter((d) => d.output !== undefined && 'response' in d.output && d.returnPos !== Infinity),
      (d) => ({ ret: d.returnPos, rev: d.rev }),
    ),
    initialRevision,
  );
  const byCall = drafts.filter((d) => d.output === undefined && (d.f === 'kv/put' || d.f === 'kv/deleterange' || d.f === 'kv/txn')).sort((a, b) => a.pair.call - b.pair.call);
  for (let i = 0; i < byCall.length; i++) {
    const d = byCall[i]!;
    const reached = reachedBefore.at(d.pair.call);
    if (lastGap <= reached && d.pair.call >= seenBy) d.returnPos = -1;
    else d.gaps = gapSet;
  }
}

/** The last return of an op whose answer is an error the state decides (it shows no revision). */
function lastDecidedErrorReturn(drafts: readonly Draft[]): number {
  let by = -Infinity;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output !== undefined && 'error' in d.output && d.returnPos > by) by = d.returnPos;
  }
  return by;
}

/** Whether `d` may make a revision no answer shows: an unseen write or revoke, or a grant (its lease's expiry). */
function mayFillTrailing(d: Draft): boolean {
  if (d.f === 'lease/grant') return d.output === undefined || !('error' in d.output);
  return d.output === undefined && (d.f === 'kv/put' || d.f === 'kv/deleterange' || d.f === 'kv/txn' || d.f === 'lease/revoke');
}

/**
 * The store's revision before the history: 1 (an empty etcd) unless the first answers show
 * more revisions than the history's writes of unknown outcome could have made before them,
 * in which case the etcd already held data and the lowest revision an answer pins is where
 * the history starts (its key space then comes from what the answers show: initial-state.ts).
 */
function inferInitialRevision(drafts: readonly Draft[], writtenValuesOf: () => ReadonlySet<string>): number {
  let minPre = Infinity;
  let firstReturn = Infinity;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const pinned = d.servedAt ?? d.pre;
    if (pinned === undefined) continue;
    if (pinned < minPre) minPre = pinned;
    if (d.returnPos < firstReturn) firstReturn = d.returnPos;
  }
  if (minPre === Infinity || minPre <= 1) return 1;
  const early = drafts.filter((d) => (d.output === undefined || 'effective' in d.output) && d.pair.call < firstReturn && d.f !== 'kv/range' && d.f !== 'lease/grant').length;
  if (minPre - 1 <= early) return 1;
  // A value from before the history that one of its own writes puts (values are unique) says
  // the history wrote it, not an earlier one: then the store was empty and something is wrong.
  let ownValueBefore = false;
  // Every value the history's requests put, read only here (most histories start empty and return above).
  const written = writtenValuesOf();
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output === undefined || !('response' in d.output)) continue;
    observedValues(d.shown, (value, mod) => {
      if (mod <= minPre && written.has(value)) ownValueBefore = true;
    });
  }
  return ownValueBefore ? 1 : minPre;
}


interface LeaseEvidence {
  /** Leases some op saw missing (lease not found, keep-alive TTL 0, time-to-live -1). */
  absent: Set<string>;
  /** Per lease, the (call, return) of each op that saw it missing. */
  absentAt: Map<string, { call: number; ret: number }[]>;
  /** Per lease, the earliest return of an op that saw it exist. */
  presentBy: Map<string, number>;
  /** Per lease, the calls of ops that saw it or another lease they name missing (a txn naming several). */
  maybeAbsentAt: Map<string, number[]>;
}

const NO_CALLS: readonly number[] = [];
const NO_ABSENCES: readonly { call: number; ret: number }[] = [];

function leaseEvidence(drafts: readonly Draft[]): LeaseEvidence {
  const absentSet = new Set<string>();
  const absentAt = new Map<string, { call: number; ret: number }[]>();
  const presentBy = new Map<string, number>();
  const maybeAbsentAt = new Map<string, number[]>();
  const present = (id: string, at: number): void => {
    if (id !== '0' && at < (presentBy.get(id) ?? Infinity)) presentBy.set(id, at);
  };
  // One function for every op (not a closure per op: this runs over every op of the history).
  const absent = (id: string, d: Draft): void => {
    absentSet.add(id);
    const at = absentAt.get(id);
    if (at === undefined) absentAt.set(id, [{ call: d.pair.call, ret: d.returnPos }]);
    else at.push({ call: d.pair.call, ret: d.returnPos });
  };
  // The put leases of the txn being read: one callback for every txn, not a closure per txn.
  let txnReturn = 0;
  const presentByTxn = (lease: string): void => present(lease, txnReturn);
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const out = d.output;
    if (out === undefined) continue;
    // A put with a lease that took effect proves the lease existed when it did; so does one refused
    // for its key (ignore_value): a put on its own looks its lease up first (applierV3backend.Put).
    const putLease = d.f === 'kv/put' ? id64(d.request['lease']) : '0';
    if (putLease !== '0' && (!('error' in out) || errorKind(out.error).endsWith('key not found'))) present(putLease, d.returnPos);
    if (d.f === 'kv/txn' && 'response' in out) {
      txnReturn = d.returnPos;
      takenPutLeases(d.request, out.response, presentByTxn);
    }
    if ('effective' in out) continue;
    const id = id64(d.request['ID'] ?? d.request['lease']);
    if ('error' in out) {
      const leases = d.f === 'kv/txn' ? txnLeases(d.request) : [id];
      if (errorKind(out.error).endsWith('requested lease not found')) {
        if (leases.length === 1) absent(leases[0]!, d);
        else for (let j = 0; j < leases.length; j++) (maybeAbsentAt.get(leases[j]!) ?? maybeAbsentAt.set(leases[j]!, []).get(leases[j]!)!).push(d.pair.call);
      }
      // A grant refused because its ID is taken saw the lease exist (maybe made by a timed-out grant).
      if (d.f === 'lease/grant' && errorKind(out.error).endsWith('lease already exists')) present(id, d.returnPos);
      continue;
    }
    const ttl = int(out.response['TTL']);
    if (d.f === 'lease/keepalive') {
      if (ttl > 0) present(id, d.returnPos);
      else absent(id, d);
    }
    if (d.f === 'lease/timetolive') {
      if (ttl === -1) absent(id, d);
      else present(id, d.returnPos);
    }
    if (d.f === 'lease/revoke') present(id, d.returnPos);
  }
  return { absent: absentSet, absentAt, presentBy, maybeAbsentAt };
}

/**
 * The leases the puts of an answered txn's taken branches name, nested txns followed by their
 * answers' `succeeded` (ground-truth seed 21502: a nested put with a lease an ambiguous grant
 * made was no evidence, and the grant was dropped).
 */
function takenPutLeases(req: Req, resp: Req, each: (lease: string) => void): void {
  const branch = branchOps(resp['succeeded'] === true ? req['success'] : req['failure']);
  const responses = branchOps(resp['responses']);
  for (let i = 0; i < branch.length; i++) {
    const op = branch[i]!;
    const lease = id64((op['request_put'] as Req | undefined)?.['lease']);
    if (lease !== '0') each(lease);
    if (op['request_txn'] !== undefined) takenPutLeases(op['request_txn'] as Req, (responses[i]?.['response_txn'] ?? NO_ANSWER) as Req, each);
  }
}

const NO_ANSWER: Req = {};

/**
 * The leases a txn's puts name (any branch, nested ones too), each once. A txn that failed with
 * "requested lease not found" saw one of them missing: the one, if it names one. Without this
 * a keyless lease that expired (no revision) and a txn that then failed on it could not be
 * linearized (a generated ground-truth history); with several, which one is not known, but each
 * may have been (ground-truth seed 455: a keyless lease revoked by a timed-out revoke).
 */
function txnLeases(req: Req): string[] {
  const out: string[] = [];
  const visit = (t: Req): void => {
    for (let b = 0; b < TXN_BRANCHES; b++) {
      for (const op of txnBranch(t, b)) {
        const lease = id64((op['request_put'] as Req | undefined)?.['lease']);
        if (lease !== '0' && !out.includes(lease)) out.push(lease);
        if (op['request_txn'] !== undefined) visit(op['request_txn'] as Req);
      }
    }
  };
  visit(req);
  return out;
}

/**
 * Whether an op called after `after` may have seen the lease missing (it or another lease it
 * names). Then a revoke or expiry of the lease may matter without making a revision (the lease
 * had no keys): it is not gated by the gaps but may take effect any time.
 */
function maybeGoneAfter(evidence: LeaseEvidence, id: string, after: number): boolean {
  const calls = evidence.maybeAbsentAt.get(id) ?? NO_CALLS;
  for (let i = 0; i < calls.length; i++) if (calls[i]! > after) return true;
  return false;
}

/** Whether an op called after `after` saw the lease missing. */
function seenGoneAfter(evidence: LeaseEvidence, id: string, after: number): boolean {
  const absences = evidence.absentAt.get(id) ?? NO_ABSENCES;
  for (let i = 0; i < absences.length; i++) if (absences[i]!.call > after) return true;
  return false;
}

/** When a lease was certainly gone: the earliest return of an op, called after `after`, that saw it missing. */
function goneBy(evidence: LeaseEvidence, id: string, after: number): number | undefined {
  let by: number | undefined;
  const absences = evidence.absentAt.get(id) ?? NO_ABSENCES;
  for (let i = 0; i < absences.length; i++) {
    const a = absences[i]!;
    if (a.call > after && (by === undefined || a.ret < by)) by = a.ret;
  }
  return by;
}

/**
 * A timed-out grant matters only if some op later saw its lease exist (then it took effect
 * before that op returned) or a timed-out write may have used its lease. A timed-out revoke that nobody saw the lease missing after can
 * only matter by deleting keys, which takes a gap revision: it is gated like unseen writes.
 */
function settleUnknownLeaseOps(drafts: Draft[], evidence: LeaseEvidence, gaps: ReadonlySet<number>, anonymousChoice: number): number {
  // Leases that a write of unknown outcome (still in play, or seen to take effect: ground-truth
  // seed 3415, a timed-out txn whose put with a timed-out grant's lease a watch event showed)
  // would attach keys to, or that a write refused with a decided error names (a txn's put with
  // the lease may have passed before another op of it failed: "key not found" then shows the
  // lease existed).
  const wanted = new Set<string>();
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if ((d.output !== undefined && 'response' in d.output) || d.returnPos === -1) continue;
    if (d.f === 'kv/put' && id64(d.request['lease']) !== '0') wanted.add(id64(d.request['lease']));
    for (let b = 0; b < TXN_BRANCHES; b++) {
      for (const op of txnBranch(d.request, b)) if (id64((op['request_put'] as Req | undefined)?.['lease']) !== '0') wanted.add(id64((op['request_put'] as Req)['lease']));
    }
  }
  // The leases writes of unknown outcome (or seen to take effect) name, in call order: one of them
  // may be a lease a timed-out grant with ID 0 made (not those only refused writes name).
  const usedUnseen: string[] = [];
  const useUnseen = (_key: string, lease: string): void => void (usedUnseen.includes(lease) || usedUnseen.push(lease));
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output !== undefined && !('effective' in d.output)) continue;
    if (d.returnPos === -1) continue;
    leasedPuts(d.f, d.request, useUnseen);
  }
  const anonymousChoices = nameAnonymousGrants(drafts, evidence, usedUnseen, anonymousChoice);
  // Grants per lease id (answered or timed out): a lease seen existing shows that one of them made it, not which.
  const grantsOf = new Map<string, number>();
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.f !== 'lease/grant' || d.returnPos === -1 || (d.output !== undefined && !('response' in d.output))) continue;
    const id = id64(d.request['ID']);
    grantsOf.set(id, (grantsOf.get(id) ?? 0) + 1);
  }
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.output !== undefined || d.returnPos === -1) continue;
    const id = id64(d.request['ID']);
    if (d.f === 'lease/grant') {
      const by = evidence.presentBy.get(id);
      // Another grant of the same ID (a client that sent it again, or after a revoke): which one
      // made the lease a later op saw is not known, so this one stays, may take effect any time.
      if ((grantsOf.get(id) ?? 0) > 1) d.returnPos = Infinity;
      // Nobody saw it, but a timed-out put may have used it: it stays, may take effect any time.
      else if (by === undefined || by < d.pair.call) d.returnPos = wanted.has(id) ? Infinity : -1;
      else {
        d.output = { effective: true };
        d.returnPos = by;
      }
    } else if (d.f === 'lease/revoke') {
      // If the lease was seen gone after this revoke's call, the revoke took effect by then
      // or never (it may be skipped); otherwise it only matters by filling a gap.
      const by = goneBy(evidence, id, d.pair.call);
      if (by !== undefined) d.returnPos = by;
      else if (!maybeGoneAfter(evidence, id, d.pair.call)) d.gaps = gaps;
    }
  }
  return anonymousChoices;
}

/**
 * Timed-out grants with ID 0 (the server picks the ID, and only the lost answer said which): a
 * lease seen existing that no grant names may be one such a grant made (a client learnt it from
 * a lease listing), or that a write of unknown outcome names. Each such lease may get one of
 * them called before it was seen (by the deadline it was seen); the rest are dropped. Which
 * grant made which lease is not known: the ways that leave no lease without a grant it could
 * have had are listed (the first takes, by deadline, the earliest called grant each time, which
 * matches as many as can be), choice `choice` is named, and how many ways there are is returned
 * (ground-truth seed 31772: of a timed-out put with lease 101 that could never apply and an
 * ambiguous one with lease 1000 that made a revision, only 1000 explains the history).
 */
function nameAnonymousGrants(drafts: Draft[], evidence: LeaseEvidence, wanted: readonly string[], choice: number): number {
  const anonymous: Draft[] = [];
  const named = new Set<string>();
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.f !== 'lease/grant' || d.returnPos === -1 || (d.output !== undefined && 'error' in d.output)) continue;
    const id = id64(d.request['ID']);
    if (id === '0' && d.output === undefined) anonymous.push(d);
    named.add(id);
    if (d.output !== undefined && 'response' in d.output) named.add(id64(d.output.response['ID']));
  }
  if (anonymous.length === 0) return 1;
  anonymous.sort((a, b) => a.pair.call - b.pair.call);
  const unexplained = [...evidence.presentBy].filter(([id]) => !named.has(id)).sort((a, b) => a[1] - b[1]);
  // Then the leases nobody saw but a write of unknown outcome names (ground-truth seed 42095: an
  // answer showed the key it put with that lease, its value not unique): no deadline.
  for (const id of wanted) if (!named.has(id) && !evidence.presentBy.has(id)) unexplained.push([id, Infinity]);
  const ways = anonymousNamings(anonymous.map((d) => d.pair.call), unexplained.map(([, by]) => by), choice);
  const picked = ways.picked ?? ways.first;
  const used = new Set<number>();
  picked.forEach((g, c) => {
    if (g < 0) return;
    const d = anonymous[g]!;
    used.add(g);
    d.original = d.request;
    d.request = withFields(d.request, { ID: unexplained[c]![0] });
  });
  anonymous.forEach((d, g) => void (used.has(g) || (d.returnPos = -1)));
  return ways.count;
}

/**
 * The ways of giving lease c a grant g called before its deadline (calls[g] < deadlines[c]),
 * each grant at most once, that leave no lease without a grant when a free one could have made
 * it, in search order (each lease first takes the earliest called free grant, then a later one,
 * then none): per lease the grant's index or -1. Returns the first way, way `choice` and how
 * many ways there are (past ANONYMOUS_GRANT_CHOICES_MAX or the node bound it stops counting).
 */
function anonymousNamings(calls: readonly number[], deadlines: readonly number[], choice: number): { first: number[]; picked: number[] | undefined; count: number } {
  const used = calls.map(() => false);
  const pick: number[] = [];
  let first: number[] | undefined;
  let picked: number[] | undefined;
  let count = 0;
  let nodes = 0;
  const full = (): boolean => count > ANONYMOUS_GRANT_CHOICES_MAX || nodes > ANONYMOUS_GRANT_NODES_MAX;
  const maximal = (): boolean => pick.every((g, c) => g >= 0 || calls.every((call, j) => used[j] || call >= deadlines[c]!));
  const visit = (c: number): void => {
    nodes++;
    if (full()) return;
    if (c === deadlines.length) {
      if (!maximal()) return;
      if (count === 0) first = [...pick];
      if (count === choice) picked = [...pick];
      count++;
      return;
    }
    for (let g = 0; g < calls.length; g++) {
      if (used[g] || calls[g]! >= deadlines[c]!) continue;
      used[g] = true;
      pick.push(g);
      visit(c + 1);
      pick.pop();
      used[g] = false;
    }
    pick.push(-1);
    visit(c + 1);
    pick.pop();
  };
  visit(0);
  // The node bound hit before any way was found (cannot happen with the first path, which never backtracks): the greedy one.
  return { first: first ?? deadlines.map(() => -1), picked, count: nodes > ANONYMOUS_GRANT_NODES_MAX ? Math.max(count, ANONYMOUS_GRANT_CHOICES_MAX + 1) : Math.max(count, 1) };
}

/** The leader revoking an expired lease: observable only through a gap revision or a lease seen missing. */
function addLeaseExpiry(kept: Draft[], ops: EtcdOperation[], evidence: LeaseEvidence, gaps: ReadonlySet<number>, clock: EtcdPrepareOptions['leaseClock']): void {
  const notBefore = clock === undefined ? undefined : expiryNotBefore(clock);
  const revoked = new Set<string>();
  for (let i = 0; i < kept.length; i++) {
    const d = kept[i]!;
    if (d.f === 'lease/revoke' && d.output !== undefined && 'response' in d.output) revoked.add(id64(d.request['ID']));
  }
  // Every grant that may have made the lease: a lease granted again (same ID) after it expired expires again.
  const granted = new Map<string, Draft[]>();
  for (let i = 0; i < kept.length; i++) {
    const d = kept[i]!;
    if (d.f !== 'lease/grant' || (d.output !== undefined && 'error' in d.output)) continue;
    const resp = d.output !== undefined && 'response' in d.output ? d.output.response : undefined;
    const id = (id64(d.request['ID']) !== '0' ? id64(d.request['ID']) : id64(resp?.['ID']));
    if (id === '0') continue;
    const list = granted.get(id);
    if (list === undefined) granted.set(id, [d]);
    else list.push(d);
  }
  for (const [id, grants] of granted) {
    if (revoked.has(id) && grants.length === 1) continue;
    grants.forEach((d, n) => {
      const input: EtcdInput = { f: 'lease/expire', request: { ID: id }, pre: undefined, preMax: undefined, gaps: undefined, servedAt: undefined, original: undefined };
      // Seen gone after the grant completed: expired by then, or removed otherwise (skipped).
      const by = d.returnPos === Infinity ? undefined : goneBy(evidence, id, d.returnPos);
      // A lease granted again shows its expiry without a revision (a keyless lease): then it may
      // expire any time. So does an op called after the grant was (not only after it returned)
      // that saw it missing (ground-truth seed 60330: a revoke answered "not found" after a
      // write the grant's answer shows it preceded, the grant's answer still on its way).
      if (by === undefined && grants.length === 1 && !maybeGoneAfter(evidence, id, d.pair.call) && !seenGoneAfter(evidence, id, d.pair.call)) {
        if (gaps.size === 0) return;
        input.gaps = gaps;
      }
      // A lease granted again with its id: the earlier lease must have ended before the later grant
      // applied (etcd refuses a live lease's id), and with no revoke that is this expiry, which
      // cannot come before the lease's TTL ran out since its grant was sent (ground truth for a
      // report no lease checker reads: the robustness form).
      const call = notBefore === undefined || grants.length === 1 ? d.pair.call : Math.min(Math.max(d.pair.call, notBefore(d.pair.invoke.time, grantTtlSeconds(d))), by ?? Infinity);
      ops.push({ id: ops.length, process: n === 0 ? `lease-expiry-${id}` : `lease-expiry-${id}/${n}`, input, output: undefined, call, return: by ?? Infinity, index: d.pair.invoke.index });
    });
  }
}

/**
 * etcd raises every granted TTL to its minimum, ceil(1.5 election timeouts) in whole seconds, so
 * at least 1 s (lessor.go Grant, minLeaseTTL): what a lease lives when its grant shows no TTL (an
 * etcd robustness-test report records none).
 */
const LEASE_TTL_SECONDS_MIN = 1;

/** A grant's TTL in seconds: the answer's (etcd raises a short one), else the request's, at least etcd's minimum. */
function grantTtlSeconds(d: Draft): number {
  const resp = d.output !== undefined && 'response' in d.output ? d.output.response : undefined;
  return Math.max(LEASE_TTL_SECONDS_MIN, int(d.request['TTL']), resp === undefined ? 0 : int(resp['TTL']));
}

/**
 * The first position in the history at or after which a lease granted at `grantUs` with a TTL
 * may have expired: every op before it was done before the TTL ran out on a leader clock running
 * fast by at most driftPpmMax and jumping forward by at most jumpUsMax (a new leader only
 * restarts TTLs: lessor.go Promote). Positions are searched on the running maximum of the times,
 * so a history whose times go back is still read safely.
 */
function expiryNotBefore(clock: NonNullable<EtcdPrepareOptions['leaseClock']>): (grantUs: number, ttlSeconds: number) => number {
  const reached: number[] = [];
  let max = -Infinity;
  for (const t of clock.times) reached.push((max = Math.max(max, t)));
  return (grantUs, ttlSeconds) => {
    if (!(ttlSeconds > 0)) return 0;
    const endUs = grantUs + (ttlSeconds * 1e6 * 1e6) / (1e6 + Math.max(0, clock.driftPpmMax)) - clock.jumpUsMax;
    let lo = 0;
    let hi = reached.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (reached[mid]! >= endUs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
