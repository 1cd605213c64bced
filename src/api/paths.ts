// The gateway paths of the v3 API (etcd 3.4's rpc.proto google.api.http options), with the
// request and response schemas of each. /v3/kv/lease/* are the aliases etcd registers for the
// lease calls; keepalive and watch are streams, answered as {"result": message} lines.
import type { Schema } from './schema.ts';
import * as S from './schema.ts';

export interface ApiPath {
  readonly path: string;
  readonly request: Schema;
  readonly response: Schema;
  /** A streaming call: each response is sent as {"result": message}. */
  readonly stream: boolean;
}

function p(path: string, request: Schema, response: Schema, stream = false): ApiPath {
  return { path, request, response, stream };
}

export const API_PATHS: readonly ApiPath[] = [
  p('/v3/kv/range', S.RangeRequest, S.RangeResponse),
  p('/v3/kv/put', S.PutRequest, S.PutResponse),
  p('/v3/kv/deleterange', S.DeleteRangeRequest, S.DeleteRangeResponse),
  p('/v3/kv/txn', S.TxnRequest, S.TxnResponse),
  p('/v3/kv/compaction', S.CompactionRequest, S.CompactionResponse),
  p('/v3/lease/grant', S.LeaseGrantRequest, S.LeaseGrantResponse),
  p('/v3/lease/revoke', S.LeaseRevokeRequest, S.LeaseRevokeResponse),
  p('/v3/kv/lease/revoke', S.LeaseRevokeRequest, S.LeaseRevokeResponse),
  p('/v3/lease/keepalive', S.LeaseKeepAliveRequest, S.LeaseKeepAliveResponse, true),
  p('/v3/lease/timetolive', S.LeaseTimeToLiveRequest, S.LeaseTimeToLiveResponse),
  p('/v3/kv/lease/timetolive', S.LeaseTimeToLiveRequest, S.LeaseTimeToLiveResponse),
  p('/v3/lease/leases', S.LeaseLeasesRequest, S.LeaseLeasesResponse),
  p('/v3/kv/lease/leases', S.LeaseLeasesRequest, S.LeaseLeasesResponse),
  p('/v3/watch', S.WatchRequest, S.WatchResponse, true),
  p('/v3/maintenance/status', S.StatusRequest, S.StatusResponse),
  p('/v3/maintenance/hash', S.HashRequest, S.HashResponse),
  p('/v3/maintenance/hashkv', S.HashKVRequest, S.HashKVResponse),
];

const BY_PATH = new Map(API_PATHS.map((a) => [a.path, a]));

export function apiPath(path: string): ApiPath | undefined {
  return BY_PATH.get(path);
}
