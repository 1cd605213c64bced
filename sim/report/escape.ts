// Escaping for everything user-supplied that lands in a report: keys, values, scenario names,
// error strings. Reports are opened in a browser, so a value like `<script>` must render as
// text, never run.

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and XML element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

/**
 * XML 1.0 forbids most control characters even when escaped, and JUnit consumers reject the
 * whole file on one; they are replaced by U+FFFD so an odd byte in a value cannot break CI.
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'));
}

/**
 * JSON embedded in an inline <script> must not contain `</script>` or `<!--`: escaping every
 * `<` (and the two line separators JavaScript once disallowed in strings) keeps it inert.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Shortens long text for labels and tooltips; the full value stays in history.jsonl. */
export function truncate(text: string, charsMax: number): string {
  if (charsMax < 1) throw new Error('truncate: charsMax must be at least 1');
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}…`;
}

/**
 * A file-system-safe path segment for scenario names, which may be file paths or anything: the
 * last path component without its extension, other characters replaced.
 */
export function pathSegment(name: string): string {
  const base = name.split(/[\\/]/).filter((part) => part !== '').pop() ?? '';
  const safe = base.replace(/\.json$|\.ya?ml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return truncate(safe === '' ? '_' : safe, 100).replace(/…$/, '');
}

/**
 * A link to a run's report from a sweep: always a relative path, never a URL with a scheme
 * (a shard's sweep.json could say "javascript:..."), percent-encoded for href and Markdown.
 */
export function relativeHref(path: string): string {
  const relative = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || path.startsWith('//') ? `./${path.replace(/^\/+/, '')}` : path;
  return encodeURI(relative).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
