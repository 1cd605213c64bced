// Lease safety over an etcd history (detcd's JSONL form). The evidence, precisely:
//
// 1. Revoked: a `lease/revoke` ok at header.revision R deleted the lease's keys at R. Any ok
//    read at a revision ≥ R (its header.revision, or its explicit revision) that shows a key
//    attached to that lease is a key that outlived its revoked lease. Reads are ranges, each
//    range inside a txn (with its own revision; nested txns too) and the prev_kv of a put or
//    delete (the state just before the write: header.revision - 1).
// 2. Gone: a `lease/keepalive` ok with TTL 0 or a `lease/timetolive` ok with TTL -1 and no
//    grantedTTL (timeToLiveNotFound) proves the lease no longer existed when that op completed — if the member that answered had
//    applied the grant: its header.revision is above the grant's (a put after the grant). A
//    deposed leader that never saw the grant answers "not found" too (etcd serves lease
//    lookups from the leader's lessor without a linearizable check); that is no evidence.
//    Any range invoked after that completion that shows a key attached to the lease is a
//    key that outlived its lease (not a serializable one: a lagging member serves it).
// 3. Expired: the lease is known alive at the completion of its grant and of every
//    keep-alive ok with TTL > 0; it may live at most TTL after the latest of those, plus
//    (when given) electionTimeoutUs + TTL after each leader change (a new leader restarts
//    every lease's TTL, etcd#9888), plus graceUs for clock drift, plus one TTL for each try of
//    a keep-alive of unknown serving time invoked while the lease may have been alive. A range
//    invoked after that deadline that shows a key attached to the lease (not a serializable one)
//    at or past the revision of a write sent after the deadline (its revoke, proposed by then,
//    applied before that write: lease-revoke-committed.ts; a revoke may commit any time later;
//    with 16 or more leases expired and not yet revoked when the lessor finds it, its batch, its
//    proposal may wait behind theirs, and the write must be sent that much later: lease-revoke-queue.ts),
//    or a keep-alive invoked after it that answers TTL > 0, or a TimeToLive invoked at t that
//    answers X s left with t + X past it (plus a slow clock's allowance), is a lease that outlived its TTL.
//    A leader transfer (when given) drops every proposal for up to an election timeout, the
//    leader's revokes too, which it proposes again revokeRetryUs later: a transfer that may have
//    dropped the revoke moves the deadline to its end plus revokeRetryUs.
// 4. Revoked early: a lease reported gone (as in 2) before its last renewal + TTL on a leader in
//    office, with no client revoke asked for (lease-revoked-early.ts).
// 5. TTL answers: a keep-alive answers the granted TTL, a TimeToLive the granted TTL and, with
//    answers that carry the serving leader's term, at most the whole seconds its leader can have
//    left since its last keep-alive; with electionTimeoutUs, never more than the TTL plus a new
//    leader's extension, the TTL granted or the answer's own grantedTTL — the latter with no
//    grant in the history (lease-ttl-answers.ts). The answers about a lease no grant of the
//    history made before them (it held it before the history) agree on one TTL (lease-ttl-agree.ts).
// 6. Renewed expired: with answers that carry the serving leader's term, a keep-alive invoked
//    more than TTL after its leader's last renewal must not renew (lease-renewed-expired.ts).
// 7. Renewed ended: with such answers, a keep-alive must not renew, nor a TimeToLive find alive, a
//    lease its member revoked or answered gone before it was sent, with no grant of it between
//    (lease-renewed-ended.ts).
// A put answered ok with a lease (alone or in a txn) counts as a read showing a key of that lease at
// its revision for rules 1-3: etcd applies it only while the lease exists. With lease checkpointing
// (leaderChangeTtls), a leader change restarts a lease from the remaining TTL of its last checkpoint
// committed before the new leader promoted, not from its full TTL.
// 8. Grant reused: two grants answered ok with one id while the first lease was certainly alive
//    (no revoke sent, no "gone" answer, its TTL not run out): etcd refuses a live id (lease-grant-reused.ts).
import type { Op } from '../history/op.ts';
import { findRevokedEarly, timeToLiveNotFound } from './lease-revoked-early.ts';
import { findTtlAnswers, LEASE_REVOKE_RATE } from './lease-ttl-answers.ts';
import { findTtlDisagreements } from './lease-ttl-agree.ts';
import { findRenewedExpired } from './lease-renewed-expired.ts';
import { findRenewedEnded } from './lease-renewed-ended.ts';
import { grantWindowsOf, mayHaveGrantedBetween, unknownGrantsOf, type GrantWindow } from './lease-grants.ts';
import { pairLeaseOps } from './lease-pairs.ts';
import { RevokeCommitted } from './lease-revoke-committed.ts';
import { revokeQueueDelaysUs, type ExpiryWindow } from './lease-revoke-queue.ts';
import { findGrantReused } from './lease-grant-reused.ts';
import { unboundedKeepAliveTries, unboundedKeepAlives } from './lease-keepalive-unknown.ts';
import type { LeaderInOffice } from './lease-revoked-early.ts';
import type { RenewalProof } from './renewal-proof.ts';
import { id64, decodeKey, int } from './models/etcd/json.ts';
import { txnWrites } from './models/etcd/model.ts';
import { isSerializableRead } from './models/etcd/apply.ts';
import { nothingToCheck, type CheckResult, type Validity } from './verdict.ts';
import { count } from '../text/count.ts';

