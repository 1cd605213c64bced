// etcd 3.4's auth errors as a client sees them (api/v3rpc/rpctypes/error.go): the auth store's
// errors translated to their gRPC codes and "etcdserver: ..." messages by togRPCError.
import type { EtcdError } from '../api/errors.ts';
import { GRPC_CODE } from '../api/errors.ts';

function e(message: string, code: number): EtcdError {
  return Object.freeze({ message, code });
}

const C = GRPC_CODE;
export const ErrRootUserNotExist = e('etcdserver: root user does not exist', C.FailedPrecondition);
export const ErrRootRoleNotExist = e('etcdserver: root user does not have root role', C.FailedPrecondition);
export const ErrUserAlreadyExist = e('etcdserver: user name already exists', C.FailedPrecondition);
export const ErrUserEmpty = e('etcdserver: user name is empty', C.InvalidArgument);
export const ErrUserNotFound = e('etcdserver: user name not found', C.FailedPrecondition);
export const ErrRoleAlreadyExist = e('etcdserver: role name already exists', C.FailedPrecondition);
export const ErrRoleNotFound = e('etcdserver: role name not found', C.FailedPrecondition);
export const ErrRoleEmpty = e('etcdserver: role name is empty', C.InvalidArgument);
export const ErrAuthFailed = e('etcdserver: authentication failed, invalid user ID or password', C.InvalidArgument);
export const ErrPermissionDenied = e('etcdserver: permission denied', C.PermissionDenied);
export const ErrRoleNotGranted = e('etcdserver: role is not granted to the user', C.FailedPrecondition);
export const ErrPermissionNotGranted = e('etcdserver: permission is not granted to the role', C.FailedPrecondition);
export const ErrAuthNotEnabled = e('etcdserver: authentication is not enabled', C.FailedPrecondition);
export const ErrInvalidAuthToken = e('etcdserver: invalid auth token', C.Unauthenticated);
export const ErrInvalidAuthMgmt = e('etcdserver: invalid auth management', C.InvalidArgument);
export const ErrAuthOldRevision = e('etcdserver: revision of auth store is old', C.InvalidArgument);

/** The auth store's own texts (auth/store.go), for the errors IsAdminPermitted and AuthInfoFromCtx return. */
const RAW_TEXT = new Map<EtcdError, string>([
  [ErrUserEmpty, 'auth: user name is empty'],
  [ErrUserNotFound, 'auth: user not found'],
  [ErrPermissionDenied, 'auth: permission denied'],
  [ErrInvalidAuthToken, 'auth: invalid auth token'],
]);

/**
 * The maintenance server returns the auth store's errors untranslated (v3rpc/maintenance.go
 * isAuthenticated): gRPC code Unknown and the store's own text, as etcdctl prints them
 * ("rpc error: code = Unknown desc = auth: permission denied").
 */
export function untranslated(err: EtcdError): EtcdError {
  return e(RAW_TEXT.get(err) ?? err.message, C.Unknown);
}
