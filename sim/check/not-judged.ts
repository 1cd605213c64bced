// What a checker read but did not judge, and why: a verdict says so rather than pass over a class
// of answers without a word (a valid verdict over answers no rule looked at reads as "judged").
// The summary and `detcd check` print one "N … not judged: why" per class; results.json and
// `--json` keep them as `notJudged`.
import { count } from '../text/count.ts';

export interface NotJudged {
  count: number;
  /** What was not judged, singular ("lease/leases answer"): counted with `count`. */
  what: string;
  why: string;
}

export function notJudgedText(n: NotJudged): string {
  return `${count(n.count, n.what)} not judged: ${n.why}`;
}

/** `summary` with each class not judged after it ("; 3 lease/leases answers not judged: …"). */
export function withNotJudged(summary: string, notJudged: readonly NotJudged[]): string {
  return notJudged.length === 0 ? summary : `${summary}; ${notJudged.map(notJudgedText).join('; ')}`;
}
