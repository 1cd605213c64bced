// A field given twice in a scenario file: JSON.parse keeps the last value without a word, so
// `{"durationMs": 60000, ..., "durationMs": 300}` ran 300 ms, the value lower in the file a user
// may not see. The file is refused naming the field, as an unknown field is. Pure: a scan of
// text JSON.parse has already accepted.

/** An object being scanned (its keys so far, the key whose value comes next) or an array (the element's index). */
type Frame = { keys: Set<string>; key: string } | { index: number };

/** The path of the value the innermost frame is at: `nemesis.packages[0].kind`. Built only for the message. */
function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (const f of stack) {
    if ('index' in f) path += `[${f.index}]`;
    else path += `${path === '' ? '' : '.'}${f.key === '' ? '""' : f.key}`;
  }
  return path;
}

/** The end (index after the closing quote) of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
  return i + 1;
}

/** The path (`workload.kind`, `nemesis.packages[0].kind`) of the first key given twice in one object of valid JSON `text`, or undefined. */
export function duplicateField(text: string): string | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (expectKey && top !== undefined && 'keys' in top) {
        // Decoded: "na\u006de" is the key name.
        const key = JSON.parse(text.slice(i, end)) as string;
        top.key = key;
        if (top.keys.has(key)) return pathOf(stack);
        top.keys.add(key);
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (c === '{') {
      stack.push({ keys: new Set(), key: '' });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top !== undefined) {
      if ('index' in top) top.index++;
      else expectKey = true;
    }
    i++;
  }
  return undefined;
}