export interface LeaseCheckOptions {
  /** Extra time a lease may outlive its TTL (clock drift, expiry check period). Default 1 s. */
  graceUs?: number;
  /** Times (µs) of leader changes; each restarts every lease's TTL. */
  leaderChangesUs?: readonly number[];
  /**
   * With lease checkpointing: per leader change (as leaderChangesUs), the remaining TTL (s) its new
   * leader restarted each checkpointed lease from (the last checkpoint committed before it
   * promoted); a lease it does not name restarts from its full TTL, and so does every lease after
   * a change without an entry.
   */
  leaderChangeTtls?: readonly (ReadonlyMap<string, number> | undefined)[];
  /**
   * Times (µs) leader transfers were asked for: the leader drops proposals (its lease revokes
   * too) for up to electionTimeoutUs from each, and proposes a dropped revoke again up to
   * revokeRetryUs later (etcd: the revoke request times out, and the expiry loop retries).
   */
  transfersUs?: readonly number[];
  /**
   * Per transfer (as transfersUs, same order), the latest moment it may still have been dropping
   * proposals, where that can be past its start + electionTimeoutUs: on a real etcd, a leader
   * whose raft ticks run late on a loaded machine aborts the transfer late, and the fault's heal
   * is the moment the transfer could go through (real-run.ts).
   */
  transferEndsUs?: readonly number[];
  revokeRetryUs?: number;
  /**
   * No leader timeline (a history from elsewhere, `detcd check`): a new leader may have restarted
   * every TTL at any moment, so no lease has a deadline and rule 3 is not judged.
   */
  leaderChangesUnknown?: boolean;
  electionTimeoutUs?: number;
  /** Leaders as they took office (term, µs): a keep-alive answered in an older term than one in office renewed nothing. */
  leaders?: readonly LeaderInOffice[];
  /** A real etcd run's leader timeline: which keep-alives renewed on the leader in office (replaces `leaders`). */
  renewalProof?: RenewalProof;
  /** How much faster than real time a leader's clock may run (ppm), and the sum of its forward jumps (µs; Infinity: no revoked-early check). */
  clockDriftPpmMax?: number;
  clockJumpUsMax?: number;
  maxViolations?: number;
  /**
   * How far a leader's clock may run slow or step back (ppm, sum of steps in µs; Infinity: no
   * bound), for the remaining-TTL bound of TimeToLive answers. Default: clockDriftPpmMax and clockJumpUsMax.
   */
  slowClock?: { driftPpmMax: number; jumpUsMax: number };
  /**
   * A lease answer's raft_term is the term of the leader that served it (detcd's members pass the
   * leader's answer through; a real etcd follower fills in its own term): turns on rule 6 and
   * rule 5's remaining-TTL bound.
   */
  answersCarryLeaderTerm?: boolean;
  /** Work units (ops, kvs and leader changes visited) before the verdict is "unknown". Default 50,000,000. */
  stepsMax?: number;
  /** The check's time budget (detcd check --timeout-ms): true once it has passed; the verdict is then unknown, naming it. */
  deadline?: (() => boolean) | undefined;
}

export interface LeaseViolation {
  kind: 'revoked-key-visible' | 'gone-lease-key-visible' | 'expired-key-visible' | 'expired-lease-renewed' | 'revoked-early' | 'ttl-answer' | 'grant-reused-id';
  lease: string;
  /** History index of the op that shows it. */
  index: number;
  message: string;
}

export interface LeaseCheckResult extends CheckResult {
  valid: Validity;
  violations: LeaseViolation[];
  leases: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

interface Completed {
  invoke: Op;
  ok: Op;
}

interface LeaseFacts {
  ttlSeconds: number;
  /** header.revision of the grant's answer: a member past it has applied the grant. */
  grantRevision: number;
  /** When its grant's answer came: alive then. */
  grantedOkUs: number;
  /** Keep-alives answered with TTL > 0: [invoked, answered] µs, in the order answered. */
  renewalsUs: [number, number][];
  grantedAtUs: number;
  /** Revokes answered and answers that reported the lease gone, of this id's every grant (a grant again keeps them). */
  ends: LeaseEnd[];
}

/**
 * A revoke answered ok at `revision` (it deleted the lease's keys there), or an answer that
 * reported the lease gone from a member at `revision` (its keys were deleted by then). A key of
 * the lease's id read after it outlived the lease, unless the key was written after it and a
 * grant of the id may have made the lease again in between (ground-truth seed 49511: a revoke
 * answered after a grant of the id again was answered, and a key put with the new lease).
 */
interface LeaseEnd {
  readonly revoked: boolean;
  readonly revision: number;
  readonly invokeUs: number;
  readonly doneUs: number;
}

function completedOps(history: readonly Op[]): Completed[] {
  const open = new Map<number | string, Op>();
  const out: Completed[] = [];
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.type === 'invoke') open.set(op.process, op);
    else {
      const inv = open.get(op.process);
      open.delete(op.process);
      if (inv !== undefined && op.type === 'ok') out.push({ invoke: inv, ok: op });
    }
  }
  return out;
}

