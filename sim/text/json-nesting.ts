// How deep a user's JSON may nest. V8's JSON.parse reads any depth (it does not recurse), but
// JSON.stringify and every recursive walk of the value (a report's tooltip, a scenario shown on
// its page, a value compared or copied) overflow the stack a few thousand levels down: a value
// nested 100,000 deep in an unknown field of a history op was checked, then `--out` died with
// exit 4 "Maximum call stack size exceeded". No history, report or scenario nests near this
// (etcd's messages, nested txns included, stay under 64: etcd-field-types.ts). 1000, not EDN's
// 256 (edn.ts, whose reader recurses): the scan below runs on lines longer than twice the bound,
// and at 256 that was 268 of the 2142 lines of a detcd etcd history (txns), the scan costing
// 55-75 % of JSON.parse on them; no line of it reaches 2000 characters. JSON.stringify and the
// reports' walks take 1000 levels with room to spare.

/** Levels of arrays and objects a JSON value may nest (the outermost is level 1). */
export const JSON_NESTING_MAX = 1000;

/** The reason a refusal gives. */
export const JSON_NESTING_REASON = `JSON nested deeper than ${JSON_NESTING_MAX} levels`;

/** The components of a refusal's path shown before it is cut with '…' (the field is in the first few). */
const PATH_SHOWN_MAX = 4;
/** A key longer than this is cut in the path (a user's key may be any length). */
const KEY_SHOWN_MAX = 40;

/**
 * The refusal of JSON text (already parsed, so well formed) that nests deeper than `max` levels:
 * the reason, after the field it happens in (`field Input.Range.Start[0][0]…: JSON nested deeper
 * than …`; no field when only arrays lead there), or undefined when it does not. A
 * scan of the text, not a walk of the value: no recursion, and skipped outright for text too short
 * to nest that deep (each level takes an opening and a closing character), which is every op line
 * of an ordinary history.
 */
export function jsonNestingRefusal(text: string, max = JSON_NESTING_MAX): string | undefined {
  if (text.length <= 2 * max) return undefined;
  // Per level: an object or an array, the last key read (its text's bounds) or the element index.
  const isObject: boolean[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const index: number[] = [];
  let depth = 0;
  let stringStart = -1;
  let stringEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: brackets inside it are text. A backslash escapes the next character.
      stringStart = i + 1;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      stringEnd = i;
    } else if (c === 0x3a) {
      keyStart[depth] = stringStart;
      keyEnd[depth] = stringEnd;
    } else if (c === 0x2c) {
      if (isObject[depth] !== true) index[depth] = (index[depth] ?? 0) + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return refusalAt(text, depth - 1, isObject, keyStart, keyEnd, index);
      isObject[depth] = c === 0x7b;
      index[depth] = 0;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** The reason with the path to the too-deep value; a path of element indexes alone names no field (its line does). */
function refusalAt(text: string, levels: number, isObject: boolean[], keyStart: number[], keyEnd: number[], index: number[]): string {
  let path = '';
  let keyed = false;
  for (let level = 1; level <= levels; level++) {
    if (level > PATH_SHOWN_MAX) {
      path += '…';
      break;
    }
    if (isObject[level] === true) {
      const key = text.slice(keyStart[level], keyEnd[level]);
      path += `${path === '' ? '' : '.'}${key.length > KEY_SHOWN_MAX ? `${key.slice(0, KEY_SHOWN_MAX)}…` : key}`;
      keyed = true;
    } else path += `[${index[level] ?? 0}]`;
  }
  return keyed ? `field ${path}: ${JSON_NESTING_REASON}` : JSON_NESTING_REASON;
}

/** Whether JSON text nests deeper than `max` levels (jsonNestingRefusal says where). */
export function jsonNestsPast(text: string, max = JSON_NESTING_MAX): boolean {
  return jsonNestingRefusal(text, max) !== undefined;
}

/** JSON.parse, refusing text that nests deeper than JSON_NESTING_MAX with a SyntaxError that says so (callers word it as any other parse error). */
export function parseJsonBounded(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const deep = jsonNestingRefusal(text);
  if (deep !== undefined) throw new SyntaxError(deep);
  return value;
}
