// The etcd v3 API as a linearizability model. Inputs are requests in gateway JSON, outputs
// the responses (or errors), compared in canonical form including header.revision. Each
// input may carry the revision the state must be at just before it (`pre`, known from the
// response) or an upper bound (`preMax`): a step at any other revision is rejected before
// any work, and the search prunes states whose revision already passed a pending op's bound.
import type { Model, Operation } from '../../linearizability/model.ts';
import {
  ERR_COMPACTED,
  applyCompaction,
  applyDeleteRange,
  applyLeaseGrant,
  applyLeaseKeepAlive,
  applyLeaseRevoke,
  applyLeaseTimeToLive,
  applyPut,
  applyRange,
  applyRangeResult,
  applyTxn,
  putResult,
  rangeError,
  txnResult,
  type Applied,
  type Req,
} from './apply.ts';
import type { AnswerRead } from './answer-read.ts';
import { displayJson } from './display.ts';
import { findContradiction } from './contradictions.ts';
import { prepareSupplyCheck } from './gap-supply.ts';
import { canReachSightings, fitsGap, fitsSightings, NO_GAP_CONSTRAINTS, type GapConstraints } from './gap-constraints.ts';
import { canonical, decidedError, decodeKey, id64, int, sameCanonical, type Json } from './json.ts';
import { samePutAnswer, type PutAnswer } from './put-answer.ts';
import { sameRangeAnswer, type RangeAnswer } from './range-answer.ts';
import { sameTxnAnswer, type TxnAnswer } from './txn-answer.ts';
import { EtcdState, equalStates } from './state.ts';
import { leaseExpiryObservers } from './lease-observers.ts';
import { compactionText } from '../../../text/compaction.ts';
import { branchOps, TXN_BRANCHES, txnBranch } from './txn-branches.ts';

export type EtcdF =
  | 'kv/put'
  | 'kv/range'
  | 'kv/deleterange'
  | 'kv/txn'
  | 'kv/compaction'
  | 'lease/grant'
  | 'lease/revoke'
  | 'lease/keepalive'
  | 'lease/timetolive'
  /** Not a client request: the leader revoking an expired lease (see history.ts). */
  | 'lease/expire';

export const ETCD_FS: readonly EtcdF[] = ['kv/put', 'kv/range', 'kv/deleterange', 'kv/txn', 'kv/compaction', 'lease/grant', 'lease/revoke', 'lease/keepalive', 'lease/timetolive'];

export interface EtcdInput {
  f: EtcdF;
  request: Req;
  /** The state's revision just before this op, when the response tells it exactly. */
  pre?: number | undefined;
  /** An upper bound on that revision. */
  preMax?: number | undefined;
  /**
   * For a timed-out write nobody saw: the revisions no known write created. It can only have
   * taken effect as one of them, so at any other point it is rejected at once (and taking
   * no effect is the same as never happening).
   */
  gaps?: ReadonlySet<number> | undefined;
  /**
   * A serializable read (a range with serializable, or a txn of serializable ranges only):
   * etcd serves it from one member's applied state without asking the leader, so it may be
   * stale. This is the header.revision it was served at; the read is checked against that
   * revision of the store, at any point after the linearization reached it.
   */
  servedAt?: number | undefined;
  /** The request as the history holds it, when `request` has unseen values hidden (unseen-values.ts); for explanations only. */
  original?: Req | undefined;
}

export type EtcdOutput =
  /**
   * A response, compared with the model's in canonical form (sameResponse, without building
   * it); a range's, a put's and a txn's answer also read for a comparison without JSON
   * (range-answer.ts, put-answer.ts, txn-answer.ts), undefined for other ops and for answers of
   * another shape.
   */
  | { response: Req; range: RangeAnswer | undefined; put?: PutAnswer | undefined; txn?: TxnAnswer | undefined; read?: AnswerRead | undefined }
  /** An error the state decides (compacted, lease not found…): the op had no effect. */
  | { error: string }
  /** Took effect (its value was observed) but the response is unknown. */
  | { effective: true };

