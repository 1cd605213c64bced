// Watch guarantees, as etcd's tests/robustness/validate/watch.go checks them, over the watch
// responses each client saw (WatchRecord) and the history of client ops:
// - filter: every event matches the watched key or range, and the NOPUT/NODELETE filters;
// - ordered: per client, event revisions never decrease;
// - unique: per client, (revision, key) appears once (the revision alone when
//   expectRevisionUnique, as for Kubernetes-style traffic with one key per revision);
// - atomic: a response never starts with the previous response's last revision (a
//   revision is never split across responses);
// - bookmarkable: no event at or below a progress notification's revision follows it, and
//   progress never goes backwards;
// - reliable: between the first revision a watch could see and the last it saw (event or
//   progress), it got exactly the matching events of the merged event history — and every
//   ok put of the history that falls in that window, and at least as many DELETE events as each
//   ok delete its range holds removed there (watch-acknowledged-deletes.ts);
// - resumable: a watch opened at start_revision S first sees the first matching event ≥ S; a
//   watch opened "from now" (no start_revision) sees nothing at or below its Created revision;
// - compaction: a watch is cancelled as compacted only when the next revision it needs (its start,
//   or one past its last event or progress notification) is below the compact revision: the
//   compact revision itself is still readable (etcd: minRev < compactRev in syncWatchers); a
//   cancel whose record keeps only the "compacted" error text (etcd's robustness reports) is
//   not judged here, and its watch only up to its last progress notification;
// - cancel: no event after a watch's Canceled response, whoever asked for the cancel (etcd 3.4's
//   send loop forgets the id: eventsAfterCancel);
// - refusal: a create refused as an empty range has a range that holds no key, and one whose range
//   holds none is refused (watch-refusals.ts: etcd reads range_end "\0" as every key from key on);
// - header: a response's header revision is at or past every event it carries;
// - complete (only with caughtUpRevision: a recording that ended once every open watch had caught
//   up, as detcd's liveness phase ends): a watch neither cancelled nor closed (a record with
//   `closed`: its client or connection ended it first) delivered every matching event up to
//   that revision — etcd delivers everything to a live watcher eventually, and the recorder waited;
//   without it the end of a recording proves nothing (a watch behind at the end may be a watch
//   whose member was cut off, or a recording stopped before delivery) and this is not judged;
// - prev_kv and is-create: against the replayed key space at revision − 1, where the merged
//   history is complete up to there; a prev_kv left out of an event of a watch that asked for
//   it is a violation unless a compaction past revision − 1 was requested before the response
//   arrived (etcd reads prev_kv at revision − 1 when it sends the event);
// - version: a PUT event's version is one past the key's (replayed) version before it, 1 for a
//   key that did not exist; and on its own: 1 exactly when create_revision is the event's
//   revision, one past its prev_kv's version;
// - delete: a DELETE event's key existed at revision − 1 in the replayed key space, or a PUT
//   before it in its revision wrote it (a nested txn's); where the replay does not know the key
//   (after a hole), a store that started empty (a watch saw revision 2 whole) cannot delete a key
//   no put request names and no event shows put (etcd's DeleteRange and a lease's end delete only
//   keys that exist; before, a delete of a key never put was caught only where another watcher
//   saw that revision).
// The merged event history is built from all watchers' events; watchers that report the
// same revision must agree on its events.
import type { Op, WatchRecord } from '../history/op.ts';
import { nothingToCheck, type CheckResult, type Validity } from './verdict.ts';
import { decodeKey, int } from './models/etcd/json.ts';
import { lowerBound, lowerBoundBy } from '../../src/sort/lower-bound.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { packedMap, packedNumbers } from './packed-map.ts';
import { count } from '../text/count.ts';
import { clientCancel, withHeldResponses } from './watch-held.ts';
import { createdBeside, nameSharedStreams, StreamIds, watchForId } from './watch-stream-ids.ts';
import { idsRefusedAfterCancel, type IdReuseViolation } from './watch-id-reuse.ts';
import { refusalsUnlikeRequest, type RefusalViolation } from './watch-refusals.ts';
import { acknowledgedWrites, contradictsWrites, type AcknowledgedWrite } from './watch-acknowledged-writes.ts';
import { acknowledgedDeletes, deletesMissed, type OkDelete } from './watch-acknowledged-deletes.ts';
import { withNotJudged, type NotJudged } from './not-judged.ts';

export type WatchGuarantee = 'filter' | 'ordered' | 'unique' | 'atomic' | 'bookmarkable' | 'reliable' | 'resumable' | 'compaction' | 'cancel' | 'prev_kv' | 'is_create' | 'agreement' | 'header' | 'complete' | 'version' | 'delete' | 'refusal';

export interface WatchViolation {
  guarantee: WatchGuarantee;
  process: number | string;
  revision: number;
  message: string;
}

export interface WatchCheckResult extends CheckResult {
  valid: Validity;
  violations: WatchViolation[];
  /** Revisions in the merged event history. */
  revisions: number;
}

export interface WatchCheckOptions {
  expectRevisionUnique?: boolean;
  /** Stop after this many violations (a bound on the report's size). Default 100. */
  maxViolations?: number;
  /** Work units (events, revisions and puts visited) before the verdict is "unknown". Default 50,000,000. */
  stepsMax?: number;
  /**
   * The server compacts on its own (etcd --auto-compaction-retention): a prev_kv left out needs
   * no compaction request before it (its revision − 1 may have been compacted any time).
   */
  autoCompaction?: boolean;
  /**
   * The recording ended only once every watch still open had been sent an event or a progress
   * notification at or past this revision (detcd's liveness phase: every member at this revision
   * and every active watcher resuming past it, sim/run/liveness.ts). Then a watch not cancelled
   * must have delivered every matching event up to it (guarantee "complete"). Undefined: the end
   * of the recording proves nothing and completeness is not judged (the summary says so).
   */
  caughtUpRevision?: number;
  /**
   * The history began on an empty etcd (revision 1) and holds every write since: etcd's
   * robustness tests start every run so (their model starts empty too). Then a DELETE event of a
   * key no put request names is judged wherever the watches' view has holes ("delete"). Without
   * it, the history's own answers can show it (one at revision 1), or a watch of every key that
   * saw revision 2.
   */
  startedEmpty?: boolean;
  /** The check's time budget: true once it has passed (the verdict is then unknown, naming it). Impure: the CLI's clock. */
  deadline?: (() => boolean) | undefined;
}

/** The checker's work bound: every loop spends from it, and once it is out the verdict is unknown. */
class WorkBudget {
  spent = 0;
  /** The check's time budget (--timeout-ms) passed: read every DEADLINE_EVERY steps, not per step. */
  timedOut = false;
  private deadlineReadAt = -Infinity;
  constructor(
    readonly max: number,
    private readonly deadline?: () => boolean,
  ) {}
  /** Spends n; false once the budget is exhausted. */
  spend(n: number): boolean {
    this.spent += n;
    if (this.deadline !== undefined && this.spent - this.deadlineReadAt >= DEADLINE_EVERY) {
      this.deadlineReadAt = this.spent;
      if (this.deadline()) this.timedOut = true;
    }
    return !this.out;
  }
  get out(): boolean {
    return this.spent > this.max || this.timedOut;
  }
}
const DEADLINE_EVERY = 4096;

interface WatchEvent {
  type: 'PUT' | 'DELETE';
  key: string;
  value: string;
  revision: number;
  create: number;
  version: number;
  /** Whether the event carries a prev_kv, and its fields (flat: no object per event). */
  hasPrevKv: boolean;
  prevValue: string;
  prevMod: number;
  prevVersion: number;
}

