// Go's json.Marshal text of a value: as JSON.stringify writes it, with the characters Go escapes
// for HTML and JavaScript (< > & U+2028 U+2029) escaped as it does, so a client comparing bytes
// (or a browser) sees etcd's.
const ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
}