function apply(s: EtcdState, input: EtcdInput, output: EtcdOutput | undefined): Applied {
  const req = input.request;
  const observed = output !== undefined && 'response' in output ? output.response : undefined;
  switch (input.f) {
    case 'kv/put':
      return applyPut(s, req);
    case 'kv/range':
      return applyRange(s, req, observed);
    case 'kv/deleterange':
      return applyDeleteRange(s, req);
    case 'kv/txn':
      return applyTxn(s, req, observed);
    case 'kv/compaction':
      return applyCompaction(s, req);
    case 'lease/grant': {
      const resp = output !== undefined && 'response' in output ? output.response : undefined;
      const id = resp === undefined || id64(resp['ID']) === '0' ? undefined : id64(resp['ID']);
      return applyLeaseGrant(s, req, id, resp === undefined ? undefined : int(resp['TTL']));
    }
    case 'lease/revoke':
    case 'lease/expire':
      return applyLeaseRevoke(s, req);
    case 'lease/keepalive':
      return applyLeaseKeepAlive(s, req);
    case 'lease/timetolive':
      return applyLeaseTimeToLive(s, req);
  }
}

/** The part of a response the model decides; lease reads are served without a linearizable header. */
function comparedPart(f: EtcdF, response: Req): Req {
  if (f !== 'lease/keepalive' && f !== 'lease/timetolive') return response;
  const r: Req = { ...response };
  delete r['header'];
  // The remaining TTL shrinks with time the model does not keep; only "not found" (-1) is checked.
  if (f === 'lease/timetolive' && int(r['TTL']) !== -1) delete r['TTL'];
  return r;
}

/** The canonical form a response is compared in (json.ts canonical). */
export function canonicalResponseJson(f: EtcdF, response: Req): Json {
  return canonical(comparedPart(f, response));
}

/** The canonical text a response is compared by. */
export function canonicalResponse(f: EtcdF, response: Req): string {
  return JSON.stringify(canonicalResponseJson(f, response));
}

/** Whether two responses to an `f` are the same in canonical form: canonicalResponse(f, a) === canonicalResponse(f, b), without the texts. */
export function sameResponse(f: EtcdF, a: Req, b: Req): boolean {
  return sameCanonical(comparedPart(f, a), comparedPart(f, b));
}

/** `gaps`: revisions no known write created (see history.ts); gated ops only apply there. */
/**
 * `constraints`: which keys the write filling each gap may and must touch (gap-constraints.ts);
 * `initial`: the store before the history (an empty etcd unless it already held data).
 */
export interface EtcdModelOptions {
  /**
   * The server compacts on its own (etcd's --auto-compaction-retention): a "compacted" answer
   * needs no compaction request before it, only a revision the server may have compacted.
   */
  autoCompaction?: boolean;
}

export function createEtcdModel(gaps: ReadonlySet<number> = new Set(), constraints: GapConstraints = NO_GAP_CONSTRAINTS, initial: EtcdState = EtcdState.initial(), options: EtcdModelOptions = {}): Model<EtcdState, EtcdInput, EtcdOutput> {
  return new EtcdModel(gaps, constraints, initial, options.autoCompaction === true);
}

/**
 * The model as a class, not an object of closures made per check: the search calls step, equal
 * and hash millions of times, and V8 compiles those call sites for the function it saw. With a
 * closure per check, every new check's functions broke the code compiled for the last one
 * ("wrong call target" deoptimizations) and it was compiled again; a method is the same
 * function in every check.
 */
class EtcdModel implements Model<EtcdState, EtcdInput, EtcdOutput> {
  readonly name = 'etcd';
  // A hard partition gets three searches over the same ops (check.ts): the contradictions are found once.
  private readonly doomedOf = new WeakMap<readonly Operation<EtcdInput, EtcdOutput>[], { found: ReturnType<typeof findContradiction> }>();

  constructor(
    private readonly gaps: ReadonlySet<number>,
    private readonly constraints: GapConstraints,
    private readonly initial: EtcdState,
    private readonly autoCompaction: boolean,
  ) {}

  gated(input: EtcdInput): boolean {
    return input.gaps !== undefined;
  }