export interface WatchResponse {
  /** When the client received it (simulated µs; 0 when unknown). */
  time: number;
  /** Its watch_id (0 when not recorded, or etcd's first id). */
  watchId: number;
  /**
   * A response of the watch cancelled before this one, held by etcd's send loop and sent after
   * this watch's Created (watch-held.ts): moved back to that watch, after its Canceled response.
   */
  held: boolean;
  headerRevision: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  /**
   * Cancelled as compacted, but the record does not say at which compact revision (etcd's
   * robustness reports keep clientv3's error text only): its compaction is not judged.
   */
  compactedUnrecorded: boolean;
  events: WatchEvent[];
  progress: boolean;
  /** More events of this response follow in the next (etcd's fragment: true). */
  fragment: boolean;
}

export interface WatchOp {
  process: number | string;
  /** The watch_id its create request asked for (0: etcd picks one). */
  requestedId: number;
  key: string;
  rangeEnd: string | undefined;
  startRevision: number;
  prevKv: boolean;
  noPut: boolean;
  noDelete: boolean;
  responses: WatchResponse[];
  /** Every event of its responses, in the order delivered. */
  events: WatchEvent[];
  /** A record says the stream was closed (WatchRecord.closed): it delivers nothing after. */
  closed: boolean;
}

/**
 * A set of (revision, key) pairs without a text id per pair: the key of the first pair of a
 * revision, a set for the rare revision with several keys (a txn or a range delete).
 */
class RevisionKeys {
  private readonly first = new Map<number, string>();
  private readonly more = new Map<number, Set<string>>();

  has(revision: number, key: string): boolean {
    const k = this.first.get(revision);
    if (k === undefined) return false;
    return k === key || this.more.get(revision)?.has(key) === true;
  }

  add(revision: number, key: string): void {
    const k = this.first.get(revision);
    if (k === undefined) this.first.set(revision, key);
    else if (k !== key) {
      const set = this.more.get(revision);
      if (set === undefined) this.more.set(revision, new Set([key]));
      else set.add(key);
    }
  }
}

/** The text of a cancel by compaction (etcd's ErrCompacted, as clientv3 reports it). */
const COMPACTED = /required revision has been compacted/;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const NO_OBJS: readonly Obj[] = [];

function parseEvent(e: Obj): WatchEvent {
  const kv = obj(e['kv']);
  const prevRaw = e['prev_kv'];
  const prev = prevRaw === undefined ? undefined : obj(prevRaw);
  const value = kv['value'];
  // prev_kv's create_revision is not judged, but read as before so a malformed one is still refused.
  if (prev !== undefined) int(prev['create_revision']);
  return {
    type: e['type'] === 'DELETE' ? 'DELETE' : 'PUT',
    key: decodeKey(kv['key']),
    value: typeof value === 'string' ? value : '',
    revision: int(kv['mod_revision']),
    create: int(kv['create_revision']),
    version: int(kv['version']),
    hasPrevKv: prev !== undefined,
    prevValue: prev !== undefined && typeof prev['value'] === 'string' ? prev['value'] : '',
    prevMod: prev === undefined ? 0 : int(prev['mod_revision']),
    prevVersion: prev === undefined ? 0 : int(prev['version']),
  };
}

function parseResponse(raw: unknown, time: number): WatchResponse {
  const r = obj(obj(raw)['result'] ?? raw);
  const events = Array.isArray(r['events']) ? packedMap(r['events'] as Obj[], parseEvent) : [];
  const created = r['created'] === true;
  const canceled = r['canceled'] === true;
  const compactRevision = int(r['compact_revision']);
  const headerRevision = int(obj(r['header'])['revision']);
  const compactedUnrecorded = canceled && !created && compactRevision === 0 && typeof r['cancel_reason'] === 'string' && COMPACTED.test(r['cancel_reason']);
  return { time, watchId: int(r['watch_id']), held: false, headerRevision, created, canceled, compactRevision, compactedUnrecorded, events, progress: events.length === 0 && !created && !canceled && compactRevision === 0 && headerRevision > 0, fragment: r['fragment'] === true };
}

/**
 * Splits each client's records into watch ops, one per (re)open request. A response etcd split
 * in fragments (a watch created with fragment: true; every part but the last says fragment:
 * true) is judged as the one response clientv3 puts back together, delivered with its last part
 * (ground-truth histories with fragmenting watchers: "atomic — revision split across two
 * responses"). Parts whose last part never came (the watch reopened, or the records end) were
 * never delivered by clientv3 either: they are left out (ground-truth seed 1159: the first part
 * alone was judged as the whole revision, "reliable — missed the acknowledged put").
 */
function watchOps(records: readonly WatchRecord[]): WatchOp[] {
  const ops: WatchOp[] = [];
  // Each client's watches in creation order (the last is the current one): a stream may hold several.
  const byClient = new Map<number | string, WatchOp[]>();
  const shared = new Set<number | string>();
  const parts = new Map<WatchOp, WatchResponse>();
  const ids = new StreamIds();
  const add = (op: WatchOp, response: WatchResponse): void => {
    op.responses.push(response);
    for (let i = 0; i < response.events.length; i++) op.events.push(response.events[i]!);
  };
  for (let k = 0; k < records.length; k++) {
    const rec = records[k]!;
    let list = byClient.get(rec.process);
    if (rec.closed !== undefined) {
      // The stream's end: parts whose last part had not come were never delivered.
      if (list !== undefined) {
        list[list.length - 1]!.closed = true;
        // Every watch the stream held ends with it.
        if (shared.has(rec.process)) for (const op of list) op.closed = true;
        for (const op of list) parts.delete(op);
      }
      continue;
    }
    const response = parseResponse(rec.response, rec.time);
    let op: WatchOp;
    if (rec.request !== undefined || list === undefined) {
      // A new watch: on a reopened stream the fragments of the last one never came.
      if (list !== undefined && !shared.has(rec.process)) parts.delete(list[list.length - 1]!);
      const req = obj(obj(rec.request)['create_request'] ?? rec.request);
      const filters = Array.isArray(req['filters']) ? (req['filters'] as unknown[]) : [];
      op = {
        process: rec.process,
        requestedId: int(req['watch_id']),
        key: decodeKey(req['key'] ?? ''),
        rangeEnd: req['range_end'] === undefined ? undefined : decodeKey(req['range_end']),
        startRevision: int(req['start_revision']),
        prevKv: req['prev_kv'] === true,
        noPut: filters.includes('NOPUT'),
        noDelete: filters.includes('NODELETE'),
        responses: [],
        events: [],
        closed: false,
      };
      if (rec.request === undefined) op.rangeEnd = '\0';
      if (list === undefined) byClient.set(rec.process, (list = []));
      list.push(op);
      ops.push(op);
    } else op = watchForId(list, response.watchId, ids);
    const held = parts.get(op);
    if (held !== undefined) {
      for (let i = 0; i < response.events.length; i++) held.events.push(response.events[i]!);
      held.time = response.time;
      held.headerRevision = response.headerRevision;
      held.fragment = response.fragment;
      if (!response.fragment) {
        parts.delete(op);
        add(op, held);
      }
    } else if (response.fragment) parts.set(op, response);
    else add(op, response);
    if (rec.request !== undefined && !shared.has(rec.process) && createdBeside(list, ids)) shared.add(rec.process);
  }
  nameSharedStreams(ops, shared, ids);
  return ops;
}

/** Whether a watch on `w.key` (to `w.rangeEnd`: none = one key, "\0" = every key from it) covers `key`. */
export function matchesKey(w: { readonly key: string; readonly rangeEnd?: string | undefined }, key: string): boolean {
  const start = w.key === '' ? '\0' : w.key;
  if (w.rangeEnd === undefined || w.rangeEnd === '') return key === w.key;
  if (w.rangeEnd === '\0') return key >= start;
  return key >= start && key < w.rangeEnd;
}

function matches(op: WatchOp, e: WatchEvent): boolean {
  if ((e.type === 'PUT' && op.noPut) || (e.type === 'DELETE' && op.noDelete)) return false;
  return matchesKey(op, e.key);
}

