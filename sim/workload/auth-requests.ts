// Builders of etcd 3.4's auth requests in the gateway JSON form (names as strings, permission
// keys base64), as the simulated client sends and records them (history f "auth/...").
import { b64 } from './etcd-request.ts';
import type { EtcdRequest } from './etcd-request.ts';
import type { PermTypeName } from './auth-catalogue.ts';

const req = (path: string, body: Record<string, unknown>): EtcdRequest => ({ path, body });

export const authenticate = (name: string, password: string): EtcdRequest => req('/v3/auth/authenticate', { name, password });
export const authEnable = (): EtcdRequest => req('/v3/auth/enable', {});
export const authDisable = (): EtcdRequest => req('/v3/auth/disable', {});
export const userAdd = (name: string, password: string): EtcdRequest => req('/v3/auth/user/add', { name, password });
export const userChangePassword = (name: string, password: string): EtcdRequest => req('/v3/auth/user/changepw', { name, password });
export const userGrantRole = (user: string, role: string): EtcdRequest => req('/v3/auth/user/grant', { user, role });
export const userRevokeRole = (name: string, role: string): EtcdRequest => req('/v3/auth/user/revoke', { name, role });
export const roleAdd = (name: string): EtcdRequest => req('/v3/auth/role/add', { name });
export const roleDelete = (role: string): EtcdRequest => req('/v3/auth/role/delete', { role });

/** A permission on `key` alone (rangeEnd ""), on [key, rangeEnd), or from key on (rangeEnd "\0"). */
export function roleGrantPermission(role: string, permType: PermTypeName, key: string, rangeEnd: string): EtcdRequest {
  const perm: Record<string, unknown> = { permType, key: b64(key) };
  if (rangeEnd !== '') perm['range_end'] = b64(rangeEnd);
  return req('/v3/auth/role/grant', { name: role, perm });
}

export function roleRevokePermission(role: string, key: string, rangeEnd: string): EtcdRequest {
  const body: Record<string, unknown> = { role, key: b64(key) };
  if (rangeEnd !== '') body['range_end'] = b64(rangeEnd);
  return req('/v3/auth/role/revoke', body);
}

/** A watch on `key` alone, on [key, rangeEnd), or from key on ("\0"): its create is answered once (sim/etcd/watch-once.ts). */
export function watchCreate(key: string, rangeEnd: string): EtcdRequest {
  const body: Record<string, unknown> = { key: b64(key) };
  if (rangeEnd !== '') body['range_end'] = b64(rangeEnd);
  return req('/v3/watch', body);
}

/** The same request, sent with an auth token (gRPC metadata `token`). */
export function withToken(r: EtcdRequest, token: string | undefined): EtcdRequest {
  if (token === undefined) return r;
  return r.decoded === undefined ? { path: r.path, body: r.body, token } : { path: r.path, body: r.body, decoded: r.decoded, token };
}
