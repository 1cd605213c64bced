// A checker's verdict, composed as Jepsen composes them: false beats unknown beats true.
export type Validity = true | false | 'unknown';

export interface CheckResult {
  valid: Validity;
  /** One-line human summary. */
  summary?: string;
  /**
   * The history held nothing this checker judges (no lease granted, no watch event, no lock
   * acquired, no op answered): its valid is "unknown" and its summary starts "nothing to check:".
   * It does not count in a composed verdict unless no checker judged anything (composeJudged).
   */
  nothing?: true;
  [detail: string]: unknown;
}

export function mergeValidity(a: Validity, b: Validity): Validity {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

export function composeValidity(all: Iterable<Validity>): Validity {
  let out: Validity = true;
  for (const v of all) out = mergeValidity(out, v);
  return out;
}

/** A checker result that judged nothing (see CheckResult.nothing). */
export function nothingToCheck<T extends Record<string, unknown>>(reason: string, detail: T): T & { valid: 'unknown'; nothing: true; summary: string; unknownReason: string } {
  const text = `nothing to check: ${reason}`;
  // The detail last (the lint's rule for V8): callers give no field of the verdict in it.
  return { valid: 'unknown', nothing: true, summary: text, unknownReason: text, ...detail };
}

/**
 * The verdict of checkers that each judged the same run: a checker that had nothing to judge
 * neither passes nor holds the verdict back, and a run where no checker judged anything is
 * unknown, never valid on nothing.
 */
export function composeJudged(results: Iterable<Pick<CheckResult, 'valid' | 'nothing'>>): Validity {
  let out: Validity = true;
  let judged = false;
  let any = false;
  for (const r of results) {
    any = true;
    if (r.nothing === true) continue;
    judged = true;
    out = mergeValidity(out, r.valid);
  }
  return any && !judged ? 'unknown' : out;
}
