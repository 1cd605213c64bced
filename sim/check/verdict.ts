// A checker's verdict, composed as Jepsen composes them: false beats unknown beats true.
export type Validity = true | false | 'unknown';

export interface CheckResult {
  valid: Validity;
  /** One-line human summary. */
  summary?: string;
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
