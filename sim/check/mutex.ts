// Mutual exclusion of a lock, judged from acquire/release operations: a process certainly
// holds the lock from the completion of its successful acquire until it invokes its release
// (or the end of the history when it never does). Two processes that certainly hold it at one
// instant are a violation. Acquires with unknown outcome never count as holds: only what is
// certain convicts.
//
// Every overlap is classified. The lock recipe's documented anomaly (Jepsen, etcd 3.4.3) is
// `pause-outlived-lease`: the first holder's client paused right after acquiring for longer than
// its lease's TTL (its keep-alives stopped), and the second acquired no sooner than that TTL
// after the first asked for the lock (when the first's lease, granted after that, may have run
// out). The recipe's other documented anomaly is `lease-expired`, of which a pause is one cause:
// a holder's session lease was not certainly alive when the second holder acquired, because
// no keep-alive of it (nor its grant) was asked for within a TTL before that moment — its
// member paused or cut off, a slow machine. etcd then expires the lease and deletes the key,
// as it must, and neither the holder nor a waiter (etcd 3.4's Mutex.Lock does not read its own
// key back after the wait) notices. The evidence comes from the history: the acquire's ok
// value carries `lease`, `ttlMs` and `pauseMs`, and a `keepalive` op answered with a TTL renews
// a lease no earlier than its invocation (sim/workload/lock.ts) — but only when the leaders'
// timeline shows no leader of a newer term than the answer's in office when it arrived: etcd
// serves keep-alives on whoever thinks it leads, and a deposed leader's renewal is its own
// (sim/check/lease-revoked-early.ts says the same). A real etcd's answers do not carry the
// renewing leader's term: there the run's polled leader timeline decides (renewal-proof.ts);
// without either only the grant counts. An overlap without that evidence is unexplained.
import type { Op } from '../history/op.ts';
import { nothingToCheck, type CheckResult } from './verdict.ts';
import type { RenewalProof } from './renewal-proof.ts';
import { count } from '../text/count.ts';
import { withNotJudged, type NotJudged } from './not-judged.ts';

/** The lock checker's documented anomalies (see sim/check/documented-anomalies.ts). */
export const MUTEX_ANOMALIES = ['pause-outlived-lease', 'lease-expired'] as const;
export type MutexAnomaly = (typeof MUTEX_ANOMALIES)[number];

interface Hold {
  process: number | string;
  /** When its acquire was invoked (its lease was granted after this). */
  invokeUs: number;
  fromUs: number;
  toUs: number;
  acquireIndex: number;
  /** From the acquire's ok value, when the workload recorded them. */
  ttlUs: number | undefined;
  pauseUs: number | undefined;
  lease: string | undefined;
}

/** Per lease, the invocation times of its keep-alives answered with a TTL (ascending). */
export type Renewals = ReadonlyMap<string, readonly number[]>;

/** Two holders at once, and what explains it (undefined: nothing documented does). */
export interface Overlap {
  readonly first: Hold;
  readonly second: Hold;
  readonly anomaly: MutexAnomaly | undefined;
}

/** Overlaps kept in a result (the count covers all). */
const OVERLAPS_KEPT_MAX = 100;

