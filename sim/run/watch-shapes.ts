// The watch create requests `clients.watchShapes` adds beside each member's watcher of every
// key: the shapes etcd's robustness watchers never use, so that mistakes in key ranges, single
// keys, event filters and prev_kv reach the watch checker (filter, reliable, agreement and prev_kv
// guarantees: sim/check/watch.ts). Over the etcd workload's keys key0..keyN-1; member i gets
// shape i (mod the number of shapes), so a 3-member cluster has the first three, 5 members all.
import { b64, prefixEnd } from '../workload/etcd-request.ts';

export interface WatchShape {
  /** Names the shape in the watch's process (`watch-<member>/<name>`). */
  readonly name: string;
  /** The WatchCreateRequest (gateway JSON), without start_revision (the stream sets it). */
  readonly create: Readonly<Record<string, unknown>>;
}

/** The shapes over `keys` workload keys ("key0".."key<keys-1>"). */
export function watchShapes(keys: number): WatchShape[] {
  const key = (n: number): string => `key${Math.min(Math.max(n, 0), Math.max(keys - 1, 0))}`;
  const lo = key(Math.floor(keys / 4));
  const hi = key(Math.floor((3 * keys) / 4));
  return [
    // Puts only, over every key of the workload, with prev_kv.
    { name: 'puts', create: { key: b64('key'), range_end: b64(prefixEnd('key')), filters: ['NODELETE'], prev_kv: true, progress_notify: true } },
    // Deletes only, without prev_kv.
    { name: 'deletes', create: { key: b64('key'), range_end: b64(prefixEnd('key')), filters: ['NOPUT'], progress_notify: true } },
    // One key, with prev_kv.
    { name: 'one-key', create: { key: b64(key(1)), prev_kv: true, progress_notify: true } },
    // [lo, hi): ends exactly at a key that is written (range_end is exclusive).
    { name: 'range', create: { key: b64(lo), range_end: b64(hi), progress_notify: true } },
    // From hi to every greater key (range_end "\0"), with prev_kv.
    { name: 'from-key', create: { key: b64(hi), range_end: b64('\0'), prev_kv: true, progress_notify: true } },
  ];
}
