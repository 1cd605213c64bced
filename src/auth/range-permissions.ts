// Whether a user's merged key permissions cover a request's key range, as etcd 3.4's auth store
// decides it (auth/range_perm_cache.go over pkg/adt's interval tree). Keys are binary strings
// (one char per byte), compared as bytes. etcd's intervals are "affine": an empty key compares
// above every other, so an empty range end means "to the end of the key space" — and so does an
// empty begin, which is why etcdctl writes a permission on every key as ["\0", <open ended>).
// A range end "\0" (from the key on) is read as empty, both in permissions and in requests.

export type PermType = 'READ' | 'WRITE' | 'READWRITE';

export interface KeyPermission {
  readonly permType: PermType;
  readonly key: string;
  readonly rangeEnd: string;
}

/** [begin, end) with affine ends ('' above every key). */
interface Interval {
  readonly begin: string;
  readonly end: string;
}

/** adt's BytesAffineComparable.Compare. */
export function compareAffine(a: string, b: string): number {
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  if (b.length === 0) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A permission's interval: a point [key, key+"\0") when it has no range end. */
function permInterval(p: KeyPermission): Interval {
  if (p.rangeEnd.length === 0) return { begin: p.key, end: p.key + '\0' };
  return { begin: p.key, end: p.rangeEnd === '\0' ? '' : p.rangeEnd };
}

function intersects(a: Interval, b: Interval): boolean {
  return compareAffine(a.begin, b.end) < 0 && compareAffine(b.begin, a.end) < 0;
}

/** The read and write intervals a user holds through its roles (getMergedPerms). */
export interface MergedPermissions {
  readonly read: readonly Interval[];
  readonly write: readonly Interval[];
}

export function mergePermissions(perms: Iterable<KeyPermission>): MergedPermissions {
  const read: Interval[] = [];
  const write: Interval[] = [];
  for (const p of perms) {
    const ivl = permInterval(p);
    if (p.permType !== 'WRITE') read.push(ivl);
    if (p.permType !== 'READ') write.push(ivl);
  }
  return { read, write };
}

/**
 * adt's IntervalTree.Contains: the intervals meeting `q`, visited by begin, must join without a
 * gap and reach from q's begin to q's end.
 */
function covers(held: readonly Interval[], q: Interval): boolean {
  const meeting = held.filter((h) => intersects(h, q)).sort((a, b) => compareAffine(a.begin, b.begin) || compareAffine(a.end, b.end));
  const first = meeting[0];
  if (first === undefined) return false;
  let maxEnd = first.end;
  for (const h of meeting.slice(1)) {
    if (compareAffine(maxEnd, h.begin) < 0) return false;
    if (compareAffine(h.end, maxEnd) > 0) maxEnd = h.end;
  }
  return compareAffine(maxEnd, q.end) >= 0 && compareAffine(first.begin, q.begin) <= 0;
}

/** checkKeyPoint / checkKeyInterval: a single key needs one interval holding it, a range its whole span. */
export function permitted(merged: MergedPermissions, write: boolean, key: string, rangeEnd: string): boolean {
  const held = write ? merged.write : merged.read;
  if (rangeEnd.length === 0) {
    const point = { begin: key, end: key + '\0' };
    return held.some((h) => intersects(h, point));
  }
  return covers(held, { begin: key, end: rangeEnd === '\0' ? '' : rangeEnd });
}
