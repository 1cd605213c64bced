// Every user-supplied string that reaches a report page (scenario name and description, client
// names, keys, values, errors, fault and checker text, report paths and directory names) is
// shown as text: the pages hold no element, attribute or URL the strings did not come with.
// escaping.test.ts checks escapeHtml and one run page for `<script`; this audits the whole
// markup of the run page, the sweep page and the pages `detcd report` draws again from files,
// with several kinds of hostile text (closing tags of the inline style and script, quotes that
// would end an attribute, javascript: URLs, a 50,000-character string).
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { renderRunHtml, type RunReportInput } from '../../../sim/report/run-page.ts';
import { writeRunReportTo } from '../../../sim/report/run-report.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { writeSweepReport } from '../../../sim/report/sweep-report.ts';
import * as fx from '../../fixtures/report/fixtures.ts';
import { cli } from '../../cli/capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';

const root = scratchDir('detcd-hostile-pages-');

const long = `${'<b>"x'.repeat(10_000)}</textarea></title>`;
const strings = [
  fx.hostile,
  `</style><img src=x onerror="window.__pwned=3">`,
  `</script><script>window.__pwned=4</script>`,
  `javascript:window.__pwned=5`,
  `"'& --><!--`,
  '`</code><img src=x onerror="window.__pwned=8">`',
  `' onmouseover='window.__pwned=6`,
  long,
];
/** One string holding all the others, for the fields that take one. */
const all = strings.join(' ');

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A marker that is in the page only if the hostile text reached it escaped. */
const escapedMarker = '&lt;script&gt;window.__pwned=1&lt;/script&gt;';

/** Tags an injection would bring; the pages themselves draw none of them. */
const foreignTags = /^(script|style|img|iframe|object|embed|textarea|link|base|form|input|svg:script|foreignobject|math|template)$/i;

/**
 * The markup of a page, judged without knowing its text: one inline style and one inline script
 * (the shell's), and every other tag well formed: a known name, attributes all double-quoted,
 * none an event handler, no href or src with a URL scheme. A hostile string left unescaped
 * anywhere breaks one of these.
 */
function auditMarkup(html: string): void {
  expect(html.match(/<script\b/gi)).toHaveLength(1);
  expect(html.match(/<\/script/gi)).toHaveLength(1);
  expect(html.match(/<title\b/gi)).toHaveLength(1);
  expect(html.match(/<\/title/gi)).toHaveLength(1);
  // The shell's style and the drawings' own (constant CSS): none holds a '<'.
  const outside = html.replace(/<style>[^<]*<\/style>/g, '').replace(/<script>[^<]*<\/script>\n<\/body>\n<\/html>\n$/, '');
  expect(outside).not.toMatch(/<\/?(style|script)\b/i);
  for (const m of outside.matchAll(/<(\/?)([A-Za-z!][\w:-]*)([^>]*)>/g)) {
    const [tag, , name, rest] = m as unknown as [string, string, string, string];
    if (name.toLowerCase() === '!doctype') continue;
    expect(name, tag.slice(0, 200)).not.toMatch(foreignTags);
    let left = rest;
    for (const a of rest.matchAll(/\s([A-Za-z_:][\w:.-]*)(?:="([^"]*)")?/g)) {
      const [whole, attr, value = ''] = a as unknown as [string, string, string | undefined];
      expect(attr, tag.slice(0, 200)).not.toMatch(/^on/i);
      if (/^(href|src|xlink:href|action|formaction)$/i.test(attr)) expect(value, tag.slice(0, 200)).not.toMatch(/^\s*[A-Za-z][A-Za-z0-9+.-]*:/);
      left = left.replace(whole, '');
    }
    expect(left.trim(), tag.slice(0, 200)).toMatch(/^\/?$/);
  }
  expect(outside).not.toMatch(/<!--/);
}