const eventText = (e: WatchEvent): string => `${e.type} ${JSON.stringify(e.key)}@${e.revision}`;
const sameEvent = (a: WatchEvent, b: WatchEvent): boolean => a.type === b.type && a.key === b.key && a.revision === b.revision && a.value === b.value && a.create === b.create && a.version === b.version;

export function checkWatch(records: readonly WatchRecord[], history: readonly Op[] = [], options: WatchCheckOptions = {}): WatchCheckResult {
  const ops = watchOps(records);
  const idReuse = idsRefusedAfterCancel(records);
  const refusals = refusalsUnlikeRequest(records);
  const result = judgeWatches(ops, history, options, idReuse, refusals);
  return result.valid === false ? withHeldResponses(ops, result, (split) => judgeWatches(split, history, options, idReuse, refusals)) : result;
}

function judgeWatches(ops: readonly WatchOp[], history: readonly Op[], options: WatchCheckOptions, idReuse: readonly IdReuseViolation[] = [], refusals: readonly RefusalViolation[] = []): WatchCheckResult {
  const maxViolations = options.maxViolations ?? 100;
  const violations: WatchViolation[] = [];
  const report = (guarantee: WatchGuarantee, process: number | string, revision: number, message: string): void => {
    if (violations.length < maxViolations) violations.push({ guarantee, process, revision, message });
  };
  const budget = new WorkBudget(options.stepsMax ?? 50_000_000, options.deadline);
  checkPerClient(ops, options.expectRevisionUnique === true, report, budget);
  for (const v of idReuse) report('cancel', v.process, v.revision, v.message);
  for (const v of refusals) report('refusal', v.process, v.revision, v.message);
  const facts = historyFacts(history);
  checkCompactionCancels(ops, report, budget);
  if (options.autoCompaction !== true && facts.firstRevision !== undefined) checkCompactRevisionsAsked(ops, facts.compactions, facts.firstRevision, report, budget);
  const merged = mergeEvents(ops, report, budget);
  if (!budget.out) checkReliableAndResumable(ops, merged, facts.puts, history.length > 0 ? acknowledgedDeletes(history) : [], report, budget);
  const emptyAtStart = options.startedEmpty === true || facts.answeredAtRevision1 || ops.some((o) => o.responses.some((r) => r.headerRevision === 1));
  if (!budget.out) checkPrevKvAndCreate(ops, merged, options.autoCompaction === true ? COMPACTED_ANY_TIME : facts.compactions, neverPut(ops, merged, facts.putKeys, emptyAtStart), report, budget);
  if (!budget.out && history.length > 0) checkAcknowledgedWrites(ops, acknowledgedWrites(history), report, budget);
  const caughtUp = options.caughtUpRevision;
  const closedBefore = !budget.out && caughtUp !== undefined ? checkComplete(ops, merged, facts.puts, caughtUp, report, budget) : 0;
  const valid: Validity = violations.length > 0 ? false : budget.out ? 'unknown' : true;
  const closedText = closedBefore === 0 ? '' : ` (${count(closedBefore, 'stream')} closed before the end owed nothing past what they delivered)`;
  const completeness = caughtUp === undefined ? '; delivery up to the end not judged (the recording did not wait for the watches)' : `, every open watch complete up to revision ${caughtUp}${closedText}`;
  const notJudged = watchesNotJudged(ops);
  const summary =
    valid === true
      ? withNotJudged(`watch guarantees hold over ${count(ops.length, 'watch')} and ${count(merged.byRevision.size, 'revision')}${completeness}`, notJudged)
      : valid === false
        ? `watch guarantee broken: ${violations[0]!.guarantee} — ${violations[0]!.message}`
        : budget.timedOut
          ? 'unknown: the time budget (--timeout-ms) passed before every guarantee was checked'
          : `unknown: step budget of ${budget.max} exhausted before every guarantee was checked`;
  // No event delivered (none was owed, or completeness was not judged) and no compaction cancel:
  // no order, uniqueness, prev_kv or compact revision to judge, and "valid" would say nothing.
  if (valid === true && merged.byRevision.size === 0 && !ops.some((o) => o.responses.some((r) => r.compactRevision > 0 || r.compactedUnrecorded))) return nothingToCheck(`${count(ops.length, 'watch')} delivered no event`, { violations, revisions: 0, steps: budget.spent });
  const result: WatchCheckResult = { valid, violations, revisions: merged.byRevision.size, summary, steps: budget.spent };
  if (notJudged.length > 0) result['notJudged'] = notJudged;
  if (valid === 'unknown') result['unknownReason'] = `step budget: ${budget.max}`;
  return result;
}

type Report = (g: WatchGuarantee, p: number | string, rev: number, m: string) => void;

/**
 * What the records keep too little of to judge, by class: a cancel by compaction whose record
 * keeps no compact revision (etcd's robustness reports keep clientv3's error text only: whether
 * the watch needed a compacted revision is not judged, and its watch is judged up to its last
 * progress notification only), and a response with events but no header revision (whether it was
 * sent at or past its events is not judged).
 */
function watchesNotJudged(ops: readonly WatchOp[]): NotJudged[] {
  let compacted = 0;
  let headerless = 0;
  for (let i = 0; i < ops.length; i++) {
    const responses = ops[i]!.responses;
    for (let j = 0; j < responses.length; j++) {
      const r = responses[j]!;
      if (r.compactedUnrecorded) compacted++;
      if (r.events.length > 0 && r.headerRevision <= 0) headerless++;
    }
  }
  const out: NotJudged[] = [];
  if (compacted > 0) out.push({ count: compacted, what: 'watch compaction cancel', why: 'its record keeps no compact revision (only clientv3\'s error text), so whether the watch needed a compacted revision is not known; its watch is judged up to its last progress notification' });
  if (headerless > 0) out.push({ count: headerless, what: 'watch response', why: 'it carries events but its record keeps no header revision, so that it was sent at or past their revisions is not known' });
  return out;
}

function checkPerClient(ops: readonly WatchOp[], expectRevisionUnique: boolean, report: Report, budget: WorkBudget): void {
  const byClient = new Map<number | string, WatchOp[]>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const list = byClient.get(op.process);
    if (list === undefined) byClient.set(op.process, [op]);
    else list.push(op);
  }
  for (const [client, list] of byClient) if (!checkClientOrder(client, list, expectRevisionUnique, report, budget)) return;
}

/** What checkClientOrder knows of one client's stream so far. */
class ClientOrder {
  lastEvent = 1;
  lastResponseEnd = 1;
  lastProgress = 0;
  readonly seen = new RevisionKeys();
  /**
   * Where each key of the response being read stands at keyRevision (see followsAtRevision), as
   * KEY_AT_STATES * keyEpoch + state: an entry of an older epoch (response, or revision in it) is
   * no entry. Never cleared: Map.clear() allocates a new table even when the map is empty, and it
   * ran at every response and every revision of every stream (a twentieth of the checkers' bytes).
   */
  readonly keyAt = new Map<string, number>();
  keyRevision = 0;
  keyEpoch = 0;
}

/** A key's events so far at one revision of a response: its last one a PUT. */
const AT_PUT = 1;
/** ... a DELETE with no PUT before it. */
const AT_DELETE = 2;
/** ... a DELETE after a PUT. */
const AT_PUT_DELETE = 3;
/** States per epoch in ClientOrder.keyAt (AT_PUT_DELETE the highest). */
const KEY_AT_STATES = 4;

/**
 * Whether `e` follows, legally, an earlier event of its key at its revision in this response.
 * etcd's checkIntervals refuses two puts of one key in a txn (a nested txn's puts count for its
 * parent) and a put inside an earlier delete's range, except that a delete to range_end "\0"
 * (every key from its key on) is an empty interval to it, and a nested txn's puts are checked
 * only against the deletes before it. So one txn may show a key as PUT then DELETE (ground-truth
 * seed 12099), DELETE then PUT, or DELETE, PUT, DELETE at one revision: never two PUTs, nor two
 * DELETEs without a PUT between them.
 */
