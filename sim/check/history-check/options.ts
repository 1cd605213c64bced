// What a history check takes beyond the history: the search's budget (linearizability/check.ts)
// and the etcd model's options. One function type for every model, so the command line can
// load only the model it checks (sim/cli/commands/check.ts).
import type { OpPair } from '../../history/pair.ts';
import type { CheckBudget, LinearizabilityResult } from '../linearizability/check.ts';

/** A generous bound on a quartz clock's drift against another (NTP keeps them within 500 ppm). */
export const LEASE_CLOCK_DRIFT_PPM_MAX = 1000;

export interface CheckHistoryOptions {
  /** etcd: the store's revision before the history, when inference from the answers cannot tell. */
  initialRevision?: number;
  /** etcd: the store before the history, as `etcdctl get "" --from-key -w json` printed it. */
  initialDump?: unknown;
  /** etcd: the server compacts on its own (--auto-compaction-retention), so "compacted" needs no compaction request. */
  autoCompaction?: boolean;
  /** etcd: watch responses recorded beside the history (µs times); their events settle timed-out writes. */
  watches?: readonly { time: number; response: unknown }[];
  /**
   * etcd: how wrong a leader's clock may be (rate, ppm; the sum of its forward jumps, µs). Given, a
   * lease granted again with one id cannot have ended before its TTL ran out since its grant was
   * sent (etcd refuses a grant of a live lease's id: lessor.go Grant, ErrLeaseExists); absent, when
   * a lease ended is not judged.
   */
  leaseClock?: { driftPpmMax: number; jumpUsMax: number };
}

/** Checks a history's paired ops (at least one) against one model; `times` are the history's op times in file order. */
export type PairsCheck = (pairs: OpPair[], times: () => number[], budget: CheckBudget, options: CheckHistoryOptions) => LinearizabilityResult;