/**
 * What an op's reads are handed to (forEachRead): `read` for one read an op made — the revision
 * of the state it showed (a lower bound where the answer does not say), the revision it asked for
 * (0: the state at the op), and the kvs it shows (read through obj: what is not an object shows no
 * lease); `put` for a put answered ok with a lease at `revision`: etcd applies a put (alone or in
 * a txn) only if its lease exists then (applierV3backend.Put and checkRequestPut answer "lease not
 * found" otherwise), so the answer proves the lease was alive when that revision applied, as a
 * read showing the key would. A lease whose revoke was lost and never proposed again is seen this
 * way even when no read shows its keys (holdout 8: revoke-never-retried, whose puts with the lease
 * kept being answered ok long after its TTL).
 *
 * An object with methods rather than two callbacks: a check's callbacks were closures made anew
 * for every history, and forEachRead's optimized code, specialized on the first run's, was thrown
 * away on the next ("wrong call target", "weak objects") and compiled again in every fresh process.
 */
interface LeasedReads {
  read(readRevision: number, explicit: number, kvs: readonly unknown[]): void;
  put(key: unknown, lease: unknown, revision: number): void;
}

const NO_KVS: readonly unknown[] = [];
/** etcd's Remaining() of a lease without expiry, in seconds (a follower's lessor): says nothing of a deadline. */
const FOREVER_SECONDS = 9223372036;
/** The simulated lessor reads a millisecond clock. */
const CLOCK_RESOLUTION_US = 1000;
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : NO_KVS);
const headerRevision = (resp: Obj): number => int(obj(resp['header'])['revision']);

/**
 * Every read an op made: a range's kvs; a txn's ranges (each with its own revision, nested txns
 * included, in the branch its `succeeded` chose); and the prev_kv / prev_kvs a put or delete
 * returns, which show the state just before that write. Read where they are, no list of reads
 * nor copy of their kvs per op (those were 2 % of the bytes the history checkers allocated).
 *
 * `revision`: the revision of the state after the op (its header's). Inside a txn each answer's
 * own header says which state it saw: etcd 3.4 serves a txn's range at the revision before the
 * txn, or one past it once the txn wrote (storeTxnWrite.Range), and that header is the range's
 * (ground-truth seeds 57389, 94452: a range before the txn's delete of the lease's last key was
 * judged at the txn's revision, at which a later revoke had ended the lease). Where a nested
 * answer has no header, a txn that wrote may have read the state before its writes.
 */
function forEachRead(f: string, req: Obj, resp: Obj, revision: number, reads: LeasedReads): void {
  if (f === 'kv/range') reads.read(revision, int(req['revision']), list(resp['kvs']));
  else if (f === 'kv/put') {
    reads.read(revision - 1, 0, resp['prev_kv'] === undefined ? NO_KVS : [resp['prev_kv']]);
    // ignore_lease keeps the key's lease, which the put does not name.
    if (req['ignore_lease'] !== true && id64(req['lease']) !== '0') reads.put(req['key'], req['lease'], revision);
  }
  else if (f === 'kv/deleterange') reads.read(revision - 1, 0, list(resp['prev_kvs']));
  else if (f === 'kv/txn') {
    const branch = list(resp['succeeded'] === true ? req['success'] : req['failure']);
    const responses = list(resp['responses']);
    const before = txnWrites(req, resp) ? revision - 1 : revision;
    for (let i = 0; i < branch.length; i++) {
      const op = obj(branch[i]);
      const r = obj(responses[i]);
      if (op['request_range'] !== undefined) {
        const answer = obj(r['response_range']);
        forEachRead('kv/range', obj(op['request_range']), answer, nestedRevision(answer, before), reads);
      } else if (op['request_put'] !== undefined) {
        const answer = obj(r['response_put']);
        forEachRead('kv/put', obj(op['request_put']), answer, nestedRevision(answer, revision), reads);
      } else if (op['request_delete_range'] !== undefined) {
        const answer = obj(r['response_delete_range']);
        forEachRead('kv/deleterange', obj(op['request_delete_range']), answer, nestedRevision(answer, revision), reads);
      } else if (op['request_txn'] !== undefined) {
        const answer = obj(r['response_txn']);
        forEachRead('kv/txn', obj(op['request_txn']), answer, nestedRevision(answer, revision), reads);
      }
    }
  }
}

