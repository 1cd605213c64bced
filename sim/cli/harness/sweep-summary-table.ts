// Groups sweep results by scenario for the terminal table, and lists the failures' replays.
import type { RunSummary } from '../../report/index.ts';
import type { SweepRow } from './table.ts';

export function rowsByScenario(runs: readonly RunSummary[]): SweepRow[] {
  const rows = new Map<string, SweepRow>();
  const sorted = [...runs].sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.seed - b.seed));
  for (const r of sorted) {
    const row = rows.get(r.scenario) ?? { scenario: r.scenario, seeds: 0, valid: 0, invalid: 0, unknown: 0, okOps: 0, wallMs: 0 };
    row.seeds++;
    if (r.valid === true) row.valid++;
    else if (r.valid === false) row.invalid++;
    else row.unknown++;
    row.okOps += r.ops.ok;
    row.wallMs += r.wallMs;
    if (r.valid !== true && row.firstFailure === undefined) row.firstFailure = `seed ${r.seed}: ${r.error ?? Object.entries(r.checkers).filter(([, c]) => c.valid !== true).map(([n]) => n).join(', ')}`;
    rows.set(r.scenario, row);
  }
  return [...rows.values()];
}

export function failureLines(runs: readonly RunSummary[], max = 20): string[] {
  const bad = runs.filter((r) => r.valid !== true);
  const lines = bad.slice(0, max).map((r) => `${r.valid === false ? 'FAIL' : 'UNKNOWN'} ${r.replay}${r.report === undefined ? '' : `   (report ${r.report})`}`);
  if (bad.length > max) lines.push(`… and ${bad.length - max} more (see the sweep report)`);
  return lines;
}
