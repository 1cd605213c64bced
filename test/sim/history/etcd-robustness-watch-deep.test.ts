// A robustness watch.json whose field holds a value nested past the stack's depth: JSON.parse
// reads it, but a JSON.stringify of the parsed record overflowed the stack (detcd check: exit 4,
// "Maximum call stack size exceeded"; found by bench/tools/input-fuzz.mjs on 451b747). Now it
// ends as any other record does: read, or refused naming the line (HistoryParseError, exit 3).
import { expect, it } from 'vitest';
import { parseRobustnessWatches } from '../../../sim/history/etcd-robustness-watch.ts';
import { HistoryParseError } from '../../../sim/history/parse-error.ts';

it('a field nested 100000 deep does not overflow the stack', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const line = `{"Request":{"Key":"","Revision":0,"WithPrefix":true,"WithProgressNotify":${deep}},"Responses":[]}`;
  let thrown: unknown;
  try {
    parseRobustnessWatches(line, 1);
  } catch (err) {
    thrown = err;
  }
  if (thrown !== undefined) expect(thrown).toBeInstanceOf(HistoryParseError);
  expect(thrown).not.toBeInstanceOf(RangeError);
});
