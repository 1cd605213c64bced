// A request its client sent more than once (an op's `tries`: clients send a request again after
// a transport error — the etcd3 npm client up to 3 times by default, clientv3 where it deems it
// safe). The op's answer is the last try's; each earlier try may still have been served, once,
// at any time after the call, and for a write that is an effect of its own (a real etcd 3.4.23
// behind the etcd3 client: a delete-range whose first try deleted a key and whose second answered
// "deleted 0" — bench/tools/record-client-history.mjs). Each earlier try is then a write of
// unknown outcome, as a timed-out one: the history model places it or leaves it out.
import type { OpPair } from '../../../history/pair.ts';
import { HistoryParseError, inReason } from '../../../history/parse-error.ts';
import { readsOnly } from '../../writes-only.ts';

/** More sends of one request than this are refused, not modelled (each is a write the search may place). */
export const TRIES_MAX = 64;

/** The earlier tries of a pair's write, as pairs never answered: none when it was sent once or only reads. */
export function earlierTries(p: OpPair): OpPair[] {
  const tries = p.completion?.tries ?? p.invoke.tries ?? 1;
  // Reads (ranges, read-only txns, lease lookups: writes-only.ts's readsOnly) and keep-alives,
  // which the lease checker judges with their tries, have no earlier try to place.
  if (tries <= 1 || p.invoke.f === 'lease/keepalive' || readsOnly(p.invoke)) return [];
  if (tries > TRIES_MAX) throw new HistoryParseError(p.completionLine ?? p.line, `tries ${tries}: more than ${TRIES_MAX} sends of one request are not modelled`, inReason('tries'));
  const unanswered: OpPair = { invoke: p.invoke, completion: undefined, call: p.call, return: Infinity, line: p.line, completionLine: undefined };
  return Array.from({ length: tries - 1 }, () => unanswered);
}
