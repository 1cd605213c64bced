// The public API of the system under test (src/): an etcd-like member, pure and synchronous.
// Exports are listed by name as modules land.

// raft: the consensus core, shaped like etcd's raft library (tick/step/propose → Ready → advance).
export { RawNode, MemoryStorage, ErrCompacted, ErrProposalDropped, ErrUnavailable, encodeConfChange, decodeConfChange } from './raft/index.ts';
export type { Ready, Status, Config as RaftConfig, RandomSource, UnsafeOptions as RaftUnsafeOptions, Storage, ConfChange, ConfState, Entry, HardState, Message, NodeId, ReadState, Snapshot } from './raft/index.ts';

// The etcd member (src/server): raft + apply loop + reads + leases + watch streams.
export { Member, recoverMember, makeEtcdStateMachine, EtcdStateMachine, RaftNode, DEFAULT_MEMBER_CONFIG } from './server/index.ts';
export type { MemberConfig, MemberUnsafeOptions, MemberEnv, MemberOutput, DurableState, StateMachinePort, ClientToMember, MemberToClient, PeerMessage } from './server/index.ts';

// mvcc: the multi-version store.
export { MvccStore, TxnWrite } from './mvcc/store.ts';
export type { RangeOptions, RangeResult, LogEntry, LeaseAttachments, CommitObserver } from './mvcc/store.ts';
export type { KeyValue, Event, EventType, LeaseId } from './mvcc/key-value.ts';
export { NO_LEASE } from './mvcc/key-value.ts';
export type { Bytes } from './mvcc/key.ts';
export { compareBytes, prefixRangeEnd, bytesFromText, bytesFromUint8Array, bytesToUint8Array } from './mvcc/key.ts';
export { hashKv } from './mvcc/hash.ts';
export type { KvHash } from './mvcc/hash.ts';
export { snapshotStore, restoreStore } from './mvcc/snapshot.ts';
export type { MvccSnapshot } from './mvcc/snapshot.ts';
export type { MvccError } from './mvcc/errors.ts';

// lease: the lessor.
export { Lessor, DEFAULT_LESSOR_CONFIG, MAX_LEASE_TTL_SECONDS, minLeaseTtlSeconds } from './lease/lessor.ts';
export type { LessorConfig, RenewResult, TimeToLive, LeaseCheckpoint as LessorCheckpoint } from './lease/lessor.ts';
export { Lease, FOREVER_REMAINING_SECONDS } from './lease/lease.ts';
export { RequestIdGenerator } from './lease/request-id.ts';

// watch: the watchable store and watch streams.
export { WatchableStore, WATCH_BATCH_MAX_REVS } from './watch/watchable-store.ts';
export { WatchStream, WATCH_STREAM_BUFFER } from './watch/watch-stream.ts';

// api: v3 messages, their gateway JSON, validation and errors.
export type * from './api/types.ts';
export * as schema from './api/schema.ts';
export { encodeMessage, decodeMessage, decodeMessageText, streamResult } from './api/json-codec.ts';
export { base64Encode, base64Decode } from './api/base64.ts';
export { checkTxn, checkRangeRequest, checkPutRequest, checkDeleteRequest, isTxnReadonly, isTxnSerializable, MAX_TXN_OPS } from './api/validate.ts';
export { messageSize, internalRaftRequestSize, MAX_REQUEST_BYTES, MAX_GRPC_RECV_BYTES } from './api/proto-size.ts';
export { API_PATHS, apiPath } from './api/paths.ts';
export type { EtcdError, WireError } from './api/errors.ts';
export { GRPC_CODE, wireError } from './api/errors.ts';
export { fillHeader, fillWatchHeader } from './api/header.ts';

// server/apply: the applier every member runs on committed entries.
export { Applier } from './server/apply/applier.ts';
export type { ApplyResult, ApplyResponse, ApplierSnapshot } from './server/apply/applier.ts';
export { encodeRaftRequest, decodeRaftRequest, raftRequestSize } from './server/apply/raft-request.ts';
export type { RaftRequest, InternalRaftRequest } from './server/apply/raft-request.ts';
export { goSort } from './server/apply/go-sort.ts';
