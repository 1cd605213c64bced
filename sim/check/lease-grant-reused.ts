// Lease checker rule 8, a grant answered with the id of a lease still alive: etcd's Grant fails
// "lease already exists" for an id its lessor holds (lessor.go Grant: ErrLeaseExists), whether
// the client chose the id or the member drew it, so two grants answered ok with one id mean the
// first lease had ended before the second applied. It cannot have ended when no revoke of it was
// sent, no answer reported it gone, and its TTL had not run out since its grant was sent (on a
// leader clock that runs fast or jumps forward by at most what the scenario allows; a new leader
// only restarts TTLs) by the time the second grant was answered.
import type { Op } from '../history/op.ts';
import { id64, int } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

export interface GrantReused {
  readonly lease: string;
  readonly index: number;
  readonly message: string;
}

export interface GrantReusedOptions {
  readonly clockDriftPpmMax?: number;
  /** The sum of a leader clock's forward jumps (µs); Infinity: not judged. */
  readonly clockJumpUsMax?: number;
}

/** Ok grants by the id they answered, in history order; every moment something may have ended a lease (a revoke sent, a "gone" answer). */
export function findGrantReused(history: readonly Op[], o: GrantReusedOptions, max: number): GrantReused[] {
  const jumpUs = o.clockJumpUsMax ?? 0;
  if (!Number.isFinite(jumpUs)) return [];
  const drift = Math.max(0, o.clockDriftPpmMax ?? 0);
  const endedUs = new Map<string, number>();
  const open = new Map<number | string, Op>();
  const pairs: { invoke: Op; ok: Op }[] = [];
  const ended = (id: string, at: number): void => void endedUs.set(id, Math.min(endedUs.get(id) ?? Infinity, at));
  for (const op of history) {
    if (op.type === 'invoke') {
      open.set(op.process, op);
      if (op.f === 'lease/revoke') ended(id64(obj(op.value)['ID']), op.time);
      continue;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    if (invoke === undefined || op.type !== 'ok') continue;
    const resp = obj(op.value);
    if (invoke.f === 'lease/grant') pairs.push({ invoke, ok: op });
    else if ((invoke.f === 'lease/keepalive' && int(resp['TTL']) <= 0) || (invoke.f === 'lease/timetolive' && int(resp['TTL']) < 0 && resp['grantedTTL'] === undefined)) ended(id64(obj(invoke.value)['ID']), op.time);
  }
  const out: GrantReused[] = [];
  const last = new Map<string, { invoke: Op; ok: Op; ttlS: number }>();
  for (const { invoke, ok } of pairs) {
    const resp = obj(ok.value);
    const id = id64(resp['ID']) !== '0' ? id64(resp['ID']) : id64(obj(invoke.value)['ID']);
    const first = last.get(id);
    last.set(id, { invoke, ok, ttlS: int(resp['TTL']) });
    if (first === undefined || first.ok.time >= invoke.time || first.ttlS <= 0) continue;
    // The first lease lives at least its TTL from its grant's sending, by a clock that may run fast.
    const aliveUntilUs = first.invoke.time + (first.ttlS * 1e6 * 1e6) / (1e6 + drift) - jumpUs;
    if (ok.time >= aliveUntilUs || (endedUs.get(id) ?? Infinity) <= ok.time) continue;
    if (out.length < max) out.push({ lease: id, index: ok.index, message: `grant answered lease ${id}, which a grant answered at ${first.ok.time} µs made with TTL ${first.ttlS} s and nothing ended before this answer (${ok.time} µs): etcd refuses a grant of a live lease's id` });
  }
  return out;
}
