// A watch id the client freed, refused as in use. etcd 3.4 lets a client choose its watch's id
// (WatchCreateRequest.watch_id) and refuses one that a live watch of the stream holds ("mvcc:
// duplicate watch ID provided on the WatchStream"). A cancel request answered Canceled frees the
// id: v3rpc's recvLoop sends that response only after watchStream.Cancel returned, which deleted
// the id from the stream's watchers and cancels. So a create with an id whose watch the client
// cancelled (Canceled response received) and did not create again is never refused as a
// duplicate. An id a compaction cancelled is not judged (whether the stream forgets it then is
// not this rule's business), nor one this stream's records never showed freed.
import type { WatchRecord } from '../history/op.ts';

const DUPLICATE = /duplicate watch ID/i;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const id = (v: unknown): number => (typeof v === 'string' || typeof v === 'number' ? Number(v) : 0);

export interface IdReuseViolation {
  readonly process: number | string;
  readonly revision: number;
  readonly message: string;
}

interface StreamIdState {
  readonly live: Set<number>;
  /** Ids whose watch the client's cancel ended (Canceled response, no compaction, no reason). */
  readonly freed: Set<number>;
}

/** Every create refused as a duplicate id although the client's cancel had freed that id. */
export function idsRefusedAfterCancel(records: readonly WatchRecord[]): IdReuseViolation[] {
  const out: IdReuseViolation[] = [];
  const streams = new Map<number | string, StreamIdState>();
  for (const rec of records) {
    if (rec.closed !== undefined) {
      streams.delete(rec.process);
      continue;
    }
    let s = streams.get(rec.process);
    if (s === undefined) streams.set(rec.process, (s = { live: new Set(), freed: new Set() }));
    const r = obj(rec.response);
    const created = r['created'] === true;
    const canceled = r['canceled'] === true;
    const reason = typeof r['cancel_reason'] === 'string' ? r['cancel_reason'] : '';
    if (created) {
      const asked = id(obj(obj(rec.request)['create_request'] ?? rec.request)['watch_id']);
      if (!canceled) {
        const given = asked !== 0 ? asked : id(r['watch_id']);
        s.live.add(given);
        s.freed.delete(given);
      } else if (asked !== 0 && DUPLICATE.test(reason) && s.freed.has(asked) && !s.live.has(asked)) {
        out.push({ process: rec.process, revision: id(obj(r['header'])['revision']), message: `watch id ${asked} refused as a duplicate, but its watch was cancelled (Canceled response received) and no watch holds it: etcd frees an id before it answers the cancel` });
      }
      continue;
    }
    if (!canceled) continue;
    const w = id(r['watch_id']);
    s.live.delete(w);
    if (id(r['compact_revision']) === 0 && reason === '') s.freed.add(w);
    else s.freed.delete(w);
  }
  return out;
}