function followsAtRevision(o: ClientOrder, e: WatchEvent): boolean {
  const keyAt = o.keyAt;
  const base = o.keyEpoch * KEY_AT_STATES;
  const entry = keyAt.get(e.key);
  // An entry of an earlier epoch: the key has no event yet at this revision of this response.
  const before = entry !== undefined && entry > base ? entry - base : undefined;
  if (e.type === 'PUT') {
    keyAt.set(e.key, base + AT_PUT);
    return before === AT_DELETE;
  }
  keyAt.set(e.key, base + (before === AT_PUT || before === AT_PUT_DELETE ? AT_PUT_DELETE : AT_DELETE));
  return before === AT_PUT;
}

/**
 * header: a response's header revision is the store's revision when it was sent (etcd's
 * watchable_store notify and syncWatchers send Revision: the current one), at or past every
 * event it carries. A response without a header revision (0: not recorded) is not judged.
 */
function checkHeaderCoversEvents(client: number | string, r: WatchResponse, report: Report): void {
  if (r.headerRevision <= 0) return;
  let top = r.events[0]!;
  for (let i = 1; i < r.events.length; i++) if (r.events[i]!.revision > top.revision) top = r.events[i]!;
  if (top.revision > r.headerRevision) report('header', client, top.revision, `${eventText(top)} in a response whose header revision is ${r.headerRevision}: a response is sent at or past its events' revisions`);
}

// One function per client and one per response, not one loop nest: this runs once per check, and
// V8 compiles a small function called for every response once, where a loop nest is compiled
// again at each loop it enters (on-stack replacement) and again when it is called the next time.

/** False once the budget is out. */
function checkClientOrder(client: number | string, list: readonly WatchOp[], expectRevisionUnique: boolean, report: Report, budget: WorkBudget): boolean {
  let o = new ClientOrder();
  for (let i = 0; i < list.length; i++) {
    const op = list[i]!;
    // After the client cancelled its watch, its next one is a new watch, not a resumption: it
    // may ask for revisions the last one delivered (etcd sends them again).
    if (i > 0 && clientCancel(list[i - 1]!) !== undefined) o = new ClientOrder();
    for (let j = 0; j < op.responses.length; j++) {
      const r = op.responses[j]!;
      if (!budget.spend(1 + r.events.length)) return false;
      checkResponseOrder(client, op, r, o, expectRevisionUnique, report);
    }
  }
  return true;
}

function checkResponseOrder(client: number | string, op: WatchOp, r: WatchResponse, o: ClientOrder, expectRevisionUnique: boolean, report: Report): void {
  if (r.events.length > 0) {
    if (r.events[0]!.revision === o.lastResponseEnd) report('atomic', client, o.lastResponseEnd, `revision ${o.lastResponseEnd} split across two responses`);
    o.lastResponseEnd = r.events[r.events.length - 1]!.revision;
    checkHeaderCoversEvents(client, r, report);
  }
  // One txn may show a key more than once at its revision (followsAtRevision); nothing else does.
  // A new epoch: no key has an event yet in this response.
  o.keyEpoch++;
  o.keyRevision = 0;
  for (let i = 0; i < r.events.length; i++) {
    const e = r.events[i]!;
    if (!matches(op, e)) report('filter', client, e.revision, `${eventText(e)} does not match the watch`);
    if (e.revision < o.lastEvent) report('ordered', client, e.revision, `${eventText(e)} after revision ${o.lastEvent}`);
    o.lastEvent = e.revision;
    if (e.revision !== o.keyRevision) {
      o.keyRevision = e.revision;
      o.keyEpoch++;
    }
    const follows = !expectRevisionUnique && followsAtRevision(o, e);
    const key = expectRevisionUnique ? '' : e.key;
    if (o.seen.has(e.revision, key) && !follows) report('unique', client, e.revision, `${eventText(e)} delivered twice`);
    o.seen.add(e.revision, key);
    if (e.revision <= o.lastProgress) report('bookmarkable', client, e.revision, `${eventText(e)} after a progress notification at ${o.lastProgress}`);
  }
  if (r.progress) {
    if (r.headerRevision < o.lastProgress) report('bookmarkable', client, r.headerRevision, `progress went back from ${o.lastProgress} to ${r.headerRevision}`);
    o.lastProgress = Math.max(o.lastProgress, r.headerRevision);
  }
}

function checkCompactionCancels(ops: readonly WatchOp[], report: Report, budget: WorkBudget): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    let needed = op.startRevision;
    for (let j = 0; j < op.responses.length; j++) {
      const r = op.responses[j]!;
      if (!budget.spend(1)) return;
      if (r.compactedUnrecorded || r.compactRevision > 0) {
        if (r.compactRevision > 0 && needed > 0 && r.compactRevision <= needed) report('compaction', op.process, r.compactRevision, `watch cancelled as compacted at revision ${r.compactRevision}, but it needed revision ${needed} next, which a compaction at ${r.compactRevision} keeps`);
        eventsAfterCancel(op, r, report);
        break;
      }
      if (r.canceled) {
        eventsAfterCancel(op, r, report);
        break;
      }
      const lastEvent = r.events.length > 0 ? r.events[r.events.length - 1]!.revision : 0;
      // A watch "from now" needs the revision after its Created response's (etcd: wsrev + 1).
      const fromNow = r.created && !r.canceled && op.startRevision === 0 ? r.headerRevision + 1 : 0;
      // A progress notification does not move what the server thinks the watch needs: etcd moves a
      // synced watcher's minRev only when it sends it events (the fix of #15271), so after a
      // snapshot restore a watch that saw only progress past the compact revision is cancelled
      // as compacted by real etcd (ground-truth seed 11318: created at 1, progress at 2,
      // compacted at 3 after the member installed a snapshot compacted at 3).
      needed = Math.max(needed, lastEvent + 1, fromNow);
    }
  }
}

/**
 * A compaction cancel names the member's compact revision (etcd's syncWatchers sends
 * CompactRevision: s.store.compactMainRev), which only a compaction request sets: at the cancel
 * it is at most the largest revision a client asked to compact before then, or a compaction
 * made before the history began, at most the store's revision then (`firstRevision`, the lowest
 * revision an answer of the history shows). A larger one sends a client that resumes there past
 * events that were never compacted. Not judged with --auto-compaction (etcd compacts on its own).
 */
function checkCompactRevisionsAsked(ops: readonly WatchOp[], compactions: Compactions, firstRevision: number, report: Report, budget: WorkBudget): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    for (let j = 0; j < op.responses.length; j++) {
      if (!budget.spend(1)) return;
      const r = op.responses[j]!;
      // A response without a time (0) cannot be placed against the requests.
      if (r.compactRevision <= 0 || r.time === 0) continue;
      const asked = compactedBy(compactions, r.time);
      if (r.compactRevision > Math.max(asked, firstRevision)) {
        report('compaction', op.process, r.compactRevision, `watch cancelled as compacted at revision ${r.compactRevision}, but no compaction that far was asked for by then (${asked > 0 ? `the largest asked: ${asked}` : 'none asked'}; the history starts at revision ${firstRevision})`);
      }
    }
  }
}

/**
 * etcd sends a cancelled watch nothing more. A cancel by compaction travels on the watcher's own
 * channel after every event it was sent (mvcc/watchable_store.go syncWatchers), and the watcher
 * leaves its group with it. Any other Canceled response (the client's cancel request, a create
 * refused) goes out on the stream's control channel, and the stream's send loop then forgets the
 * watch id: responses for it still queued are held as for a watch not yet created and never sent
 * (etcd 3.4 v3rpc/watch.go sendLoop: `if c.Canceled { delete(ids, wid) }`, later responses of an
 * id not in ids go to `pending`). Events may come between the client's cancel request and the
 * Canceled response, never after it.
 */
