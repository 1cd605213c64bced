// How deep a user's JSON may nest. V8's JSON.parse reads any depth (it does not recurse), but
// JSON.stringify and every recursive walk of the value (a report's tooltip, a scenario shown on
// its page, a value compared or copied) overflow the stack a few thousand levels down: a value
// nested 100,000 deep in an unknown field of a history op was checked, then `--out` died with
// exit 4 "Maximum call stack size exceeded". No history, report or scenario nests near this
// (etcd's messages, nested txns included, stay under 64: etcd-field-types.ts), and EDN is bounded
// the same (edn.ts).

/** Levels of arrays and objects a JSON value may nest (the outermost is level 1). */
export const JSON_NESTING_MAX = 256;

/** The reason a refusal gives. */
export const JSON_NESTING_REASON = `JSON nested deeper than ${JSON_NESTING_MAX} levels`;

/**
 * Whether JSON text (already parsed, so well formed) nests deeper than `max` levels. A scan of
 * the text, not a walk of the value: no recursion, and skipped outright for text too short to
 * nest that deep (each level takes an opening and a closing character), which is every op line
 * of an ordinary history.
 */
export function jsonNestsPast(text: string, max = JSON_NESTING_MAX): boolean {
  if (text.length <= 2 * max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: brackets inside it are text. A backslash escapes the next character.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse, refusing text that nests deeper than JSON_NESTING_MAX with a SyntaxError that says so (callers word it as any other parse error). */
export function parseJsonBounded(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (jsonNestsPast(text)) throw new SyntaxError(JSON_NESTING_REASON);
  return value;
}
