// Values nobody saw, made interchangeable. A timed-out write whose value no answer shows can
// only matter by the revision it made, the key it touched, its version count and its lease:
// every read that might return its value returns some other value (values are unique), so
// it fails whatever that value was. Replacing each such value by one placeholder makes two
// timed-out puts of one key the same op, and the search tries one of them per gap instead of
// each (search.ts: identical unknown-outcome ops are twins). With thirty timed-out puts
// spread over ten keys that is the difference between a verdict in milliseconds and none.
//
// It is exact only while a value cannot be observed in any other way, so it is not done
// when the history could: a compare on VALUE with LESS or GREATER (the order of the unseen
// value matters), or a range sorted by VALUE (which keys come first depends on it). Values
// named in any VALUE compare are kept as they are (a compare equal to them may succeed).
import type { Req } from './apply.ts';
import { encodeKey } from './json.ts';
import { packedMap } from '../../packed-map.ts';
import { TXN_BRANCHES, txnBranch } from './txn-branches.ts';

/** Whatever the history's requests and answers show of values, and whether hiding is exact. */
interface ValueFacts {
  /** The values the unseen writes put: only these are looked for. */
  candidates: ReadonlySet<string>;
  /** Those of them an answer shows, or a VALUE compare names. */
  visible: Set<string>;
  /** Values of the history that could be a placeholder (they start like one). */
  clashes: Set<string>;
  /** A VALUE compare by order or a sort by VALUE: an unseen value's bytes may matter. */
  orderMatters: boolean;
}

export interface UnseenWrite {
  f: string;
  request: Req;
}

const PLACEHOLDER_TEXT = '\u0000detcd: a value no answer shows';
/** Every placeholder (the text, then '#'s) starts with these base64 characters (the text's first 24 bytes). */
const PLACEHOLDER_PREFIX = encodeKey(PLACEHOLDER_TEXT).slice(0, 32);

function noteValue(v: string, facts: ValueFacts, visible: boolean): void {
  if (visible && facts.candidates.has(v)) facts.visible.add(v);
  if (v.startsWith(PLACEHOLDER_PREFIX)) facts.clashes.add(v);
}

/** `o` with `key` set to `value`: a copy (Object.assign: Node 20 takes `{ ...o, key: value }` on a slow path). */
function withField(o: Req, key: string, value: unknown): Req {
  return Object.assign({}, o, { [key]: value });
}

/** The request with every value not in `visible` replaced by `placeholder` (a copy, or the same object when nothing changes). */
function hideIn(f: string, req: Req, visible: ReadonlySet<string>, placeholder: string): Req {
  if (f === 'kv/put') {
    const v = req['value'];
    return typeof v === 'string' && !visible.has(v) ? withField(req, 'value', placeholder) : req;
  }
  if (f !== 'kv/txn') return req;
  let changed = false;
  const branch = (ops: unknown): unknown => {
    if (!Array.isArray(ops)) return ops;
    return ops.map((op: Req) => {
      const put = op['request_put'] as Req | undefined;
      const txn = op['request_txn'] as Req | undefined;
      if (put !== undefined) {
        const hidden = hideIn('kv/put', put, visible, placeholder);
        if (hidden === put) return op;
        changed = true;
        return withField(op, 'request_put', hidden);
      }
      if (txn !== undefined) {
        const hidden = hideIn('kv/txn', txn, visible, placeholder);
        if (hidden === txn) return op;
        changed = true;
        return withField(op, 'request_txn', hidden);
      }
      return op;
    });
  };
  const out = Object.assign({}, req, { success: branch(req['success']), failure: branch(req['failure']) });
  if (req['success'] === undefined) delete out.success;
  if (req['failure'] === undefined) delete out.failure;
  return changed ? out : req;
}

function collectRequest(f: string, req: Req, facts: ValueFacts): void {
  if (f === 'kv/put' && typeof req['value'] === 'string') noteValue(req['value'], facts, false);
  if (f === 'kv/range' && req['sort_target'] === 'VALUE') facts.orderMatters = true;
  if (f !== 'kv/txn') return;
  for (const c of (req['compare'] ?? []) as Req[]) {
    if (c['target'] !== 'VALUE') continue;
    if (typeof c['value'] === 'string') noteValue(c['value'], facts, true);
    if (c['result'] === 'LESS' || c['result'] === 'GREATER') facts.orderMatters = true;
  }
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_put'] !== undefined) collectRequest('kv/put', op['request_put'] as Req, facts);
      if (op['request_range'] !== undefined) collectRequest('kv/range', op['request_range'] as Req, facts);
      if (op['request_txn'] !== undefined) collectRequest('kv/txn', op['request_txn'] as Req, facts);
    }
  }
}