/** A nested answer's own header revision, or `fallback` where it has none. */
function nestedRevision(answer: Obj, fallback: number): number {
  return headerRevision(answer) > 0 ? headerRevision(answer) : fallback;
}

function gatherFacts(ops: readonly Completed[]): Map<string, LeaseFacts> {
  const leases = new Map<string, LeaseFacts>();
  const facts = (id: string): LeaseFacts | undefined => leases.get(id);
  for (let i = 0; i < ops.length; i++) {
    const { invoke, ok } = ops[i]!;
    const req = obj(invoke.value);
    const resp = obj(ok.value);
    if (invoke.f === 'lease/grant') {
      const id = (id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']));
      leases.set(id, { ttlSeconds: int(resp['TTL']) || int(req['TTL']), grantRevision: int(obj(resp['header'])['revision']), grantedOkUs: ok.time, renewalsUs: [], grantedAtUs: invoke.time, ends: leases.get(id)?.ends ?? [] });
    }
    const id = id64(req['ID']);
    const f = facts(id);
    if (f === undefined) continue;
    const revision = int(obj(resp['header'])['revision']);
    const end = (revoked: boolean): void => void f.ends.push({ revoked, revision, invokeUs: invoke.time, doneUs: ok.time });
    if (invoke.f === 'lease/revoke') end(true);
    const sawGrant = revision > f.grantRevision;
    if (invoke.f === 'lease/keepalive') {
      if (int(resp['TTL']) > 0) f.renewalsUs.push([invoke.time, ok.time]);
      else if (sawGrant) end(false);
    }
    if (invoke.f === 'lease/timetolive' && timeToLiveNotFound(resp) && sawGrant) end(false);
  }
  return leases;
}

/**
 * The latest moment the lease can be alive: its deadline from its grant and the keep-alives that
 * renewed it. A keep-alive sent after the deadline its earlier renewals give renewed nothing,
 * whatever it answered (etcd 3.4's Renew answers "not found" for an expired lease): it is the
 * violation the ops loop reports, and moves no deadline (before, its own answer kept the lease
 * alive one more TTL, so a renewal planted long after expiry went unseen: campaign class
 * lease-keepalive-after-expiry, 6 missed of 7).
 */
function deadlineUs(id: string, f: LeaseFacts, o: LeaseCheckOptions, unknownTriesUs: readonly number[]): number {
  if (o.leaderChangesUnknown === true) return Infinity;
  const ttlUs = f.ttlSeconds * 1e6;
  let alive = f.grantedOkUs;
  const renewals = f.renewalsUs.length < 2 ? f.renewalsUs : [...f.renewalsUs].sort((a, b) => a[0] - b[0]);
  for (const [invokedUs, answeredUs] of renewals) {
    // Sent within a TTL of the last renewal: before any deadline (grace ≥ 0), nothing to compute.
    if (invokedUs > alive + ttlUs && invokedUs > deadlineFromUs(id, alive, f, o, unknownTriesUs)) continue;
    if (answeredUs > alive) alive = answeredUs;
  }
  return deadlineFromUs(id, alive, f, o, unknownTriesUs);
}

/**
 * The latest moment the lease can be alive, known alive at `alive`. `unknownTriesUs`: the invocations (ascending) of the
 * keep-alive tries of the lease whose serving time no answer bounds (timed out, failed, sent
 * again): each may have been served at any moment the lease was still alive, and renewed it for
 * one more TTL from then (ground-truth seed 47191: a timed-out keep-alive applied 2.79 s after a
 * grant of TTL 3 s kept a key put at 4.0 s alive). One invoked after the lease certainly expired
 * renews nothing (etcd 3.4's Renew answers "not found" for an expired lease).
 */
function deadlineFromUs(id: string, alive: number, f: LeaseFacts, o: LeaseCheckOptions, unknownTriesUs: readonly number[]): number {
  const ttlUs = f.ttlSeconds * 1e6;
  let d = alive + ttlUs;
  const changes = o.leaderChangesUs ?? [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c < f.grantedAtUs) continue;
    // A checkpointed lease restarts from what its last checkpoint left it (never more than its TTL).
    const checkpointedUs = (o.leaderChangeTtls?.[i]?.get(id) ?? Infinity) * 1e6;
    d = Math.max(d, c + (o.electionTimeoutUs ?? 0) + Math.min(ttlUs, checkpointedUs));
  }
  d += o.graceUs ?? 1_000_000;
  // The revoke is proposed between the earliest expiry and d; a transfer whose window meets that
  // span may have dropped it (the transfers come sorted, so a retry dropped again moves it again).
  const earliest = alive + ttlUs;
  const windowUs = o.electionTimeoutUs ?? 0;
  const transfers = o.transfersUs ?? [];
  for (let i = 0; i < transfers.length; i++) {
    const t = transfers[i]!;
    const end = Math.max(t + windowUs, o.transferEndsUs?.[i] ?? 0);
    if (t <= d && end >= earliest) d = Math.max(d, end + (o.revokeRetryUs ?? 0));
  }
  for (const t of unknownTriesUs) if (t <= d) d += ttlUs;
  return d;
}

