// The auth checker: etcd 3.4's authentication and key permissions over a history whose
// processes log in (auth/authenticate) and whose admin changes users, roles and permissions
// (auth/... requests). Who sent a KV request is the user its process authenticated as (the
// auth workload logs each process in as one user; a process that named two users, or none, is
// not judged). For each KV request the store's facts are taken as they may have been during its
// call..return window (auth-state.ts), and:
// 1. a request answered ok that needs a permission its user held at no possible moment —
//    authentication certainly on, no role it may have held covering it — is a permission not
//    enforced (the txn's failure ops, a range beginning before the permission...);
// 2. a request refused "permission denied" that its user's permissions certainly covered
//    throughout (or with authentication certainly off) is a permission wrongly refused;
// 3. a value written by a request refused by authentication (denied, old auth revision, no or
//    invalid token) that any ok answer shows was applied although refused;
// 4. an Authenticate answered ok with a password the user never had in its window (or with
//    authentication certainly off), refused "authentication failed" with the password the user
//    certainly had while authentication was certainly on, or refused "authentication is not
//    enabled" while it certainly was.
// Rules 1 and 2 judge a watch's create (f "watch/create", answered created or canceled) as a
// range read, as of the serving member's auth store, which holds at least the process's login.
// 5. a linearizable request answered ok with a token its user's password change, delete or an
//    AuthDisable had invalidated before it was sent, authentication certainly on, by the member that
//    answered that change: any other may have installed a snapshot past it (auth-stale-token.ts).
// 6. a LeaseRevoke answered ok while its lease certainly held a key its user could not write at
//    any moment of its window, authentication certainly on (auth-lease-revoke.ts: etcd's
//    checkLeasePuts).
// What it cannot decide it does not judge; with nothing judged the verdict is unknown. Requests
// it reads and does not judge — of a process that logged in as no single user, refusals of a
// request that may need more than its own keys (a put with a lease) — are counted as notJudged,
// and the summary names them.
import type { Op } from '../history/op.ts';
import { withNotJudged, type NotJudged } from './not-judged.ts';
import { pairOps } from '../history/pair.ts';
import type { OpPair } from '../history/pair.ts';
import { AuthFacts, ROOT_ROLE, NONE } from './auth-state.ts';
import type { WindowFacts } from './auth-state.ts';
import { covers, heldOf, needsOf } from './auth-needs.ts';
import type { Held, Need } from './auth-needs.ts';
import type { CheckResult } from './verdict.ts';
import { findStaleTokens } from './auth-stale-token.ts';
import { attachedAtRevoke, isWriteOrRevoke } from './auth-lease-revoke.ts';
import { count as countNoun } from '../text/count.ts';

const DENIED = 'permission denied';
const WATCH_CREATE = 'watch/create';
/** Errors with which authentication refused a request before it applied. */
const REFUSED_BY_AUTH = [DENIED, 'revision of auth store is old', 'user name is empty', 'invalid auth token'];
const VIOLATIONS_KEPT_MAX = 10;

export interface AuthViolation {
  readonly kind: 'not-enforced' | 'wrongly-denied' | 'denied-write-applied' | 'authenticate' | 'stale-token';
  readonly op: number;
  readonly process: number | string;
  readonly user: string;
  readonly f: string;
  readonly detail: string;
}

type Req = Record<string, unknown>;

const errorOf = (p: OpPair): string => p.completion?.error ?? '';
/** A string field of a request (a name, a password), '' when absent. */
const field = (request: unknown, name: string): string => {
  const v = (request as Req | null)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The held permissions of `user` in the most (`most` true) or least permissive possible state. */
function heldBy(facts: WindowFacts, roles: readonly string[], user: string, write: boolean, most: boolean): Held[] | 'all' {
  const out: Held[] = [];
  for (const role of roles) {
    const holds = most ? facts.mayHold(user, role) : facts.mustHold(user, role);
    if (!holds) continue;
    if (role === ROOT_ROLE) return 'all';
    for (const [slot, types] of facts.slots(role)) {
      const grants = (t: string): boolean => t !== NONE && (write ? t !== 'READ' : t !== 'WRITE');
      const ok = most ? [...types.most].some(grants) : [...types.least].every(grants);
      if (ok) out.push(heldOf(slot.key, slot.rangeEnd));
    }
  }
  return out;
}

function allowed(facts: WindowFacts, roles: readonly string[], user: string, need: Need, most: boolean): boolean {
  // Authentication off lets everything through: the most permissive state has it off if it may be.
  if (most ? facts.enabled.has('false') : !facts.enabled.has('true')) return true;
  const held = heldBy(facts, roles, user, need.write, most);
  return held === 'all' || covers(held, need);
}

const describe = (n: Need): string => `${n.write ? 'write' : 'read'} ${JSON.stringify(n.key)}${n.rangeEnd === '' ? '' : `..${JSON.stringify(n.rangeEnd === '\0' ? '(end)' : n.rangeEnd)}`}`;

/** The value fields of the objects an ok answer shows (kvs, prev_kv, nested responses). */
function shownValues(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) shownValues(x, out);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const o = v as Req;
  if (typeof o['value'] === 'string' && o['mod_revision'] !== undefined) out.add(o['value']);
  for (const k in o) if (typeof o[k] === 'object') shownValues(o[k], out);
}