/** fx.hostileRun with hostile client names, scenario description, watch keys and a long scenario name. */
function hostileInput(): RunReportInput {
  const run = fx.hostileRun();
  const names = strings.map((s, i) => `${s}${i}`);
  const history: Op[] = run.history.map((op, i) => ({ ...op, process: names[(typeof op.process === 'number' ? op.process : i) % names.length]! }));
  const first = history[0]!;
  const watches: WatchRecord[] = [
    { process: all, time: first.time, node: all, request: { key: b64(all) }, response: { events: [{ type: 'PUT', kv: { key: b64(all), value: b64(all) } }] } },
  ];
  run.results.scenario = all;
  run.results.checkers['linearizability'] = { ...run.results.checkers['linearizability']!, summary: all };
  return { ...run, history, watches, scenario: { name: all, description: all, workload: { keys: [all] } } };
}

describe('report pages with hostile user strings', () => {
  it('the run page: every string escaped, no foreign markup', async () => {
    const html = await renderRunHtml(hostileInput());
    expect(html).toContain(escapedMarker);
    expect(html).toContain('&lt;/style&gt;');
    auditMarkup(html);
  });

  it('the sweep page, summary.md and junit.xml: a run with hostile text and a javascript: report path', async () => {
    const dir = join(root, 'sweep');
    const input = hostileInput();
    const run = summarizeRun(input.results, 'javascript:window.__pwned=7');
    run.error = all;
    run.replay = all;
    await writeSweepReport(dir, [run, { ...summarizeRun(input.results, `../${all}`), seed: 2 }]);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain(escapedMarker);
    expect(html).toContain('href="./javascript:');
    auditMarkup(html);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).not.toMatch(/<script|<img|<\/style/i);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    // Inside a code span (the replay) Markdown shows the text as it is: a backtick in it is replaced.
    const text = md.replace(/`[^`\n]*`/g, '``');
    expect(text.match(/`/g)!.length % 2).toBe(0);
    const bad = text.match(/<script|<img|<\/style|\]\(javascript:/i);
    expect(bad === null ? '' : text.slice(Math.max(0, bad.index! - 200), bad.index! + 100)).toBe('');
  });

  it('detcd report draws the pages again from hostile files in a directory with a hostile name', async () => {
    const dir = join(root, `<b>"'&amp;${'x'.repeat(50)}`);
    mkdirSync(dir, { recursive: true });
    await writeRunReportTo(dir, hostileInput());
    writeFileSync(join(dir, 'index.html'), '<html>old page</html>');
    const r = await cli(['report', dir]);
    expect(r.err).toEqual([]);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain(escapedMarker);
    auditMarkup(html);
  });

  it('detcd run and detcd sweep: a scenario file with a hostile file name and description, out directories with hostile names', async () => {
    const description = strings.slice(0, 6).join(' ');
    expect(description.length).toBeLessThanOrEqual(500);
    const file = join(root, `<i>"'&amp;javascript:x.json`);
    writeFileSync(file, JSON.stringify({ name: 'tiny', description, clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 300, rateOpsPerSecond: 50 } }));
    const runDir = join(root, `run <b>"'&amp;`);
    const run = await cli(['run', '--scenario', file, '--seed', '1', '--out', runDir]);
    expect(run.err).toEqual([]);
    const runHtml = readFileSync(join(runDir, 'index.html'), 'utf8');
    expect(runHtml).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    auditMarkup(runHtml);
    const sweepDir = join(root, `sweep <b>"'&amp;`);
    const sweep = await cli(['sweep', '--scenario', file, '--seeds', '2', '--jobs', '1', '--out', sweepDir]);
    expect(sweep.code, sweep.err.join('\n')).toBeLessThan(3);
    auditMarkup(readFileSync(join(sweepDir, 'index.html'), 'utf8'));
  });

  it('the audit fails on a page where one string is left unescaped (the test can fail)', async () => {
    const html = await renderRunHtml(hostileInput());
    for (const s of strings.slice(0, 6)) {
      // (the string made to end a single-quoted attribute is left out: the audit refuses any such attribute)
      const broken = html.replace('</main>', `<a href="${s}">${s}</a></main>`);
      expect(() => auditMarkup(broken), s).toThrow();
    }
  });
});
