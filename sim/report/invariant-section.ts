// The broken invariant that stopped a run, for people: which layer and invariant, what it says
// (the Raft paper's wording for Figure 3's properties), when on the run's clock, on which member
// and which others are involved, and the log entries involved, decoded. The raw record is in
// results.json ("stop").
import type { RunStop } from '../run/run-stop.ts';
import { escapeHtml } from './escape.ts';
import { formatUs } from './svg-kit.ts';

/** What each Raft invariant of the observer promises (Figure 3 of the Raft paper, and durability). */
const RAFT_PROMISES: Readonly<Record<string, string>> = {
  'election-safety': 'At most one leader can be elected in a given term.',
  'leader-append-only': 'A leader never overwrites or deletes entries in its log; it only appends new entries.',
  'log-matching': 'If two logs contain an entry with the same index and term, then the logs are identical in all entries up through the given index.',
  'leader-completeness': 'If a log entry is committed in a given term, then that entry will be present in the logs of the leaders for all higher-numbered terms.',
  'state-machine-safety': 'If a server has applied a log entry at a given index to its state machine, no other server will ever apply a different log entry for the same index.',
  'term-monotonic': 'A member\'s term never decreases, in memory or on disk across a crash.',
  'commit-monotonic': 'A member\'s commit index never decreases, in memory or on disk across a crash.',
  'committed-entry-lost': 'An entry acknowledged to a client as committed is never lost or replaced.',
  'snapshot-term': 'A snapshot at an index carries the term of the entry committed at that index.',
};

export function stopHeadline(stop: RunStop): string {
  const name = stop.invariant ?? stop.kind;
  return `${stop.layer} invariant ${name} broken${stop.member === undefined ? '' : ` on ${stop.member}`} at ${formatUs(stop.timeUs)}`;
}

function factsLine(stop: RunStop): string {
  // The cluster observer records the time as a fact (atMs) too: the line already says it, in
  // words, so the field name is not shown beside it.
  const facts = Object.entries(stop.facts).filter(([k, v]) => !(k === 'atMs' && v === Math.round(stop.timeUs / 1000))).map(([k, v]) => `${k} ${String(v)}`);
  return [`at ${formatUs(stop.timeUs)} (simulated)`, ...(stop.stage === undefined ? [] : [`while ${stop.stage}`]), ...facts].join(' · ');
}

function entriesTable(stop: RunStop): string {
  if (stop.entries.length === 0) return '';
  const rows = stop.entries.map((e) => `<tr><td class="nowrap">${escapeHtml(e.member)}</td><td class="nowrap">${escapeHtml(e.role)}</td><td class="nowrap">${e.index}</td><td class="nowrap">${e.term}</td><td class="mono" style="overflow-wrap:anywhere">${escapeHtml(e.text)}</td></tr>`);
  return `<h4>entries involved</h4><table class="data"><thead><tr><th>member</th><th>as</th><th>index</th><th>term</th><th>entry (decoded)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function invariantSection(stop: RunStop | undefined): string {
  if (stop === undefined) return '';
  const promise = stop.layer === 'raft' && stop.invariant !== undefined ? RAFT_PROMISES[stop.invariant] : undefined;
  const members = stop.members.length === 0 ? '' : `<p>members involved: ${stop.members.map((m, i) => `<span class="pill${i === 0 ? ' fail' : ''}">${escapeHtml(m)}</span>`).join(' ')}</p>`;
  return `<section id="invariant"><h2>Broken invariant</h2><div class="card violation invariant">
<h3 class="bad">✗ ${escapeHtml(stopHeadline(stop))}</h3>
${promise === undefined ? '' : `<p><i>${escapeHtml(promise)}</i></p>`}
<p class="muted">${escapeHtml(factsLine(stop))} · marked in red on the timeline</p>
${members}
<p class="reason" style="overflow-wrap:anywhere">${escapeHtml(stop.detail)}</p>
${entriesTable(stop)}
</div></section>`;
}
