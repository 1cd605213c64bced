// Convergence at the end of a run: every member reports the same revision, compact revision
// and key-value hash (etcd's CheckEndOfTestHashKV).
import type { CheckResult, Validity } from './verdict.ts';

export interface MemberStatus {
  node: string;
  revision: number;
  compactRevision: number;
  hash: number | string;
}

export interface ConvergenceResult extends CheckResult {
  valid: Validity;
  members: MemberStatus[];
  /** Fields on which members disagree. */
  disagreements: { field: 'revision' | 'compactRevision' | 'hash'; values: Record<string, number | string> }[];
}

export function checkConvergence(members: readonly MemberStatus[]): ConvergenceResult {
  const disagreements: ConvergenceResult['disagreements'] = [];
  for (const field of ['revision', 'compactRevision', 'hash'] as const) {
    const distinct = new Set(members.map((m) => String(m[field])));
    if (distinct.size > 1) disagreements.push({ field, values: Object.fromEntries(members.map((m) => [m.node, m[field]])) });
  }
  if (members.length === 0) return { valid: 'unknown', members: [], disagreements, summary: 'no member reported its status' };
  const valid = disagreements.length === 0;
  return {
    valid,
    members: [...members],
    disagreements,
    summary: valid
      ? `${members.length} member(s) agree: revision ${members[0]!.revision}, compact ${members[0]!.compactRevision}, hash ${members[0]!.hash}`
      : `members disagree on ${disagreements.map((d) => `${d.field} (${Object.entries(d.values).map(([n, v]) => `${n}=${v}`).join(', ')})`).join('; ')}`,
  };
}
