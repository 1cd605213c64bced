// The auth workload: etcd 3.4's authentication under faults. Worker 0 is the admin, acting as
// root: it first sets up (root user with the root role, roles, users, some permissions,
// AuthEnable), then grants and revokes key permissions (auth-catalogue.ts) and roles, changes
// passwords, deletes roles and adds them again (empty), and turns authentication off and on
// again, while it also reads as root. Every other worker acts as one user (alice, bob, carol by
// worker) and reads, writes, deletes and runs txns on the workload's keys with its token, and
// grants leases, puts keys with them and revokes them (any user's lease: a revoke needs write on
// every key of the lease): ranges whose begin lies before a permission's,
// txns whose compare, success and failure branches touch different keys, and watches (one request
// in eight, from a stream of its own: etcd checks read permission on a watch's whole range when it
// is created; sim/etcd/watch-once.ts records the create's answer). A worker logs in again
// under each new process (Jepsen's process changes after an unknown outcome) and whenever its
// token stops working, so each process of the history authenticates as one user and the auth
// checker (sim/check/auth.ts) knows who sent what from the history alone.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { deleteRange, leaseGrant, leaseId, leaseRevoke, NO_LEASE, prefixEnd, put, range, txn, withWriteOptions } from './etcd-request.ts';
import type { EtcdRequest, LeaseId, TxnOp } from './etcd-request.ts';
import type { CallResult, ClientCall, Workload, WorkloadEnv } from './workload.ts';
import { uniqueValue } from './workload.ts';
import { AUTH_ROLES, AUTH_USERS, INITIAL_ROLES, PERM_TYPES, ROOT_PASSWORD, ROOT_ROLE, ROOT_USER, initialPassword, permissionSlots } from './auth-catalogue.ts';
import type { PermissionSlot } from './auth-catalogue.ts';
import {
  authDisable, authEnable, authenticate, roleAdd, roleDelete, roleGrantPermission, roleRevokePermission, userAdd, userChangePassword, userGrantRole, userRevokeRole, watchCreate, withToken,
} from './auth-requests.ts';
import type { Prng } from '../world/prng.ts';

/** A process's login: its token, or none needed (authentication was off when it asked). */
type Session = { readonly token: string } | { readonly token: undefined };

/** Errors after which a process logs in again. */
const LOGIN_AGAIN = ['etcdserver: invalid auth token', 'etcdserver: user name is empty', 'auth: invalid auth token'];
/** Setup steps that find their work already done. */
const ALREADY_DONE = ['etcdserver: user name already exists', 'etcdserver: role name already exists'];
const NOT_ENABLED = 'etcdserver: authentication is not enabled';

type AdminAction = 'grant-permission' | 'revoke-permission' | 'grant-role' | 'revoke-role' | 'change-password' | 'disable' | 'delete-role' | 'add-role';
const ADMIN_MIX: ReadonlyArray<readonly [AdminAction, number]> = [
  ['grant-permission', 30], ['revoke-permission', 20], ['grant-role', 15], ['revoke-role', 15], ['change-password', 8], ['disable', 4],
  ['delete-role', 6], ['add-role', 2],
];

/** A user's lease requests: one in LEASE_OPS_IN of its requests, from a stream of their own. */
const LEASE_OPS_IN = 8;
/** Leases outlive the run (no keep-alives): what a revoke deletes is what the users attached. */
const LEASE_TTL_SECONDS = 600;
/** Leases granted and not known revoked, any user's (a user may revoke another's). */
const LEASES_KEPT_MAX = 8;
const ADMIN_TOTAL = ADMIN_MIX.reduce((s, [, w]) => s + w, 0);

export class AuthWorkload implements Workload {
  private readonly sessions = new Map<number, Session>();
  /** Passwords the admin asked for, newest first (one whose change timed out may or may not hold). */
  private readonly passwords = new Map<string, string[]>();
  private readonly slots: readonly PermissionSlot[];
  private readonly keyNames: readonly string[];
  private setupStep = 0;
  /** What the admin last learned: authentication on (a disable timed out: assume off, enable again). */
  private enabled = false;
  private passwordChanges = 0;
  /** Whether and what a user watches: a stream of its own, so that the other draws stay as they were. */
  private readonly watchPrng: Prng;
  /** Whether and which lease request a user sends: a stream of its own. */
  private readonly leasePrng: Prng;
  /** Leases some user was granted, newest last. */
  private leases: LeaseId[] = [];
  /** Admin requests due next: a deleted role added again, then one of its permissions granted. */
  private followUps: EtcdRequest[] = [];

