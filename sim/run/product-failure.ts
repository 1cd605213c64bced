// A member that throws is a failed run, not a crash of the harness: the exception (or the
// product invariant it broke) becomes the verdict of the 'product' checker, with the stage of
// the run, the member, its incarnation and the message.
import { HostError } from '../world/host-error.ts';
import type { CheckResult } from '../check/verdict.ts';

/** Where a run was when it stopped: traffic with faults, healing, or the liveness phase. */
export type RunStage = 'safety' | 'heal' | 'liveness';

export interface ProductFailure extends CheckResult {
  valid: false;
  summary: string;
  stage: RunStage;
  member: string;
  incarnation: number;
  /** What the member was handling: start (recovery), message, timer or callback (fsync). */
  during: string;
  message: string;
  atUs: number;
}

/** The failure a thrown value means, or undefined when it did not come from a member. */
export function productFailure(err: unknown, stage: RunStage, atUs: number): ProductFailure | undefined {
  if (!(err instanceof HostError)) return undefined;
  const message = err.causeMessage;
  return {
    valid: false,
    summary: `${stage} stage: member ${err.node} threw while handling a ${err.during} at ${Math.round(atUs / 1000)} ms: ${message}`,
    stage,
    member: err.node,
    incarnation: err.incarnation,
    during: err.during,
    message,
    atUs,
  };
}
