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

/**
 * [label, line] for one JSON line with one field replaced (or removed), at any depth down to
 * `depthMax` levels below the top. `everyElement`: each element of a list is a field (else the
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
      for (const v of values) out.push([`${name} = ${JSON.stringify(v).slice(0, 30)}`, raw(JSON.stringify(edited(path, key, (at, k) => { at[k] = v; })))]);
      if (removals && !Array.isArray(holder)) out.push([`${name} removed`, JSON.stringify(edited(path, key, (at, k) => { delete at[k]; }))]);
      const inner = holder[key];
      if (path.length < depthMax && inner !== null && typeof inner === 'object') visit(inner, [...path, key]);
    }
  };
  visit(obj, []);
  return out;
}