function leaseField(value: unknown): string | undefined {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['lease'] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** A leader taking office: its term and when (the harness's leader timeline). */
export interface MutexLeader {
  readonly term: number;
  readonly startUs: number;
}

/** True when the leader that answered in `term` may have been deposed by `atUs` (or nothing says it was not). */
function maybeStale(term: number, atUs: number, leaders: readonly MutexLeader[] | undefined): boolean {
  if (leaders === undefined || !(term > 0)) return true;
  for (const l of leaders) if (l.term > term && l.startUs <= atUs) return true;
  return false;
}

/** The keep-alives answered with a TTL by a leader in office, by lease: each renewed it no earlier than its invocation. */
export function renewalsOf(history: readonly Op[], leaders?: readonly MutexLeader[], proof?: RenewalProof): Renewals {
  const invoked = new Map<number | string, number>();
  const out = new Map<string, number[]>();
  for (const op of history) {
    if (op.f !== 'keepalive') continue;
    if (op.type === 'invoke') invoked.set(op.process, op.time);
    else if (op.type === 'ok' && (msField(op.value, 'ttlMs') ?? 0) > 0) {
      const lease = leaseField(op.value);
      const at = invoked.get(op.process);
      const term = (op.value as Record<string, unknown>)['raftTerm'];
      if (lease === undefined || at === undefined) continue;
      if (proof !== undefined ? !proof(at, op.time) : maybeStale(typeof term === 'number' ? term : 0, op.time, leaders)) continue;
      const times = out.get(lease);
      if (times === undefined) out.set(lease, [at]);
      else times.push(at);
    }
  }
  for (const times of out.values()) times.sort((a, b) => a - b);
  return out;
}

/**
 * Until when a hold's lease was certainly alive, from what happened before `atUs`: its grant
 * (asked for after the acquire's invocation) and each keep-alive answered with a TTL renewed it
 * for at least a TTL from the request's invocation. undefined: no evidence (lease or TTL not recorded).
 */
function certainlyAliveUntilUs(h: Hold, renewals: Renewals, atUs: number): number | undefined {
  if (h.lease === undefined || h.ttlUs === undefined || h.ttlUs === 0) return undefined;
  let latest = h.invokeUs;
  for (const t of renewals.get(h.lease) ?? []) if (t <= atUs && t > latest) latest = t;
  return latest + h.ttlUs;
}

function msField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[field];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v * 1000 : undefined;
}

export function holdsOf(history: readonly Op[]): Hold[] {
  const holds: Hold[] = [];
  const open = new Map<number | string, Hold>();
  const invoked = new Map<number | string, number>();
  for (const op of history) {
    if (op.f === 'acquire' && op.type === 'invoke') invoked.set(op.process, op.time);
    if (op.f === 'acquire' && op.type === 'ok') {
      const hold = {
        process: op.process, invokeUs: invoked.get(op.process) ?? op.time, fromUs: op.time, toUs: Number.POSITIVE_INFINITY, acquireIndex: op.index,
        ttlUs: msField(op.value, 'ttlMs'), pauseUs: msField(op.value, 'pauseMs'), lease: leaseField(op.value),
      };
      open.set(op.process, hold);
      holds.push(hold);
    } else if (op.f === 'release' && op.type === 'invoke') {
      const hold = open.get(op.process);
      if (hold !== undefined) {
        hold.toUs = op.time;
        open.delete(op.process);
      }
    }
  }
  return holds;
}

/** What explains `second` acquiring while `first` holds, if anything documented does. */
export function explainOverlap(first: Hold, second: Hold, renewals: Renewals = new Map()): MutexAnomaly | undefined {
  const { ttlUs, pauseUs } = first;
  // Its keep-alives stopped at its acquire for longer than the TTL, and the second came after
  // the earliest moment its lease (granted after the acquire's invoke) could have run out.
  if (ttlUs !== undefined && pauseUs !== undefined && ttlUs > 0 && pauseUs > ttlUs && second.fromUs >= first.invokeUs + ttlUs) return 'pause-outlived-lease';
  // Either session may have expired by the second's acquire: the first's key gone while it
  // held, or the second's own key gone while it waited (so nothing older was left to wait for).
  const at = second.fromUs;
  const firstUntil = certainlyAliveUntilUs(first, renewals, at);
  const secondUntil = certainlyAliveUntilUs(second, renewals, at);
  if ((firstUntil !== undefined && firstUntil < at) || (secondUntil !== undefined && secondUntil < at)) return 'lease-expired';
  return undefined;
}

/** `proof`: a real etcd run's leader timeline (renewal-proof.ts), which replaces `leaders`' term rule. */
export function checkMutex(history: readonly Op[], leaders?: readonly MutexLeader[], proof?: RenewalProof): CheckResult {
  const holds = holdsOf(history).sort((a, b) => a.fromUs - b.fromUs);
  const renewals = renewalsOf(history, leaders, proof);
  const acquires = holds.length;
  const overlaps: Overlap[] = [];
  let overlapCount = 0;
  let unexplained = 0;
  // Every hold against every earlier one still open when it began (holds are few: one per acquire).
  const open: Hold[] = [];
  for (const h of holds) {
    for (let i = open.length - 1; i >= 0; i--) if ((open[i] as Hold).toUs <= h.fromUs) open.splice(i, 1);
    for (const o of open) {
      if (o.process === h.process) continue;
      const anomaly = explainOverlap(o, h, renewals);
      overlapCount++;
      if (anomaly === undefined) unexplained++;
      if (overlaps.length < OVERLAPS_KEPT_MAX) overlaps.push({ first: o, second: h, anomaly });
    }
    open.push(h);
  }
  const firstOverlap = overlaps[0];
  if (firstOverlap !== undefined) {
    const shown = overlaps.find((o) => o.anomaly === undefined) ?? firstOverlap;
    const anomalies = [...new Set(overlaps.map((o) => o.anomaly).filter((a) => a !== undefined))];
    return {
      valid: false,
      summary: `process ${String(shown.second.process)} acquired the lock at ${shown.second.fromUs} µs while process ${String(shown.first.process)} held it (since ${shown.first.fromUs} µs)` +
        `; ${count(overlapCount, 'overlap')}, ${unexplained} not explained by a documented anomaly`,
      acquires,
      first: shown.first,
      second: shown.second,
      overlaps: overlapCount,
      unexplained,
      // Every overlap explained: these documented anomalies are all the violation is.
      ...(unexplained === 0 ? { anomalies } : {}),
    };
  }
  const unknown = unknownAcquires(history);
  const notJudged: NotJudged[] = unknown === 0 ? [] : [{ count: unknown, what: 'acquire', why: 'its outcome is unknown (answered info, or never), and a hold counts only from an acquire answered ok: a process that may have held the lock is judged against no other' }];
  const extra = notJudged.length === 0 ? {} : { notJudged };
  if (acquires === 0) return nothingToCheck('no acquire succeeded', { acquires, ...extra });
  return { valid: true, summary: withNotJudged(`${acquires} acquires, no two holders at once`, notJudged), acquires, ...extra };
}

/** Acquires whose outcome the history does not know: answered info, or never answered. */
function unknownAcquires(history: readonly Op[]): number {
  const open = new Set<number | string>();
  let n = 0;
  for (const op of history) {
    if (op.f !== 'acquire') continue;
    if (op.type === 'invoke') {
      if (open.has(op.process)) n++;
      open.add(op.process);
      continue;
    }
    open.delete(op.process);
    if (op.type === 'info') n++;
  }
  return n + open.size;
}