  gateOpen(s: EtcdState): boolean {
    return this.gaps.has(s.revision + 1);
  }

  prepareGateCheck(ops: readonly Operation<EtcdInput, EtcdOutput>[]): ReturnType<typeof prepareSupplyCheck> {
    return prepareSupplyCheck(ops, this.constraints);
  }

  doomed(ops: readonly Operation<EtcdInput, EtcdOutput>[]): ReturnType<typeof findContradiction> {
    let memo = this.doomedOf.get(ops);
    if (memo === undefined) this.doomedOf.set(ops, (memo = { found: findContradiction(ops, this.constraints, this.initial.revision) }));
    return memo.found;
  }

  prepareObservers(ops: readonly Operation<EtcdInput, EtcdOutput>[]): ReturnType<typeof leaseExpiryObservers> {
    return leaseExpiryObservers(ops);
  }

  init(): EtcdState {
    return this.initial;
  }

  step(s: EtcdState, input: EtcdInput, output: EtcdOutput | undefined): EtcdState | undefined {
    const { gaps, constraints, autoCompaction } = this;
    if (input.servedAt !== undefined) return stepServedAt(s, input, input.servedAt, output);
    if (input.pre !== undefined && s.revision !== input.pre) return undefined;
    if (input.preMax !== undefined && s.revision > input.preMax) return undefined;
    if (input.gaps !== undefined && !input.gaps.has(s.revision + 1)) return undefined;
    if (output !== undefined && input.f === 'kv/range') {
      // Without writing the model's answer as JSON: an error answer needs only the error, a
      // range answer is compared as it is (range-answer.ts); both as the general path below.
      if ('error' in output) {
        const err = rangeError(s, input.request);
        if (err !== undefined && decidedError(err) === decidedError(output.error)) return s;
        return autoCompaction ? autoCompacted(s, input, output.error) : undefined;
      }
      if ('range' in output && output.range !== undefined) {
        const found = applyRangeResult(s, input.request, output.response);
        return typeof found !== 'string' && sameRangeAnswer(output.range, s.revision, found) ? s : undefined;
      }
    }
    if (output !== undefined && input.f === 'kv/put' && 'response' in output && output.put !== undefined) {
      // Without writing the model's answer as JSON (put-answer.ts), as the general path below.
      const put = putResult(s, input.request);
      return typeof put !== 'string' && samePutAnswer(output.put, put.state.revision, put.prevKv) ? put.state : undefined;
    }
    if (output !== undefined && input.f === 'kv/txn' && 'response' in output && output.txn !== undefined) {
      // Without writing the model's answer as JSON (txn-answer.ts), as the general path below.
      const txn = txnResult(s, input.request, output.response);
      return typeof txn !== 'string' && sameTxnAnswer(output.txn, txn.state.revision, txn.body) ? txn.state : undefined;
    }
    const r = apply(s, input, output);
    if (input.gaps !== undefined) {
      const ok = r.state.revision === s.revision + 1 && fitsGap(constraints, r.state) && fitsSightings(constraints, r.state) && canReachSightings(constraints, r.state);
      return ok ? r.state : undefined;
    }
    if (output === undefined || 'effective' in output) {
      if ('error' in r) return output === undefined ? s : undefined;
      if (r.state.revision !== s.revision && gaps.has(r.state.revision) && !fitsGap(constraints, r.state)) return undefined;
      // A write whose answer is unknown: the answers that show what it wrote must agree.
      if (r.state.revision !== s.revision && !fitsSightings(constraints, r.state)) return undefined;
      return r.state;
    }
    if ('error' in output) {
      if ('error' in r && decidedError(r.error) === decidedError(output.error)) return s;
      return autoCompaction ? autoCompacted(s, input, output.error) : undefined;
    }
    if ('error' in r) return undefined;
    // A compaction's answer is a header whose revision is a bound (preMax), checked above.
    if (input.f === 'kv/compaction') return r.state;
    return sameResponse(input.f, r.response, output.response) ? r.state : undefined;
  }

  equal(a: EtcdState, b: EtcdState): boolean {
    return equalStates(a, b);
  }

