// detcd report DIR draws a run's or a sweep's report pages again with this build from the data
// the directory holds, and writes nothing else: a report from an older detcd (here: pages that
// do not show a real run's faults not run) gets this build's pages, its data files, sweep.json
// and the user's own files stay byte for byte. What it cannot read is refused in one line
// naming the file (exit 3) before anything is written, whatever field of results.json is wrong.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRunReportTo } from '../../sim/report/run-report.ts';
import { summarizeRun } from '../../sim/report/run-summary.ts';
import { writeSweepReport } from '../../sim/report/sweep-report.ts';
import * as fx from '../fixtures/report/fixtures.ts';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { PACKAGE_ROOT } from '../../sim/cli/harness/package-root.ts';

const root = scratchDir('detcd-report-');

/** Every file under `dir` with its content's hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A run report as an older detcd left it: its pages say nothing of what did not run. */
async function oldRealRun(dir: string): Promise<void> {
  await writeRunReportTo(dir, fx.realEtcdRun());
  writeFileSync(join(dir, 'index.html'), '<html>old page</html>');
  writeFileSync(join(dir, 'junit.xml'), '<testsuites/>');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
}

let template: string;
beforeAll(async () => {
  template = join(root, 'template');
  await oldRealRun(template);
});

function copy(name: string): string {
  const dir = join(root, name);
  cpSync(template, dir, { recursive: true });
  return dir;
}

