// etcd#18667 planted: a member that did not propose a txn drops its ranges, and with them the
// check of a range at a compacted revision, so the proposer fails the txn while the others apply
// its put. The correct build decides alike on every member.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import type { MemberUnsafeOptions } from '../../../src/server/member-config.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { EntryData } from '../../../src/raft/types.ts';
import type { MemberHeader } from '../../../src/server/state-machine-port.ts';

const HEADER: MemberHeader = { clusterId: '1', memberId: '1', raftTerm: () => 1 };
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function member(unsafe: MemberUnsafeOptions | undefined): EtcdStateMachine {
  const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1], unsafe });
  sm.bindHeader(HEADER);
  return sm;
}

function encode(sm: EtcdStateMachine, requestId: string, path: string, body: unknown): EntryData {
  const c = sm.classify(path, body, HEADER);
  if (c.kind !== 'propose') throw new Error(`${path} is not proposed`);
  return c.encode(requestId).data;
}

/** The same log on a proposer and on another member; the revision each ends at. */
function revisions(unsafe: MemberUnsafeOptions | undefined): [number, number] {
  const [proposer, other] = [member(unsafe), member(unsafe)];
  const log = [
    encode(proposer, '1', '/v3/kv/put', { key: b64('k'), value: b64('a') }),
    encode(proposer, '2', '/v3/kv/put', { key: b64('k'), value: b64('b') }),
    encode(proposer, '3', '/v3/kv/compaction', { revision: '3' }),
    encode(proposer, '4', '/v3/kv/txn', { success: [{ request_put: { key: b64('k'), value: b64('c') } }, { request_range: { key: b64('k'), revision: '2' } }] }),
  ];
  log.forEach((data, i) => {
    proposer.apply(i + 1, 1, data, 0, () => true);
    other.apply(i + 1, 1, data, 0, () => false);
  });
  return [proposer.status().revision, other.status().revision];
}

describe('txn ranges at a compacted revision (etcd#18667)', () => {
  it('every member fails the txn alike; with the planted bug only the proposer does', () => {
    const [p, o] = revisions(undefined);
    expect(p).toBe(3);
    expect(o).toBe(p);
    const [bp, bo] = revisions({ stateMachine: ['txn-ranges-stripped'] });
    expect(bp).toBe(3);
    expect(bo).toBe(4);
  });
});