  constructor(private readonly env: WorkloadEnv) {
    const keys = Math.max(2, env.scenario.workload.keys);
    this.keyNames = Array.from({ length: keys }, (_, i) => `key${i}`);
    this.slots = permissionSlots(keys);
    for (const u of AUTH_USERS) this.passwords.set(u, [initialPassword(u)]);
    this.passwords.set(ROOT_USER, [ROOT_PASSWORD]);
    this.watchPrng = env.prng.fork('auth-watch');
    this.leasePrng = env.prng.fork('auth-lease');
  }

  generator(): Gen {
    return repeatFn((ctx) => ({ f: 'auth-op', value: { key: this.keyNames[ctx.prng.int(this.keyNames.length)] } }));
  }

  private get prng(): Prng {
    return this.env.prng;
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    if (op.worker === 0) return this.admin(op, call, done);
    const user = AUTH_USERS[(op.worker - 1) % AUTH_USERS.length] as string;
    if (this.leasePrng.chance(1, LEASE_OPS_IN)) {
      const l = this.leaseRequest(op);
      return this.asUser(op, user, call, done, (token) => withToken(l.request, token), l.after);
    }
    this.asUser(op, user, call, done, (token) => this.userRequest(op, token));
  }

  /**
   * A lease request of a user (etcd 3.4 checks no permission on a grant; a put with a lease needs
   * write on the key and on every key of the lease; a revoke, write on every key of the lease): a
   * grant, a put of a key with some user's lease, or a revoke of some user's lease.
   */
  private leaseRequest(op: Dispatched): { request: EtcdRequest; after?: (r: CallResult) => void } {
    const l = this.leasePrng;
    const draw = this.leases.length === 0 ? 0 : l.int(3);
    if (draw === 0) {
      return {
        request: leaseGrant(LEASE_TTL_SECONDS),
        after: (r) => {
          if (r.type !== 'ok') return;
          const id = leaseId((r.body as { ID?: unknown } | null)?.ID);
          if (id !== NO_LEASE) this.leases = [...this.leases, id].slice(-LEASES_KEPT_MAX);
        },
      };
    }
    const lease = this.leases[l.int(this.leases.length)] as LeaseId;
    if (draw === 1) return { request: put((op.value as { key: string }).key, uniqueValue(op), lease) };
    return {
      request: leaseRevoke(lease),
      after: (r) => {
        if (r.type === 'ok') this.leases = this.leases.filter((x) => x !== lease);
      },
    };
  }

  /** Logs `op.process` in as `user` when it holds no session, then sends what `request` builds with its token. */
  private asUser(op: Dispatched, user: string, call: ClientCall, done: (outcome: Outcome) => void, request: (token: string | undefined) => EtcdRequest, after?: (r: CallResult) => void): void {
    const send = (s: Session): void => {
      call(request(s.token), op.process, (r) => {
        // A watch's cancel reason carries the error after the gRPC code ("... desc = etcdserver: invalid auth token").
        if (r.type === 'fail' && LOGIN_AGAIN.some((e) => (r.error ?? '').endsWith(e))) this.sessions.delete(op.process);
        after?.(r);
        done(r.type);
      });
    };
    const s = this.sessions.get(op.process);
    if (s !== undefined) return send(s);
    const password = this.loginPassword(user);
    call(authenticate(user, password), op.process, (r) => {
      if (r.type === 'ok') {
        const token = (r.body as { token?: unknown } | null)?.token;
        if (typeof token !== 'string') return done('fail');
        const session = { token };
        this.sessions.set(op.process, session);
        return send(session);
      }
      if (r.type === 'fail' && r.error === NOT_ENABLED) {
        const session = { token: undefined };
        this.sessions.set(op.process, session);
        return send(session);
      }
      done(r.type);
    });
  }

