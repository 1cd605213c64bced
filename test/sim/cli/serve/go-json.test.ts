// Malformed request bodies get Go's encoding/json messages, as etcd's gateway answers them
// (the expected strings were taken from etcd 3.4.23), and text after the first value is ignored.
import { expect, test } from 'vitest';
import { scanGoJson } from '../../../../sim/cli/serve/go-json.ts';

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
