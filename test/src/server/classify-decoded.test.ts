// A request that arrives with its body already decoded (ClientRequestMessage.decoded, built by the
// simulated workload beside the body) is classified from that value, not by decoding the body again;
// what is proposed and answered is the same as for the body decoded by the member.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { decodeRaftRequest } from '../../../src/server/apply/raft-request.ts';
import type { MemberHeader } from '../../../src/server/state-machine-port.ts';
import { put, range, txn } from '../../../sim/workload/etcd-request.ts';
import type { EtcdRequest } from '../../../sim/workload/etcd-request.ts';

const HEADER: MemberHeader = { clusterId: '1', memberId: '1', raftTerm: () => 1 };

function stateMachine(): EtcdStateMachine {
  const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
  sm.bindHeader(HEADER);
  return sm;
}

/** The raft request a classified write proposes. */
function proposed(sm: EtcdStateMachine, r: EtcdRequest, decoded: object | undefined): unknown {
  const c = sm.classify(r.path, r.body, HEADER, decoded);
  if (c.kind !== 'propose') throw new Error(`${r.path}: ${c.kind}`);
  return decodeRaftRequest(c.encode('7').data);
}

describe('classify with the body already decoded', () => {
  it('reads the decoded value, not the body', () => {
    // A body the codec refuses (not base64), carried with a decoded put: the decoded put is proposed.
    const sm = stateMachine();
    const c = sm.classify('/v3/kv/put', { key: '%%%' }, HEADER, { key: 'k', value: 'v' });
    expect(c.kind).toBe('propose');
    expect(sm.classify('/v3/kv/put', { key: '%%%' }, HEADER).kind).toBe('invalid');
  });

  it('proposes and answers what decoding the body gives', () => {
    const sm = stateMachine();
    for (const r of [put('key1', 'v1'), put('key2', 'v2', '5'), txn([{ target: 'VALUE', key: 'key1', value: 'v1' }], [{ put: put('key1', 'w') }], [{ range: range('key1') }])]) {
      expect(r.decoded).toBeDefined();
      expect(proposed(sm, r, r.decoded)).toStrictEqual(proposed(sm, r, undefined));
    }
    const get = range('key', { rangeEnd: 'kez', revision: 0 });
    const read = (decoded: object | undefined): unknown => {
      const c = sm.classify(get.path, get.body, HEADER, decoded);
      if (c.kind !== 'read') throw new Error(c.kind);
      return c.read();
    };
    expect(read(get.decoded)).toStrictEqual(read(undefined));
  });
});
