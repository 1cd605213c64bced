// The lease checker judges a lease by its ops' times (a key read after its lease's deadline, a
// keep-alive after the lease was reported gone), read as one clock running forward in file
// order. A history from elsewhere whose times go backwards broke that silently: a valid run's
// history with its times mirrored (or an answer timed before its call, or half the ops 5 s
// earlier) was judged "lease violated: key put … at 4250925 µs answered ok, after the lease was
// reported gone (715312 µs)". Such a history is not judged: the verdict is unknown and names
// the first op whose time is earlier than the op before it. Linearizability reads file order,
// not times, and is judged as before.
import type { Op } from '../../history/op.ts';
import type { LeaseCheckResult } from '../lease.ts';

/** Why `ops`' times cannot be read as one clock (the first op timed before the op before it), or undefined. */
export function timesBackward(ops: readonly Op[]): string | undefined {
  for (let i = 1; i < ops.length; i++) {
    const before = ops[i - 1]!;
    const op = ops[i]!;
    if (op.time < before.time) return `op times go backwards: op ${op.index} (${op.type} ${op.f}) at ${op.time} µs comes after op ${before.index} at ${before.time} µs, and lease deadlines are judged by time`;
  }
  return undefined;
}

/** The lease verdict of a history whose times go backwards (`why`): not judged. */
export function leaseTimesUnknown(ops: readonly Op[], why: string): LeaseCheckResult {
  const leases = new Set<unknown>();
  for (const op of ops) if (op.type === 'ok' && op.f === 'lease/grant') leases.add((op.value as Record<string, unknown> | null)?.['ID']);
  return { valid: 'unknown', violations: [], leases: leases.size, summary: `unknown: ${why}`, unknownReason: 'op times go backwards' };
}
