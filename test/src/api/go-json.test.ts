// Malformed request bodies get Go's encoding/json messages, as etcd's gateway answers them
// (the expected strings were taken from etcd 3.4.23), and text after the first value is ignored;
// integer fields are read as jsonpb reads them (the messages of etcd 3.4.23's gateway too).
import { expect, test } from 'vitest';
import { GoNumber, GoString, goUnmarshalInteger, parseGoJson, scanGoJson } from '../../../src/api/go-json.ts';

const scan = (s: string): ReturnType<typeof scanGoJson> => scanGoJson(Buffer.from(s));

test.each([
  ['xx', "invalid character 'x' looking for beginning of value"],
  ['{', 'unexpected EOF'],
  ['{"key":"YQ==",}', "invalid character '}' looking for beginning of object key string"],
  ['{"key":"YQ==","limit":x}', "invalid character 'x' looking for beginning of value"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair'],
  ['[1 2]', "invalid character '2' after array element"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ['{"a":-x}', "invalid character 'x' in numeric literal"],
  ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
  ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
  ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
  ['{"a":"\n"}', "invalid character '\\n' in string literal"],
])('%j is refused with Go\'s message', (body, message) => {
  expect(scan(body)).toEqual({ ok: false, message });
});

test('valid bodies scan to the end of their first value; blank bodies are empty requests', () => {
  expect(scan(' {"key":"YQ==","n":-1.5e+3,"l":[true,false,null]} trailing')).toEqual({ ok: true, end: 49, empty: false });
  expect(scan('  \n')).toEqual({ ok: true, end: 3, empty: true });
  expect(scan('12')).toEqual({ ok: true, end: 2, empty: false });
});

test.each([
  // [the field's JSON (a number's own text, or a string), Go type, the integer or etcd's message]
  ['99999999999999999999', 'int64', 'json: cannot unmarshal number 99999999999999999999 into Go value of type int64'],
  ['"9223372036854775807"', 'int64', '9223372036854775807'],
  ['"9223372036854775808"', 'int64', 'json: cannot unmarshal number 9223372036854775808 into Go value of type int64'],
  ['"-9223372036854775808"', 'int64', '-9223372036854775808'],
  ['"-9223372036854775809"', 'int64', 'json: cannot unmarshal number -9223372036854775809 into Go value of type int64'],
  ['1e3', 'int64', 'json: cannot unmarshal number 1e3 into Go value of type int64'],
  ['"1.0"', 'int64', 'json: cannot unmarshal number 1.0 into Go value of type int64'],
  ['9007199254740993', 'int64', '9007199254740993'],
  ['"18446744073709551615"', 'uint64', '18446744073709551615'],
  ['"18446744073709551616"', 'uint64', 'json: cannot unmarshal number 18446744073709551616 into Go value of type uint64'],
  ['"-1"', 'uint64', 'json: cannot unmarshal number -1 into Go value of type uint64'],
  ['"-0"', 'int64', '0'],
  ['" 1"', 'int64', '1'],
  ['"1 "', 'int64', '1'],
  ['"01"', 'int64', "invalid character '1' after top-level value"],
  ['"0x10"', 'int64', "invalid character 'x' after top-level value"],
  ['"-"', 'int64', "invalid character ' ' in numeric literal"],
  ['"1."', 'int64', "invalid character ' ' after decimal point in numeric literal"],
  ['"1e"', 'int64', "invalid character ' ' in exponent of numeric literal"],
  ['"{"', 'int64', 'unexpected end of JSON input'],
  ['""', 'int64', 'unexpected end of JSON input'],
  ['"[1]"', 'int64', 'json: cannot unmarshal array into Go value of type int64'],
  ['"true"', 'int64', 'json: cannot unmarshal bool into Go value of type int64'],
  ['"\\"1\\""', 'int64', "invalid character '\\\\' looking for beginning of value"],
  ['"+1"', 'int64', "invalid character '+' looking for beginning of value"],
])('integer field %s as %s: %s', (json, type, expected) => {
  const value = parseGoJson(json);
  const r = goUnmarshalInteger(value, type as 'int64' | 'uint64');
  expect(r).toEqual(/^-?\d+$/.test(expected) ? { ok: true, text: expected } : { ok: false, message: expected });
});

test('an integer field holding the string "null" is left unset; a bool is not an integer', () => {
  expect(goUnmarshalInteger('null', 'int64')).toEqual({ ok: true, text: undefined });
  expect(goUnmarshalInteger(true, 'int64')).toBeUndefined();
});

test('parseGoJson keeps the text of every number a JS number would not hold; the last duplicate key wins', () => {
  expect(parseGoJson('{"a":1,"b":-0,"c":1e3,"d":1.5,"e":99999999999999999999,"f":[9007199254740991,9007199254740992],"a":2,"__proto__":{"x":"\\u00e9"}}')).toEqual({
    a: 2, b: -0, c: new GoNumber('1e3'), d: new GoNumber('1.5'), e: new GoNumber('99999999999999999999'),
    f: [9007199254740991, new GoNumber('9007199254740992')], ['__proto__']: { x: new GoString('é', 0) },
  });
  expect(JSON.stringify(parseGoJson('{"limit":1e3}'))).toBe('{"limit":"1e3"}');
});

test('an integer string written with an escape is read by its raw text, as jsonpb reads it (etcd 3.4.23 refuses each)', () => {
  const read = (text: string): unknown => goUnmarshalInteger((parseGoJson(`{"x":${text}}`) as { x: unknown }).x, 'int64');
  expect(read('"\\u0031"')).toEqual({ ok: false, message: "invalid character '\\\\' looking for beginning of value" });
  expect(read('"\\"1\\""')).toEqual({ ok: false, message: "invalid character '\\\\' looking for beginning of value" });
  expect(read('"1\\u0020"')).toEqual({ ok: false, message: "invalid character '\\\\' after top-level value" });
  expect(read('"-\\u0031"')).toEqual({ ok: false, message: "invalid character '\\\\' in numeric literal" });
  expect(read('" 1"')).toEqual({ ok: true, text: '1' });
  // A string field's value and an object key are the unescaped text.
  const o = parseGoJson('{"k\\u0065y":"Y\\u0051=="}') as { key: GoString };
  expect(Object.keys(o)).toEqual(['key']);
  expect(o.key).toEqual(new GoString('YQ==', 1));
  expect(JSON.stringify(o)).toBe('{"key":"YQ=="}');
});
