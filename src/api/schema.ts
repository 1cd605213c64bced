// The protobuf shape of every v3 message the gateway speaks: fields in declaration order (the
// order the gateway's JSON lists them) with their kinds. json-codec.ts walks these.

export type Scalar =
  /** bytes: binary string ↔ base64 */
  | 'bytes'
  /** int64/uint64 held as a number ↔ decimal string */
  | 'int64'
  /** int64 held as a bigint (lease ids) ↔ decimal string */
  | 'bigint'
  /** uint64 held as a decimal string (member and cluster ids) ↔ the same string */
  | 'id'
  | 'bool'
  | 'string'
  /** uint32 ↔ JSON number (hashes) */
  | 'uint32';

export interface EnumKind {
  readonly enumName: string;
  readonly names: readonly string[];
}

export interface MessageKind {
  readonly message: () => Schema;
}

export interface RepeatedKind {
  readonly repeated: Scalar | EnumKind | MessageKind;
}

export type Kind = Scalar | EnumKind | MessageKind | RepeatedKind;

/** [field name, kind, member of a oneof (set zero values are still sent)] */
export type Field = readonly [string, Kind, boolean?];
export type Schema = readonly Field[];

const msg = (s: () => Schema): MessageKind => ({ message: s });
const rep = (k: Scalar | EnumKind | MessageKind): RepeatedKind => ({ repeated: k });
const en = (enumName: string, names: readonly string[]): EnumKind => ({ enumName, names });

export const ResponseHeader: Schema = [['cluster_id', 'id'], ['member_id', 'id'], ['revision', 'int64'], ['raft_term', 'int64']];
export const KeyValue: Schema = [
  ['key', 'bytes'], ['create_revision', 'int64'], ['mod_revision', 'int64'], ['version', 'int64'],
  ['value', 'bytes'], ['lease', 'bigint'],
];
export const Event: Schema = [['type', en('mvccpb.Event_EventType', ['PUT', 'DELETE'])], ['kv', msg(() => KeyValue)], ['prev_kv', msg(() => KeyValue)]];
const header: Field = ['header', msg(() => ResponseHeader)];

