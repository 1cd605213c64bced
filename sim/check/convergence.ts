// Convergence: every member up and at the same revision, compact revision and key-value hash
// (etcd's CheckEndOfTestHashKV). The one definition: the liveness phase waits for it, the
// convergence checker judges the end of a run by it, EtcdCluster.converged() and the tests
// use it, and it is exported for histories from anywhere (package export "./check").
import type { CheckResult, Validity } from './verdict.ts';
import { count } from '../text/count.ts';
import { compactionText } from '../text/compaction.ts';

/** One member's answer. `up: false` (or no answer at all) means it cannot have converged. */
export interface MemberStatus {
  node: string;
  /** False for a member that did not answer (down, paused); true when absent. */
  up?: boolean;
  revision: number;
  compactRevision: number;
  hash: number | string;
}

export type ConvergenceField = 'revision' | 'compactRevision' | 'hash';

export interface ConvergenceResult extends CheckResult {
  valid: Validity;
  summary: string;
  members: MemberStatus[];
  /** Members that did not answer. */
  down: string[];
  /** Fields on which the members that answered disagree, with each one's value. */
  disagreements: { field: ConvergenceField; values: Record<string, number | string> }[];
}

const FIELDS: readonly ConvergenceField[] = ['revision', 'compactRevision', 'hash'];

/** No member at all is "unknown"; a member down or any field that differs is false. */
export function checkConvergence(members: readonly MemberStatus[]): ConvergenceResult {
  const down = members.filter((m) => m.up === false).map((m) => m.node);
  const up = members.filter((m) => m.up !== false);
  const disagreements: ConvergenceResult['disagreements'] = [];
  for (const field of FIELDS) {
    const distinct = new Set(up.map((m) => String(m[field])));
    if (distinct.size > 1) disagreements.push({ field, values: Object.fromEntries(up.map((m) => [m.node, m[field]])) });
  }
  if (members.length === 0) return { valid: 'unknown', members: [], down, disagreements, summary: 'no member reported its status' };
  const first = up[0];
  if (down.length === 0 && disagreements.length === 0 && first !== undefined) {
    return { valid: true, members: [...members], down, disagreements, summary: `${count(members.length, 'member')} ${members.length === 1 ? 'agrees' : 'agree'}: revision ${first.revision}, ${compactionText(first.compactRevision)}, hash ${first.hash}` };
  }
  const why: string[] = [];
  if (down.length > 0) why.push(`members down: ${down.join(', ')}`);
  for (const d of disagreements) why.push(`${d.field} differs (${Object.entries(d.values).map(([n, v]) => `${n}=${v}`).join(', ')})`);
  return { valid: false, members: [...members], down, disagreements, summary: `members disagree: ${why.join('; ')}` };
}
