// What a run's history checkers judged with beyond the history, as its report keeps it
// (leader-timeline.jsonl, sim/history/leader-timeline-file.ts), so that `detcd check` of the
// report's history.jsonl gives the run's verdicts: the lease checker's options, the
// linearizability search's bound, the watch checker's options. One function for both targets,
// from the context historyCheckers was given.
import { withFields } from '../../src/object/with-fields.ts';
import type { LeaderTimelineFile } from '../history/leader-timeline-file.ts';
import type { Op } from '../history/op.ts';
import type { StatusSample, StoppedSpan } from '../check/renewal-proof.ts';
import { defaultCheckers } from './checks.ts';
import { leaseCheckOptions, linearizabilityStepsMax, modelOpCount, watchCheckOptions, type HistoryContext } from './history-checkers.ts';

/** A real run's polls (the renewal proof is rebuilt from them); a simulated run has none. */
export interface PolledTimeline {
  readonly samples: readonly StatusSample[];
  readonly stopped: readonly StoppedSpan[];
  readonly samplesTruncated: boolean;
}

export function leaderTimelineOf(members: readonly string[], ctx: HistoryContext, recorded: readonly Op[], polled?: PolledTimeline): LeaderTimelineFile {
  // A real run's proof is a function: its samples are kept instead, and check rebuilds it.
  const { renewalProof: _proof, ...lease } = leaseCheckOptions(ctx);
  const watch = watchCheckOptions(ctx);
  const out: LeaderTimelineFile = {
    members,
    samples: polled?.samples ?? [],
    stopped: polled?.stopped ?? [],
    samplesTruncated: polled?.samplesTruncated ?? false,
    lease,
    watch: { expectRevisionUnique: watch.expectRevisionUnique === true },
  };
  // The search's bound is the run's only where the run searched (a scenario may leave linearizability out: check's own bound then).
  const searched = (ctx.scenario.checkers ?? defaultCheckers(ctx.scenario)).includes('linearizable');
  const bounded = searched ? withFields(out, { linearizableStepsMax: linearizabilityStepsMax(ctx, modelOpCount(recorded)) }) : out;
  return ctx.historyTruncated === true ? withFields(bounded, { historyTruncated: true }) : bounded;
}
