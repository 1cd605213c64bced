// Types of trace-gc-lines.mjs.
export interface GcPauses { scavenges: number; scavengeMs: number; markCompacts: number; markCompactMs: number }
export function gcPauses(lines: readonly string[]): GcPauses;