  /**
   * The password a login tries: the newest the admin set (or, after a change of unknown outcome,
   * the one before it in one login of four), and in one login of eight a wrong one — a password
   * the user had before a change, or never had — which etcd must refuse.
   */
  private loginPassword(user: string): string {
    const candidates = this.passwords.get(user) as string[];
    if (user !== ROOT_USER && this.prng.chance(1, 8)) return this.prng.chance(1, 2) ? `${user}-wrong` : initialPassword(user);
    return candidates.length > 1 && this.prng.chance(1, 4) ? (candidates[1] as string) : (candidates[0] as string);
  }

  // ---- users ----

  private key(): string {
    return this.keyNames[this.prng.int(this.keyNames.length)] as string;
  }

  /** [lo, hi) over two distinct keys (or the key alone when there is one). */
  private span(): [string, string] {
    const a = this.key();
    let b = this.key();
    for (let i = 0; i < 4 && b === a; i++) b = this.key();
    if (a === b) return [a, `${a}\0`];
    return a < b ? [a, b] : [b, a];
  }

  private userRequest(op: Dispatched, token: string | undefined): EtcdRequest {
    const p = this.prng;
    const key = (op.value as { key: string }).key;
    const value = uniqueValue(op);
    if (this.watchPrng.chance(1, 8)) return withToken(this.userWatch(key), token);
    let r: EtcdRequest;
    switch (p.int(10)) {
      case 0:
        r = range(key);
        break;
      case 1: {
        const [lo, hi] = this.span();
        r = range(lo, { rangeEnd: hi });
        break;
      }
      case 2:
        r = p.chance(1, 2) ? range(key, { rangeEnd: '\0' }) : range('key', { rangeEnd: prefixEnd('key') });
        break;
      case 3:
      case 4:
        r = put(key, value);
        break;
      case 5:
        r = withWriteOptions(put(key, value), { prevKv: true });
        break;
      case 6: {
        if (p.chance(1, 2)) r = deleteRange(key);
        else {
          const [lo, hi] = this.span();
          r = deleteRange(lo, hi);
        }
        // With prev_kv a delete needs read on its range too (etcd's authApplierV3.DeleteRange).
        if (this.leasePrng.chance(1, 2)) r = withWriteOptions(r, { prevKv: true });
        break;
      }
      default:
        r = this.userTxn(key, value);
    }
    return withToken(r, token);
  }

  /**
   * A watch as the user (etcd checks read permission on its whole range when it is created): the
   * key alone, up to another key, from the key on, or every key of the workload.
   */
  private userWatch(key: string): EtcdRequest {
    const w = this.watchPrng;
    switch (w.int(4)) {
      case 0:
        return watchCreate(key, '');
      case 1: {
        const other = this.keyNames[w.int(this.keyNames.length)] as string;
        return other > key ? watchCreate(key, other) : watchCreate(key, `${key}\0`);
      }
      case 2:
        return watchCreate(key, '\0');
      default:
        return watchCreate('key', prefixEnd('key'));
    }
  }

  /** A compare on one key, a success op on another, a failure op on a third (each a put, a get or a delete). */
  private userTxn(key: string, value: string): EtcdRequest {
    const p = this.prng;
    const branchOp = (k: string, v: string): TxnOp => {
      const r = p.int(5);
      if (r < 3) return { put: put(k, v) };
      if (r < 4) return { range: range(k) };
      return { deleteRange: deleteRange(k) };
    };
    const compare = p.chance(1, 2)
      ? { target: 'VALUE' as const, key, value: 'none', result: 'NOT_EQUAL' as const }
      : { target: 'MOD' as const, key, revision: 0, result: 'GREATER' as const };
    return txn([compare], [branchOp(this.key(), `${value}-s`)], [branchOp(this.key(), `${value}-f`)]);
  }

  // ---- the admin ----

  private admin(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const steps = this.setupSteps();
    if (this.setupStep < steps.length) return this.setup(op, steps, call, done);
    if (!this.enabled) {
      return this.asUser(op, ROOT_USER, call, done, (t) => withToken(authEnable(), t), (r) => {
        if (r.type === 'ok') this.enabled = true;
      });
    }
    if (this.prng.chance(1, 2)) return this.asUser(op, ROOT_USER, call, done, (t) => withToken(range(this.key()), t));
    const action = this.followUps.length > 0 ? { request: this.followUps.shift() as EtcdRequest } : this.adminAction();
    this.asUser(op, ROOT_USER, call, done, (t) => withToken(action.request, t), action.after);
  }

