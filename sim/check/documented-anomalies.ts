// Whether a checker's violation is a documented anomaly a scenario allows (names and meaning:
// sim/scenario/documented-anomalies.ts), decided from the run's evidence. A checker's
// violation is excused only when every part of it is one of the anomalies allowed: the lock
// checker classifies each overlap of holders (sim/check/mutex.ts); a linearizability violation
// is a stale-read anomaly only when the writes linearize without the reads and the run served
// reads from a leader lease under the named cause (clock faults, or a leader cut off or paused
// while another was elected). Anything else of the same checker fails the run.
import type { Scenario } from '../scenario/schema.ts';
import { allowedAnomalies } from '../scenario/documented-anomalies.ts';
import type { CheckResult } from './verdict.ts';

/** What a run shows beyond its checkers' results. */
export interface AnomalyEvidence {
  /** Kinds of the faults that started in the run. */
  readonly faultKinds: ReadonlySet<string>;
  readonly leaderChanges: number;
}

const CLOCK_FAULTS = ['clock-skew', 'clock-jump', 'clock-drift'];
/** Faults that leave a leader serving clients while the others cannot hear it (or it them). */
const LEADER_CUT_OFF_FAULTS = ['partition', 'one-way', 'clog', 'pause', 'figure8'];

/** Every overlap of the lock checker's result explained, by this anomaly alone. */
const lockAnomaliesOnly = (r: CheckResult, anomaly: string): boolean =>
  Array.isArray(r['anomalies']) && r['anomalies'].length > 0 && r['anomalies'].every((a) => a === anomaly);

type Explains = (result: CheckResult, all: Readonly<Record<string, CheckResult>>, scenario: Scenario, e: AnomalyEvidence) => boolean;

/** Stale reads only: the history without its reads linearizes, and reads came from a leader lease. */
const staleLeaseReads = (all: Readonly<Record<string, CheckResult>>, scenario: Scenario): boolean =>
  scenario.cluster.raft.readOnly === 'lease-based' && all['linearizable-writes']?.valid === true;

const EXPLAINS: Readonly<Record<string, Explains>> = {
  'lock:pause-outlived-lease': (r) => lockAnomaliesOnly(r, 'pause-outlived-lease'),
  'lock:lease-expired': (r) => lockAnomaliesOnly(r, 'lease-expired'),
  'linearizable:lease-read-clock': (_r, all, s, e) => staleLeaseReads(all, s) && CLOCK_FAULTS.some((k) => e.faultKinds.has(k)),
  'linearizable:lease-read-deposed': (_r, all, s, e) => staleLeaseReads(all, s) && e.leaderChanges > 0 && LEADER_CUT_OFF_FAULTS.some((k) => e.faultKinds.has(k)),
};

/**
 * The checkers whose violation the scenario excuses, each with the documented anomaly the
 * evidence shows it to be. A checker not in the map is judged as it is.
 */
export function excusedViolations(scenario: Scenario, checkers: Readonly<Record<string, CheckResult>>, evidence: AnomalyEvidence): Map<string, string> {
  const out = new Map<string, string>();
  if (scenario.expect !== 'violation-allowed') return out;
  for (const [checker, anomalies] of allowedAnomalies(scenario.allowedViolations)) {
    const result = checkers[checker];
    if (result?.valid !== false) continue;
    for (const anomaly of anomalies) {
      if (EXPLAINS[`${checker}:${anomaly}`]?.(result, checkers, scenario, evidence) === true) {
        out.set(checker, anomaly);
        break;
      }
    }
    // A lock result whose overlaps are explained by several allowed anomalies is each of them.
    const shown = result['anomalies'];
    if (!out.has(checker) && checker === 'lock' && Array.isArray(shown) && shown.length > 1 && shown.every((a) => anomalies.has(a as string))) out.set(checker, shown.join(', '));
  }
  return out;
}

/** True when the scenario allows a documented anomaly of `checker` (its extra evidence, such as linearizable-writes, is then computed). */
export function allowsAnomalyOf(scenario: Scenario, checker: string): boolean {
  return scenario.expect === 'violation-allowed' && (allowedAnomalies(scenario.allowedViolations).get(checker)?.size ?? 0) > 0;
}