export function checkLease(history: readonly Op[], options: LeaseCheckOptions = {}): LeaseCheckResult {
  const maxViolations = options.maxViolations ?? 100;
  const ops = completedOps(history);
  const leases = gatherFacts(ops);
  const violations: LeaseViolation[] = [];
  const report = (v: LeaseViolation): void => {
    if (violations.length < maxViolations) violations.push(v);
  };
  const stepsMax = options.stepsMax ?? 50_000_000;
  let steps = leases.size * (1 + (options.leaderChangesUs?.length ?? 0) + (options.transfersUs?.length ?? 0));
  const deadlines = new Map<string, number>();
  // The grants and keep-alives paired once for every rule below.
  const paired = pairLeaseOps(history);
  const unknownTries = unboundedKeepAliveTries(paired.keepAlives);
  for (const times of unknownTries.values()) {
    steps += times.length;
    times.sort((a, b) => a - b);
  }
  if (steps <= stepsMax) leases.forEach((f, id) => deadlines.set(id, deadlineUs(id, f, options, unknownTries.get(id) ?? [])));
  // How much later than its deadline each revoke may be proposed, behind others expiring with it (lease-revoke-queue.ts).
  const committed = new RevokeCommitted(ops);
  const queue = revokeQueueDelaysUs(expiryWindows(leases, deadlines, options), requestTimeoutUsOf(options), (us) => committed.appliedAtUs(us));
  steps += queue.steps;
  // A grant of unknown outcome may have made the lease again (with its own TTL) after a revoke,
  // an expiry or a "gone" answer: the lease's keys and renewals are not judged once it was sent
  // (ground-truth seed 16391: a key of a lease revoked at 3 read at 9, made again by a timed-out grant).
  const grants = grantWindowsOf(paired.grants);
  const regranted = unknownGrantsOf(grants);
  const judge = new LeaseReadJudge(leases, deadlines, queue.delays, grants, regranted, committed, report);
  // Rule 3 for a TimeToLive: answered X whole seconds left, served at or after its invocation t,
  // the lease's expiry on its lessor was at least t + X, so it was alive until then: past its
  // deadline (with a slow clock's allowance) it lived longer than its renewals, the leader changes
  // and their checkpoints allow (holdout 12: lease-checkpoints-ignored, a new leader that restarted
  // a checkpointed lease at its full TTL, answered so at once and no rule saw it).
  const slowClock = options.slowClock ?? { driftPpmMax: options.clockDriftPpmMax ?? 0, jumpUsMax: options.clockJumpUsMax ?? 0 };
  const timesLeft: Completed[] = [];
  const judgeTimeLeft = (inv: Op, ok: Op): void => {
    const answer = obj(ok.value);
    const left = int(answer['TTL']);
    // Judged with a leader timeline only (each change restarts the TTL): without one no change is known.
    if (options.leaderChangesUs === undefined || left <= 0 || left >= FOREVER_SECONDS || !Number.isFinite(slowClock.jumpUsMax)) return;
    const id = id64(obj(inv.value)['ID']);
    const f = leases.get(id);
    const d = deadlines.get(id);
    // Only about the lease of the id's latest grant answered before it (an earlier one had its own TTL).
    if (f === undefined || d === undefined || inv.time <= f.grantedOkUs || !judge.judged(id, ok.time)) return;
    const slackUs = (slowClock.driftPpmMax * (inv.time - f.grantedAtUs)) / 1e6 + slowClock.jumpUsMax + CLOCK_RESOLUTION_US;
    const aliveUntilUs = inv.time + left * 1e6;
    if (aliveUntilUs > d + slackUs) report({ kind: 'ttl-answer', lease: id, index: ok.index, message: `TimeToLive of lease ${id} invoked at ${inv.time} µs answered ${left} s left: alive until ${aliveUntilUs} µs at least, past the latest moment it can live (${d} µs, from its renewals and leader changes${options.leaderChangeTtls === undefined ? '' : ' with their checkpoints'})` });
  };
  // The judge counts the steps while it reads (its reads add theirs).
  judge.steps = steps;
  // The time budget is read every 4096 ops and before each later rule: past it, no more is judged.
  let timedOut = false;
  const pastDeadline = (): boolean => (timedOut ||= options.deadline?.() === true);
  for (let i = 0; i < ops.length; i++) {
    const { invoke: inv, ok } = ops[i]!;
    if ((i & 4095) === 0 && pastDeadline()) judge.steps = stepsMax + 1;
    if (judge.steps > stepsMax) break;
    judge.steps++;
    const answer = obj(ok.value);
    if (inv.f === 'lease/keepalive' && int(answer['TTL']) > 0) {
      const id = id64(obj(inv.value)['ID']);
      const d = deadlines.get(id);
      if (d !== undefined && inv.time > d && judge.judged(id, ok.time)) report({ kind: 'expired-lease-renewed', lease: id, index: inv.index, message: `lease ${id} renewed at ${inv.time} µs, after it must have expired (${d} µs)` });
    }
    if (inv.f === 'lease/timetolive') timesLeft.push({ invoke: inv, ok });
    judge.invoke = inv;
    judge.servedLocally = isSerializableRead(inv.f, obj(inv.value));
    judge.answeredUs = ok.time;
    forEachRead(inv.f, obj(inv.value), answer, headerRevision(answer), judge);
  }
  steps = judge.steps;
  if (steps <= stepsMax && pastDeadline()) steps = stepsMax + 1;
  // TimeToLive answers judged against their own grantedTTL: lease facts of their own, grant or not.
  let ownGrantJudged = 0;
  let agreeJudged = 0;
  if (steps <= stepsMax) {
    const slow = options.slowClock ?? { driftPpmMax: options.clockDriftPpmMax ?? 0, jumpUsMax: options.clockJumpUsMax ?? 0 };
    const ttl = findTtlAnswers(ops, { clockDriftPpmMax: slow.driftPpmMax, clockJumpUsMax: slow.jumpUsMax, unboundedKeepAlivesUs: unboundedKeepAlives(paired.keepAlives), answersCarryLeaderTerm: options.answersCarryLeaderTerm === true, unknownGrantsUs: regranted, ...promoteBound(history, options) }, maxViolations);
    steps += ttl.steps;
    ownGrantJudged = ttl.ownGrantJudged;
    for (const a of ttl.answers) report({ kind: 'ttl-answer', lease: a.lease, index: a.index, message: a.message });
    const agree = findTtlDisagreements(ops, paired.grants, maxViolations);
    steps += agree.steps;
    agreeJudged = agree.judged;
    for (const a of agree.answers) report({ kind: 'ttl-answer', lease: a.lease, index: a.index, message: a.message });
    // After rule 5: an answer it reported is not reported again.
    const reported = new Set(ttl.answers.map((a) => a.index));
    for (const t of timesLeft) if (!reported.has(t.ok.index)) judgeTimeLeft(t.invoke, t.ok);
    if (options.answersCarryLeaderTerm === true) {
      const renewed = findRenewedExpired(history, { clockDriftPpmMax: slow.driftPpmMax, clockJumpUsMax: slow.jumpUsMax }, maxViolations, stepsMax - steps, paired, grants);
      steps += renewed.steps;
      if (renewed.exhausted) steps = stepsMax + 1;
      for (const r of renewed.found) report({ kind: 'expired-lease-renewed', lease: r.lease, index: r.index, message: r.message });
      const ended = findRenewedEnded(history, maxViolations, Math.max(0, stepsMax - steps), grants);
      steps += ended.steps;
      if (ended.exhausted) steps = stepsMax + 1;
      for (const r of ended.found) report({ kind: 'expired-lease-renewed', lease: r.lease, index: r.index, message: r.message });
    }
  }
  let keysUnjudged = false;
  if (steps <= stepsMax && pastDeadline()) steps = stepsMax + 1;
  if (steps <= stepsMax) {
    steps += history.length;
    const early = findRevokedEarly(history, options, maxViolations);
    for (const e of early.found) report({ kind: 'revoked-early', lease: e.lease, index: e.index, message: e.message });
    steps += history.length;
    for (const g of findGrantReused(history, options, maxViolations)) report({ kind: 'grant-reused-id', lease: g.lease, index: g.index, message: g.message });
    keysUnjudged = early.exhausted;
  }
  const valid: Validity = violations.length > 0 ? false : steps > stepsMax || keysUnjudged ? 'unknown' : true;
  const why = timedOut ? 'the time budget (--timeout-ms) passed before every op was checked' : steps > stepsMax ? `step budget of ${stepsMax} exhausted before every op was checked` : 'the revoked-early key check ran out of its step budget';
  const summary = valid === true ? `lease safety holds for ${count(leases.size, 'lease')}` : valid === false ? `lease violated: ${violations[0]!.message}` : `unknown: ${why}`;
  // No lease granted: no TTL, renewal or key of a lease to judge, and "valid" would say nothing —
  // unless TimeToLive answers were judged against their own grantedTTL (rule 5), or answers about
  // one lease against each other, which need no grant.
  if (valid === true && leases.size === 0) {
    if (ownGrantJudged === 0 && agreeJudged === 0) return nothingToCheck('no lease was granted', { violations, leases: 0, steps });
    const judged = [
      ...(ownGrantJudged === 0 ? [] : [`${count(ownGrantJudged, 'TimeToLive answer')} judged against its own grantedTTL alone`]),
      ...(agreeJudged === 0 ? [] : [`${count(agreeJudged, 'keep-alive or TimeToLive answer')} about one lease agreeing on its TTL`]),
    ];
    return { valid, violations, leases: 0, summary: `no lease granted: ${judged.join('; ')}`, steps };
  }
  const result: LeaseCheckResult = { valid, violations, leases: leases.size, summary, steps };
  if (valid === 'unknown') result['unknownReason'] = timedOut ? 'time budget (--timeout-ms)' : steps > stepsMax ? `step budget: ${stepsMax}` : 'revoked-early key check step budget';
  return result;
}

