// One watch record as detcd writes it (a line of watches.jsonl), checked field by field: a
// numeric `time` (µs) and a `response` object; with `process` (the watch client) and `request`
// (the create request a stream was opened with) it is also a stream the watch checker can judge.
// Shared by `detcd check` (a report's watches beside its history) and `detcd report`.
import type { WatchRecord } from './op.ts';
import { watchRecordProblem } from './etcd-field-types.ts';
import { shownValue } from './shown-value.ts';

/** The record, or what is wrong with it (a reason without the file and line, which the caller adds). */
export function watchRecordOf(o: unknown): WatchRecord | string {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not a watch record (an object with time and response)';
  const r = o as { time?: unknown; response?: unknown; process?: unknown; request?: unknown; closed?: unknown; node?: unknown };
  if (typeof r.time !== 'number' || !Number.isFinite(r.time)) return 'field time must be a number (µs)';
  if (typeof r.response !== 'object' || r.response === null) return 'field response must be an object';
  if (r.process !== undefined && typeof r.process !== 'string' && !(typeof r.process === 'number' && Number.isSafeInteger(r.process))) return 'field process must be a string or a whole number (the watch client)';
  if (r.request !== undefined && (typeof r.request !== 'object' || r.request === null || Array.isArray(r.request))) return 'field request must be an object (the watch\'s create request)';
  if (r.node !== undefined && typeof r.node !== 'string') return `field node must be a string (the member the stream was connected to), got ${shownValue(r.node)}`;
  if (r.closed !== undefined && typeof r.closed !== 'string') return 'field closed must be a string (why the watch stream was closed)';
  const problem = watchRecordProblem(r.request, r.response);
  if (problem !== undefined) return problem;
  const rec: WatchRecord = { process: r.process ?? '', time: r.time, response: r.response };
  if (r.request !== undefined) rec.request = r.request;
  if (r.closed !== undefined) rec.closed = r.closed;
  return rec;
}
