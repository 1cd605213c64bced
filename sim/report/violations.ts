// Watch, lease and other violations, each with the events around it: the operations near it in
// time (those it names highlighted) and the watch responses the same client received.
import { Buffer } from 'node:buffer';
import type { CheckResult } from '../check/verdict.ts';
import type { WatchRecord } from '../history/op.ts';
import { recordOfClient } from '../check/watch-stream-ids.ts';
import { escapeHtml } from './escape.ts';
import { compactJson, decodeForDisplay, opLabel, responseLabel } from './op-label.ts';
import type { PairedHistory, PairedOp } from './paired-ops.ts';
import { formatUs } from './svg-kit.ts';
import { maxOf, pushAll } from '../array/stack-safe.ts';

/**
 * What the report reads from a checker's `violations` array. Only `message` (or `kind`) is
 * needed; the rest places the violation among the events.
 */
export interface ReportViolation {
  kind?: string;
  message?: string;
  /** Simulated µs at which it was observed. */
  timeUs?: number;
  process?: number | string;
  /** History indices of the operations involved. */
  ops?: number[];
  key?: string;
  [detail: string]: unknown;
}

export interface ViolationLimits {
  violationsMax: number;
  eventsAroundMax: number;
  tooltipCharsMax: number;
}

/**
 * Normalizes the checkers' own shapes: the watch checker names a `guarantee` and a `revision`,
 * the lease checker the history `index` of the op that shows the violation.
 */
function normalize(raw: Record<string, unknown>): ReportViolation {
  const v: ReportViolation = { ...raw };
  if (v.kind === undefined && typeof raw['guarantee'] === 'string') v.kind = raw['guarantee'];
  if (v.ops === undefined && typeof raw['index'] === 'number') v.ops = [raw['index']];
  return v;
}

function asViolations(result: CheckResult): ReportViolation[] {
  const list = result['violations'];
  if (!Array.isArray(list)) return [];
  return list.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object').map(normalize);
}

/**
 * Whether a watch response holds an event at or past `revision` (gateway JSON: mod_revision as
 * a string): the response where a watcher saw the revision, or first noticed it missing.
 */
