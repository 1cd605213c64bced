// EDN string values and Jepsen log values, read and written whole: the reader slices the runs
// between escapes (it grew the string a character at a time, ≈2 s a megabyte), the log's op line
// is matched by its head only (the value's trailing `\s*$` was tried from every character:
// 20,000 spaces took 4 s), and the writer escapes in one replace. Their speed is benched
// (bench/tools/string-values.mjs); these tests hold what they read and where they say it was.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readAllEdn } from '../../../sim/history/edn.ts';
import { parseJepsenEdn } from '../../../sim/history/jepsen-edn.ts';
import { parseJepsenLog } from '../../../sim/history/jepsen-log.ts';
import { ednString } from '../../../sim/report/edn.ts';

/** `s` as Clojure's pr-str prints a string (char-escape-string: \" \\ \n \t \r \f \b; the rest as is). */
function prStr(s: string): string {
  const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\b': '\\b' };
  return `"${[...s].map((c) => escapes[c] ?? c).join('')}"`;
}

const SEED = Number(process.env['DETCD_FC_SEED'] ?? 23);

describe('EDN string values', () => {
  it(`reads any string as Clojure's pr-str and detcd's writer print it (fast-check seed ${SEED})`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      expect(readAllEdn(prStr(s))[0]!.value).toBe(s);
      expect(readAllEdn(ednString(s))[0]!.value).toBe(s);
    }), { seed: SEED, numRuns: 500 });
  });

  it('reads a 3 MB value with escapes and line breaks whole, and counts its lines for the forms after it', () => {
    const value = 'ab"c\\d\n\u00e9\f\b'.repeat(300_000);
    const forms = readAllEdn(`{:process 0, :type :invoke, :f :write, :value ${prStr(value)}}\n{:process 0, :type :ok, :f :write, :value 1}\n:end`);
    expect((forms[0]!.value as Map<unknown, unknown>).size).toBe(4);
    expect([...(forms[0]!.value as Map<unknown, unknown>).values()][3]).toBe(value);
    // pr-str escapes line breaks (\n is no line); a raw one inside a string is a line.
    expect(forms.map((f) => f.line)).toEqual([1, 2, 3]);
    const raw = readAllEdn('"a\nb\nc" :x\n:y');
    expect(raw.map((f) => [f.value, f.line])).toEqual([['a\nb\nc', 1], [expect.anything(), 3], [expect.anything(), 4]]);
  });

  it('refuses a bad escape and an unterminated string on the line it ends on', () => {
    expect(() => readAllEdn('"ab\\q"')).toThrow(/line 1: EDN: bad escape '\\q'/);
    expect(() => readAllEdn('"ab\\u12"')).toThrow(/line 1: EDN: bad \\u escape/);
    expect(() => readAllEdn('"ab\\')).toThrow(/line 1: EDN: bad escape '\\'/);
    expect(() => readAllEdn('"ab\ncd\n')).toThrow(/line 3: EDN: unterminated string/);
    expect(readAllEdn('"\\u00e9\\u0022"')[0]!.value).toBe('\u00e9"');
  });

  it('reads a Jepsen history whose values are megabytes of text', () => {
    const big = 'x'.repeat(2_000_000);
    const h = parseJepsenEdn(`[{:process 0, :type :invoke, :f :write, :value ${prStr(big)}}\n {:process 0, :type :ok, :f :write, :value ${prStr(big)}}]`);
    expect(h.ops.map((o) => (o.value as string).length)).toEqual([2_000_000, 2_000_000]);
  });
});

describe('Jepsen log values', () => {
  it('reads a value of a megabyte of spaces, spaces after it, and an error after it', () => {
    const spaces = ' '.repeat(1_000_000);
    const h = parseJepsenLog(`INFO  jepsen.util - 0\t:invoke\t:write\t"${spaces}"${spaces}\nINFO  jepsen.util - 0\t:fail\t:write\t"${spaces}"   :timed-out${spaces}\r\n`);
    expect(h.ops.map((o) => [o.type, (o.value as string).length, o.error])).toEqual([['invoke', 1_000_000, undefined], ['fail', 1_000_000, 'timed-out']]);
  });

  it('names text after the value in a short line, however long it is', () => {
    let message = '';
    try {
      parseJepsenLog(`INFO  jepsen.util - 0\t:invoke\t:write\t1 2 ${'y'.repeat(1_000_000)}\n`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^line 1: unexpected text after the value: "1 2 yyy/);
    expect(message.length).toBeLessThan(120);
  });
});
