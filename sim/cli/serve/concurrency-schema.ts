// The request messages of etcd's lock and election services (v3lock.proto, v3election.proto) as
// gateway JSON schemas: a gateway request is decoded against them first, so a malformed field
// ("lease": "abc", bad base64) gets the gateway's INVALID_ARGUMENT answer, as etcd's does,
// instead of reaching the methods (gRPC requests arrive decoded by their .proto).
import type { Schema } from '../../../src/api/schema.ts';

const LeaderKey: Schema = [['name', 'bytes'], ['key', 'bytes'], ['rev', 'int64'], ['lease', 'bigint']];
const leaderKey = ['leader', { message: () => LeaderKey }] as const;

/** By gateway path. */
export const CONCURRENCY_REQUESTS: Record<string, Schema> = {
  '/v3/lock/lock': [['name', 'bytes'], ['lease', 'bigint']],
  '/v3/lock/unlock': [['key', 'bytes']],
  '/v3/election/campaign': [['name', 'bytes'], ['lease', 'bigint'], ['value', 'bytes']],
  '/v3/election/proclaim': [leaderKey, ['value', 'bytes']],
  '/v3/election/leader': [['name', 'bytes']],
  '/v3/election/observe': [['name', 'bytes']],
  '/v3/election/resign': [leaderKey],
};
