// What etcd 3.4 checks a KV request against when authentication is on (etcdserver/apply_auth.go,
// auth/store.go), and whether a set of key permissions covers it — the auth checker's own
// reading of etcd, apart from the product's (src/auth/): a mistake there must not hide here.
// - range, and a watch's create (isWatchPermitted): read on [key, range_end); put: write on the key (read too with prev_kv; with a lease,
//   write on the lease's keys, which a history does not show); delete: write on its range (read
//   too with prev_kv); txn: read on every compared range, then each op of BOTH branches (a range
//   read, a put write, a delete write and with prev_kv read); 3.4 does not look inside a nested txn.
// - A key alone needs one permission holding it; a range needs its whole span covered by the
//   permissions joined without a gap. A range end "\0" (and a permission's) means "to the end".
import { bytesField } from './auth-state.ts';

export interface Need {
  readonly write: boolean;
  readonly key: string;
  /** "" a key alone; "\0" from the key on. */
  readonly rangeEnd: string;
}

export interface Needs {
  readonly needs: readonly Need[];
  /** The request may need more than these (a put with a lease): a refusal is not judged. */
  readonly partial: boolean;
}

type Req = Record<string, unknown>;

const obj = (v: unknown): Req => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Req) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const key = (r: Req): string => bytesField(r['key']) ?? '';
const end = (r: Req): string => bytesField(r['range_end']) ?? '';
const leased = (r: Req): boolean => r['lease'] !== undefined && r['lease'] !== '0' && r['lease'] !== 0;

/** A range that ends at or before its key: what etcd's interval tree answers for it is not judged. */
const inverted = (n: Need): boolean => n.rangeEnd !== '' && n.rangeEnd !== '\0' && n.rangeEnd <= n.key;

/** The permissions a KV request needs, or undefined for a request the auth checker does not judge. */
export function needsOf(f: string, request: unknown): Needs | undefined {
  const n = needsOfRequest(f, obj(request));
  return n === undefined || n.needs.some(inverted) ? undefined : n;
}

function needsOfRequest(f: string, r: Req): Needs | undefined {
  switch (f) {
    case 'kv/range':
    case 'watch/create':
      return { needs: [{ write: false, key: key(r), rangeEnd: end(r) }], partial: false };
    case 'kv/put': {
      const needs: Need[] = [{ write: true, key: key(r), rangeEnd: '' }];
      if (r['prev_kv'] === true) needs.push({ write: false, key: key(r), rangeEnd: '' });
      return { needs, partial: leased(r) };
    }
    case 'kv/deleterange': {
      const needs: Need[] = [{ write: true, key: key(r), rangeEnd: end(r) }];
      if (r['prev_kv'] === true) needs.push({ write: false, key: key(r), rangeEnd: end(r) });
      return { needs, partial: false };
    }
    case 'kv/txn': {
      const needs: Need[] = arr(r['compare']).map((c) => ({ write: false, key: key(obj(c)), rangeEnd: end(obj(c)) }));
      for (const op of [...arr(r['success']), ...arr(r['failure'])]) {
        const o = obj(op);
        if (o['request_range'] !== undefined) needs.push({ write: false, key: key(obj(o['request_range'])), rangeEnd: end(obj(o['request_range'])) });
        else if (o['request_put'] !== undefined) needs.push({ write: true, key: key(obj(o['request_put'])), rangeEnd: '' });
        else if (o['request_delete_range'] !== undefined) {
          const d = obj(o['request_delete_range']);
          if (d['prev_kv'] === true) needs.push({ write: false, key: key(d), rangeEnd: end(d) });
          needs.push({ write: true, key: key(d), rangeEnd: end(d) });
        }
      }
      return { needs, partial: false };
    }
    default:
      return undefined;
  }
}

/** A held permission as [begin, end); end undefined: to the end of the key space. */
export interface Held {
  readonly begin: string;
  readonly end: string | undefined;
}

/** A permission on [key, rangeEnd) as held: a key alone is [key, key + "\0"). */
export function heldOf(key: string, rangeEnd: string): Held {
  if (rangeEnd === '') return { begin: key, end: `${key}\0` };
  return { begin: key, end: rangeEnd === '\0' ? undefined : rangeEnd };
}

const below = (k: string, e: string | undefined): boolean => e === undefined || k < e;

/** Whether the held permissions cover what `need` asks (its key, or its whole range without a gap). */
export function covers(held: readonly Held[], need: Need): boolean {
  if (need.rangeEnd === '') return held.some((h) => h.begin <= need.key && below(need.key, h.end));
  const goal = need.rangeEnd === '\0' ? undefined : need.rangeEnd;
  let at = need.key;
  for (;;) {
    let reach: string | undefined | null = null;
    for (const h of held) {
      if (h.begin > at || !below(at, h.end)) continue;
      if (h.end === undefined) reach = undefined;
      else if (reach !== undefined && (reach === null || h.end > reach)) reach = h.end;
    }
    if (reach === null) return false;
    if (reach === undefined) return true;
    if (goal !== undefined && reach >= goal) return true;
    at = reach;
  }
}
