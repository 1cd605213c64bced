// Test helpers: an applier with a raft index counter, and short request builders.
import { Applier } from '../../../../src/server/apply/applier.ts';
import type { ApplyResult } from '../../../../src/server/apply/applier.ts';
import type { RaftRequest } from '../../../../src/server/apply/raft-request.ts';
import { decodeRaftRequest, encodeRaftRequest } from '../../../../src/server/apply/raft-request.ts';
import type { LessorConfig } from '../../../../src/lease/lessor.ts';
import { DEFAULT_LESSOR_CONFIG } from '../../../../src/lease/lessor.ts';

export class TestMember {
  readonly applier: Applier;
  index = 0;
  nowMs = 0;

  constructor(config: LessorConfig = DEFAULT_LESSOR_CONFIG) {
    this.applier = new Applier(config);
  }

  /** Applies through the raft entry encoding, as a member would. */
  apply(body: RaftRequest): ApplyResult {
    const data = encodeRaftRequest({ id: String(this.index + 1), body });
    const r = this.applier.apply(++this.index, decodeRaftRequest(data), this.nowMs);
    if (r === undefined) throw new Error('entry skipped');
    return r;
  }

  put(key: string, value: string, extra: Record<string, unknown> = {}): ApplyResult {
    return this.apply({ kind: 'put', request: { key, value, ...extra } });
  }

  del(key: string, rangeEnd?: string, extra: Record<string, unknown> = {}): ApplyResult {
    return this.apply({ kind: 'delete_range', request: { key, ...(rangeEnd !== undefined ? { range_end: rangeEnd } : {}), ...extra } });
  }

  get rev(): number {
    return this.applier.store.currentRev;
  }
}