/** The values a KV request puts (txn branches too). */
function putValues(f: string, request: unknown): string[] {
  const r = (request ?? {}) as Req;
  if (f === 'kv/put') return typeof r['value'] === 'string' ? [r['value']] : [];
  if (f !== 'kv/txn') return [];
  const out: string[] = [];
  for (const branch of [r['success'], r['failure']]) {
    if (!Array.isArray(branch)) continue;
    for (const op of branch as Req[]) {
      const p = op?.['request_put'] as Req | undefined;
      if (typeof p?.['value'] === 'string') out.push(p['value']);
    }
  }
  return out;
}

export function checkAuth(history: readonly Op[]): CheckResult {
  const pairs = pairOps({ ops: [...history], lines: history.map((_, i) => i + 1) });
  const facts = new AuthFacts();
  const userOf = new Map<number | string, string | null>();
  for (const p of pairs) {
    facts.learn(p);
    if (p.invoke.f !== 'auth/authenticate') continue;
    const name = field(p.invoke.value, 'name');
    const seen = userOf.get(p.invoke.process);
    userOf.set(p.invoke.process, seen === undefined || seen === name ? name : null);
  }
  for (const p of pairs) if (p.invoke.f.startsWith('auth/') && p.invoke.f !== 'auth/authenticate') facts.apply(p);
  const writes = pairs.filter(isWriteOrRevoke);
  const roles = facts.knownRoles();
  const violations: AuthViolation[] = [];
  let count = 0;
  const report = (v: AuthViolation): void => {
    count++;
    if (violations.length < VIOLATIONS_KEPT_MAX) violations.push(v);
  };
  const judged = { ok: 0, denied: 0, authenticate: 0 };
  const unjudged = { noUser: 0, partial: 0 };
  const refusedValues = new Map<string, OpPair>();
  const shown = new Set<string>();
  // A watch's create is checked by the member serving the stream against its own auth store,
  // which may lag but holds the process's login (etcd waits for the token's raft index): as of
  // some moment after that login was called.
  const lastLogin = new Map<number | string, OpPair>();
  const watchFrom = (p: OpPair): number => {
    const login = lastLogin.get(p.invoke.process);
    return login?.completion?.type === 'ok' ? login.call : 0;
  };
  for (const p of pairs) {
    if (p.invoke.f === 'auth/authenticate') lastLogin.set(p.invoke.process, p);
    const c = p.completion;
    if (c === undefined || c.type === 'info') continue;
    if (c.type === 'ok') shownValues(c.value, shown);
    const user = userOf.get(p.invoke.process);
    const f = p.invoke.f;
    if (c.type === 'fail' && REFUSED_BY_AUTH.some((e) => errorOf(p).endsWith(e))) for (const v of putValues(f, p.invoke.value)) refusedValues.set(v, p);
    if (typeof user !== 'string') {
      if (f === 'auth/authenticate' || needsOf(f, p.invoke.value) !== undefined) unjudged.noUser++;
      continue;
    }
    const at = (kind: AuthViolation['kind'], detail: string): void => report({ kind, op: p.invoke.index, process: p.invoke.process, user, f, detail });
    if (f === 'auth/authenticate') {
      const w = facts.window(p.call, p.return);
      const password = field(p.invoke.value, 'password');
      const passwords = w.passwords(user);
      judged.authenticate++;
      if (c.type === 'ok' && !passwords.has(password)) at('authenticate', `logged in with a password the user never had in the op's window (it may have had ${[...passwords].map((x) => (x === NONE ? 'no user' : JSON.stringify(x))).join(', ')})`);
      else if (c.type === 'ok' && !w.enabled.has('true')) at('authenticate', 'logged in while authentication was certainly off');
      else if (c.type === 'fail' && errorOf(p).endsWith('authentication failed, invalid user ID or password') && passwords.size === 1 && passwords.has(password) && !w.enabled.has('false')) at('authenticate', 'refused the password the user certainly had, with authentication certainly on');
      else if (c.type === 'fail' && errorOf(p).endsWith('authentication is not enabled') && !w.enabled.has('false')) at('authenticate', 'said authentication is not enabled while it certainly was');
      continue;
    }
    if (f === 'lease/revoke' && c.type === 'ok') {
      const attached = attachedAtRevoke(p, writes);
      if (attached.length === 0) continue;
      judged.ok++;
      const w = facts.window(p.call, p.return);
      const denied = attached.find((a) => !allowed(w, roles, user, { write: true, key: a.key, rangeEnd: '' }, true));
      if (denied !== undefined) at('not-enforced', `revoked the lease, but its key ${JSON.stringify(denied.key)} (attached by op ${denied.put.invoke.index}, none may have detached it since) was one ${user} could not write at any moment of the op's window: etcd checks write on every key of the lease`);
      continue;
    }
    const needs = needsOf(f, p.invoke.value);
    if (needs === undefined) continue;
    // A serializable read runs on a member that may lag: its auth store may be any earlier one.
    const serializable = f === 'kv/range' && (p.invoke.value as Req | null)?.['serializable'] === true;
    const w = facts.window(serializable ? 0 : f === WATCH_CREATE ? watchFrom(p) : p.call, p.return);
    if (c.type === 'ok') {
      judged.ok++;
      const missing = needs.needs.find((n) => !allowed(w, roles, user, n, true));
      if (missing !== undefined) at('not-enforced', `answered ok, but ${user} could not ${describe(missing)} at any moment of the op's window`);
    } else if (errorOf(p).endsWith(DENIED) && needs.partial) unjudged.partial++;
    else if (errorOf(p).endsWith(DENIED)) {
      judged.denied++;
      if (needs.needs.every((n) => allowed(w, roles, user, n, false))) at('wrongly-denied', `refused "permission denied", but ${user} could ${needs.needs.map(describe).join(', ')} throughout the op's window`);
    }
  }
  // Only a value no other request puts tells which write was applied.
  const putters = new Map<string, number>();
  for (const p of pairs) for (const v of putValues(p.invoke.f, p.invoke.value)) putters.set(v, (putters.get(v) ?? 0) + 1);
  for (const [value, p] of refusedValues) {
    if (!shown.has(value) || putters.get(value) !== 1) continue;
    report({ op: p.invoke.index, process: p.invoke.process, user: String(userOf.get(p.invoke.process) ?? '?'), f: p.invoke.f, kind: 'denied-write-applied', detail: `refused "${errorOf(p)}", but an answer shows the value it put` });
  }
  for (const t of findStaleTokens(pairs, facts, (p) => needsOf(p.invoke.f, p.invoke.value) !== undefined)) {
    const p = t.pair;
    report({ op: p.invoke.index, process: p.invoke.process, user: t.user, f: p.invoke.f, kind: 'stale-token', detail: `answered ok with the token of a login that returned before ${t.change.invoke.f} (op ${t.change.invoke.index}) was called, sent after it returned, authentication certainly on, served by ${String(p.completion?.node)}, which answered that change: it forgot that token` });
  }
  const total = judged.ok + judged.denied + judged.authenticate;
  const notJudged: NotJudged[] = [];
  if (unjudged.noUser > 0) notJudged.push({ count: unjudged.noUser, what: 'answered request', why: 'its process logged in as no single user (none, or two), so whose permissions it had is not known' });
  if (unjudged.partial > 0) notJudged.push({ count: unjudged.partial, what: '"permission denied" answer', why: 'its request may need more than its own keys (a put with a lease), so a refusal may be right' });
  const counts = withNotJudged(`${judged.ok} ok and ${judged.denied} denied requests and ${judged.authenticate} logins judged`, notJudged);
  const extra = notJudged.length === 0 ? {} : { notJudged };
  if (count > 0) return { valid: false, summary: `${countNoun(count, 'auth violation')}: ${violations[0]!.kind} (${counts})`, violations, violationCount: count, judged, ...extra };
  if (total === 0) return { valid: 'unknown', summary: withNotJudged('unknown: no request of a logged-in user to judge', notJudged), judged, ...extra };
  return { valid: true, summary: counts, judged, ...extra };
}