  // Ops that differ only in the request as the history holds it are interchangeable.
  equivalenceKey(input: EtcdInput): string {
    return JSON.stringify([input.f, input.request, input.pre, input.preMax, input.servedAt, input.gaps === undefined]);
  }

  order(s: EtcdState): number {
    return s.revision;
  }

  orderBound(input: EtcdInput): number | undefined {
    return input.pre ?? input.preMax;
  }

  hash(s: EtcdState): number {
    return s.hash;
  }

  readOnly(input: EtcdInput, output: EtcdOutput | undefined): boolean {
    if (output === undefined || 'effective' in output) return false;
    // With auto-compaction a "compacted" answer may move the compact revision: not a pure read.
    if ('error' in output) return !(this.autoCompaction && decidedError(output.error) === decidedError(ERR_COMPACTED));
    if (input.f === 'kv/range' || input.f === 'lease/keepalive' || input.f === 'lease/timetolive') return true;
    if (input.f === 'kv/txn') return !txnWrites(input.request, output.response);
    return false;
  }

  describeOperation(input: EtcdInput, output: EtcdOutput | undefined): string {
    const req = describeRequest(input.f, input.original ?? input.request);
    if (output === undefined) return `${req} → ?`;
    if ('effective' in output) return `${req} → (took effect)`;
    if ('error' in output) return `${req} → error ${JSON.stringify(output.error)}`;
    return `${req} → ${JSON.stringify(displayJson(canonicalResponseJson(input.f, output.response)))}`;
  }

