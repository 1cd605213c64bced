// A small replicated state machine for testing the member, host, cluster and client without
// the etcd applier: puts and single-key ranges in the wire form, one revision per put. It
// implements the same StateMachinePort, so everything around it is exercised for real.
import type { Applied, Classified, StateMachinePort, WatchStreamPort, WireReply } from '../../../src/server/state-machine-port.ts';

interface State {
  rev: number;
  ci: number;
  kv: Record<string, { value: string; mod: number }>;
}

export class RegisterStateMachine implements StateMachinePort {
  private s: State = { rev: 1, ci: 0, kv: {} };
  /** Every (index, requestId) applied, for tests that check exactly-once application. */
  readonly appliedLog: { index: number; requestId: string }[] = [];

  bindHeader(): void {}

  consistentIndex(): number {
    return this.s.ci;
  }

  classify(path: string, body: unknown): Classified {
    const b = (body ?? {}) as { key?: string; value?: string; serializable?: boolean };
    if (path === '/v3/kv/put') return { kind: 'propose', encode: (id) => {
      const data = JSON.stringify({ id, key: b.key ?? '', value: b.value ?? '' });
      return { data, sizeBytes: data.length };
    } };
    if (path === '/v3/kv/range') return { kind: 'read', serializable: b.serializable === true, read: () => this.range(b.key ?? '') };
    if (path === '/v3/maintenance/status') return { kind: 'local', serve: () => ({ ok: true, body: { header: { revision: String(this.s.rev) } } }) };
    return { kind: 'invalid', error: { error: 'unsupported', code: 12, message: 'unsupported' } };
  }

  private range(key: string): WireReply {
    const e = this.s.kv[key];
    const kvs = e === undefined ? [] : [{ key, value: e.value, mod_revision: String(e.mod) }];
    return { ok: true, body: { header: { revision: String(this.s.rev) }, kvs, count: String(kvs.length) } };
  }

  apply(index: number, _term: number, data: string): Applied {
    if (index !== this.s.ci + 1) throw new Error(`test state machine: applied ${index} after ${this.s.ci}`);
    const p = JSON.parse(data) as { id: string; key: string; value: string };
    this.s.rev++;
    this.s.kv[p.key] = { value: p.value, mod: this.s.rev };
    this.s.ci = index;
    this.appliedLog.push({ index, requestId: p.id });
    return { requestId: p.id, reply: { ok: true, body: { header: { revision: String(this.s.rev) } } }, revokedLeases: [] };
  }

  applyNoop(index: number): void {
    if (index !== this.s.ci + 1) throw new Error(`test state machine: noop ${index} after ${this.s.ci}`);
    this.s.ci = index;
  }

  promoteLessor(): void {}
  demoteLessor(): void {}
  expiredLeases(): number[] {
    return [];
  }
  encodeLeaseRevoke(): string {
    throw new Error('no leases here');
  }
  checkpoints(): string[] {
    return [];
  }
  onTick(): void {}
  openWatchStream(): WatchStreamPort {
    return { handle: () => [], poll: () => [], close: () => {} };
  }

  snapshot(): string {
    return JSON.stringify(this.s);
  }

  restore(data: string): void {
    this.s = JSON.parse(data) as State;
  }

  status(): { revision: number; compactRevision: number; hashKV: number } {
    let h = 0;
    for (const ch of JSON.stringify(this.s.kv)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    return { revision: this.s.rev, compactRevision: -1, hashKV: h };
  }
}
