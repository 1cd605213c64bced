// A bbolt database file (go.etcd.io/bbolt 1.3, the format etcd 3.4's backend keeps on disk and
// its Snapshot RPC streams), written from buckets of sorted key/value pairs, so that etcdctl's
// `snapshot status` and `snapshot restore` open what `detcd serve` sends as they open etcd's:
//   - pages of PAGE_BYTES; page 0 and 1 are the meta pages (magic, version 2, page size, the
//     root bucket, no synced freelist — etcd runs bbolt with NoFreelistSync — the high-water
//     mark, the txid, an FNV-64a checksum), meta 1 one txid behind, as bbolt's Tx.WriteTo writes;
//   - the root bucket is a leaf of bucket entries; a bucket that fits in a quarter page is
//     inline (its leaf follows its header in the value), others have leaf pages of their own
//     (an element larger than a page spills into overflow pages) under branch pages;
//   - every page below the high-water mark is reachable, so bbolt's Tx.Check finds nothing
//     unreachable or freed.
// Layout (page sizes, fill) need not match etcd's: readers only follow the structure.

export const PAGE_BYTES = 4096;
const PAGE_HEADER_BYTES = 16;
const ELEMENT_BYTES = 16;
const BUCKET_HEADER_BYTES = 16;
const BRANCH_FLAG = 0x01;
const LEAF_FLAG = 0x02;
const META_FLAG = 0x04;
const BUCKET_LEAF_FLAG = 0x01;
const MAGIC = 0xed0cdaed;
const VERSION = 2;
/** pgidNoFreelist: the freelist is rebuilt by scanning when the file is opened. */
const NO_FREELIST = 0xffffffffffffffffn;
/** A leaf page is closed once its elements and data pass this (bbolt splits at half a page and more). */
const LEAF_FILL_BYTES = PAGE_BYTES - PAGE_HEADER_BYTES;
/** Children of one branch page (bbolt's count field is 16 bits). */
const BRANCH_CHILDREN_MAX = 200;

export interface BoltBucket {
  readonly name: Uint8Array;
  /** In key order (bytes), no duplicates. */
  readonly entries: readonly (readonly [Uint8Array, Uint8Array])[];
}

interface Element {
  readonly flags: number;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** Pages laid out one after another from page 2. */
class PageWriter {
  readonly chunks: Uint8Array[] = [];
  nextId = 2;

