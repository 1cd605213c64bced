// Builds small histories by hand: each line is [process, type, f, value, error?].
import type { Op, OpType } from '../../../sim/history/op.ts';
import type { ParsedHistory } from '../../../sim/history/parsed-history.ts';

export type Line = [process: number, type: OpType, f: string, value: unknown, error?: string];

export function history(lines: Line[]): ParsedHistory {
  const ops: Op[] = lines.map(([process, type, f, value, error], index) => {
    const op: Op = { index, time: index * 10, process, type, f, value };
    if (error !== undefined) op.error = error;
    return op;
  });
  return { ops, lines: ops.map((_, i) => i + 1) };
}

export const b64 = (s: string): string => btoa(s);
export const hdr = (revision: number): { header: { revision: string } } => ({ header: { revision: String(revision) } });
export const kv = (key: string, value: string, create: number, mod: number, version: number, lease?: number): Record<string, string> => {
  const o: Record<string, string> = { key: b64(key), value: b64(value), create_revision: String(create), mod_revision: String(mod), version: String(version) };
  if (lease !== undefined) o['lease'] = String(lease);
  return o;
};