function reachesRevision(record: WatchRecord, revision: number): boolean {
  const events = (record.response as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return false;
  return events.some((e) => Number((e as { kv?: { mod_revision?: unknown } } | null)?.kv?.mod_revision) >= revision);
}

function violationTimeUs(v: ReportViolation, history: PairedHistory, watches: readonly WatchRecord[]): number | undefined {
  if (typeof v.timeUs === 'number') return v.timeUs;
  const revision = v['revision'];
  const client = v.process;
  if (typeof revision === 'number' && client !== undefined) {
    const seen = watches.find((w) => recordOfClient(w, client) && reachesRevision(w, revision));
    if (seen !== undefined) return seen.time;
  }
  const named = (v.ops ?? []).map((i) => history.byIndex.get(i)).filter((op): op is PairedOp => op !== undefined);
  return named.length === 0 ? undefined : maxOf(named.map((op) => op.endUs));
}

/** Whether an op's request names the key, given as text (requests carry it in base64). */
function onKey(op: PairedOp, key: string): boolean {
  const requested = op.request !== null && typeof op.request === 'object' ? (op.request as Record<string, unknown>)['key'] : undefined;
  return requested === key || requested === Buffer.from(key, 'utf8').toString('base64');
}

/** The ops nearest in time to the violation, plus every op it names, in time order. */
function opsAround(v: ReportViolation, history: PairedHistory, atUs: number | undefined, countMax: number): PairedOp[] {
  const named = new Set((v.ops ?? []).map((i) => history.byIndex.get(i)).filter((op): op is PairedOp => op !== undefined));
  const near: PairedOp[] = [];
  if (atUs !== undefined) {
    const distance = (op: PairedOp): number => (op.endUs < atUs ? atUs - op.endUs : op.startUs > atUs ? op.startUs - atUs : 0);
    const sameKey = v.key === undefined ? history.ops : history.ops.filter((op) => onKey(op, v.key ?? ''));
    pushAll(near, [...sameKey].sort((a, b) => distance(a) - distance(b)).slice(0, countMax));
  }
  return [...new Set([...named, ...near])].sort((a, b) => a.startUs - b.startUs || a.id - b.id);
}

function watchesAround(v: ReportViolation, watches: readonly WatchRecord[], atUs: number | undefined, countMax: number): WatchRecord[] {
  if (atUs === undefined) return [];
  const client = v.process;
  const mine = client === undefined ? watches : watches.filter((w) => recordOfClient(w, client));
  return [...mine].sort((a, b) => Math.abs(a.time - atUs) - Math.abs(b.time - atUs)).slice(0, countMax).sort((a, b) => a.time - b.time);
}

function opsTable(ops: readonly PairedOp[], named: ReadonlySet<number>, charsMax: number): string {
  if (ops.length === 0) return '';
  const rows = ops.map((op) => `<tr class="${named.has(op.id) ? 'named' : ''}"><td class="nowrap">${escapeHtml(formatUs(op.startUs))}</td><td class="nowrap">${escapeHtml(formatUs(op.endUs))}</td><td class="nowrap">${escapeHtml(String(op.process))}</td><td class="nowrap">${escapeHtml(opLabel(op.f, op.request, 60))}</td><td><span class="pill ${op.type}">${op.type}</span></td><td class="mono">${escapeHtml(op.error ?? responseLabel(op.response, charsMax))}</td></tr>`);
  return `<table class="data"><thead><tr><th>invoke</th><th>complete</th><th>process</th><th>operation</th><th>outcome</th><th>response / error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function watchTable(records: readonly WatchRecord[], charsMax: number): string {
  if (records.length === 0) return '';
  const rows = records.map((w) => `<tr><td class="nowrap">${escapeHtml(formatUs(w.time))}</td><td class="nowrap">${escapeHtml(String(w.process))}</td><td class="nowrap">${escapeHtml(w.node ?? '')}</td><td class="mono">${escapeHtml(w.closed === undefined ? responseLabel(w.response, charsMax) : `stream closed: ${w.closed}`)}</td></tr>`);
  return `<table class="data"><thead><tr><th>received</th><th>watcher</th><th>member</th><th>watch response</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function violationCard(v: ReportViolation, history: PairedHistory, watches: readonly WatchRecord[], limits: ViolationLimits): string {
  const atUs = violationTimeUs(v, history, watches);
  const named = new Set((v.ops ?? []).map((i) => history.byIndex.get(i)?.id).filter((id): id is number => id !== undefined));
  const around = opsAround(v, history, atUs, limits.eventsAroundMax);
  const watched = watchesAround(v, watches, atUs, limits.eventsAroundMax);
  const where = [atUs === undefined ? '' : `at ${formatUs(atUs)}`, v.process === undefined ? '' : `client ${String(v.process)}`, v.key === undefined ? '' : `key ${v.key}`].filter((s) => s !== '').join(' · ');
  return `<div class="card violation">
<h3>${escapeHtml(v.kind ?? 'violation')}</h3>
<p>${escapeHtml(v.message ?? compactJson(v, limits.tooltipCharsMax))}</p>
${where === '' ? '' : `<p class="muted">${escapeHtml(where)}</p>`}
${around.length === 0 ? '' : `<h4>operations around it</h4>${opsTable(around, named, limits.tooltipCharsMax)}`}
${watched.length === 0 ? '' : `<h4>watch responses around it</h4>${watchTable(watched, limits.tooltipCharsMax)}`}
<details><summary>details</summary><pre>${escapeHtml(JSON.stringify(decodeForDisplay(v), null, 2) ?? '')}</pre></details>
</div>`;
}

/** Every checker result with a `violations` array gets its block, bounded per checker. */
export function violationsSection(checkers: Record<string, CheckResult>, history: PairedHistory, watches: readonly WatchRecord[], limits: ViolationLimits): string {
  const blocks: string[] = [];
  for (const [name, result] of Object.entries(checkers)) {
    const list = asViolations(result);
    if (list.length === 0) continue;
    const cards = list.slice(0, limits.violationsMax).map((v) => violationCard(v, history, watches, limits));
    const more = list.length > limits.violationsMax ? `<p class="muted">${list.length - limits.violationsMax} more are in results.json.</p>` : '';
    blocks.push(`<h3 class="checker-name">${escapeHtml(name)}: ${list.length} violation${list.length === 1 ? '' : 's'}</h3>${cards.join('\n')}${more}`);
  }
  if (blocks.length === 0) return '';
  return `<section id="violations"><h2>Violations</h2>${blocks.join('\n')}</section>`;
}
