// HTML reports with everything a user supplies made hostile: the scenario's description, the
// scenario file's name, the report directory's name, and (for a merged sweep) every string of a
// shard's sweep.json. Each page is rendered in headless Chromium: a payload that runs marks the
// page's <body> with data-pwned, which the dumped DOM shows; a javascript: link is a finding too.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Markup that, if it is parsed rather than shown as text, sets data-pwned on the body. */
const PAYLOAD = `<img src=x onerror=document.body.setAttribute('data-pwned',1)><svg onload=document.body.setAttribute('data-pwned',2)>"'><b>bold</b>`;
/** The same without a slash, for a file or directory name. */
const NAME_PAYLOAD = `<img src=x onerror=document.body.setAttribute('data-pwned',3)>"'&amp;`;

export function htmlCases(fx, outFor, inputPath) {
  const cases = [];
  const dir = inputPath(`hostile-${NAME_PAYLOAD}`);
  mkdirSync(dir, { recursive: true });
  const scenario = JSON.parse(readFileSync(fx.tiny, 'utf8'));
  scenario.description = PAYLOAD;
  const file = join(dir, `${NAME_PAYLOAD}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const runOut = join(outFor(), `run-${NAME_PAYLOAD}`);
  cases.push({ kind: 'html', name: 'run: hostile description, scenario file name and --out name', argv: ['run', '--scenario', file, '--seed', '1', '--quiet', '--out', runOut], outs: [runOut], out: runOut, timeoutMs: 60_000, html: [join(runOut, 'index.html')] });
  const bugOut = join(outFor(), `bug-${NAME_PAYLOAD}`);
  cases.push({ kind: 'html', name: 'run --bug (a failing run): hostile names in the failure pages', argv: ['run', '--scenario', file, '--seed', '1', '--quiet', '--bug', 'read-without-readindex', '--out', bugOut], outs: [bugOut], out: bugOut, timeoutMs: 60_000, html: [join(bugOut, 'index.html')] });
  const sweepOut = join(outFor(), `sweep-${NAME_PAYLOAD}`);
  cases.push({ kind: 'html', name: 'sweep: hostile scenario file name and --out name', argv: ['sweep', '--scenario', file, '--seeds', '1..2', '--jobs', '1', '--report-all', '--rerun-percent', '0', '--bug', 'read-without-readindex', '--out', sweepOut], outs: [sweepOut], out: sweepOut, timeoutMs: 90_000, html: [join(sweepOut, 'index.html')] });
  // A shard's sweep.json is a file a user (or a CI step) can edit: every string in it hostile.
  const shard = join(outFor(), 'shard');
  cpSync(fx.okSweep, shard, { recursive: true });
  const sweep = JSON.parse(readFileSync(join(shard, 'sweep.json'), 'utf8'));
  const hostile = (v, key) => {
    if (typeof v === 'string') return key === 'report' ? 'javascript:document.body.setAttribute(`data-pwned`,4)' : `${v}${PAYLOAD}`;
    if (Array.isArray(v)) return v.map((x) => hostile(x, key));
    // format and each verdict are enums a shard must hold to be read at all; every other string is the user's.
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'format' || k === 'valid' ? x : hostile(x, k)]));
    return v;
  };
  writeFileSync(join(shard, 'sweep.json'), JSON.stringify(hostile(sweep, '')));
  const mergedOut = join(outFor(), 'merged');
  cases.push({ kind: 'html', name: 'sweep --merge: every string of a shard hostile', argv: ['sweep', '--merge', shard, '--out', mergedOut], outs: [mergedOut], out: mergedOut, timeoutMs: 30_000, html: [join(mergedOut, 'index.html')] });
  return cases;
}

function dumpDom(chromium, file) {
  return new Promise((resolve) => {
    execFile(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=3000', '--dump-dom', `file://${encodeURI(file).replace(/#/g, '%23').replace(/\?/g, '%3F')}`], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => resolve(err === null ? stdout : `(chromium failed: ${err.message.split('\n')[0]})`));
  });
}

/** Findings of one rendered page: a payload that ran, a javascript: link, a payload not shown as text. */
export async function renderFindings(chromium, file) {
  if (!existsSync(file)) return [['html: report missing', file]];
  const dom = await dumpDom(chromium, file);
  const findings = [];
  if (dom.startsWith('(chromium failed')) return [['html: could not render', `${file}: ${dom}`]];
  const pwned = /data-pwned="(\d)"/.exec(dom);
  if (pwned !== null) findings.push(['html: a payload ran', `${file}: data-pwned=${pwned[1]}`]);
  if (/href="\s*javascript:/i.test(dom)) findings.push(['html: a javascript: link', file]);
  if (/<b>bold<\/b>/.test(dom)) findings.push(['html: user markup parsed', file]);
  return findings;
}