  /** Appends a page (`body` after its header, spilling into overflow pages); returns its id. */
  page(flags: number, count: number, body: Uint8Array): number {
    const id = this.nextId;
    const pages = Math.ceil((PAGE_HEADER_BYTES + body.length) / PAGE_BYTES);
    const buf = new Uint8Array(pages * PAGE_BYTES);
    writeHeader(new DataView(buf.buffer), id, flags, count, pages - 1);
    buf.set(body, PAGE_HEADER_BYTES);
    this.chunks.push(buf);
    this.nextId += pages;
    return id;
  }
}

function writeHeader(view: DataView, id: number, flags: number, count: number, overflow: number): void {
  view.setBigUint64(0, BigInt(id), true);
  view.setUint16(8, flags, true);
  view.setUint16(10, count, true);
  view.setUint32(12, overflow, true);
}

/** A leaf's elements and data (what follows the page header). */
function leafBody(elements: readonly Element[]): Uint8Array {
  const dataBytes = elements.reduce((n, e) => n + e.key.length + e.value.length, 0);
  const body = new Uint8Array(elements.length * ELEMENT_BYTES + dataBytes);
  const view = new DataView(body.buffer);
  let data = elements.length * ELEMENT_BYTES;
  elements.forEach((e, i) => {
    const at = i * ELEMENT_BYTES;
    view.setUint32(at, e.flags, true);
    view.setUint32(at + 4, data - at, true);
    view.setUint32(at + 8, e.key.length, true);
    view.setUint32(at + 12, e.value.length, true);
    body.set(e.key, data);
    body.set(e.value, data + e.key.length);
    data += e.key.length + e.value.length;
  });
  return body;
}

function branchBody(children: readonly { key: Uint8Array; page: number }[]): Uint8Array {
  const dataBytes = children.reduce((n, c) => n + c.key.length, 0);
  const body = new Uint8Array(children.length * ELEMENT_BYTES + dataBytes);
  const view = new DataView(body.buffer);
  let data = children.length * ELEMENT_BYTES;
  children.forEach((c, i) => {
    const at = i * ELEMENT_BYTES;
    view.setUint32(at, data - at, true);
    view.setUint32(at + 4, c.key.length, true);
    view.setBigUint64(at + 8, BigInt(c.page), true);
    body.set(c.key, data);
    data += c.key.length;
  });
  return body;
}

/** Writes `elements` (sorted) as a tree of pages; returns the root page's id. */
function writeTree(pages: PageWriter, elements: readonly Element[]): number {
  let level: { key: Uint8Array; page: number }[] = [];
  let start = 0;
  while (start < elements.length || level.length === 0) {
    let end = start;
    let bytes = 0;
    // At least one element per leaf; more while they fit (an element alone may overflow).
    while (end < elements.length && (end === start || bytes + ELEMENT_BYTES + elements[end]!.key.length + elements[end]!.value.length <= LEAF_FILL_BYTES) && end - start < 0xffff) {
      bytes += ELEMENT_BYTES + elements[end]!.key.length + elements[end]!.value.length;
      end++;
    }
    const leaf = elements.slice(start, end);
    level.push({ key: leaf[0]?.key ?? new Uint8Array(0), page: pages.page(LEAF_FLAG, leaf.length, leafBody(leaf)) });
    start = end;
    if (start >= elements.length) break;
  }
  while (level.length > 1) {
    const up: { key: Uint8Array; page: number }[] = [];
    for (let i = 0; i < level.length; i += BRANCH_CHILDREN_MAX) {
      const children = level.slice(i, i + BRANCH_CHILDREN_MAX);
      up.push({ key: children[0]!.key, page: pages.page(BRANCH_FLAG, children.length, branchBody(children)) });
    }
    level = up;
  }
  return level[0]!.page;
}

/** A bucket's value in its parent: the header, and the leaf itself when the bucket is inline. */
function bucketValue(pages: PageWriter, bucket: BoltBucket): Uint8Array {
  const elements = bucket.entries.map(([key, value]) => ({ flags: 0, key, value }));
  const inline = leafBody(elements);
  // bbolt's inlineable: a small leaf (page header included) within a quarter page.
  if (PAGE_HEADER_BYTES + inline.length <= PAGE_BYTES / 4) {
    const value = new Uint8Array(BUCKET_HEADER_BYTES + PAGE_HEADER_BYTES + inline.length);
    writeHeader(new DataView(value.buffer, BUCKET_HEADER_BYTES), 0, LEAF_FLAG, elements.length, 0);
    value.set(inline, BUCKET_HEADER_BYTES + PAGE_HEADER_BYTES);
    return value;
  }
  const value = new Uint8Array(BUCKET_HEADER_BYTES);
  new DataView(value.buffer).setBigUint64(0, BigInt(writeTree(pages, elements)), true);
  return value;
}

/** FNV-64a (bbolt's meta checksum). */
function fnv64a(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h;
}

function metaPage(id: number, root: number, highWater: number, txid: number): Uint8Array {
  const buf = new Uint8Array(PAGE_BYTES);
  const view = new DataView(buf.buffer);
  writeHeader(view, id, META_FLAG, 0, 0);
  const m = PAGE_HEADER_BYTES;
  view.setUint32(m, MAGIC, true);
  view.setUint32(m + 4, VERSION, true);
  view.setUint32(m + 8, PAGE_BYTES, true);
  view.setUint32(m + 12, 0, true);
  view.setBigUint64(m + 16, BigInt(root), true);
  view.setBigUint64(m + 24, 0n, true);
  view.setBigUint64(m + 32, NO_FREELIST, true);
  view.setBigUint64(m + 40, BigInt(highWater), true);
  view.setBigUint64(m + 48, BigInt(txid), true);
  view.setBigUint64(m + 56, fnv64a(buf.subarray(m, m + 56)), true);
  return buf;
}

/** Compares byte strings as Go's bytes.Compare. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The whole file: buckets in any order (sorted here by name), each bucket's entries in key order. */
export function boltFile(buckets: readonly BoltBucket[], txid: number): Uint8Array {
  const pages = new PageWriter();
  const sorted = [...buckets].sort((a, b) => compareBytes(a.name, b.name));
  const rootElements = sorted.map((b) => ({ flags: BUCKET_LEAF_FLAG, key: b.name, value: bucketValue(pages, b) }));
  const root = writeTree(pages, rootElements);
  const file = new Uint8Array(pages.nextId * PAGE_BYTES);
  file.set(metaPage(0, root, pages.nextId, txid), 0);
  file.set(metaPage(1, root, pages.nextId, txid - 1), PAGE_BYTES);
  let at = 2 * PAGE_BYTES;
  for (const c of pages.chunks) {
    file.set(c, at);
    at += c.length;
  }
  return file;
}
