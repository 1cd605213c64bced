// The anomalies a scenario may excuse with expect "violation-allowed": each names a checker and
// one behaviour of etcd itself that the checker reports and etcd documents, never the whole
// checker. `allowedViolations` entries are "checker:anomaly"; a bare checker name (the older
// form, still read) excuses that checker's documented anomalies only. Whether a violation IS the
// anomaly is decided from the run's evidence (sim/check/documented-anomalies.ts); any other
// violation of the same checker still fails the run.
import type { CheckerName } from './schema.ts';

export interface AnomalyName {
  readonly checker: CheckerName;
  readonly name: string;
  /** The anomaly and the evidence a violation needs to be it. */
  readonly description: string;
}

export const DOCUMENTED_ANOMALY_NAMES: readonly AnomalyName[] = [
  {
    checker: 'lock',
    name: 'pause-outlived-lease',
    description: 'two holders of the lock because the first client paused right after acquiring for longer than its lease TTL (its keep-alives stopped) and the second acquired no sooner than a TTL after the first asked (Jepsen, etcd 3.4.3)',
  },
  {
    checker: 'lock',
    name: 'lease-expired',
    description: "two holders of the lock because one holder's session lease was not certainly alive when the second acquired: neither its grant nor a keep-alive answered with a TTL was asked for within a TTL before (its member paused or cut off, a slow client), so etcd may have expired it and deleted its key, and the recipe does not notice (Jepsen, etcd 3.4.3; etcd 3.4's Mutex.Lock does not read its own key back after waiting)",
  },
  {
    checker: 'linearizable',
    name: 'lease-read-clock',
    description: 'stale reads served from a leader lease (readOnly lease-based) in a run whose clocks were skewed, jumped or drifted: the reads alone break linearizability, the writes linearize without them',
  },
  {
    checker: 'linearizable',
    name: 'lease-read-deposed',
    description: 'stale reads served from a leader lease (readOnly lease-based) by a leader cut off or paused while the others elected a new one (its CheckQuorum step-down lags their election): the reads alone break linearizability, the writes linearize without them',
  },
];

/** An allowedViolations entry read: the checker, and the anomaly it names (undefined: every documented one of that checker). */
export function parseAllowedViolation(entry: string): { checker: string; anomaly: string | undefined } {
  const i = entry.indexOf(':');
  return i < 0 ? { checker: entry, anomaly: undefined } : { checker: entry.slice(0, i), anomaly: entry.slice(i + 1) };
}

/** The documented anomalies an allowedViolations list excuses, by checker. */
export function allowedAnomalies(entries: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const entry of entries) {
    const { checker, anomaly } = parseAllowedViolation(entry);
    const set = out.get(checker) ?? new Set<string>();
    for (const a of DOCUMENTED_ANOMALY_NAMES) if (a.checker === checker && (anomaly === undefined || a.name === anomaly)) set.add(a.name);
    out.set(checker, set);
  }
  return out;
}
