// detcd check --out DIR: a checked history's HTML report (index.html, check.json), written as
// every report is (a new, empty or own report directory; refusals in one line, exit 3; nothing
// escapes as markup). Jepsen's etcd_000.log is not linearizable (Porcupine, Knossos and the C++
// checker agree: ../shared/anchors/porcupine/expected.tsv), etcd_002.log is.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const ANCHORS = join(import.meta.dirname, '../../../shared/anchors/porcupine/jepsen');
const root = scratchDir('detcd-check-report-');

function checkJson(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8')) as Record<string, unknown>;
}

describe('detcd check --out', () => {
  it('writes an INVALID Jepsen log\'s page: its header, verdict, timeline by position and counterexample', async () => {
    const out = join(root, 'invalid');
    const r = await cli(['check', '--model', 'register', '--out', out, join(ANCHORS, 'etcd_000.log')]);
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toBe(`report: ${join(out, 'index.html')}`);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h1>detcd check report</h1>');
    expect(html).toMatch(/checked history <b[^>]*>[^<]*etcd_000\.log<\/b> · format <b>jepsen-log<\/b> · model <b>register<\/b> · 85 operations/);
    expect(html).toContain('<div class="word">INVALID</div>');
    expect(html).toContain('the history is not linearizable: 1 op cannot be placed');
    // The culprit is a Jepsen read (its request is nil): named "read", not "read null".
    expect(html).toContain('✗ read → 2</b> cannot be placed');
    expect(html).not.toContain('read null');
    expect(html).toContain('id="counterexample"');
    // A log gives no times: positions on the axis, no latency charts drawn from them.
    expect(html).toContain('>#80</text>');
    expect(html).not.toContain(' µs<');
    expect(html).not.toContain('id="latency"');
    // The history's own statistics: ops by f and how they ended (Jepsen's counts), no latencies without times.
    expect(html).toContain('<section id="statistics">');
    expect(html).toContain('<tr><td>cas</td><td>35</td><td>6</td><td>20</td><td>9</td></tr><tr><td>read</td><td>26</td><td>26</td><td>0</td><td>0</td></tr><tr><td>write</td><td>24</td><td>17</td><td>0</td><td>7</td></tr><tr><td>all</td><td>85</td><td>49</td><td>20</td><td>16</td></tr>');
    expect(html).not.toContain('<th>ok p50</th>');
    // No run around it: no leader or fault lanes, no scenario or replay.
    expect(html).not.toContain('>leader</text>');
    expect(html).not.toContain('>faults</text>');
    expect(html).not.toContain('id="scenario"');
    expect(html).toContain(`detcd check --model register ${join(ANCHORS, 'etcd_000.log')}</pre>`);
    const json = checkJson(out);
    expect(json).toMatchObject({ format: 'detcd-check', historyFormat: 'jepsen-log', model: 'register', valid: false, ops: 85 });
    expect((json['checkers'] as Record<string, { valid: unknown }>)['linearizable']?.valid).toBe(false);
    expect(existsSync(join(out, '.detcd-report'))).toBe(true);
  });

  it('writes a valid history\'s page, and --json names it', async () => {
    const out = join(root, 'valid');
    const r = await cli(['check', '--model', 'register', '--json', '--out', out, join(ANCHORS, 'etcd_002.log')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, report: join(out, 'index.html') });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<div class="word">VALID</div>');
    expect(html).not.toContain('id="counterexample"');
    expect(checkJson(out)['valid']).toBe(true);
  });

  it('draws a timed history from its first operation, with latency charts', async () => {
    const dir = join(root, 'timed-in');
    mkdirSync(dir);
    const history = join(dir, 'h.jsonl');
    const ops = [
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 5_000_000 },
      { process: 0, type: 'ok', f: 'write', value: 1, time: 5_020_000 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 5_030_000 },
      { process: 1, type: 'ok', f: 'read', value: 1, time: 5_050_000 },
    ];
    writeFileSync(history, ops.map((o, index) => JSON.stringify({ index, ...o })).join('\n'));
    const out = join(root, 'timed');
    expect((await cli(['check', '--model', 'register', '--out', out, history])).code).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('id="latency"');
    // The axis starts at the traffic (5 s), not at the clock's 0.
    expect(html).toContain('>5 s</text>');
    expect(html).not.toContain('>0 µs</text>');
    // Latency quantiles of each f's ok ops, and of all of them.
    expect(html).toContain('<th>ok p50</th><th>ok p95</th><th>ok p99</th><th>ok max</th>');
    expect(html).toContain('<tr><td>read</td><td>1</td><td>1</td><td>0</td><td>0</td><td>20 ms</td><td>20 ms</td><td>20 ms</td><td>20 ms</td></tr>');
    expect(html).toContain('<tr><td>all</td><td>2</td><td>2</td><td>0</td><td>0</td><td>20 ms</td><td>20 ms</td><td>20 ms</td><td>20 ms</td></tr>');
  });

  it("gives a timed history's unavailability windows, the same as its run's page", async () => {
    // kill-leader seed 1: three stretches of 0.9-1.7 s with no ok op while a leader was killed and replaced.
    const run = join(root, 'kill-leader-run');
    expect((await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--out', run, '--quiet'])).code).toBe(0);
    const out = join(root, 'kill-leader-check');
    expect((await cli(['check', '--model', 'etcd', '--out', out, join(run, 'history.jsonl')])).code).toBe(0);
    const windows = (file: string): string => {
      const html = readFileSync(file, 'utf8');
      return /<h3>Unavailability windows<\/h3>\n<p class="muted">[^<]*<\/p>\n<table class="data">.*?<\/table>/s.exec(html)?.[0] ?? `no windows in ${file}`;
    };
    expect(windows(join(out, 'index.html'))).toBe(windows(join(run, 'index.html')));
    expect(windows(join(out, 'index.html'))).toContain('<tr><td>2.01 s</td><td>3.316 s</td><td>1.305 s</td></tr>');
    // A history without times has none: positions are not time.
    const untimed = readFileSync(join(root, 'invalid', 'index.html'), 'utf8');
    expect(untimed).not.toContain('Unavailability windows');
    expect(untimed).toContain('no latencies and no unavailability windows');
  }, 120_000);

  it('escapes what the history and its name hold', async () => {
    const dir = join(root, 'hostile-in');
    mkdirSync(dir);
    const history = join(dir, '<img src=x onerror=alert(1)>.jsonl');
    const ops = [
      { process: '<script>alert(2)</script>', type: 'invoke', f: 'write', value: '<b>x</b>' },
      { process: '<script>alert(2)</script>', type: 'ok', f: 'write', value: '<b>x</b>' },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: '"><svg onload=alert(3)>' },
    ];
    writeFileSync(history, ops.map((o) => JSON.stringify(o)).join('\n'));
    const out = join(root, 'hostile');
    expect((await cli(['check', '--model', 'register', '--out', out, history])).code).toBe(1);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('<b>x</b>');
    // The command to copy runs as shown: the name in single quotes.
    expect(html).toContain(`&#39;${join(dir, '&lt;img src=x onerror=alert(1)&gt;.jsonl')}&#39;</pre>`);
  });

  it('replaces its own files in a check report and leaves the user\'s', async () => {
    const out = join(root, 'again');
    expect((await cli(['check', '--model', 'register', '--out', out, join(ANCHORS, 'etcd_002.log')])).code).toBe(0);
    writeFileSync(join(out, 'mine.txt'), 'kept');
    expect((await cli(['check', '--model', 'register', '--out', out, join(ANCHORS, 'etcd_000.log')])).code).toBe(1);
    expect(checkJson(out)['valid']).toBe(false);
    expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('kept');
  });

  it('refuses a run report, a directory of other files, a file, and more than one history, before checking', async () => {
    const run = join(root, 'run');
    mkdirSync(run);
    writeFileSync(join(run, '.detcd-report'), '');
    writeFileSync(join(run, 'results.json'), '{}');
    writeFileSync(join(run, 'index.html'), 'the run page');
    await refused(['check', '--model', 'register', '--out', run, join(ANCHORS, 'etcd_002.log')], `--out ${run}: a run report (its results.json is there); a check report goes into a directory of its own`);
    expect(readFileSync(join(run, 'index.html'), 'utf8')).toBe('the run page');
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'index.html'), 'mine');
    await refused(['check', '--model', 'register', '--out', other, join(ANCHORS, 'etcd_002.log')], 'not empty and not a detcd report');
    expect(readFileSync(join(other, 'index.html'), 'utf8')).toBe('mine');
    await refused(['check', '--model', 'register', '--out', join(other, 'index.html'), join(ANCHORS, 'etcd_002.log')], 'exists and is a regular file, not a directory');
    const two = join(root, 'two');
    await refused(['check', '--model', 'register', '--out', two, join(ANCHORS, 'etcd_002.log'), join(ANCHORS, 'etcd_000.log')], '--out goes with one history (or one etcd robustness-test run), got 2');
    expect(existsSync(two)).toBe(false);
  });

  it('leaves no directory behind for a file that cannot be checked', async () => {
    const out = join(root, 'nothing');
    const r = await cli(['check', '--model', 'register', '--out', out, join(root, 'missing.log')]);
    expect(r.code).toBe(3);
    expect(existsSync(out)).toBe(false);
  });

  it('detcd report on a check report says how to draw it again', async () => {
    const out = join(root, 'for-report');
    expect((await cli(['check', '--model', 'register', '--out', out, join(ANCHORS, 'etcd_002.log')])).code).toBe(0);
    await refused(['report', out], `${out}: a checked history's report (check.json): draw it again with the check its check.json names`);
  });

  it('keeps a run from writing into a check report', async () => {
    const out = join(root, 'for-run');
    expect((await cli(['check', '--model', 'register', '--out', out, join(ANCHORS, 'etcd_002.log')])).code).toBe(0);
    await refused(['run', '--scenario', 'kill-leader', '--seed', '1', '--out', out], `--out ${out}: a check report (its check.json is there); a run report goes into a directory of its own`);
  });
});