function eventsAfterCancel(op: WatchOp, cancel: WatchResponse, report: Report): void {
  const after = op.responses.slice(op.responses.indexOf(cancel) + 1).find((r) => !r.held && r.events.length > 0);
  if (after === undefined) return;
  const e = after.events[0]!;
  const compacted = cancel.compactRevision > 0 || cancel.compactedUnrecorded;
  if (compacted) report('compaction', op.process, e.revision, `${eventText(e)} after the watch was cancelled as compacted${cancel.compactRevision > 0 ? ` at revision ${cancel.compactRevision}` : ''}: a cancelled watch is sent nothing more`);
  else report('cancel', op.process, e.revision, `${eventText(e)} after the watch's Canceled response: etcd's send loop forgets a cancelled watch id and sends it nothing more`);
}

interface Merged {
  byRevision: Map<number, WatchEvent[]>;
  revisions: number[];
  /** Revisions whose events a watch of every key without filters saw (the others are a watch's part). */
  complete: Set<number>;
  /**
   * Partial revisions put together from several watches' parts (each saw keys the others do not
   * watch): which of them came first in the revision is not known, so its order is not checked.
   */
  unordered: Set<number>;
}

/** Whether one of `ops` watches the event (its part of a revision shows it). */
function seenByAny(ops: readonly WatchOp[], e: WatchEvent): boolean {
  for (const op of ops) if (matches(op, e)) return true;
  return false;
}

/** Per revision, the events seen and the watches whose parts they are (one, for a complete revision). */
type RevisionParts = Map<number, { events: WatchEvent[]; process: number | string; complete: boolean; ops: WatchOp[] }>;

// One small function per watch and per revision of it, not one loop nest: this runs once per
// check, and V8 compiles a loop nest again at each loop it enters (on-stack replacement).
function mergeEvents(ops: readonly WatchOp[], report: Report, budget: WorkBudget): Merged {
  const byRevision: RevisionParts = new Map();
  const unordered = new Set<number>();
  for (let i = 0; i < ops.length; i++) mergeWatch(ops[i]!, byRevision, unordered, report, budget);
  const out = new Map<number, WatchEvent[]>();
  const complete = new Set<number>();
  // forEach, not for-of: no iterator result and entry array per revision.
  byRevision.forEach((v, rev) => {
    out.set(rev, v.events);
    if (v.complete) complete.add(rev);
  });
  return { byRevision: out, revisions: [...out.keys()].sort((a, b) => a - b), complete, unordered };
}

/** One watch's events merged into `byRevision`, revision by revision (until the budget is out). */
function mergeWatch(op: WatchOp, byRevision: RevisionParts, unordered: Set<number>, report: Report, budget: WorkBudget): void {
  // Only a watch on every key with no filters sees a revision's whole set of events.
  const complete = op.rangeEnd === '\0' && (op.key === '' || op.key === '\0') && !op.noPut && !op.noDelete;
  const mine = new Map<number, WatchEvent[]>();
  for (let i = 0; i < op.events.length; i++) {
    const e = op.events[i]!;
    const at = mine.get(e.revision);
    if (at === undefined) mine.set(e.revision, [e]);
    else at.push(e);
  }
  let spent = false;
  mine.forEach((events, rev) => {
    if (spent) return;
    if (!budget.spend(1 + events.length)) spent = true;
    else mergeRevision(op, complete, rev, events, byRevision, unordered, report);
  });
}

function mergeRevision(op: WatchOp, complete: boolean, rev: number, events: WatchEvent[], byRevision: RevisionParts, unordered: Set<number>, report: Report): void {
  const prev = byRevision.get(rev);
  if (prev === undefined || (complete && !prev.complete)) {
    if (prev !== undefined) compareEvents(prev.events, events.filter((e) => seenByAny(prev.ops, e)), prev.process, op.process, rev, report, !unordered.has(rev));
    byRevision.set(rev, { events, process: op.process, complete, ops: [op] });
    unordered.delete(rev);
    return;
  }
  // Two watches that each see part of the revision agree on the events both of them match.
  const mineSeen = complete || prev.complete ? events : events.filter((e) => seenByAny(prev.ops, e));
  const theirs = complete ? prev.events : prev.events.filter((e) => matches(op, e));
  compareEvents(mineSeen, theirs, op.process, prev.process, rev, report, !unordered.has(rev));
  if (complete || prev.complete) return;
  // Another part of the revision: the revision is the union of the parts (a watch on
  // [key, kez) saw key1 and key3 deleted where one on [key2, ∞) saw key3 only: ground-truth
  // seed 2686, a "resumable" false alarm when only the first part seen was kept).
  const more = events.filter((e) => !seenByAny(prev.ops, e));
  prev.ops.push(op);
  if (more.length === 0) return;
  prev.events = [...prev.events, ...more];
  unordered.add(rev);
}

/** `ordered`: false when one side's order within the revision is not known (Merged.unordered): then compared as sets. */
function compareEvents(a: WatchEvent[], b: WatchEvent[], pa: number | string, pb: number | string, rev: number, report: Report, ordered = true): void {
  if (a.length === b.length && a.every((e, i) => sameEvent(e, b[i]!))) return;
  if (!ordered && a.length === b.length && a.every((e) => b.some((x) => sameEvent(e, x)))) return;
  report('agreement', pa, rev, `watchers ${String(pa)} and ${String(pb)} saw different events at revision ${rev}: [${a.map(eventText).join(', ')}] vs [${b.map(eventText).join(', ')}]`);
}

interface OkPut {
  key: string;
  value: string;
  revision: number;
}

/**
 * In one pass over the history: (key, value, revision) of every ok put, from kv/put and kv/txn
 * responses, and the compactions clients asked for.
 */
function historyFacts(history: readonly Op[]): { puts: OkPut[]; compactions: Compactions; putKeys: Set<string> | undefined; answeredAtRevision1: boolean; firstRevision: number | undefined } {
  const puts: OkPut[] = [];
  // The lowest revision an answer shows: the store was at or below it when the history began.
  let firstRevision: number | undefined;
  // An answer at revision 1 shows the store before any write: empty, as every etcd cluster starts.
  let answeredAtRevision1 = false;
  const asked: [number, number][] = [];
  // Undefined when a request may write keys no put names (the lock or election service): a history of kv and lease requests only.
  let putKeys: Set<string> | undefined = history.length > 0 ? new Set<string>() : undefined;
  const invokes = new Map<number | string, Op>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    const f = op.f;
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      if (f === 'kv/compaction') asked.push([op.time, int(obj(op.value)['revision'])]);
      if (!f.startsWith('kv/') && !f.startsWith('lease/')) putKeys = undefined;
      else if (putKeys !== undefined && (f === 'kv/put' || f === 'kv/txn')) namePutKeys(f, obj(op.value), putKeys);
      continue;
    }
    const inv = invokes.get(op.process);
    invokes.delete(op.process);
    if (op.type !== 'ok' || inv === undefined) continue;
    const rev = int(obj(obj(op.value)['header'])['revision']);
    if (rev === 1) answeredAtRevision1 = true;
    if (rev > 0 && (firstRevision === undefined || rev < firstRevision)) firstRevision = rev;
    const invF = inv.f;
    if (invF !== 'kv/put' && invF !== 'kv/txn') continue;
    const req = obj(inv.value);
    if (invF === 'kv/put') puts.push({ key: decodeKey(req['key']), value: typeof req['value'] === 'string' ? req['value'] : '', revision: rev });
    else {
      const branch = obj(op.value)['succeeded'] === true ? req['success'] : req['failure'];
      const branchOps = Array.isArray(branch) ? (branch as Obj[]) : NO_OBJS;
      for (let j = 0; j < branchOps.length; j++) {
        const r = branchOps[j]!;
        const put = r['request_put'];
        if (put !== undefined) puts.push({ key: decodeKey(obj(put)['key']), value: typeof obj(put)['value'] === 'string' ? (obj(put)['value'] as string) : '', revision: rev });
      }
    }
  }
  return { puts, compactions: compactionsOf(asked), putKeys, answeredAtRevision1, firstRevision };
}