/**
 * Rules 1-3 for the reads and leased puts of one op at a time (LeasedReads): `invoke`,
 * `servedLocally` and `answeredUs` say which op, set before its reads are handed over.
 */
class LeaseReadJudge implements LeasedReads {
  /** The op whose reads are given, and when its answer came. */
  invoke: Op | undefined = undefined;
  /**
   * Whether the op was served from one member's own state (a serializable range, or a txn of
   * serializable ranges): a member that lags shows the state of a revision before a revoke or an
   * expiry long after it (etcd's serializable reads may be stale). Such a read is judged by its
   * revision only (rule 1), never by when it came (rules 2 and 3).
   */
  servedLocally = false;
  answeredUs = 0;
  steps = 0;

  constructor(
    private readonly leases: ReadonlyMap<string, LeaseFacts>,
    private readonly deadlines: ReadonlyMap<string, number>,
    /** How much later than its deadline each revoke may be proposed, behind others expiring with it (lease-revoke-queue.ts). */
    private readonly delays: ReadonlyMap<string, number>,
    private readonly grants: ReadonlyMap<string, readonly GrantWindow[]>,
    /** Leases a grant of unknown outcome may have made again, from when it was sent. */
    private readonly regranted: ReadonlyMap<string, number>,
    private readonly committed: RevokeCommitted,
    private readonly report: (v: LeaseViolation) => void,
  ) {}

