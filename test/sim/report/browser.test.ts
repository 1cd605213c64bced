// Opens rendered reports in a real headless Chromium (Debian's, via playwright-core): no console
// errors, no network request (the file is self-contained), the verdict visible, hostile text
// inert. Screenshots go to reports/screenshots/ for a person to look at.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../../sim/report/run-report.ts';
import type { RunReportInput } from '../../../sim/report/run-page.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { writeSweepReport } from '../../../sim/report/sweep-report.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

const chromiumPath = '/usr/bin/chromium';
const present = existsSync(chromiumPath);
if (!present && process.env['CI'] !== undefined) throw new Error(`${chromiumPath} is missing: CI must install Debian's chromium (.ci/run does)`);
if (!present) console.warn(`SKIPPED browser tests: ${chromiumPath} is missing (apt-get install -y chromium)`);

const screenshots = resolve('reports/screenshots');
let browser: Browser;
let root: string;

/** The slice of the browser's DOM the junit check uses (the test compiles without DOM types). */
interface BrowserXml {
  DOMParser: new () => { parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } } };
}

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') && url === pathToFileURL(file).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

async function renderAndOpen(name: string, input: RunReportInput): Promise<Opened & { dir: string }> {
  const dir = await writeRunReport(root, input);
  const opened = await open(join(dir, 'index.html'));
  await opened.page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  return { ...opened, dir };
}