describe('detcd report DIR', () => {
  it('draws a run\'s index.html and junit.xml again, and nothing else changes', async () => {
    const dir = copy('run');
    const before = snapshot(dir);
    const r = await cli(['report', dir]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('index.html');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('2 faults of the schedule did not run');
    expect(html).toContain('clock-jumps');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<system-out>real etcd: 2 faults of the schedule did not run');
    const after = snapshot(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const f of Object.keys(before)) if (f !== 'index.html' && f !== 'junit.xml') expect(after[f], f).toBe(before[f]);
  });

  it('takes the run\'s results.json too', async () => {
    const dir = copy('run-file');
    const r = await cli(['report', join(dir, 'results.json')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('faults not run');
  });

  it('draws a sweep\'s pages again from sweep.json and the run reports inside it, sweep.json untouched', async () => {
    const dir = join(root, 'sweep');
    mkdirSync(dir);
    const real = fx.realEtcdRun().results;
    cpSync(template, join(dir, 'runs', 'swarm', String(real.seed)), { recursive: true });
    const runs = [summarizeRun(real, `runs/swarm/${real.seed}`), summarizeRun(fx.passingRun().results)];
    await writeSweepReport(dir, runs);
    // As an older detcd wrote it: no differences in sweep.json, pages without them.
    const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { runs: Record<string, unknown>[] };
    for (const run of sweep.runs) delete run['targetDifferences'];
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
    for (const f of ['index.html', 'summary.md', 'junit.xml']) writeFileSync(join(dir, f), 'old');
    const before = snapshot(dir);
    const r = await cli(['report', dir]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('1 run report');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('1 of 1 real-etcd run did not run every fault of their schedule: 2 faults in all');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('### Real etcd: what did not run as asked');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<system-out>');
    expect(readFileSync(join(dir, 'runs', 'swarm', String(real.seed), 'index.html'), 'utf8')).toContain('faults not run');
    const after = snapshot(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const drawn = new Set(['index.html', 'summary.md', 'junit.xml', `runs/swarm/${real.seed}/index.html`, `runs/swarm/${real.seed}/junit.xml`]);
    for (const f of Object.keys(before)) if (!drawn.has(f)) expect(after[f], f).toBe(before[f]);
  });

  const refusals: [string, (dir: string) => void, RegExp][] = [
    ['results.json not JSON', (d) => writeFileSync(join(d, 'results.json'), '{'), /results\.json: \(file\): cannot read as JSON/],
    ['a checker verdict of the wrong kind', (d) => edit(d, (r) => ((r['checkers'] as Record<string, Record<string, unknown>>)['liveness'] = { valid: 7 })), /results\.json: checkers\.liveness: |results\.json: checkers\.liveness\.valid: /],
    ['faults not a list', (d) => edit(d, (r) => (r['faults'] = 'x')), /results\.json: faults: must be a list/],
    ['a fault without its start', (d) => edit(d, (r) => (r['faults'] = [{ kind: 'kill' }])), /results\.json: faults\[0\]\.startUs: missing/],
    ['target.notApplied not a list of strings', (d) => edit(d, (r) => ((r['target'] as Record<string, unknown>)['notApplied'] = 5)), /results\.json: target\.notApplied: must be a list of strings/],
    // Every field the page reads is typed and bounded (sim/run/results-shape.ts): a 10 MB string as
    // coverage.sites rendered ten million rows, and `detcd report` never answered.
    ['coverage.sites a 10 MB string', (d) => edit(d, (r) => (r['coverage'] = { buggify: true, sites: 'x'.repeat(10_000_000), events: {}, unreached: { sites: [], events: [] } })), /results\.json: coverage\.sites: must be an object \(site coverage by name\), got "x+/],
    ['a coverage event count not a count', (d) => edit(d, (r) => (r['coverage'] = { buggify: true, sites: {}, events: { e: 'many' }, unreached: { sites: [], events: [] } })), /results\.json: coverage\.events\.e: must be a whole number from 0 up, got "many"/],
    ['stats.opsByF a string', (d) => edit(d, (r) => ((r['stats'] as Record<string, unknown>)['opsByF'] = 'x'.repeat(10_000_000))), /results\.json: stats\.opsByF: must be an object \(op counts by f\)/],
    ['options a list', (d) => edit(d, (r) => (r['options'] = [1, 2])), /results\.json: options: must be an object/],
    ['leaders with a hole (null)', (d) => edit(d, (r) => (r['leaders'] = [null])), /results\.json: leaders\[0\]: must be an object \(\{node, term, startUs\}\), got null/],
    ['a leader term below 0', (d) => edit(d, (r) => (r['leaders'] = [{ node: 'n1', term: -1, startUs: 0 }])), /results\.json: leaders\[0\]\.term: must be a whole number from 0 up, got -1/],
    ['an error of 2 MB', (d) => edit(d, (r) => (r['error'] = 'e'.repeat(2_000_000))), /results\.json: error: must be at most 1048576 characters/],
    ['excused not reasons', (d) => edit(d, (r) => (r['excused'] = { kv: 5 })), /results\.json: excused\.kv: must be a string, got 5/],
    ['a history line not JSON', (d) => writeFileSync(join(d, 'history.jsonl'), '{"index":0}\n{oops\n'), /history\.jsonl:2: not JSON/],
    ['a history op without f', (d) => writeFileSync(join(d, 'history.jsonl'), '{"index":0,"time":0,"process":1,"type":"invoke","value":null}\n'), /history\.jsonl:1: field 'f'/],
    ['history.jsonl missing', (d) => rmSync(join(d, 'history.jsonl')), /history\.jsonl: \(file\): missing/],
    ['a watch record without time', (d) => writeFileSync(join(d, 'watches.jsonl'), '{"response":{}}\n'), /watches\.jsonl:1: field time must be a number/],
  ];
  for (const [what, spoil, message] of refusals) {
    // Bounded in time: a refusal is read, never drawn (the 10 MB coverage.sites never answered).
    it(`refuses ${what} in one line, exit 3, nothing written`, { timeout: 60_000 }, async () => {
      const dir = copy(`bad-${what.replace(/\W+/g, '-')}`);
      spoil(dir);
      const before = snapshot(dir);
      const r = await cli(['report', dir]);
      expect(r.code).toBe(3);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^detcd report: /);
      expect(r.err[0]).toMatch(message);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("refuses a report inside detcd's own folders, as run, sweep and shrink refuse --out there: nothing written", async () => {
    const inside = join(PACKAGE_ROOT, 'test', `.report-scratch-${process.pid}`);
    try {
      cpSync(template, inside, { recursive: true });
      const before = snapshot(inside);
      const r = await cli(['report', inside]);
      expect(r.code).toBe(3);
      expect(r.err).toEqual([`detcd report: ${inside}: inside detcd's own test/ (${join(PACKAGE_ROOT, 'test')}): a report there would change detcd itself; draw a copy of it elsewhere`]);
      expect(snapshot(inside)).toEqual(before);
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  });

  it("refuses a sweep whose second run's page cannot be replaced before any page is written: no sweep half drawn", async () => {
    const dir = join(root, 'sweep-blocked');
    mkdirSync(dir);
    const passing = fx.passingRun().results;
    for (const seed of [1, 2]) cpSync(template, join(dir, 'runs', 'swarm', String(seed)), { recursive: true });
    await writeSweepReport(dir, [1, 2].map((seed) => summarizeRun({ ...fx.realEtcdRun().results, seed }, `runs/swarm/${seed}`)).concat(summarizeRun(passing)));
    for (const seed of [1, 2]) edit(join(dir, 'runs', 'swarm', String(seed)), (r) => (r['seed'] = seed));
    rmSync(join(dir, 'runs', 'swarm', '2', 'junit.xml'));
    mkdirSync(join(dir, 'runs', 'swarm', '2', 'junit.xml'));
    const before = snapshot(dir);
    const r = await cli(['report', dir]);
    expect(r.err).toEqual([`detcd report: ${join(dir, 'runs', 'swarm', '2', 'junit.xml')}: exists and is not a regular file; detcd will not replace it`]);
    expect(r.code).toBe(3);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses what is not a report: a missing path, an empty directory, another file, two arguments', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(root, 'other.json'), '{}');
    for (const argv of [[join(root, 'nope')], [empty], [join(root, 'other.json')], [empty, empty], []]) {
      const r = await cli(['report', ...argv]);
      expect(r.code, argv.join(' ')).toBe(3);
      expect(r.err).toHaveLength(1);
    }
    expect(readdirSync(empty)).toEqual([]);
  });

  it('any field of results.json replaced by a value of another kind: drawn (exit 0-2) or refused in one line (exit 3), never an internal error', async () => {
    const fields = Object.keys(JSON.parse(readFileSync(join(template, 'results.json'), 'utf8')) as object);
    const targetFields = Object.keys((JSON.parse(readFileSync(join(template, 'results.json'), 'utf8')) as { target: object }).target).map((k) => `target.${k}`);
    const values: unknown[] = [null, 7, 'x', [], {}, [1], { a: 1 }];
    let n = 0;
    for (const field of [...fields, ...targetFields]) {
      for (const value of values) {
        const dir = copy(`fuzz-${n++}`);
        edit(dir, (r) => {
          const [head, tail] = field.split('.');
          if (tail === undefined) r[head!] = value;
          else (r[head!] as Record<string, unknown>)[tail] = value;
        });
        const before = snapshot(dir);
        const r = await cli(['report', dir]);
        const said = `${field} = ${JSON.stringify(value)}: exit ${r.code} ${r.err.join(' | ')}`;
        expect(r.code, said).toBeLessThanOrEqual(3);
        expect(r.err.length, said).toBeLessThanOrEqual(1);
        if (r.code === 3) expect(snapshot(dir), said).toEqual(before);
      }
    }
  }, 600_000);
});

function edit(dir: string, change: (r: Record<string, unknown>) => void): void {
  const file = join(dir, 'results.json');
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(r);
  writeFileSync(file, JSON.stringify(r));
}