  /** Whether a lease's reads served by `servedBy` are judged: none once a grant of unknown outcome may have made it again. */
  judged(id: string, servedBy: number): boolean {
    return (this.regranted.get(id) ?? Infinity) >= servedBy;
  }

  /** When the lease's revoke was proposed at the latest. */
  private proposedByUs(id: string): number {
    return this.deadlines.get(id)! + (this.delays.get(id) ?? 0);
  }

  /**
   * Whether a key written at `modRevision` (undefined: a put's, written after every end) outlived
   * the lease's end `e`: no grant of the id may have made the lease again between them.
   */
  private outlived(id: string, modRevision: number | undefined, e: LeaseEnd): boolean {
    return !((modRevision === undefined || modRevision > e.revision) && mayHaveGrantedBetween(this.grants.get(id), e.invokeUs, this.answeredUs));
  }

  /** The first revoke at or before `readRevision` (after: `strictlyAfter`) the key outlived. */
  private revokedBy(id: string, f: LeaseFacts, readRevision: number, modRevision: number | undefined, strictlyAfter: boolean): LeaseEnd | undefined {
    for (const e of f.ends) if (e.revoked && (strictlyAfter ? readRevision > e.revision : readRevision >= e.revision) && this.outlived(id, modRevision, e)) return e;
    return undefined;
  }

  /** The first "gone" answer before the op was invoked that the key outlived. */
  private goneBy(id: string, f: LeaseFacts, invokedUs: number, modRevision: number | undefined): LeaseEnd | undefined {
    for (const e of f.ends) if (!e.revoked && invokedUs > e.doneUs && this.outlived(id, modRevision, e)) return e;
    return undefined;
  }

  read(stateRevision: number, explicit: number, kvs: readonly unknown[]): void {
    const at = this.invoke!;
    const readRevision = explicit > 0 ? explicit : stateRevision;
    for (let i = 0; i < kvs.length; i++) {
      const kv = obj(kvs[i]);
      this.steps++;
      const id = id64(kv['lease']);
      const f = id === '0' ? undefined : this.leases.get(id);
      if (f === undefined || !this.judged(id, this.answeredUs)) continue;
      const key = decodeKey(kv['key']);
      // A key without its mod_revision may have been written at any revision.
      const modRevision = kv['mod_revision'] === undefined ? Infinity : int(kv['mod_revision']);
      const revoked = this.revokedBy(id, f, readRevision, modRevision, false);
      const current = explicit === 0 && !this.servedLocally;
      const gone = current ? this.goneBy(id, f, at.time, modRevision) : undefined;
      this.steps += f.ends.length;
      if (revoked !== undefined) this.report({ kind: 'revoked-key-visible', lease: id, index: at.index, message: `key ${JSON.stringify(key)} of lease ${id} read at revision ${readRevision}, but the lease was revoked at ${revoked.revision}` });
      else if (gone !== undefined) this.report({ kind: 'gone-lease-key-visible', lease: id, index: at.index, message: `key ${JSON.stringify(key)} of lease ${id} read after the lease was reported gone (${gone.doneUs} µs)` });
      else if (current && at.time > this.deadlines.get(id)! && this.committed.appliedBy(this.proposedByUs(id)) <= readRevision) {
        const by = this.committed.appliedBy(this.proposedByUs(id));
        this.report({ kind: 'expired-key-visible', lease: id, index: at.index, message: `key ${JSON.stringify(key)} of lease ${id} read at ${at.time} µs at revision ${readRevision}, after the lease must have expired (${this.deadlines.get(id)!} µs) and its revoke applied (a write sent after ${this.proposedByUs(id) === this.deadlines.get(id)! ? 'that' : `${this.proposedByUs(id)} µs, when the revoke was proposed at the latest,`} was answered at revision ${by})` });
      }
    }
  }

