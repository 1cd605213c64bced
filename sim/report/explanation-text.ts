// A linearizability explanation as plain text lines, for the terminal (`detcd check`, `detcd
// run`) and junit.xml: the op(s) that cannot be placed first, with what they had to follow, the
// model state there and the fields where the model's answer and the op's differ; then the end of
// the longest linearizable prefix. Bounded: a reader of a CI log needs the culprit, not the run.
import type { ViolationExplanation } from '../check/linearizability/explain.ts';
import { truncate } from './escape.ts';
import { partitionName } from './partition-name.ts';
import { count } from '../text/count.ts';
import { maxOf } from '../array/stack-safe.ts';

const PREFIX_TAIL_OPS = 5;
const CONCURRENT_OPS_MAX = 5;
const LINE_CHARS_MAX = 300;

function isViolationExplanation(v: unknown): v is ViolationExplanation {
  if (v === null || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return typeof e['partition'] === 'string' && Array.isArray(e['prefix']) && Array.isArray(e['concurrent']) && typeof e['state'] === 'string';
}

function opLine(op: { index: number; process: number | string; op: string }): string {
  return `#${op.index} p${String(op.process)} ${op.op}`;
}

/** The explanation's lines, indented by `indent`; [] when `v` is not the checker's explanation. */
export function explanationLines(v: unknown, indent = '  '): string[] {
  if (!isViolationExplanation(v)) return [];
  const x = v;
  const out: string[] = [];
  const culprits = x.unplaceable ?? [];
  const c = x.contradiction;
  if (c !== undefined) {
    // Blamed outright; the search's culprits below are only where it stopped looking for a prefix.
    out.push(`${partitionName(x.partition)} is not linearizable: an answer contradicts the others`);
    out.push(`✗ #${c.index} ${c.op}`);
    out.push(`    ${c.reason}`);
    if (culprits.length > 0) out.push(`where the search for a linearizable prefix to show stopped: ${count(culprits.length, 'op')} it could not place`);
  } else out.push(`${partitionName(x.partition)} is not linearizable${culprits.length === 0 ? '' : `: ${count(culprits.length, 'op')} cannot be placed`}`);
  for (const u of culprits) {
    out.push(`✗ ${opLine(u)}`);
    if (u.after.length > u.follows.length) out.push(`    must follow ${u.after.length} ops that completed before it was invoked, ending:`);
    else if (u.follows.length > 0) out.push('    must follow (completed before it was invoked):');
    for (const f of u.follows) out.push(`      ${opLine(f)}`);
    out.push(`    model state there: ${u.stateBefore}`);
    const width = Math.min(24, maxOf(u.differences.map((d) => d.path.length), 5));
    if (u.differences.length > 0) out.push(`    ${'field'.padEnd(width)}  expected → returned`);
    for (const d of u.differences) out.push(`    ${(d.path === '' ? '(answer)' : d.path).padEnd(width)}  ${d.expected} → ${d.returned}`);
    if (u.orderPassed !== undefined) out.push(`    the state was already at ${u.orderPassed.order}, past the ${u.orderPassed.bound} its answer pins`);
  }
  const tail = x.prefix.slice(-PREFIX_TAIL_OPS);
  out.push(`longest linearizable prefix: ${x.prefix.length} of ${x.partitionOps ?? '?'} ops${tail.length < x.prefix.length ? ', ending' : ''}${tail.length === 0 ? '' : ':'}`);
  for (const p of tail) out.push(`    ${opLine(p)}${p.skipped ? ' (never took effect)' : ''}`);
  out.push(`state after it: ${x.state}`);
  if (x.blocked !== undefined) out.push(`the search stopped at ${opLine(x.blocked)}${culprits.length > 0 ? '' : ' (it cannot follow, nor any op concurrent with it)'}`);
  for (const c of x.concurrent.slice(0, CONCURRENT_OPS_MAX)) if (c.index !== x.blocked?.index) out.push(`    concurrent: ${opLine(c)}${c.legal ? '' : ' (illegal here)'}`);
  return out.map((line) => truncate(`${indent}${line}`, LINE_CHARS_MAX));
}