export const RangeRequest: Schema = [
  ['key', 'bytes'], ['range_end', 'bytes'], ['limit', 'int64'], ['revision', 'int64'],
  ['sort_order', en('etcdserverpb.RangeRequest_SortOrder', ['NONE', 'ASCEND', 'DESCEND'])],
  ['sort_target', en('etcdserverpb.RangeRequest_SortTarget', ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'])],
  ['serializable', 'bool'], ['keys_only', 'bool'], ['count_only', 'bool'],
  ['min_mod_revision', 'int64'], ['max_mod_revision', 'int64'], ['min_create_revision', 'int64'], ['max_create_revision', 'int64'],
];
export const RangeResponse: Schema = [header, ['kvs', rep(msg(() => KeyValue))], ['more', 'bool'], ['count', 'int64']];
export const PutRequest: Schema = [
  ['key', 'bytes'], ['value', 'bytes'], ['lease', 'bigint'], ['prev_kv', 'bool'], ['ignore_value', 'bool'], ['ignore_lease', 'bool'],
];
export const PutResponse: Schema = [header, ['prev_kv', msg(() => KeyValue)]];
export const DeleteRangeRequest: Schema = [['key', 'bytes'], ['range_end', 'bytes'], ['prev_kv', 'bool']];
export const DeleteRangeResponse: Schema = [header, ['deleted', 'int64'], ['prev_kvs', rep(msg(() => KeyValue))]];
export const RequestOp: Schema = [
  ['request_range', msg(() => RangeRequest)], ['request_put', msg(() => PutRequest)],
  ['request_delete_range', msg(() => DeleteRangeRequest)], ['request_txn', msg(() => TxnRequest)],
];
export const ResponseOp: Schema = [
  ['response_range', msg(() => RangeResponse)], ['response_put', msg(() => PutResponse)],
  ['response_delete_range', msg(() => DeleteRangeResponse)], ['response_txn', msg(() => TxnResponse)],
];
export const Compare: Schema = [
  ['result', en('etcdserverpb.Compare_CompareResult', ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'])],
  ['target', en('etcdserverpb.Compare_CompareTarget', ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'])],
  ['key', 'bytes'],
  ['version', 'int64', true], ['create_revision', 'int64', true], ['mod_revision', 'int64', true],
  ['value', 'bytes', true], ['lease', 'bigint', true],
  ['range_end', 'bytes'],
];
export const TxnRequest: Schema = [['compare', rep(msg(() => Compare))], ['success', rep(msg(() => RequestOp))], ['failure', rep(msg(() => RequestOp))]];
export const TxnResponse: Schema = [header, ['succeeded', 'bool'], ['responses', rep(msg(() => ResponseOp))]];
export const CompactionRequest: Schema = [['revision', 'int64'], ['physical', 'bool']];
export const CompactionResponse: Schema = [header];
export const LeaseGrantRequest: Schema = [['TTL', 'int64'], ['ID', 'bigint']];
export const LeaseGrantResponse: Schema = [header, ['ID', 'bigint'], ['TTL', 'int64'], ['error', 'string']];
export const LeaseRevokeRequest: Schema = [['ID', 'bigint']];
export const LeaseRevokeResponse: Schema = [header];
export const LeaseCheckpoint: Schema = [['ID', 'bigint'], ['remaining_TTL', 'int64']];
export const LeaseCheckpointRequest: Schema = [['checkpoints', rep(msg(() => LeaseCheckpoint))]];
export const LeaseCheckpointResponse: Schema = [header];
export const LeaseKeepAliveRequest: Schema = [['ID', 'bigint']];
export const LeaseKeepAliveResponse: Schema = [header, ['ID', 'bigint'], ['TTL', 'int64']];
export const LeaseTimeToLiveRequest: Schema = [['ID', 'bigint'], ['keys', 'bool']];
export const LeaseTimeToLiveResponse: Schema = [header, ['ID', 'bigint'], ['TTL', 'int64'], ['grantedTTL', 'int64'], ['keys', rep('bytes')]];
export const LeaseLeasesRequest: Schema = [];
export const LeaseStatus: Schema = [['ID', 'bigint']];
export const LeaseLeasesResponse: Schema = [header, ['leases', rep(msg(() => LeaseStatus))]];
export const WatchCreateRequest: Schema = [
  ['key', 'bytes'], ['range_end', 'bytes'], ['start_revision', 'int64'], ['progress_notify', 'bool'],
  ['filters', rep(en('etcdserverpb.WatchCreateRequest_FilterType', ['NOPUT', 'NODELETE']))],
  ['prev_kv', 'bool'], ['watch_id', 'int64'], ['fragment', 'bool'],
];
export const WatchCancelRequest: Schema = [['watch_id', 'int64']];
export const WatchProgressRequest: Schema = [];
export const WatchRequest: Schema = [
  ['create_request', msg(() => WatchCreateRequest)], ['cancel_request', msg(() => WatchCancelRequest)],
  ['progress_request', msg(() => WatchProgressRequest)],
];
export const WatchResponse: Schema = [
  header, ['watch_id', 'int64'], ['created', 'bool'], ['canceled', 'bool'], ['compact_revision', 'int64'],
  ['cancel_reason', 'string'], ['fragment', 'bool'], ['events', rep(msg(() => Event))],
];
export const StatusRequest: Schema = [];
export const StatusResponse: Schema = [
  header, ['version', 'string'], ['dbSize', 'int64'], ['leader', 'id'], ['raftIndex', 'int64'], ['raftTerm', 'int64'],
  ['raftAppliedIndex', 'int64'], ['errors', rep('string')], ['dbSizeInUse', 'int64'], ['isLearner', 'bool'],
];
export const HashRequest: Schema = [];
export const HashResponse: Schema = [header, ['hash', 'uint32']];
export const HashKVRequest: Schema = [['revision', 'int64']];
export const HashKVResponse: Schema = [header, ['hash', 'uint32'], ['compact_revision', 'int64']];
