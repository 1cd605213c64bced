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

/** A call answered ok 1 ms after it was sent: [process, sent at (µs), f, request, answer]. */
export type TimedCall = [process: number, atUs: number, f: string, request: unknown, answer: unknown];

/** Timed calls as a history in time order: each an invoke at its time and its ok 1 ms later. */
export function timedCalls(calls: readonly TimedCall[]): Op[] {
  const out: Op[] = [];
  for (const [process, at, f, request, answer] of calls) {
    out.push({ index: 0, time: at, process, type: 'invoke', f, value: request });
    out.push({ index: 0, time: at + 1000, process, type: 'ok', f, value: answer });
  }
  return out.sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
}