describe.skipIf(!present)('run reports in headless Chromium', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'detcd-report-'));
    await mkdir(screenshots, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  });

  const cases: [string, () => RunReportInput, string][] = [
    ['passing', fx.passingRun, 'VALID'],
    ['failing-linearizability', fx.linearizabilityFailingRun, 'INVALID'],
    ['failing-watch', fx.watchFailingRun, 'INVALID'],
    ['failing-liveness', fx.livenessFailingRun, 'INVALID'],
    ['unknown', fx.unknownRun, 'UNKNOWN'],
  ];
  for (const [name, make, word] of cases) {
    it(`renders the ${name} run with its verdict visible, no console error and no network request`, async () => {
      const { page, errors, requests } = await renderAndOpen(name, make());
      const verdict = page.locator('#verdict .word');
      await expect.poll(() => verdict.isVisible()).toBe(true);
      expect(await verdict.textContent()).toBe(word);
      const box = await verdict.boundingBox();
      expect(box!.y).toBeLessThan(300);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator('svg.timeline rect.op').count()).toBeGreaterThan(100);
      expect(await page.locator('#latency svg').count()).toBe(2); // raw points and quantiles
      expect(await page.locator('#throughput svg').count()).toBe(1);
      await page.close();
    });
  }

  it('on a phone (390 px) stacks the verdict word over its reason and the statistics tables one under the other', async () => {
    // Side by side at 390 px the statistics tables broke words in two ("val ue", "1.5 18 s")
    // and the verdict word took half the banner, its reason a column of two words a line.
    const { page } = await renderAndOpen('failing-390', fx.linearizabilityFailingRun());
    await page.setViewportSize({ width: 390, height: 900 });
    const phone = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(s: string): { getBoundingClientRect(): { top: number; bottom: number; width: number } } | null; querySelectorAll(s: string): { getBoundingClientRect(): { width: number } }[] } }).document;
      const word = d.querySelector('#verdict .word')!.getBoundingClientRect();
      const why = d.querySelector('#verdict .why')!.getBoundingClientRect();
      return { page: d.documentElement.scrollWidth - d.documentElement.clientWidth, wordAbove: word.bottom <= why.top, whyPx: why.width, tablePx: Math.min(...[...d.querySelectorAll('.grid2 > *')].map((e) => e.getBoundingClientRect().width)) };
    });
    expect(phone.page).toBe(0);
    expect(phone.wordAbove).toBe(true);
    expect(phone.whyPx).toBeGreaterThanOrEqual(300);
    expect(phone.tablePx).toBeGreaterThanOrEqual(300);
    await page.screenshot({ path: join(screenshots, 'failing-390.png'), fullPage: true });
    await page.close();
  });

  it('renders the hand-written run from disk with its overlapping counterexample ops', async () => {
    const fixture = join(import.meta.dirname, '../../fixtures/report/handwritten');
    const lines = async <T>(name: string): Promise<T[]> => (await readFile(join(fixture, name), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as T);
    const results = JSON.parse(await readFile(join(fixture, 'results.json'), 'utf8')) as RunReportInput['results'];
    const { page, errors, requests } = await renderAndOpen('handwritten', { results, history: await lines('history.jsonl'), watches: await lines('watches.jsonl') });
    expect(await page.locator('#verdict .word').textContent()).toBe('INVALID');
    await page.locator('#counterexample').screenshot({ path: join(screenshots, 'handwritten-counterexample.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('draws the counterexample and shows the request and response when hovering an op', async () => {
    const { page, errors } = await renderAndOpen('counterexample-hover', fx.linearizabilityFailingRun());
    expect(await page.locator('#counterexample rect.cx.failed').count()).toBe(1);
    expect(await page.locator('#counterexample rect.cx.prefix').count()).toBe(8);
    const bar = page.locator('#counterexample rect.cx.failed');
    await bar.scrollIntoViewIfNeeded();
    await bar.hover();
    const tip = page.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/cannot be placed[\s\S]*request: \{"key":"x"/);
    await page.screenshot({ path: join(screenshots, 'counterexample-hover.png') });
    const failBar = page.locator('svg.timeline rect.op.fail').first();
    await failBar.scrollIntoViewIfNeeded();
    await failBar.hover();
    await expect.poll(async () => tip.textContent()).toMatch(/· fail\n[\s\S]*request: [\s\S]*error: etcdserver: request timed out/);
    await page.mouse.move(5, 5);
    await expect.poll(() => tip.isVisible()).toBe(false);
    // Zooming stretches the time axis four times (labels stay), and 1× restores it.
    const svg = page.locator('#timeline-svg');
    await page.locator('button[data-zoom="4"]').click();
    expect(Number(await svg.getAttribute('width'))).toBe(96 + (1160 - 96) * 4);
    await page.locator('button[data-zoom="1"]').click();
    expect(Number(await svg.getAttribute('width'))).toBe(1160);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders hostile keys, values and names as text: no script runs, no element is injected', async () => {
    const { page, errors, requests } = await renderAndOpen('escaping', fx.hostileRun());
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body').innerText()).toContain(fx.hostile);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('renders the sweep index with failures first and links that open each run', async () => {
    const inputs = [fx.passingRun(), fx.linearizabilityFailingRun(), fx.unknownRun(), fx.hostileRun()];
    const sweepDir = join(root, 'sweep');
    const runs = [];
    for (const input of inputs) {
      const dir = await writeRunReport(sweepDir, input);
      runs.push(summarizeRun(input.results, dir.slice(sweepDir.length + 1)));
    }
    await writeSweepReport(sweepDir, runs);
    const { page, errors, requests } = await open(join(sweepDir, 'index.html'));
    await page.screenshot({ path: join(screenshots, 'sweep.png'), fullPage: true });
    const verdicts = await page.locator('table.runs td.verdict-cell').allTextContents();
    expect(verdicts).toEqual(['invalid', 'invalid', 'unknown', 'valid']);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // The merged junit.xml and a run's junit.xml are well-formed XML to a real XML parser.
    for (const file of [join(sweepDir, 'junit.xml'), join(sweepDir, runs[1]!.report!, 'junit.xml')]) {
      const xml = await readFile(file, 'utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new (globalThis as unknown as BrowserXml).DOMParser().parseFromString(text, 'application/xml');
        return { errors: doc.getElementsByTagName('parsererror').length, suites: doc.getElementsByTagName('testsuite').length, failures: doc.getElementsByTagName('failure').length };
      }, xml);
      expect(parsed.errors).toBe(0);
      expect(parsed.suites).toBeGreaterThan(0);
      expect(parsed.failures).toBeGreaterThan(0);
    }
    const href = await page.locator('table.runs tbody tr').first().locator('a').getAttribute('href');
    expect(existsSync(join(sweepDir, decodeURI(href!)))).toBe(true);
    // On a phone (390 px) the runs table scrolls in its own box: the page does not, and no cell is
    // squeezed to a letter a line (the scenario names stood one letter under another).
    await page.setViewportSize({ width: 390, height: 900 });
    const phone = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(s: string): { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): { offsetWidth: number }[] } }).document;
      const failures = d.querySelector('table.failures');
      return { page: d.documentElement.scrollWidth - d.documentElement.clientWidth, scenarioPx: Math.min(...[...d.querySelectorAll('table.runs td.scenario')].map((c) => c.offsetWidth)), failuresOver: failures.scrollWidth - d.querySelector('#failures + .table-scroll').clientWidth };
    });
    expect(phone.page).toBe(0);
    // The failures at the top are one card each, as wide as the screen: no sideways scrolling to read a command.
    expect(phone.failuresOver).toBeLessThanOrEqual(0);
    // Without the table's header a card's seed was a bare "1" beside the scenario.
    expect(await page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; getComputedStyle(e: unknown, pseudo: string): { content: string } };
      return g.getComputedStyle(g.document.querySelector('table.failures td.seed'), '::before').content;
    })).toBe('"seed "');
    expect(phone.scenarioPx).toBeGreaterThanOrEqual(100);
    await page.screenshot({ path: join(screenshots, 'sweep-390.png'), fullPage: true });
    await page.close();
  });
});
