// Scenario fields renamed so that units and bounds come last (`inflightMsgsMax`, not
// `maxInflightMsgs`; the house style, issue 15). A file written with the old spelling still
// loads: each old name is read as its new one and reported in one deprecation line. A file
// giving both spellings of one field is refused (which one would it mean?).
import { UsageError } from '../errors/usage-error.ts';

export interface RenamedField {
  /** The object holding the field, from the top of the scenario. */
  readonly section: readonly string[];
  readonly old: string;
  readonly now: string;
}

export const RENAMED_FIELDS: readonly RenamedField[] = [
  { section: ['cluster', 'raft'], old: 'maxInflightMsgs', now: 'inflightMsgsMax' },
  { section: ['cluster', 'raft'], old: 'maxSizePerMsgBytes', now: 'sizePerMsgBytesMax' },
  { section: ['cluster', 'etcd'], old: 'maxPendingApply', now: 'pendingApplyMax' },
  { section: ['workload'], old: 'minOkOps', now: 'okOpsMin' },
  { section: ['nemesis'], old: 'maxFaults', now: 'faultsMax' },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `raw` with every old field name replaced by its new one (a copy of the objects touched; the
 * input is not changed), and one deprecation line per old name met.
 */
export function renameOldFields(raw: unknown, file: string): { raw: unknown; deprecated: string[] } {
  const deprecated: string[] = [];
  if (!isRecord(raw)) return { raw, deprecated };
  const top: Record<string, unknown> = { ...raw };
  for (const r of RENAMED_FIELDS) {
    let holder: Record<string, unknown> = top;
    let found = true;
    for (const key of r.section) {
      const child = holder[key];
      if (!isRecord(child)) {
        found = false;
        break;
      }
      holder[key] = { ...child };
      holder = holder[key] as Record<string, unknown>;
    }
    if (!found || !(r.old in holder)) continue;
    const where = [...r.section, r.old].join('.');
    if (r.now in holder) throw new UsageError(`${file}: ${where}: renamed to ${r.now}, and ${r.now} is given too; keep only ${r.now}`);
    holder[r.now] = holder[r.old];
    delete holder[r.old];
    deprecated.push(`${file}: ${where}: deprecated spelling, read as ${[...r.section, r.now].join('.')}`);
  }
  // The copies differ from `raw` only in the renamed fields.
  return deprecated.length === 0 ? { raw, deprecated } : { raw: top, deprecated };
}
