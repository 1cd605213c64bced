// Several watches on one stream. A client of etcd may create many watches on one gRPC watch
// stream (clientv3 does, one per Watch call with the same context); the stream's responses then
// interleave, each naming its watch by `watch_id` (etcd's serverWatchStream ids, unique on the
// stream while the watch lives). A history from another tool records the stream as one process:
// read as one watch per process, watch B's events were judged as watch A's (out of order, outside
// its range, missing). Each response goes to the watch of the stream its watch_id names, and a
// stream that held several watches at once has each one judged as its own client.
import type { WatchRecord } from '../history/op.ts';
import type { WatchOp } from './watch.ts';

/** The client name of one watch of a stream that held several at once. */
const sharedName = (process: number | string, id: number | string): string => `${process} watch ${id}`;

/**
 * Whether a record is of the watch client a violation names: its stream, or for a stream that
 * held several watches its watch (`P watch ID`: the response's watch_id; the stream's close, all).
 */
export function recordOfClient(record: WatchRecord, client: number | string): boolean {
  if (record.process === client) return true;
  if (typeof client !== 'string' || !client.startsWith(sharedName(record.process, ''))) return false;
  if (record.closed !== undefined) return true;
  const id = (record.response as { watch_id?: unknown } | null)?.watch_id;
  return client === sharedName(record.process, typeof id === 'string' || typeof id === 'number' ? Number(id) : 0);
}

/**
 * The id each watch has on its stream: the one its create asked for, else its Created response's
 * (undefined before it). Remembers how far it read each watch's responses, which only grow while
 * the watches are built: asked once per response, a rescan of a long watch without a Created
 * response per response was quadratic (a robustness watch of 20,000 responses: 35 s).
 */
export class StreamIds {
  private readonly read = new Map<WatchOp, { scanned: number; id: number | undefined }>();

  of(op: WatchOp): number | undefined {
    // A create refused (Created and Canceled at once: "duplicate watch ID", an empty range) holds
    // no id, not even the one it asked for: NaN, which no response's watch_id equals.
    const first = op.responses[0];
    if (first !== undefined && first.created && first.canceled) return Number.NaN;
    if (op.requestedId !== 0) return op.requestedId;
    let seen = this.read.get(op);
    if (seen === undefined) this.read.set(op, (seen = { scanned: 0, id: undefined }));
    if (seen.id !== undefined) return seen.id;
    const responses = op.responses;
    for (; seen.scanned < responses.length; seen.scanned++) {
      if (responses[seen.scanned]!.created) return (seen.id = responses[seen.scanned]!.watchId);
    }
    return undefined;
  }
}

/** Whether the watch still lives on its stream: not cancelled (by anyone), not closed. */
const live = (op: WatchOp): boolean => !op.closed && !op.responses.some((r) => r.canceled || r.compactRevision > 0 || r.compactedUnrecorded);

/**
 * The watch a response with `id` belongs to, of one client's watches (`list`, in creation order;
 * the last is the current one): the current one when its id is `id` or unknown, else the latest
 * other with that id, else the current one (ids not recorded: every response is 0).
 */
export function watchForId(list: readonly WatchOp[], id: number, ids: StreamIds): WatchOp {
  const current = list[list.length - 1]!;
  const own = ids.of(current);
  if (own === undefined || own === id) return current;
  for (let i = list.length - 2; i >= 0; i--) if (ids.of(list[i]!) === id) return list[i]!;
  return current;
}

/**
 * Whether the client's newest watch (the last of `list`) was created beside another that still
 * lived with another id: the stream holds several watches at once, not a watch reopened.
 */
export function createdBeside(list: readonly WatchOp[], ids: StreamIds): boolean {
  const op = list[list.length - 1]!;
  const id = ids.of(op);
  if (id === undefined) return false;
  for (let i = 0; i < list.length - 1; i++) {
    const other = ids.of(list[i]!);
    if (other !== undefined && other !== id && live(list[i]!)) return true;
  }
  return false;
}

/** Each watch of a client whose stream held several at once is judged as its own client: `P watch ID`. */
export function nameSharedStreams(ops: readonly WatchOp[], shared: ReadonlySet<number | string>, ids: StreamIds): void {
  if (shared.size === 0) return;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const id = ids.of(op);
    if (shared.has(op.process)) op.process = sharedName(op.process, id === undefined ? '?' : Number.isNaN(id) ? 'refused' : id);
  }
}