/** Every key a put request names, whatever its outcome: a put's, and a txn's in either branch at any depth. */
function namePutKeys(f: string, req: Obj, out: Set<string>): void {
  if (f === 'kv/put') out.add(decodeKey(req['key']));
  if (f !== 'kv/txn') return;
  for (const branch of [req['success'], req['failure']]) {
    for (const r of Array.isArray(branch) ? (branch as Obj[]) : []) {
      if (r['request_put'] !== undefined) out.add(decodeKey(obj(r['request_put'])['key']));
      else if (r['request_txn'] !== undefined) namePutKeys('kv/txn', obj(r['request_txn']), out);
    }
  }
}

/** reliable and resumable, watch by watch (see the top of this file). */
function checkReliableAndResumable(ops: readonly WatchOp[], merged: Merged, unsortedPuts: OkPut[], deletes: readonly OkDelete[], report: Report, budget: WorkBudget): void {
  const puts = [...unsortedPuts].sort((a, b) => a.revision - b.revision);
  // One function per watch, not one loop nest: see mergeEvents.
  for (let i = 0; i < ops.length; i++) if (!checkWatchDelivery(ops[i]!, merged, puts, deletes, report, budget)) return;
}

/** reliable and resumable for one watch; false once the budget is out. */
function checkWatchDelivery(op: WatchOp, merged: Merged, puts: readonly OkPut[], deletes: readonly OkDelete[], report: Report, budget: WorkBudget): boolean {
  const delivered = op.events;
  const created = op.responses.find((r) => r.created && !r.canceled);
  // A watch "from now" gets no event at or below its Created response's revision (etcd starts it at wsrev + 1).
  if (op.startRevision === 0 && created !== undefined && delivered.length > 0 && delivered[0]!.revision <= created.headerRevision) {
    report('resumable', op.process, created.headerRevision + 1, `watch from now, created at revision ${created.headerRevision}, first got ${eventText(delivered[0]!)}, at or below it`);
  }
  const lastEvent = delivered.length > 0 ? delivered[delivered.length - 1]!.revision : 0;
  const canceledAt = op.responses.findIndex((r) => r.compactRevision > 0 || r.compactedUnrecorded);
  const lastProgress = lastProgressBefore(op, canceledAt);
  if (canceledAt >= 0 && lastProgress === 0) return true;
  const last = canceledAt >= 0 ? lastProgress : Math.max(lastEvent, lastProgress);
  // A watch "from now" starts right after its Created response's revision (etcd: wsrev + 1),
  // which matters when a progress notification promises revisions before its first event.
  // Without its Created response (etcd's robustness reports leave it out), a progress
  // notification at P before any event says the watch was synced at P: every event past P is owed.
  const first = op.startRevision > 0 ? op.startRevision : created !== undefined ? created.headerRevision + 1 : Math.min(delivered[0]?.revision ?? Infinity, progressBeforeEvents(op) + 1);
  const expected = expectedEvents(op, merged, first, last, budget);
  if (expected === undefined) return false;
  // Where the first expected revision is put together from parts, the first event is any of its events the watch matches.
  const firstFits = (e: WatchEvent): boolean => (merged.unordered.has(expected[0]!.revision) ? e.revision === expected[0]!.revision && expected.some((x) => sameEvent(x, e)) : sameEvent(expected[0]!, e));
  if (op.startRevision > 0 && expected.length > 0 && delivered.length > 0 && !firstFits(delivered[0]!)) {
    report('resumable', op.process, op.startRevision, `watch from ${op.startRevision} first got ${eventText(delivered[0]!)}, expected ${eventText(expected[0]!)}`);
  }
  const got = new RevisionKeys();
  for (let i = 0; i < delivered.length; i++) got.add(delivered[i]!.revision, delivered[i]!.key);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!got.has(e.revision, e.key)) report('reliable', op.process, e.revision, `missed ${eventText(e)} (seen by another watcher) within [${first}, ${last}]`);
  }
  if (!budget.spend(delivered.length + expected.length)) return false;
  if (!checkAcknowledgedPuts(op, got, puts, first, last, report, budget)) return false;
  const from = lowerBoundBy(deletes, first, (d) => d.revision);
  if (!budget.spend(deletes.length - from)) return false;
  for (const miss of deletesMissed(op, deletes, from, first, last)) report('reliable', op.process, miss.revision, miss.why);
  return true;
}

/**
 * A progress notification at R vouches that the watch got every matching event <= R (etcd
 * sends it only to a synced watcher, mvcc/watchable_store.go progressAll). A watch cancelled
 * by a compaction is judged only up to its last progress before the cancel (`canceledAt`, the
 * cancel's index, or -1). The highest such revision, or 0.
 */
function lastProgressBefore(op: WatchOp, canceledAt: number): number {
  const end = canceledAt < 0 ? op.responses.length : canceledAt;
  let lastProgress = 0;
  for (let i = 0; i < end; i++) {
    const r = op.responses[i]!;
    if (r.progress && r.headerRevision > lastProgress) lastProgress = r.headerRevision;
  }
  return lastProgress;
}

/** The merged history's events in [first, last] the watch matches, in order; undefined once the budget is out. */
function expectedEvents(op: WatchOp, merged: Merged, first: number, last: number, budget: WorkBudget): WatchEvent[] | undefined {
  const expected: WatchEvent[] = [];
  for (let i = lowerBound(merged.revisions, first); i < merged.revisions.length && merged.revisions[i]! <= last; i++) {
    const events = merged.byRevision.get(merged.revisions[i]!)!;
    if (!budget.spend(1 + events.length)) return undefined;
    for (let j = 0; j < events.length; j++) if (matches(op, events[j]!)) expected.push(events[j]!);
  }
  return expected;
}

/** reliable: every ok put in [first, last] the watch matches was delivered; false once the budget is out. */
function checkAcknowledgedPuts(op: WatchOp, got: RevisionKeys, puts: readonly OkPut[], first: number, last: number, report: Report, budget: WorkBudget): boolean {
  for (let i = lowerBoundBy(puts, first, (p) => p.revision); i < puts.length && puts[i]!.revision <= last; i++) {
    const p = puts[i]!;
    if (!budget.spend(1)) return false;
    if (op.noPut || !matchesKey(op, p.key)) continue;
    if (!got.has(p.revision, p.key)) report('reliable', op.process, p.revision, `missed the acknowledged put of ${JSON.stringify(p.key)} at revision ${p.revision} within [${first}, ${last}]`);
  }
  return true;
}

/** Every event and prev_kv against the acknowledged write at its revision (watch-acknowledged-writes.ts). */
function checkAcknowledgedWrites(ops: readonly WatchOp[], written: ReadonlyMap<number, AcknowledgedWrite>, report: Report, budget: WorkBudget): void {
  if (written.size === 0) return;
  for (let i = 0; i < ops.length; i++) {
    const events = ops[i]!.events;
    if (!budget.spend(1 + events.length)) return;
    for (let j = 0; j < events.length; j++) {
      const bad = contradictsWrites(events[j]!, written);
      if (bad !== undefined) report(bad.guarantee, ops[i]!.process, events[j]!.revision, `${eventText(events[j]!)}: ${bad.why}`);
    }
  }
}

/** The revision of a watch's first progress notification if it came before any event, else Infinity. */
function progressBeforeEvents(op: WatchOp): number {
  for (let i = 0; i < op.responses.length; i++) {
    const r = op.responses[i]!;
    if (r.events.length > 0 || r.canceled) return Infinity;
    if (r.progress) return r.headerRevision;
  }
  return Infinity;
}

/**
 * The compactions clients asked for (ok, failed or unknown) by invoke time: `times` ascending and
 * `revMax[i]` the largest revision asked for by the i+1 first. A member's compact revision at any
 * moment is at most the largest revision asked for before then.
 */
interface Compactions {
  readonly times: number[];
  readonly revMax: number[];
}

