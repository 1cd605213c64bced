// A minimal single-member driver over EtcdStateMachine for tests: classify, then propose and
// apply at once, serve reads and lease calls locally, as a leader whose raft commits instantly.
import { EtcdStateMachine } from '../../../../src/server/apply/state-machine.ts';
import type { StateMachineConfig } from '../../../../src/server/apply/state-machine.ts';
import { DEFAULT_STATE_MACHINE_CONFIG } from '../../../../src/server/apply/state-machine.ts';
import type { MemberHeader, WireReply } from '../../../../src/server/state-machine-port.ts';

export class SingleMemberDriver {
  readonly sm: EtcdStateMachine;
  index = 0;
  nowMs = 0;
  private requestSeq = 1000n;

  constructor(readonly header: MemberHeader, config: StateMachineConfig = DEFAULT_STATE_MACHINE_CONFIG) {
    this.sm = new EtcdStateMachine(config);
    this.sm.bindHeader(header);
    this.sm.promoteLessor(this.nowMs, 1000);
  }

  request(path: string, body: unknown): WireReply {
    const c = this.sm.classify(path, body, this.header);
    switch (c.kind) {
      case 'invalid':
        return { ok: false, error: c.error };
      case 'read':
        return c.read();
      case 'local':
        return c.serve();
      case 'leader-lease':
        return c.serve(this.nowMs);
      case 'propose': {
        const { data } = c.encode(String(this.requestSeq++));
        return this.sm.apply(++this.index, 1, data, this.nowMs).reply;
      }
    }
  }

  /** The reply as the gateway's body: the response, or {"error","message","code"}. */
  body(path: string, body: unknown): unknown {
    const r = this.request(path, body);
    return r.ok ? r.body : { error: r.error.error, message: r.error.message, code: r.error.code };
  }
}
