// The etcd state machine every member runs in a harness run: the applier of src/server/apply
// (MVCC, leases, watches) behind the member's StateMachinePort.
import type { MemberConfig } from '../../src/server/member-config.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';

export function makeEtcdStateMachine(_config: MemberConfig): StateMachinePort {
  throw new Error('the etcd state machine adapter (src/server) is not available yet');
}
