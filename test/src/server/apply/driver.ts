// A minimal single-member driver over the member's EtcdStateMachine for tests: classify, then
// propose and apply at once, serve reads and lease calls locally, as a leader whose raft
// commits instantly.
import { EtcdStateMachine } from '../../../../src/server/etcd-state-machine.ts';
import type { EtcdStateMachineOptions } from '../../../../src/server/etcd-state-machine.ts';
import type { MemberHeader, WireReply } from '../../../../src/server/state-machine-port.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../../src/server/member-config.ts';

export class SingleMemberDriver {
  readonly sm: EtcdStateMachine;
  index = 0;
  nowMs = 0;
  private requestSeq = 1000n;

  constructor(readonly header: MemberHeader, options: EtcdStateMachineOptions = {}) {
    this.sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] }, options);
    this.sm.bindHeader(header);
    this.sm.promoteLessor(this.nowMs, 1000);
  }

  request(path: string, body: unknown): WireReply {
    const c = this.sm.classify(path, body);
    switch (c.kind) {
      case 'invalid':
        return { ok: false, error: c.error };
      case 'read':
        return c.read();
      case 'local':
        return c.serve();
      case 'leader-lease': {
        const r = c.serve(this.nowMs);
        if ('ok' in r) return r;
        // A renewal that clears a checkpoint: its entry applies, then it answers.
        this.sm.apply(++this.index, 1, r.entry(String(this.requestSeq++)), this.nowMs);
        return r.then(this.nowMs);
      }
      case 'propose': {
        const { data } = c.encode(String(this.requestSeq++));
        return this.sm.apply(++this.index, 1, data, this.nowMs).reply;
      }
      case 'read-then-propose':
      case 'wait-applied':
        throw new Error(`driver: ${c.kind} needs a member (auth requests and tokens are tested through one)`);
    }
  }

  /**
   * The reply as the gateway's body: the response, or {"error","message","code"}; a streaming
   * call's response wrapped in {"result": ...} as the HTTP bridge writes it.
   */
  body(path: string, body: unknown): unknown {
    const r = this.request(path, body);
    if (!r.ok) return { error: r.error.error, message: r.error.message, code: r.error.code };
    return path === '/v3/lease/keepalive' ? { result: r.body } : r.body;
  }
}
