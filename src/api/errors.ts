// etcd's client-facing errors (api/v3rpc/rpctypes/error.go) with their gRPC codes, and the wire
// form the gateway answers with: {"error": msg, "message": msg, "code": n}, in that key order.

/** gRPC status codes used by etcd. */
export const GRPC_CODE = {
  OK: 0, Canceled: 1, Unknown: 2, InvalidArgument: 3, DeadlineExceeded: 4, NotFound: 5,
  AlreadyExists: 6, PermissionDenied: 7, ResourceExhausted: 8, FailedPrecondition: 9, Aborted: 10,
  OutOfRange: 11, Unimplemented: 12, Internal: 13, Unavailable: 14, DataLoss: 15, Unauthenticated: 16,
} as const;

export interface EtcdError {
  readonly message: string;
  readonly code: number;
}

function e(message: string, code: number): EtcdError {
  return Object.freeze({ message, code });
}

const C = GRPC_CODE;
export const ErrEmptyKey = e('etcdserver: key is not provided', C.InvalidArgument);
export const ErrKeyNotFound = e('etcdserver: key not found', C.InvalidArgument);
export const ErrValueProvided = e('etcdserver: value is provided', C.InvalidArgument);
export const ErrLeaseProvided = e('etcdserver: lease is provided', C.InvalidArgument);
export const ErrTooManyOps = e('etcdserver: too many operations in txn request', C.InvalidArgument);
export const ErrDuplicateKey = e('etcdserver: duplicate key given in txn request', C.InvalidArgument);
export const ErrCompacted = e('etcdserver: mvcc: required revision has been compacted', C.OutOfRange);
export const ErrFutureRev = e('etcdserver: mvcc: required revision is a future revision', C.OutOfRange);
export const ErrNoSpace = e('etcdserver: mvcc: database space exceeded', C.ResourceExhausted);
export const ErrLeaseNotFound = e('etcdserver: requested lease not found', C.NotFound);
export const ErrLeaseExist = e('etcdserver: lease already exists', C.FailedPrecondition);
export const ErrLeaseTTLTooLarge = e('etcdserver: too large lease TTL', C.OutOfRange);
export const ErrRequestTooLarge = e('etcdserver: request is too large', C.InvalidArgument);
// etcd 3.4's toGRPCErrorMap maps this one to rpctypes.ErrTooManyRequests, the client-side
// EtcdError rather than the gRPC status, which grpc-go sends as Unknown with its message (the
// ResourceExhausted of rpctypes' table is what clientv3 turns it back into, not the wire's code).
export const ErrTooManyRequests = e('etcdserver: too many requests', C.Unknown);
export const ErrNoLeader = e('etcdserver: no leader', C.Unavailable);
export const ErrNotLeader = e('etcdserver: not leader', C.FailedPrecondition);
export const ErrLeaderChanged = e('etcdserver: leader changed', C.Unavailable);
export const ErrStopped = e('etcdserver: server stopped', C.Unavailable);
export const ErrTimeout = e('etcdserver: request timed out', C.Unavailable);
export const ErrTimeoutDueToLeaderFail = e('etcdserver: request timed out, possibly due to previous leader failure', C.Unavailable);
export const ErrTimeoutDueToConnectionLost = e('etcdserver: request timed out, possibly due to connection lost', C.Unavailable);
export const ErrUnhealthy = e('etcdserver: unhealthy cluster', C.Unavailable);
export const ErrCorrupt = e('etcdserver: corrupt cluster', C.DataLoss);

/** The gRPC transport's own limit (client-facing receive size: MaxRequestBytes + 512 KiB). */
export function errMessageTooLarge(sizeBytes: number, sizeBytesMax: number): EtcdError {
  return e(`grpc: received message larger than max (${sizeBytes} vs. ${sizeBytesMax})`, C.ResourceExhausted);
}

/** A malformed JSON body, as the gateway reports it (InvalidArgument). */
export function errBadRequest(message: string): EtcdError {
  return e(message, C.InvalidArgument);
}

export interface WireError {
  readonly error: string;
  readonly message: string;
  readonly code: number;
}

export function wireError(err: EtcdError): WireError {
  return { error: err.message, message: err.message, code: err.code };
}

export function isEtcdError(x: unknown): x is EtcdError {
  return typeof x === 'object' && x !== null && typeof (x as EtcdError).message === 'string'
    && typeof (x as EtcdError).code === 'number' && Object.keys(x).length === 2;
}
