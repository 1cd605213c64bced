// etcd v3 API messages (etcdserverpb, mvccpb), as TypeScript values. Field names are etcd's
// protobuf field names, which are also the gateway's JSON names, so src/api/json-codec.ts maps
// them mechanically. Every field is optional: an absent field is the protobuf zero value, as in
// proto3. Representations: bytes are binary strings (src/mvcc/key.ts), int64 counts and
// revisions are numbers, lease ids are bigints (clients may use any int64), uint64 member and
// cluster ids are decimal strings.
import type { Bytes } from '../mvcc/key.ts';
import type { Event, KeyValue, LeaseId } from '../mvcc/key-value.ts';

export type { Bytes, Event, KeyValue, LeaseId };

export interface ResponseHeader {
  cluster_id?: string;
  member_id?: string;
  revision?: number;
  raft_term?: number;
}

export const SORT_ORDERS = ['NONE', 'ASCEND', 'DESCEND'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
export const SORT_TARGETS = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'] as const;
export type SortTarget = (typeof SORT_TARGETS)[number];

export interface RangeRequest {
  key?: Bytes;
  range_end?: Bytes;
  limit?: number;
  revision?: number;
  sort_order?: SortOrder;
  sort_target?: SortTarget;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
  min_mod_revision?: number;
  max_mod_revision?: number;
  min_create_revision?: number;
  max_create_revision?: number;
  /**
   * Not a field of etcd's messages: the end of the range whose permission etcd 3.4's auth checks,
   * where it is not the end read. A gRPC range_end present but empty is read from `key` on and
   * checked as the single key (auth's isRangeOpPermitted takes a zero-length end as one key); the
   * gateway's JSON cannot say it, so only a request decoded by its sender carries it (detcd serve:
   * sim/cli/serve/empty-range-end.ts).
   */
  permission_range_end?: Bytes;
}

export interface RangeResponse {
  header?: ResponseHeader;
  kvs?: KeyValue[];
  more?: boolean;
  count?: number;
}

export interface PutRequest {
  key?: Bytes;
  value?: Bytes;
  lease?: LeaseId;
  prev_kv?: boolean;
  ignore_value?: boolean;
  ignore_lease?: boolean;
}

export interface PutResponse {
  header?: ResponseHeader;
  prev_kv?: KeyValue;
}

export interface DeleteRangeRequest {
  key?: Bytes;
  range_end?: Bytes;
  prev_kv?: boolean;
}

export interface DeleteRangeResponse {
  header?: ResponseHeader;
  deleted?: number;
  prev_kvs?: KeyValue[];
}

/** A oneof: exactly one field is set (none set is etcd's "empty op"). */
export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: PutRequest;
  request_delete_range?: DeleteRangeRequest;
  request_txn?: TxnRequest;
}

export interface ResponseOp {
  response_range?: RangeResponse;
  response_put?: PutResponse;
  response_delete_range?: DeleteRangeResponse;
  response_txn?: TxnResponse;
}

export const COMPARE_RESULTS = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'] as const;
export type CompareResult = (typeof COMPARE_RESULTS)[number];
export const COMPARE_TARGETS = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'] as const;
export type CompareTarget = (typeof COMPARE_TARGETS)[number];

/** target_union is a oneof: version, create_revision, mod_revision, value or lease. */
export interface Compare {
  result?: CompareResult;
  target?: CompareTarget;
  key?: Bytes;
  version?: number;
  create_revision?: number;
  mod_revision?: number;
  value?: Bytes;
  lease?: LeaseId;
  range_end?: Bytes;
  /** See RangeRequest.permission_range_end. */
  permission_range_end?: Bytes;
}

export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

export interface TxnResponse {
  header?: ResponseHeader;
  succeeded?: boolean;
  responses?: ResponseOp[];
}

export interface CompactionRequest {
  revision?: number;
  physical?: boolean;
}

export interface CompactionResponse {
  header?: ResponseHeader;
}

export interface LeaseGrantRequest {
  TTL?: number;
  ID?: LeaseId;
}

export interface LeaseGrantResponse {
  header?: ResponseHeader;
  ID?: LeaseId;
  TTL?: number;
  error?: string;
}

export interface LeaseRevokeRequest {
  ID?: LeaseId;
}

export interface LeaseRevokeResponse {
  header?: ResponseHeader;
}

export interface LeaseCheckpoint {
  ID?: LeaseId;
  remaining_TTL?: number;
}

export interface LeaseCheckpointRequest {
  checkpoints?: LeaseCheckpoint[];
}

export interface LeaseCheckpointResponse {
  header?: ResponseHeader;
}

export interface LeaseKeepAliveRequest {
  ID?: LeaseId;
}

export interface LeaseKeepAliveResponse {
  header?: ResponseHeader;
  ID?: LeaseId;
  TTL?: number;
}

export interface LeaseTimeToLiveRequest {
  ID?: LeaseId;
  keys?: boolean;
}

export interface LeaseTimeToLiveResponse {
  header?: ResponseHeader;
  ID?: LeaseId;
  TTL?: number;
  grantedTTL?: number;
  keys?: Bytes[];
}

export type LeaseLeasesRequest = Record<string, never>;

export interface LeaseStatus {
  ID?: LeaseId;
}

export interface LeaseLeasesResponse {
  header?: ResponseHeader;
  leases?: LeaseStatus[];
}

export const WATCH_FILTERS = ['NOPUT', 'NODELETE'] as const;
export type WatchFilter = (typeof WATCH_FILTERS)[number];

export interface WatchCreateRequest {
  key?: Bytes;
  range_end?: Bytes;
  start_revision?: number;
  progress_notify?: boolean;
  filters?: WatchFilter[];
  prev_kv?: boolean;
  watch_id?: number;
  fragment?: boolean;
}

export interface WatchCancelRequest {
  watch_id?: number;
}

export type WatchProgressRequest = Record<string, never>;

export interface WatchRequest {
  create_request?: WatchCreateRequest;
  cancel_request?: WatchCancelRequest;
  progress_request?: WatchProgressRequest;
}

export interface WatchResponse {
  header?: ResponseHeader;
  watch_id?: number;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: number;
  cancel_reason?: string;
  fragment?: boolean;
  events?: Event[];
}

export type StatusRequest = Record<string, never>;

export interface StatusResponse {
  header?: ResponseHeader;
  version?: string;
  dbSize?: number;
  leader?: string;
  raftIndex?: number;
  raftTerm?: number;
  raftAppliedIndex?: number;
  errors?: string[];
  dbSizeInUse?: number;
  isLearner?: boolean;
}

export type HashRequest = Record<string, never>;

export interface HashResponse {
  header?: ResponseHeader;
  hash?: number;
}

export interface HashKVRequest {
  revision?: number;
}

export interface HashKVResponse {
  header?: ResponseHeader;
  hash?: number;
  compact_revision?: number;
}
