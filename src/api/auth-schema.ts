// The Auth service's messages (etcd 3.4's rpc.proto and auth.proto), for the gateway JSON codec,
// and the InternalRaftRequest fields that carry them (raft_internal.proto): every auth request
// goes through raft, as in etcd, so that every member's auth store applies it.
import type { Schema } from './schema.ts';
import { ResponseHeader } from './schema.ts';

const header = ['header', { message: () => ResponseHeader }] as const;
const PERM_TYPES = { enumName: 'authpb.Permission_Type', names: ['READ', 'WRITE', 'READWRITE'] } as const;

export const Permission: Schema = [['permType', PERM_TYPES], ['key', 'bytes'], ['range_end', 'bytes']];
export const UserAddOptions: Schema = [['no_password', 'bool']];

export const AuthEnableRequest: Schema = [];
export const AuthDisableRequest: Schema = [];
export const AuthenticateRequest: Schema = [['name', 'string'], ['password', 'string']];
/** What the member proposes for an Authenticate: the request and the token prefix it drew. */
export const InternalAuthenticateRequest: Schema = [['name', 'string'], ['password', 'string'], ['simple_token', 'string']];
export const AuthUserAddRequest: Schema = [['name', 'string'], ['password', 'string'], ['options', { message: () => UserAddOptions }]];
export const AuthUserGetRequest: Schema = [['name', 'string']];
export const AuthUserDeleteRequest: Schema = [['name', 'string']];
export const AuthUserChangePasswordRequest: Schema = [['name', 'string'], ['password', 'string']];
export const AuthUserGrantRoleRequest: Schema = [['user', 'string'], ['role', 'string']];
export const AuthUserRevokeRoleRequest: Schema = [['name', 'string'], ['role', 'string']];
export const AuthRoleAddRequest: Schema = [['name', 'string']];
export const AuthRoleGetRequest: Schema = [['role', 'string']];
export const AuthUserListRequest: Schema = [];
export const AuthRoleListRequest: Schema = [];
export const AuthRoleDeleteRequest: Schema = [['role', 'string']];
export const AuthRoleGrantPermissionRequest: Schema = [['name', 'string'], ['perm', { message: () => Permission }]];
export const AuthRoleRevokePermissionRequest: Schema = [['role', 'string'], ['key', 'bytes'], ['range_end', 'bytes']];

export const AuthHeaderOnlyResponse: Schema = [header];
export const AuthenticateResponse: Schema = [header, ['token', 'string']];
export const AuthUserGetResponse: Schema = [header, ['roles', { repeated: 'string' }]];
export const AuthUserListResponse: Schema = [header, ['users', { repeated: 'string' }]];
export const AuthRoleListResponse: Schema = [header, ['roles', { repeated: 'string' }]];
export const AuthRoleGetResponse: Schema = [header, ['perm', { repeated: { message: () => Permission } }]];

/** Each auth method: its gateway path, InternalRaftRequest field (name, number), request and response schemas. */
export const AUTH_METHODS = {
  auth_enable: { path: '/v3/auth/enable', field: 1000, request: AuthEnableRequest, response: AuthHeaderOnlyResponse },
  auth_disable: { path: '/v3/auth/disable', field: 1011, request: AuthDisableRequest, response: AuthHeaderOnlyResponse },
  authenticate: { path: '/v3/auth/authenticate', field: 1012, request: InternalAuthenticateRequest, response: AuthenticateResponse },
  auth_user_add: { path: '/v3/auth/user/add', field: 1100, request: AuthUserAddRequest, response: AuthHeaderOnlyResponse },
  auth_user_delete: { path: '/v3/auth/user/delete', field: 1101, request: AuthUserDeleteRequest, response: AuthHeaderOnlyResponse },
  auth_user_get: { path: '/v3/auth/user/get', field: 1102, request: AuthUserGetRequest, response: AuthUserGetResponse },
  auth_user_change_password: { path: '/v3/auth/user/changepw', field: 1103, request: AuthUserChangePasswordRequest, response: AuthHeaderOnlyResponse },
  auth_user_grant_role: { path: '/v3/auth/user/grant', field: 1104, request: AuthUserGrantRoleRequest, response: AuthHeaderOnlyResponse },
  auth_user_revoke_role: { path: '/v3/auth/user/revoke', field: 1105, request: AuthUserRevokeRoleRequest, response: AuthHeaderOnlyResponse },
  auth_user_list: { path: '/v3/auth/user/list', field: 1106, request: AuthUserListRequest, response: AuthUserListResponse },
  auth_role_list: { path: '/v3/auth/role/list', field: 1107, request: AuthRoleListRequest, response: AuthRoleListResponse },
  auth_role_add: { path: '/v3/auth/role/add', field: 1200, request: AuthRoleAddRequest, response: AuthHeaderOnlyResponse },
  auth_role_delete: { path: '/v3/auth/role/delete', field: 1201, request: AuthRoleDeleteRequest, response: AuthHeaderOnlyResponse },
  auth_role_get: { path: '/v3/auth/role/get', field: 1202, request: AuthRoleGetRequest, response: AuthRoleGetResponse },
  auth_role_grant_permission: { path: '/v3/auth/role/grant', field: 1203, request: AuthRoleGrantPermissionRequest, response: AuthHeaderOnlyResponse },
  auth_role_revoke_permission: { path: '/v3/auth/role/revoke', field: 1204, request: AuthRoleRevokePermissionRequest, response: AuthHeaderOnlyResponse },
} as const;

export type AuthRaftKind = keyof typeof AUTH_METHODS;

const BY_PATH = new Map(Object.entries(AUTH_METHODS).map(([kind, m]) => [m.path as string, kind as AuthRaftKind]));

/** The auth method a gateway path names, or undefined. */
export function authKindOf(path: string): AuthRaftKind | undefined {
  return BY_PATH.get(path);
}

/** Any auth request, decoded (every field optional, as in proto3). */
export interface AuthRequest {
  readonly name?: string;
  readonly password?: string;
  readonly simple_token?: string;
  readonly options?: { readonly no_password?: boolean };
  readonly user?: string;
  readonly role?: string;
  readonly perm?: { readonly permType?: 'READ' | 'WRITE' | 'READWRITE'; readonly key?: string; readonly range_end?: string };
  readonly key?: string;
  readonly range_end?: string;
}
