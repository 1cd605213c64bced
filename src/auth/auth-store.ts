// etcd 3.4's auth store (auth/store.go), part of the replicated state machine: users (password,
// roles), roles (key permissions), whether authentication is enabled, and the auth revision that
// every change bumps. Every member applies the same auth requests in the same order (they are
// raft entries), so every member holds the same store. The simple tokens Authenticate hands out
// are the member's own memory, as in etcd: assigned when the Authenticate entry applies, kept
// 5 minutes after their last use, lost on restart, not in snapshots.
// Passwords are kept as given (etcd keeps a bcrypt hash): the simulation has no secrets to keep,
// and the store's answers do not depend on how they are kept.
import type { EtcdError } from '../api/errors.ts';
import type { AuthRaftKind, AuthRequest } from '../api/auth-schema.ts';
import {
  ErrAuthFailed, ErrAuthNotEnabled, ErrAuthOldRevision, ErrInvalidAuthMgmt, ErrPermissionDenied, ErrPermissionNotGranted, ErrRoleAlreadyExist,
  ErrRoleEmpty, ErrRoleNotFound, ErrRoleNotGranted, ErrRootRoleNotExist, ErrRootUserNotExist, ErrUserAlreadyExist, ErrUserEmpty, ErrUserNotFound,
} from './auth-errors.ts';
import type { KeyPermission } from './range-permissions.ts';
import { withFields } from '../object/with-fields.ts';
import { mergePermissions, permitted } from './range-permissions.ts';
import { SimpleTokens } from './simple-tokens.ts';

const ROOT = 'root';

/** Who a request comes from (etcd's AuthInfo): revision 0 is "no user given". */
export interface AuthInfo {
  readonly username: string;
  readonly revision: number;
}

interface User {
  readonly name: string;
  /** undefined: a user added with no_password, who cannot authenticate. */
  readonly password: string | undefined;
  readonly noPassword: boolean;
  /** Sorted, as etcd keeps them. */
  readonly roles: readonly string[];
}

interface Role {
  readonly name: string;
  /** Sorted by key (stable), as etcd keeps them. */
  readonly perms: readonly KeyPermission[];
}

export interface AuthSnapshot {
  readonly enabled: boolean;
  readonly revision: number;
  readonly users: readonly User[];
  readonly roles: readonly Role[];
}

/** What an applied auth request answers (the caller adds the header). */
export type AuthResult = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly error: EtcdError };

const ok = (body: Record<string, unknown> = {}): AuthResult => ({ ok: true, body });
const no = (error: EtcdError): AuthResult => ({ ok: false, error });