/** What valuedObjects then the loop in hideUnseenValues note, without the list: for answers read once. */
function collectResponse(resp: unknown, facts: ValueFacts): void {
  if (Array.isArray(resp)) {
    for (let i = 0; i < resp.length; i++) collectResponse(resp[i], facts);
    return;
  }
  if (typeof resp !== 'object' || resp === null) return;
  const o = resp as Req;
  if (typeof o['value'] === 'string' && o['key'] !== undefined) noteValue(o['value'], facts, true);
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'object') collectResponse(v, facts);
  }
}

/**
 * The objects of an answer, at any depth, with a string `value` (the kvs and prev_kvs it shows,
 * nested txn answers too), in the order a depth-first walk meets them: read once per answer,
 * for the values it shows (history.ts) and for what hiding needs here.
 */
export function valuedObjects(resp: unknown, out: Req[]): void {
  // Index and for-in loops: no array of values per object, no iterator result per element.
  if (Array.isArray(resp)) {
    for (let i = 0; i < resp.length; i++) valuedObjects(resp[i], out);
    return;
  }
  if (typeof resp !== 'object' || resp === null) return;
  const o = resp as Req;
  if (typeof o['value'] === 'string') out.push(o);
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'object') valuedObjects(v, out);
  }
}

/**
 * Hides the values of `unseen` writes that no answer shows. `requests` are everything the
 * history holds (any op, any outcome), `shown` the valued objects (valuedObjects) of every ok
 * answer. Returns each unseen write's request to check with (the same object when nothing was
 * hidden), or undefined when hiding would not be exact for this history.
 */
export function hideUnseenValues(
  requests: readonly { f: string; request: Req }[],
  shown: readonly (readonly Req[])[],
  unseen: readonly UnseenWrite[],
  /** Other answers that show values (watch responses), read here as they are. */
  others: readonly unknown[] = [],
): { requests: Req[]; placeholder: string } | undefined {
  const candidates = new Set<string>();
  for (const w of unseen) forEachPutValue(w.f, w.request, (v) => candidates.add(v));
  // The empty value is never unseen: gateway JSON leaves an empty field out, so every answer
  // listing a key without a value shows it (lock-gc-pause seed 14: a timed-out put of '' hidden,
  // then a range showing that key: a false violation). One copy of this rule: the lead's 27ce434
  // and check's 9765a17 added it at once, and each then removed its own (423533e, 0aa39d9).
  const facts: ValueFacts = { candidates, visible: new Set(['']), clashes: new Set(), orderMatters: false };
  for (const r of requests) collectRequest(r.f, r.request, facts);
  // A value an answer shows as a key's: every valued object that names a key.
  for (let i = 0; i < shown.length; i++) {
    const list = shown[i]!;
    for (let j = 0; j < list.length; j++) {
      const o = list[j]!;
      if (o['key'] !== undefined) noteValue(o['value'] as string, facts, true);
    }
  }
  for (let i = 0; i < others.length; i++) collectResponse(others[i], facts);
  if (facts.orderMatters) return undefined;
  let text = PLACEHOLDER_TEXT;
  while (facts.clashes.has(encodeKey(text))) text += '#';
  const placeholder = encodeKey(text);
  return { requests: packedMap(unseen, (w) => hideIn(w.f, w.request, facts.visible, placeholder)), placeholder };
}

/** Each value a write puts (txn branches, nested too). */
export function forEachPutValue(f: string, req: Req, each: (value: string) => void): void {
  if (f === 'kv/put' && typeof req['value'] === 'string') each(req['value']);
  if (f !== 'kv/txn') return;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_put'] !== undefined) forEachPutValue('kv/put', op['request_put'] as Req, each);
      if (op['request_txn'] !== undefined) forEachPutValue('kv/txn', op['request_txn'] as Req, each);
    }
  }
}
