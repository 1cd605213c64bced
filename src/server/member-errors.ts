// The errors a member itself produces (as opposed to the state machine), with etcd's messages
// and gRPC codes (api/v3rpc/rpctypes/error.go). They reach clients as {"error","code","message"}.

export interface MemberError {
  readonly message: string;
  /** The gRPC status code the gateway reports. */
  readonly code: number;
}

export const GRPC_UNKNOWN = 2;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_NOT_FOUND = 5;
export const GRPC_FAILED_PRECONDITION = 9;
export const GRPC_OUT_OF_RANGE = 11;
export const GRPC_UNAVAILABLE = 14;

export const ErrNoLeader: MemberError = { message: 'etcdserver: no leader', code: GRPC_UNAVAILABLE };
export const ErrLeaderChanged: MemberError = { message: 'etcdserver: leader changed', code: GRPC_UNAVAILABLE };
export const ErrTimeout: MemberError = { message: 'etcdserver: request timed out', code: GRPC_UNAVAILABLE };
/** Unknown on the wire, as etcd 3.4 sends it (src/api/errors.ts says why). */
export const ErrTooManyRequests: MemberError = { message: 'etcdserver: too many requests', code: GRPC_UNKNOWN };
export const ErrRequestTooLarge: MemberError = { message: 'etcdserver: request is too large', code: GRPC_INVALID_ARGUMENT };
export const ErrStopped: MemberError = { message: 'etcdserver: server stopped', code: GRPC_UNAVAILABLE };
/**
 * A write held for a leader until its deadline: etcd returns the proposal's context error as it
 * is, which grpc-go sends as Unknown (src/server/leader-wait.ts).
 */
export const ErrProposalDeadline: MemberError = { message: 'context deadline exceeded', code: GRPC_UNKNOWN };
export const ErrNotLeader: MemberError = { message: 'etcdserver: not leader', code: GRPC_FAILED_PRECONDITION };

/** The wire form of an error, as etcd's gateway writes it. */
export function errorBody(e: MemberError): { error: string; code: number; message: string } {
  return { error: e.message, code: e.code, message: e.message };
}