/** The compactions asked for, [invoke time, revision] in history order, as Compactions. */
function compactionsOf(asked: [number, number][]): Compactions {
  asked.sort((a, b) => a[0] - b[0]);
  const revMax: number[] = [];
  for (const [, rev] of asked) revMax.push(Math.max(rev, revMax[revMax.length - 1] ?? 0));
  return { times: packedNumbers(asked, ([t]) => t), revMax };
}

/** A server that compacts on its own: any revision may be compacted at any time. */
const COMPACTED_ANY_TIME: Compactions = { times: [-Infinity], revMax: [Infinity] };

/** The largest revision a compaction asked for at or before `time` (0: none). */
function compactedBy(c: Compactions, time: number): number {
  const n = lowerBound(c.times, time + 1);
  return n === 0 ? 0 : c.revMax[n - 1]!;
}

function checkPrevKvAndCreate(ops: readonly WatchOp[], merged: Merged, compactions: Compactions, never: NeverPut, report: Report, budget: WorkBudget): void {
  // One function per pass and per watch, not one loop nest: see mergeEvents.
  const before = replayAskedKeys(merged, askedKeys(ops), budget);
  if (before === undefined) return;
  for (let i = 0; i < ops.length; i++) checkWatchPriors(ops[i]!, before, compactions, never, report);
}

/** Whether a key can never have existed; undefined when that is not known. */
type NeverPut = ((key: string) => boolean) | undefined;

/**
 * Keys no put can have made: where the history began on an empty store and holds kv and lease
 * requests only, a key that no put request of it names and no PUT event shows never existed,
 * whatever holes the watches' view has later. The store was empty at the start where a watch of
 * every key saw revision 2 whole, where an answer or a watch response was at revision 1 (every
 * etcd cluster starts there, empty), or where the caller knows it (startedEmpty: etcd's
 * robustness tests; their watches open after revision 2, so before, no delete of theirs was
 * judged so). So does a key in the range of a watch that watched it from the start
 * (watchedFromStart): it would have shown the key's put. A check without the history judges
 * nothing of this.
 */
function neverPut(ops: readonly WatchOp[], merged: Merged, putKeys: ReadonlySet<string> | undefined, emptyAtStart: boolean): NeverPut {
  if (putKeys === undefined) return undefined;
  const everyKey = emptyAtStart || (merged.revisions[0] === 2 && merged.complete.has(2));
  const fromStart = everyKey ? [] : ops.filter(watchedFromStart);
  if (!everyKey && fromStart.length === 0) return undefined;
  const shown = new Set<string>();
  for (const op of ops) for (const e of op.events) if (e.type === 'PUT') shown.add(e.key);
  return (key) => !putKeys.has(key) && !shown.has(key) && (everyKey || fromStart.some((op) => matchesKey(op, key)));
}

/**
 * A watch that shows every put of its range from revision 2 on: asked from revision 1 or 2, or
 * from now when its Created response says the store was at revision 1 (etcd: wsrev), not
 * filtering PUTs out and not cancelled by a compaction (its start then was compacted away).
 */
function watchedFromStart(op: WatchOp): boolean {
  if (op.noPut || op.responses.some((r) => r.compactRevision > 0 || r.compactedUnrecorded)) return false;
  if (op.startRevision === 1 || op.startRevision === 2) return true;
  const created = op.responses.find((r) => r.created && !r.canceled);
  return op.startRevision === 0 && created !== undefined && created.headerRevision === 1;
}

/**
 * Which keys the watchers' events ask about at each revision: only those are remembered
 * (copying the whole key space at every revision would be quadratic).
 */
function askedKeys(ops: readonly WatchOp[]): Map<number, Set<string>> {
  const asked = new Map<number, Set<string>>();
  for (let i = 0; i < ops.length; i++) {
    const events = ops[i]!.events;
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const keys = asked.get(e.revision);
      if (keys === undefined) asked.set(e.revision, new Set([e.key]));
      else keys.add(e.key);
    }
  }
  return asked;
}

/**
 * The asked keys as they were before each revision, replayed from revision 2 over the revisions
 * a watch of every key saw whole; undefined once the budget is out. A hole (a revision no such
 * watch saw whole) makes every key unknown until an event writes it again (a real run's
 * watchers all reconnecting after a kill leave holes: before, the replay stopped at the first
 * one and no prev_kv after it was judged).
 */
function replayAskedKeys(merged: Merged, asked: ReadonlyMap<number, ReadonlySet<string>>, budget: WorkBudget): Map<number, Map<string, WatchEvent | undefined>> | undefined {
  const before = new Map<number, Map<string, WatchEvent | undefined>>();
  const state = new Map<string, WatchEvent>();
  /** Keys written since the last hole (their state is known); all keys are known while there was none. */
  let knownSinceHole: Set<string> | undefined;
  let expectNext = 2;
  for (const rev of merged.revisions) {
    if (rev !== expectNext || !merged.complete.has(rev)) {
      state.clear();
      knownSinceHole = new Set();
      expectNext = rev + 1;
      if (!merged.complete.has(rev)) continue;
    }
    const keys = asked.get(rev);
    const events = merged.byRevision.get(rev)!;
    if (!budget.spend(1 + events.length + (keys?.size ?? 0))) return undefined;
    const prior = new Map<string, WatchEvent | undefined>();
    for (const k of keys ?? []) if (knownSinceHole === undefined || knownSinceHole.has(k)) prior.set(k, state.get(k));
    before.set(rev, prior);
    replayRevision(events, state, knownSinceHole);
    expectNext = rev + 1;
  }
  return before;
}

/** One revision's events applied to the replayed `state` (keys written become known since the hole). */
function replayRevision(events: readonly WatchEvent[], state: Map<string, WatchEvent>, knownSinceHole: Set<string> | undefined): void {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const known = knownSinceHole === undefined || knownSinceHole.has(e.key);
    if (e.type === 'DELETE') {
      state.delete(e.key);
      knownSinceHole?.add(e.key);
    } else if (e.version > 0) {
      state.set(e.key, e);
      knownSinceHole?.add(e.key);
    } else if (known) {
      // A PUT event always has version ≥ 1; 0 is a record that did not keep it (etcd's
      // robustness reports): the replay gives it, so a prev_kv's version is still judged —
      // unless the key's version before was not known either (UNKNOWN_VERSION stays).
      const before = state.get(e.key);
      state.set(e.key, withFields(e, { version: before === undefined ? 1 : before.version === UNKNOWN_VERSION ? UNKNOWN_VERSION : before.version + 1 }));
    } else {
      // After a hole, a put makes its key known again: at version 1 when it created the key (the
      // robustness format keeps IsCreate, not the version), else with its value and revision but
      // no version (one of a key created before the hole: every key of a kubernetes-traffic run
      // created before its watches opened). Before, such a key stayed unknown to the end, and no
      // prev_kv, is_create or delete of it was judged (a planted prev_kv passed in that form).
      state.set(e.key, withFields(e, { version: e.create === e.revision ? 1 : UNKNOWN_VERSION }));
      knownSinceHole?.add(e.key);
    }
  }
}

/** A replayed key's version where no record kept it (a PUT event without version after a hole): its value and revision are still known. */
const UNKNOWN_VERSION = 0;

/** version, is_create, delete and prev_kv of one watch's events against the replayed keys. */
function checkWatchPriors(op: WatchOp, before: ReadonlyMap<number, ReadonlyMap<string, WatchEvent | undefined>>, compactions: Compactions, never: NeverPut, report: Report): void {
  for (let i = 0; i < op.responses.length; i++) {
    const r = op.responses[i]!;
    for (let j = 0; j < r.events.length; j++) checkEventPrior(op, r, j, before, compactions, never, report);
  }
}