  private adminAction(): { request: EtcdRequest; after?: (r: CallResult) => void } {
    const p = this.prng;
    let rest = p.int(ADMIN_TOTAL);
    let action: AdminAction = 'grant-permission';
    for (const [name, w] of ADMIN_MIX) {
      if (rest < w) {
        action = name;
        break;
      }
      rest -= w;
    }
    const slot = p.pick(this.slots);
    const user = p.pick(AUTH_USERS);
    switch (action) {
      case 'delete-role': {
        // etcd's RoleDelete also takes the role from every user that held it: the role comes
        // back (empty) and gets a permission at once, which its former holders must not have.
        const role = p.pick(AUTH_ROLES);
        const again = p.pick(this.slots.filter((s) => s.role === role));
        this.followUps = [roleAdd(role), roleGrantPermission(role, p.pick(PERM_TYPES), again.key, again.rangeEnd)];
        return { request: roleDelete(role) };
      }
      case 'add-role':
        // A role deleted comes back empty ("role name already exists" while it is there).
        return { request: roleAdd(p.pick(AUTH_ROLES)) };
      case 'grant-permission':
        return { request: roleGrantPermission(slot.role, p.pick(PERM_TYPES), slot.key, slot.rangeEnd) };
      case 'revoke-permission':
        return { request: roleRevokePermission(slot.role, slot.key, slot.rangeEnd) };
      case 'grant-role':
        return { request: userGrantRole(user, p.pick(AUTH_ROLES)) };
      case 'revoke-role':
        return { request: userRevokeRole(user, p.pick(AUTH_ROLES)) };
      case 'change-password': {
        const password = `${user}-pw${++this.passwordChanges}`;
        const list = this.passwords.get(user) as string[];
        return {
          request: userChangePassword(user, password),
          after: (r) => {
            if (r.type === 'ok') this.passwords.set(user, [password]);
            else if (r.type === 'info') this.passwords.set(user, [password, ...list].slice(0, 2));
          },
        };
      }
      case 'disable':
        return {
          request: authDisable(),
          after: (r) => {
            if (r.type !== 'fail') this.enabled = false;
          },
        };
    }
  }

  /** The setup, one request a step: root, the roles, the users, some permissions, the users' roles, AuthEnable. */
  private setupSteps(): EtcdRequest[] {
    const steps: EtcdRequest[] = [userAdd(ROOT_USER, ROOT_PASSWORD), userGrantRole(ROOT_USER, ROOT_ROLE)];
    for (const r of AUTH_ROLES) steps.push(roleAdd(r));
    for (const u of AUTH_USERS) steps.push(userAdd(u, initialPassword(u)));
    // Each slot starts granted with the type its index names: every type is there from the start.
    this.slots.forEach((s, i) => steps.push(roleGrantPermission(s.role, PERM_TYPES[i % PERM_TYPES.length]!, s.key, s.rangeEnd)));
    for (const [u, r] of INITIAL_ROLES) steps.push(userGrantRole(u, r));
    steps.push(authEnable());
    return steps;
  }

  /** Runs the setup steps from where it stopped; an invocation ends at the first step that does not succeed. */
  private setup(op: Dispatched, steps: readonly EtcdRequest[], call: ClientCall, done: (outcome: Outcome) => void): void {
    const next = (): void => {
      const step = steps[this.setupStep];
      if (step === undefined) {
        this.enabled = true;
        return done('ok');
      }
      let outcome: Outcome = 'fail';
      this.asUser(op, ROOT_USER, call, (o) => {
        if (outcome === 'ok') return next();
        done(o);
      }, (t) => withToken(step, t), (r) => {
        if (r.type === 'ok' || (r.type === 'fail' && ALREADY_DONE.includes(r.error ?? ''))) {
          this.setupStep++;
          outcome = 'ok';
        }
      });
    };
    next();
  }
}
