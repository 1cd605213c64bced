// The fuzzer's one walk over a JSON line's fields: each field, at each depth down to
// `depthMax`, set to every hostile value (and, with `removals`, left out), one mutation per
// line. history-cases.mjs walks detcd's history lines two levels down, every element of a
// list; history-shapes.mjs walks robustness files six levels down, the first element of each.

/** Hostile values for any field: wrong types, out-of-range numbers, markup, huge and deep values. */
export const FIELD_VALUES = [null, -1, 1.5, 1e300, 2 ** 63, '99999999999999999999999', 'x', true, [], {}, '<b>x</b>', '@DEEP@', '@HUGEINT@'];
/** FIELD_VALUES with control, terminal-escape and right-to-left characters. */
export const FIELD_VALUES_UNICODE = [...FIELD_VALUES.slice(0, 11), '\u0000\u001b[31m', '\u202e✓é', '@DEEP@', '@HUGEINT@'];

/** Values JSON.stringify cannot make, spliced into the text: 100,000 nested arrays, a 40-digit integer literal. */
const RAW = { '"@DEEP@"': `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '"@HUGEINT@"': '1234567890123456789012345678901234567890' };
const raw = (text) => text.replace(/"@DEEP@"|"@HUGEINT@"/g, (m) => RAW[m]);

/** A value's JSON type (null, boolean, number, string, array, object), the spliced values as what they become. */
export function jsonType(v) {
  if (v === '@DEEP@') return 'array';
  if (v === '@HUGEINT@') return 'number';
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Whether setting a field that holds `before` to `after` changes its JSON type: a reader that
 * types its fields refuses that (exit 3). null is no type of its own: a field that held null may
 * hold other types (an absent value, a nil read), and null in a field is the field left out (as
 * proto3's JSON reads it, and etcd's gateway), so a change from or to null is not counted.
 */
export function typeChanged(before, after) {
  return before !== null && after !== null && after !== undefined && jsonType(before) !== jsonType(after);
}

/**
 * [label, line, typeChanged] for one JSON line with one field replaced (or removed), at any depth down to
 * `depthMax` levels below the top (typeChanged: the field now holds a value of another JSON type). `everyElement`: each element of a list is a field (else the
 * first only); `removals`: also each object field left out; `values`: what each field is set to.
 */
export function fieldMutations(line, { depthMax = 2, everyElement = false, removals = false, values = FIELD_VALUES } = {}) {
  let obj;
  try {
    obj = JSON.parse(line);
  } catch {
    return [];
  }
  if (obj === null || typeof obj !== 'object') return [];
  const out = [];
  const edited = (path, key, edit) => {
    const copy = structuredClone(obj);
    let at = copy;
    for (const k of path) at = at[k];
    edit(at, key);
    return copy;
  };
  const visit = (holder, path) => {
    const keys = Array.isArray(holder) && !everyElement ? (holder.length > 0 ? [0] : []) : Object.keys(holder);
    for (const key of keys) {
      const name = [...path, key].join('.');
      for (const v of values) out.push([`${name} = ${JSON.stringify(v).slice(0, 30)}`, raw(JSON.stringify(edited(path, key, (at, k) => { at[k] = v; }))), typeChanged(holder[key], v)]);
      if (removals && !Array.isArray(holder)) out.push([`${name} removed`, JSON.stringify(edited(path, key, (at, k) => { delete at[k]; })), false]);
      const inner = holder[key];
      if (path.length < depthMax && inner !== null && typeof inner === 'object') visit(inner, [...path, key]);
    }
  };
  visit(obj, []);
  return out;
}