function checkEventPrior(op: WatchOp, r: WatchResponse, j: number, before: ReadonlyMap<number, ReadonlyMap<string, WatchEvent | undefined>>, compactions: Compactions, never: NeverPut, report: Report): void {
  const e = r.events[j]!;
  if (e.type === 'PUT') checkPutVersion(op.process, e, report);
  const prior = before.get(e.revision)?.get(e.key);
  if (before.get(e.revision)?.has(e.key) !== true) {
    if (e.type === 'DELETE' && never?.(e.key) === true) report('delete', op.process, e.revision, `${eventText(e)} deletes a key no put request of the history names and no event shows put, in a store that was empty at revision 1`);
    return;
  }
  // The key as the txn's earlier events at this revision left it (one txn may show a key twice).
  const txnPrior = priorInTxn(r.events, j, prior);
  if (e.type === 'PUT') {
    const isCreate = e.create === e.revision;
    if (isCreate !== (txnPrior === undefined)) report('is_create', op.process, e.revision, `${eventText(e)} has create_revision ${e.create} but the key ${txnPrior === undefined ? 'did not exist' : 'existed'} before`);
    const version = (txnPrior?.version ?? 0) + 1;
    if (e.version > 0 && txnPrior?.version !== UNKNOWN_VERSION && e.version !== version) report('version', op.process, e.revision, `${eventText(e)} has version ${e.version}, but the key ${txnPrior === undefined ? 'did not exist before (a put that creates a key gives version 1)' : `was at version ${txnPrior.version} before (each put adds one)`}`);
  } else if (txnPrior === undefined) report('delete', op.process, e.revision, `${eventText(e)} deletes a key that did not exist at revision ${e.revision - 1} (the watched revisions before it, replayed, leave no such key)`);
  if (!op.prevKv) return;
  // etcd reads prev_kv at the revision before the event's, and sends none for a PUT that creates
  // its key (v3rpc's IsCreateEvent), even one the same txn deleted first.
  const creates = e.type === 'PUT' && e.create === e.revision;
  if ((prior === undefined || creates) && e.hasPrevKv) report('prev_kv', op.process, e.revision, `${eventText(e)} carries a prev_kv but ${prior === undefined ? 'the key did not exist before' : 'it creates the key (etcd sends none then)'}`);
  if (prior !== undefined && !creates && !e.hasPrevKv && compactedBy(compactions, r.time) < e.revision) {
    report('prev_kv', op.process, e.revision, `${eventText(e)} carries no prev_kv, but the key was written at ${prior.revision} and no compaction past revision ${e.revision - 1} was asked for before it arrived`);
  }
  if (prior !== undefined && e.hasPrevKv && (e.prevValue !== prior.value || e.prevMod !== prior.revision || (prior.version !== UNKNOWN_VERSION && e.prevVersion !== prior.version))) {
    const what = e.prevMod !== prior.revision ? `mod ${e.prevMod}, but the key was last written at ${prior.revision}` : e.prevValue !== prior.value ? `a value the put at ${prior.revision} did not write` : `version ${e.prevVersion}, but the key was at version ${prior.version}`;
    report('prev_kv', op.process, e.revision, `${eventText(e)} prev_kv is ${what}`);
  }
}

/**
 * Event j's key as the events before it in its response at its revision left it, starting from
 * `prior` (the key before the revision): one txn may put a key in a nested txn and delete it in a
 * later one (etcd's checkIntervals checks a nested txn's puts only against the deletes before it;
 * ground-truth seed 12099), or delete every key from a key on (range_end "\0", an empty interval
 * to checkIntervals) and put one of them.
 */
function priorInTxn(events: readonly WatchEvent[], j: number, prior: WatchEvent | undefined): WatchEvent | undefined {
  const e = events[j]!;
  let at = prior;
  for (let i = 0; i < j; i++) {
    const x = events[i]!;
    if (x.key === e.key && x.revision === e.revision) at = x.type === 'PUT' ? x : undefined;
  }
  return at;
}

/**
 * version: what one PUT event says of itself, whatever the replay knows. etcd 3.4's key index
 * starts a generation at version 1 at the put that creates the key (create_revision = that
 * revision) and adds one per put; a txn that deletes a key and puts it again starts a new
 * generation, so an event's version is 1 exactly when create_revision is its own revision, and
 * otherwise one past its prev_kv's. Fields a record did not keep (0: etcd's robustness reports) are not judged.
 */
function checkPutVersion(process: number | string, e: WatchEvent, report: Report): void {
  if (e.version <= 0) return;
  if (e.create > 0 && (e.create === e.revision) !== (e.version === 1)) report('version', process, e.revision, `${eventText(e)} has version ${e.version} and create_revision ${e.create}: a key is at version 1 exactly at the put that created it`);
  else if (e.create > e.revision) report('version', process, e.revision, `${eventText(e)} has create_revision ${e.create}, after its own revision`);
  else if (e.hasPrevKv && e.prevVersion > 0 && e.version !== e.prevVersion + 1) report('version', process, e.revision, `${eventText(e)} has version ${e.version}, but its prev_kv is at version ${e.prevVersion} (each put adds one)`);
}

/**
 * complete: a client's watch that was not cancelled delivered every matching event up to
 * `caughtUp`, the revision the recording waited for every open watch to reach. What a client
 * vouched for is its last event or progress notification, over all its segments (a watch
 * reopened resumes after it), or the revision a watch "from now" was created at; every matching
 * event past it and at most `caughtUp` — in the merged event history or an acknowledged put —
 * was never delivered. Only a client's last segment counts: its filters are the watch's at the end.
 */
function checkComplete(ops: readonly WatchOp[], merged: Merged, unsortedPuts: readonly OkPut[], caughtUp: number, report: Report, budget: WorkBudget): number {
  let closed = 0;
  const lastOf = new Map<number | string, WatchOp>();
  const vouched = new Map<number | string, number>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    lastOf.set(op.process, op);
    let v = vouched.get(op.process) ?? 0;
    for (let j = 0; j < op.responses.length; j++) {
      const r = op.responses[j]!;
      if (!budget.spend(1)) return closed;
      if (r.events.length > 0) v = Math.max(v, r.events[r.events.length - 1]!.revision);
      else if (r.progress || (r.created && !r.canceled && op.startRevision === 0)) v = Math.max(v, r.headerRevision);
    }
    vouched.set(op.process, v);
  }
  const puts = [...unsortedPuts].sort((a, b) => a.revision - b.revision);
  for (const [process, op] of lastOf) {
    // A watch the server cancelled (a compaction, or any other cancel) is over: nothing more is owed.
    if (op.responses.some((r) => r.canceled || r.compactRevision > 0 || r.compactedUnrecorded)) continue;
    // A stream closed before the end (its client left, its connection or member went) was not
    // waited for: the events before its close may still have been on their way (etcd sends them
    // from its own loop, and catches a slow watcher up in batches), so the close owes nothing
    // past what it delivered, which "reliable" judges.
    if (op.closed) {
      closed++;
      continue;
    }
    const from = vouched.get(process)! + 1;
    let missing: WatchEvent | OkPut | undefined;
    for (let i = lowerBound(merged.revisions, from); i < merged.revisions.length && merged.revisions[i]! <= caughtUp && missing === undefined; i++) {
      const events = merged.byRevision.get(merged.revisions[i]!)!;
      if (!budget.spend(1 + events.length)) return closed;
      missing = events.find((e) => matches(op, e));
    }
    for (let i = lowerBoundBy(puts, from, (p) => p.revision); missing === undefined && i < puts.length && puts[i]!.revision <= caughtUp; i++) {
      if (!budget.spend(1)) return closed;
      const p = puts[i]!;
      if (!op.noPut && matchesKey(op, p.key)) missing = p;
    }
    if (missing === undefined) continue;
    const what = 'type' in missing ? eventText(missing) : `the acknowledged put of ${JSON.stringify(missing.key)} at revision ${missing.revision}`;
    report('complete', process, missing.revision, `watch stopped delivering after revision ${from - 1}: it never got ${what}, though the recording ended only once every open watch had caught up to revision ${caughtUp}`);
  }
  return closed;
}