  describeState(s: EtcdState): string {
    const kvs = [...s.kvs.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((kv) => `${JSON.stringify(kv.key)}=${JSON.stringify(decodeKey(kv.value))}@${kv.mod}(c${kv.create},v${kv.version}${kv.lease === '0' ? '' : `,lease ${kv.lease}`})`);
    const leases = [...s.leases.keys()].sort();
    return `revision ${s.revision}, ${compactionText(s.compactRevision)}, {${kvs.join(', ')}}${leases.length > 0 ? `, leases [${leases.join(', ')}]` : ''}`;
  }

  expectedOutput(s: EtcdState, input: EtcdInput, output: EtcdOutput | undefined): unknown {
    const r = apply(s, input, output);
    if ('error' in r) return { error: r.error };
    return displayJson(JSON.parse(canonicalResponse(input.f, r.response)));
  }

  observedOutput(input: EtcdInput, output: EtcdOutput): unknown {
    if ('error' in output) return { error: output.error };
    if ('effective' in output) return '(took effect, response unknown)';
    return displayJson(canonicalResponseJson(input.f, output.response));
  }
}

/**
 * A "compacted" answer the state does not explain, from a server that compacts on its own: it
 * compacted at least up to what was asked (a range at r: past r; a compaction to r: to r) some
 * time before, so the state takes the least compaction that explains it (later answers may
 * show more). Anything else is no auto-compaction's doing.
 */
function autoCompacted(s: EtcdState, input: EtcdInput, error: string): EtcdState | undefined {
  if (decidedError(error) !== decidedError(ERR_COMPACTED)) return undefined;
  const rev = int(input.request['revision']);
  // A compaction to 0 fails "compacted" once anything was compacted (etcd's compactMainRev starts at -1).
  if (input.f === 'kv/compaction') return rev >= 0 && rev <= s.revision && rev > s.compactRevision ? s.withCompactRevision(rev) : undefined;
  if (input.f === 'kv/txn') return txnAutoCompacted(s, input);
  // A range at r fails "compacted" below the compact revision, which is at most the current one.
  if (input.f !== 'kv/range' || rev <= 0 || rev >= s.revision || rev + 1 <= s.compactRevision) return undefined;
  return s.withCompactRevision(rev + 1);
}

/**
 * A txn that failed "compacted" on a server that compacts on its own: one of its ranges (the
 * branch the compares take, nested ones too) reads a revision compacted since. The least
 * compaction past one of those revisions that makes the txn fail so (ground-truth histories
 * with auto-compaction: "compacted" txns were not linearizable).
 */
function txnAutoCompacted(s: EtcdState, input: EtcdInput): EtcdState | undefined {
  const revs: number[] = [];
  const visit = (t: Req): void => {
    for (let b = 0; b < TXN_BRANCHES; b++) {
      for (const op of txnBranch(t, b)) {
        const rev = int((op['request_range'] as Req | undefined)?.['revision']);
        if (rev > 0 && rev < s.revision && rev + 1 > s.compactRevision) revs.push(rev + 1);
        if (op['request_txn'] !== undefined) visit(op['request_txn'] as Req);
      }
    }
  };
  visit(input.request);
  for (const compact of revs.sort((a, b) => a - b)) {
    const t = s.withCompactRevision(compact);
    const r = applyTxn(t, input.request);
    if ('error' in r && decidedError(r.error) === decidedError(ERR_COMPACTED)) return t;
  }
  return undefined;
}

/** A serializable read: legal once the state reached its revision, against the store as of that revision. */
function stepServedAt(s: EtcdState, input: EtcdInput, servedAt: number, output: EtcdOutput | undefined): EtcdState | undefined {
  if (output === undefined || !('response' in output) || s.revision < servedAt) return undefined;
  let at = s.at(servedAt);
  if (output.range !== undefined && input.f === 'kv/range') {
    let found = applyRangeResult(at, input.request, output.response);
    if (found === ERR_COMPACTED) found = applyRangeResult((at = uncompacted(at)), input.request, output.response);
    return at.revision === servedAt && typeof found !== 'string' && sameRangeAnswer(output.range, at.revision, found) ? s : undefined;
  }
  let r = apply(at, input, output);
  if ('error' in r && r.error === ERR_COMPACTED) r = apply(uncompacted(at), input, output);
  return !('error' in r) && r.state.revision === servedAt && sameResponse(input.f, r.response, output.response) ? s : undefined;
}

/**
 * The state at a revision before the compactions applied at it. A compaction makes no revision,
 * so a member that served revision R may not have applied a compaction the leader applied at R
 * yet: its read of a revision that compaction removed still answers (a generated ground-truth
 * history: a follower's serializable read at revision 2 after "compact 6" applied on the leader).
 */
function uncompacted(at: EtcdState): EtcdState {
  return at.withCompactRevision(-1);
}

/** Whether a txn's taken branch writes (puts, or deletes that removed something), from its response. */
export function txnWrites(req: Req, resp: Req): boolean {
  const branch = branchOps(resp['succeeded'] === true ? req['success'] : req['failure']);
  const responses = branchOps(resp['responses']);
  // An index loop: a `some` callback per txn was garbage at every read of a txn's answer.
  for (let i = 0; i < branch.length; i++) {
    const op = branch[i]!;
    if (op['request_put'] !== undefined) return true;
    const r = responses[i];
    if (op['request_delete_range'] !== undefined) {
      if (int((r?.['response_delete_range'] as Req | undefined)?.['deleted']) > 0) return true;
    } else if (op['request_txn'] !== undefined && txnWrites(op['request_txn'] as Req, (r?.['response_txn'] ?? NO_RESPONSE) as Req)) return true;
  }
  return false;
}

const NO_RESPONSE: Req = {};

function describeRequest(f: EtcdF, req: Req): string {
  const key = (k: unknown): string => JSON.stringify(decodeKey(k));
  switch (f) {
    case 'kv/put':
      return `put(${key(req['key'])}, ${JSON.stringify(decodeKey(req['value']))}${id64(req['lease']) !== '0' ? `, lease ${id64(req['lease'])}` : ''})`;
    case 'kv/range':
      return `range(${key(req['key'])}${req['range_end'] !== undefined ? `..${key(req['range_end'])}` : ''}${int(req['revision']) !== 0 ? `, rev ${int(req['revision'])}` : ''})`;
    case 'kv/deleterange':
      return `delete(${key(req['key'])}${req['range_end'] !== undefined ? `..${key(req['range_end'])}` : ''})`;
    case 'kv/compaction':
      return `compact(${int(req['revision'])})`;
    default:
      return `${f}(${JSON.stringify(displayJson(canonical(req)))})`;
  }
}
