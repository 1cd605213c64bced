// The page-level escaping proof is in browser.test.ts (no script runs); these check the text.
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, pathSegment, relativeHref } from '../../../sim/report/escape.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

describe('escaping user data in reports', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('keeps JSON for an inline script from closing the script', () => {
    expect(jsonForScript({ v: '</script><!--' })).not.toMatch(/<|>/);
    expect(JSON.parse(jsonForScript({ v: '</script>\u2028' }))).toEqual({ v: '</script>\u2028' });
  });

  it('makes a safe directory name of any scenario name', () => {
    expect(pathSegment('scenarios/partition.json')).toBe('partition');
    expect(pathSegment('../../etc')).toBe('etc');
    expect(pathSegment('..')).toBe('_');
    expect(pathSegment(fx.hostile)).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('turns any report path from a sweep into a relative link, never a scheme', () => {
    expect(relativeHref('register/4/index.html')).toBe('register/4/index.html');
    expect(relativeHref('../shard-1/a b/index.html')).toBe('../shard-1/a%20b/index.html');
    expect(relativeHref('javascript:alert(1)/index.html')).toBe('./javascript:alert%281%29/index.html');
    expect(relativeHref('//evil.example/x')).toBe('./evil.example/x');
  });

  it('renders a run whose keys, values, names and errors hold markup with exactly one script element and no injected tag', async () => {
    const html = await renderRunHtml(fx.hostileRun());
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="window');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('fails the check above when a value is left unescaped (the test can fail)', async () => {
    const html = await renderRunHtml(fx.hostileRun());
    const broken = html.replace('</main>', `${fx.hostile}</main>`);
    expect(broken.match(/<script/g)!.length).toBeGreaterThan(1);
  });
});