  /** A put with a lease answered ok at `revision`: the lease existed when it applied. */
  put(rawKey: unknown, rawLease: unknown, revision: number): void {
    const at = this.invoke!;
    const id = id64(rawLease);
    const f = this.leases.get(id);
    this.steps++;
    if (f === undefined || !this.judged(id, this.answeredUs)) return;
    const key = JSON.stringify(decodeKey(rawKey));
    // Applied after the end unless a grant of the id may have made the lease again in between.
    // A revoke without keys answers the revision it found (no write): only a later revision is after it.
    const revoked = this.revokedBy(id, f, revision, undefined, true);
    const gone = this.goneBy(id, f, at.time, undefined);
    this.steps += f.ends.length;
    // The put itself may be the write that proves the revoke applied (sent after it was proposed): at or past that revision.
    const by = at.time > this.deadlines.get(id)! ? this.committed.appliedBy(this.proposedByUs(id)) : Infinity;
    if (revoked !== undefined) this.report({ kind: 'revoked-key-visible', lease: id, index: at.index, message: `key ${key} put with lease ${id} answered ok at revision ${revision}, but the lease was revoked at ${revoked.revision}` });
    else if (gone !== undefined) this.report({ kind: 'gone-lease-key-visible', lease: id, index: at.index, message: `key ${key} put with lease ${id} at ${at.time} µs answered ok, after the lease was reported gone (${gone.doneUs} µs)` });
    else if (by <= revision) this.report({ kind: 'expired-key-visible', lease: id, index: at.index, message: `key ${key} put with lease ${id} at ${at.time} µs answered ok at revision ${revision}, after the lease must have expired (${this.deadlines.get(id)!} µs) and its revoke applied (a write sent after ${this.proposedByUs(id) === this.deadlines.get(id)! ? 'that' : `${this.proposedByUs(id)} µs, when the revoke was proposed at the latest,`} was answered at revision ${by})` });
  }
}

/** etcd's ReqTimeout (5 s + 2 election timeouts): how long a revoke may hold its in-flight slot. */
function requestTimeoutUsOf(o: LeaseCheckOptions): number {
  return 5_000_000 + 2 * (o.electionTimeoutUs ?? 1_000_000);
}

/** When each lease may have expired on a leader: from its grant's sending + TTL (on a clock that may run fast or jump) to its deadline; and when an answer proved it gone. */
function expiryWindows(leases: ReadonlyMap<string, LeaseFacts>, deadlines: ReadonlyMap<string, number>, o: LeaseCheckOptions): Map<string, ExpiryWindow> {
  const drift = Math.max(0, o.clockDriftPpmMax ?? 0);
  const jumpUs = o.clockJumpUsMax ?? 0;
  const out = new Map<string, ExpiryWindow>();
  for (const [id, f] of leases) {
    const toUs = deadlines.get(id);
    if (toUs === undefined) continue;
    const fromUs = f.grantedAtUs + (f.ttlSeconds * 1e6 * 1e6) / (1e6 + drift) - jumpUs;
    // An answer that proved this grant's lease gone (asked for after its grant was answered).
    let endedUs = Infinity;
    for (const e of f.ends) if (e.invokeUs > f.grantedOkUs) endedUs = Math.min(endedUs, e.doneUs);
    out.set(id, endedUs === Infinity ? { fromUs, toUs } : { fromUs, toUs, endedUs });
  }
  return out;
}

/** Rule 5's ceiling on TimeToLive answers: Promote's extension, while the history's grants cannot make etcd spread expiries. */
function promoteBound(history: readonly Op[], o: LeaseCheckOptions): { promoteExtendUs?: number; pileUpPossible: boolean } {
  let grants = 0;
  for (const op of history) if (op.type === 'invoke' && op.f === 'lease/grant') grants++;
  const pileUpPossible = grants >= LEASE_REVOKE_RATE;
  return o.electionTimeoutUs === undefined ? { pileUpPossible } : { promoteExtendUs: o.electionTimeoutUs, pileUpPossible };
}