/** etcd's needAdminPermission: every auth request but Authenticate, UserGet and RoleGet. */
const ADMIN_ONLY: ReadonlySet<AuthRaftKind> = new Set([
  'auth_enable', 'auth_disable', 'auth_user_add', 'auth_user_delete', 'auth_user_change_password', 'auth_user_grant_role',
  'auth_user_revoke_role', 'auth_role_add', 'auth_role_grant_permission', 'auth_role_revoke_permission', 'auth_role_delete',
  'auth_user_list', 'auth_role_list',
]);

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class AuthStore {
  private enabled = false;
  /** Invariant: never decreases; bumped by every change of users, roles or permissions, and by AuthDisable. */
  private rev = 1;
  private users = new Map<string, User>();
  private roles = new Map<string, Role>();
  readonly tokens = new SimpleTokens();

  get isEnabled(): boolean {
    return this.enabled;
  }

  get revision(): number {
    return this.rev;
  }

  /** True while the store holds what a new cluster holds (snapshots then leave it out). */
  get pristine(): boolean {
    return !this.enabled && this.rev === 1 && this.users.size === 0 && this.roles.size === 0;
  }

  /** The AuthInfo a token stands for now (the store's current revision), or undefined for an unknown token. */
  authInfoFromToken(token: string, nowMs: number): AuthInfo | undefined {
    const username = this.tokens.info(token, nowMs);
    return username === undefined ? undefined : { username, revision: this.rev };
  }

  /** CheckPassword, on the member before it proposes an Authenticate. */
  checkPassword(name: string, password: string): EtcdError | undefined {
    if (!this.enabled) return ErrAuthNotEnabled;
    const user = this.users.get(name);
    if (user === undefined || user.noPassword || user.password !== password) return ErrAuthFailed;
    return undefined;
  }

  isAdminPermitted(ai: AuthInfo | undefined): EtcdError | undefined {
    if (!this.enabled) return undefined;
    if (ai === undefined || ai.username === '') return ErrUserEmpty;
    const user = this.users.get(ai.username);
    if (user === undefined) return ErrUserNotFound;
    return user.roles.includes(ROOT) ? undefined : ErrPermissionDenied;
  }

  isRangePermitted(ai: AuthInfo | undefined, key: string, rangeEnd: string): EtcdError | undefined {
    return this.isOpPermitted(ai, key, rangeEnd, false);
  }

  isPutPermitted(ai: AuthInfo | undefined, key: string): EtcdError | undefined {
    return this.isOpPermitted(ai, key, '', true);
  }

  isDeleteRangePermitted(ai: AuthInfo | undefined, key: string, rangeEnd: string): EtcdError | undefined {
    return this.isOpPermitted(ai, key, rangeEnd, true);
  }

  private isOpPermitted(ai: AuthInfo | undefined, key: string, rangeEnd: string, write: boolean): EtcdError | undefined {
    if (!this.enabled) return undefined;
    if (ai === undefined || ai.revision === 0) return ErrUserEmpty;
    if (ai.revision < this.rev) return ErrAuthOldRevision;
    const user = this.users.get(ai.username);
    if (user === undefined) return ErrPermissionDenied;
    if (user.roles.includes(ROOT)) return undefined;
    const perms = user.roles.flatMap((r) => this.roles.get(r)?.perms ?? []);
    return permitted(mergePermissions(perms), write, key, rangeEnd) ? undefined : ErrPermissionDenied;
  }

  /**
   * Applies one auth request from `ai` (the proposer's user and auth revision; undefined: none),
   * committed at raft index `index`, as etcd's authApplierV3 then applierV3backend do.
   */
  apply(kind: AuthRaftKind, r: AuthRequest, ai: AuthInfo | undefined, index: number, nowMs: number): AuthResult {
    if (ADMIN_ONLY.has(kind)) {
      const err = this.isAdminPermitted(ai);
      if (err !== undefined) return no(err);
    }
    switch (kind) {
      case 'auth_enable': return this.authEnable();
      case 'auth_disable': return this.authDisable();
      case 'authenticate': return this.authenticate(r, index, nowMs);
      case 'auth_user_add': return this.userAdd(r);
      case 'auth_user_delete': return this.userDelete(r.name ?? '');
      case 'auth_user_get': return this.userGet(r.name ?? '', ai);
      case 'auth_user_change_password': return this.userChangePassword(r.name ?? '', r.password ?? '');
      case 'auth_user_grant_role': return this.userGrantRole(r.user ?? '', r.role ?? '');
      case 'auth_user_revoke_role': return this.userRevokeRole(r.name ?? '', r.role ?? '');
      case 'auth_user_list': return ok({ users: [...this.users.keys()].sort(byteOrder) });
      case 'auth_role_list': return ok({ roles: [...this.roles.keys()].sort(byteOrder) });
      case 'auth_role_add': return this.roleAdd(r.name ?? '');
      case 'auth_role_delete': return this.roleDelete(r.role ?? '');
      case 'auth_role_get': return this.roleGet(r.role ?? '', ai);
      case 'auth_role_grant_permission': return this.roleGrantPermission(r);
      case 'auth_role_revoke_permission': return this.roleRevokePermission(r.role ?? '', r.key ?? '', r.range_end ?? '');
    }
  }

  private commitRevision(): void {
    this.rev++;
  }

  private authEnable(): AuthResult {
    if (this.enabled) return ok();
    const root = this.users.get(ROOT);
    if (root === undefined) return no(ErrRootUserNotExist);
    if (!root.roles.includes(ROOT)) return no(ErrRootRoleNotExist);
    this.enabled = true;
    return ok();
  }

  private authDisable(): AuthResult {
    if (!this.enabled) return ok();
    this.enabled = false;
    this.commitRevision();
    this.tokens.clear();
    return ok();
  }

  /** The password was checked before proposing (checkPassword); the token is "<prefix>.<raft index>". */
  private authenticate(r: AuthRequest, index: number, nowMs: number): AuthResult {
    if (!this.enabled) return no(ErrAuthNotEnabled);
    const user = this.users.get(r.name ?? '');
    if (user === undefined || user.noPassword) return no(ErrAuthFailed);
    const token = `${r.simple_token ?? ''}.${index}`;
    this.tokens.assign(token, user.name, nowMs);
    return ok({ token });
  }

  private userAdd(r: AuthRequest): AuthResult {
    const name = r.name ?? '';
    if (name === '') return no(ErrUserEmpty);
    if (this.users.has(name)) return no(ErrUserAlreadyExist);
    const noPassword = r.options?.no_password === true;
    this.users.set(name, { name, password: noPassword ? undefined : (r.password ?? ''), noPassword, roles: [] });
    this.commitRevision();
    return ok();
  }

  private userDelete(name: string): AuthResult {
    if (this.enabled && name === ROOT) return no(ErrInvalidAuthMgmt);
    if (!this.users.has(name)) return no(ErrUserNotFound);
    this.users.delete(name);
    this.commitRevision();
    this.tokens.invalidateUser(name);
    return ok();
  }

  /** A user may read itself without being root (authApplierV3.UserGet). */
  private userGet(name: string, ai: AuthInfo | undefined): AuthResult {
    const err = this.isAdminPermitted(ai);
    if (err !== undefined && name !== ai?.username) return no(err);
    const user = this.users.get(name);
    return user === undefined ? no(ErrUserNotFound) : ok({ roles: [...user.roles] });
  }

  private userChangePassword(name: string, password: string): AuthResult {
    const user = this.users.get(name);
    if (user === undefined) return no(ErrUserNotFound);
    this.users.set(name, withFields(user, { password }));
    this.commitRevision();
    this.tokens.invalidateUser(name);
    return ok();
  }

  private userGrantRole(name: string, role: string): AuthResult {
    const user = this.users.get(name);
    if (user === undefined) return no(ErrUserNotFound);
    if (role !== ROOT && !this.roles.has(role)) return no(ErrRoleNotFound);
    if (user.roles.includes(role)) return ok();
    this.users.set(name, withFields(user, { roles: [...user.roles, role].sort(byteOrder) }));
    this.commitRevision();
    return ok();
  }

  private userRevokeRole(name: string, role: string): AuthResult {
    if (this.enabled && name === ROOT && role === ROOT) return no(ErrInvalidAuthMgmt);
    const user = this.users.get(name);
    if (user === undefined) return no(ErrUserNotFound);
    if (!user.roles.includes(role)) return no(ErrRoleNotGranted);
    this.users.set(name, withFields(user, { roles: user.roles.filter((x) => x !== role) }));
    this.commitRevision();
    return ok();
  }

  private roleAdd(name: string): AuthResult {
    if (name === '') return no(ErrRoleEmpty);
    if (this.roles.has(name)) return no(ErrRoleAlreadyExist);
    this.roles.set(name, { name, perms: [] });
    this.commitRevision();
    return ok();
  }

  /** A deleted role is revoked from every user that had it. */
  private roleDelete(name: string): AuthResult {
    if (this.enabled && name === ROOT) return no(ErrInvalidAuthMgmt);
    if (!this.roles.has(name)) return no(ErrRoleNotFound);
    this.roles.delete(name);
    for (const [userName, user] of this.users) {
      if (user.roles.includes(name)) this.users.set(userName, withFields(user, { roles: user.roles.filter((x) => x !== name) }));
    }
    this.commitRevision();
    return ok();
  }

  /** A user may read a role it has without being root (authApplierV3.RoleGet). */
  private roleGet(name: string, ai: AuthInfo | undefined): AuthResult {
    const err = this.isAdminPermitted(ai);
    if (err !== undefined && !(this.users.get(ai?.username ?? '')?.roles.includes(name) ?? false)) return no(err);
    const role = this.roles.get(name);
    if (role === undefined) return no(ErrRoleNotFound);
    return ok({ perm: role.perms.map((p) => ({ permType: p.permType, key: p.key, range_end: p.rangeEnd })) });
  }

  /** The same key and range end updates the type; anything else is added, kept sorted by key. */
  private roleGrantPermission(r: AuthRequest): AuthResult {
    const name = r.name ?? '';
    const role = this.roles.get(name);
    if (role === undefined) return no(ErrRoleNotFound);
    const perm: KeyPermission = { permType: r.perm?.permType ?? 'READ', key: r.perm?.key ?? '', rangeEnd: r.perm?.range_end ?? '' };
    const at = role.perms.findIndex((p) => p.key >= perm.key);
    const same = at >= 0 && role.perms[at]!.key === perm.key && role.perms[at]!.rangeEnd === perm.rangeEnd;
    const perms = same ? role.perms.map((p, i) => (i === at ? perm : p)) : [...role.perms, perm].sort((a, b) => byteOrder(a.key, b.key));
    this.roles.set(name, { name, perms });
    this.commitRevision();
    return ok();
  }

  private roleRevokePermission(name: string, key: string, rangeEnd: string): AuthResult {
    const role = this.roles.get(name);
    if (role === undefined) return no(ErrRoleNotFound);
    const perms = role.perms.filter((p) => p.key !== key || p.rangeEnd !== rangeEnd);
    if (perms.length === role.perms.length) return no(ErrPermissionNotGranted);
    this.roles.set(name, { name, perms });
    this.commitRevision();
    return ok();
  }

  snapshot(): AuthSnapshot {
    const byName = <T extends { name: string }>(m: Map<string, T>): T[] => [...m.values()].sort((a, b) => byteOrder(a.name, b.name));
    return { enabled: this.enabled, revision: this.rev, users: byName(this.users), roles: byName(this.roles) };
  }

  /** Replaces the replicated state; tokens are the member's own and stay. */
  restore(s: AuthSnapshot | undefined): void {
    this.enabled = s?.enabled ?? false;
    this.rev = s?.revision ?? 1;
    this.users = new Map((s?.users ?? []).map((u) => [u.name, u]));
    this.roles = new Map((s?.roles ?? []).map((r) => [r.name, r]));
  }
}
