// The request messages of the methods answered beside the member (local-methods.ts: the member
// API, MoveLeader, Alarm, Defragment) as gateway JSON schemas (etcd 3.4's rpc.proto): a gateway
// request is decoded against them first, so a malformed field ("ID": "abc", "ID": -1, a string
// for isLearner, an unknown alarm) gets the gateway's INVALID_ARGUMENT answer in jsonpb's words,
// as etcd's does, instead of reaching the cluster (gRPC requests arrive decoded by their .proto).
import type { Schema } from '../../../src/api/schema.ts';

const id = ['ID', 'id'] as const;
const peerURLs = ['peerURLs', { repeated: 'string' }] as const;

/** By gateway path. */
export const LOCAL_REQUESTS: Record<string, Schema> = {
  '/v3/cluster/member/list': [],
  '/v3/cluster/member/add': [peerURLs, ['isLearner', 'bool']],
  '/v3/cluster/member/remove': [id],
  '/v3/cluster/member/update': [id, peerURLs],
  '/v3/cluster/member/promote': [id],
  '/v3/maintenance/alarm': [
    ['action', { enumName: 'etcdserverpb.AlarmRequest_AlarmAction', names: ['GET', 'ACTIVATE', 'DEACTIVATE'] }],
    ['memberID', 'id'],
    ['alarm', { enumName: 'etcdserverpb.AlarmType', names: ['NONE', 'NOSPACE', 'CORRUPT'] }],
  ],
  '/v3/maintenance/defragment': [],
  '/v3/maintenance/transfer-leadership': [['targetID', 'id']],
  // Snapshot streams its answer, but its request is one message, decoded (and refused) first.
  '/v3/maintenance/snapshot': [],
};
