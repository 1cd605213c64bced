// The etcd member's public surface, listed by name.
export { Member } from './member.ts';
export type { MemberEnv, MemberOutput } from './member.ts';
export { recoverMember, initialConfState, EMPTY_DURABLE_STATE } from './member-recovery.ts';
export type { DurableState, RecoveredMember } from './member-recovery.ts';
export {
  DEFAULT_MEMBER_CONFIG, MAX_GAP_APPLY_COMMIT, LEASE_CHECK_INTERVAL_MS, LEASE_REVOKES_IN_FLIGHT_MAX,
  READ_INDEX_RETRY_MS, PENDING_REQUESTS_MAX, PENDING_READS_MAX, electionTimeoutMs, requestTimeoutMs, minLeaseTtlSeconds, checkMemberConfig,
} from './member-config.ts';
export type { MemberConfig, MemberUnsafeOptions } from './member-config.ts';
export { ErrNoLeader, ErrLeaderChanged, ErrTimeout, ErrTooManyRequests, ErrRequestTooLarge, ErrStopped, ErrNotLeader, errorBody } from './member-errors.ts';
export type { MemberError } from './member-errors.ts';
export { EtcdStateMachine, makeEtcdStateMachine } from './etcd-state-machine.ts';
export type { EtcdStateMachineOptions } from './etcd-state-machine.ts';
export type { StateMachinePort, Classified, Applied, WatchStreamPort, WireReply, WireError, MemberHeader } from './state-machine-port.ts';
export { RaftNode } from './raft-node.ts';
export type { RaftPort, RaftReady, RaftStatus } from './raft-port.ts';
export { isClientToMember, isMemberToClient, httpStatusFromGrpcCode } from './client-protocol.ts';
export type {
  ClientToMember, MemberToClient, ClientRequestMessage, ClientReplyMessage, WatchSendMessage, WatchCloseMessage, WatchPingMessage,
  WatchResponseMessage, WatchClosedMessage, WatchPongMessage,
} from './client-protocol.ts';
export { isPeerMessage, isRaftMessage } from './peer-protocol.ts';
export type { PeerMessage } from './peer-protocol.ts';
