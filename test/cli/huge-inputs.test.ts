// Inputs as long as real ones get (hundreds of thousands of ops) reach every part of detcd check
// --out and detcd report without running out of stack. An array spread into a call's arguments
// (Math.max(...xs), out.push(...xs)) puts every element on the stack and throws RangeError past
// about 120,000: an EDN history of 300,000 ops (600,000 forms, one map a line) was exit 4 before
// anything was checked (parseJepsenEdn's items.push(...forms)); a run report whose results.json
// holds 300,000 faults, explanations or checkers was "this build cannot draw it: Maximum call
// stack size exceeded"; a robustness client's watch of 300,000 responses lost all its records.
// The lint of sim/ (test/lint/stack-spread-lint.test.ts) keeps such spreads out. Slow: each
// history is checked whole (tens of seconds at a shared machine's load).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { writeRunReportTo } from '../../sim/report/run-report.ts';
import { runWatches } from '../../sim/cli/commands/robustness-watches.ts';
import * as fx from '../fixtures/report/fixtures.ts';

const OPS = 300_000;
const root = scratchDir('detcd-huge-');
const SLOW = 900_000;

/** OPS register ops of 10 processes in turn, each answered before the next is called: valid. */
function registerOps(): { process: number; type: string; f: string; value: number | null }[] {
  const out: { process: number; type: string; f: string; value: number | null }[] = [];
  let v = 0;
  for (let i = 0; i < OPS; i++) {
    const process = i % 10;
    if (i % 2 === 0) {
      v = i;
      out.push({ process, type: 'invoke', f: 'write', value: v }, { process, type: 'ok', f: 'write', value: v });
    } else out.push({ process, type: 'invoke', f: 'read', value: null }, { process, type: 'ok', f: 'read', value: v });
  }
  return out;
}

const FORMS: [string, string, (ops: ReturnType<typeof registerOps>) => string][] = [
  ['jsonl', 'h.jsonl', (ops) => ops.map((o, i) => JSON.stringify({ index: i, time: i * 10, ...o })).join('\n')],
  ['a JSON array', 'h.json', (ops) => `[${ops.map((o, i) => JSON.stringify({ index: i, time: i * 10, ...o })).join(',\n')}]`],
  ['jepsen-edn', 'h.edn', (ops) => ops.map((o, i) => `{:type :${o.type}, :f :${o.f}, :value ${o.value ?? 'nil'}, :process ${o.process}, :time ${i * 10_000}, :index ${i}}`).join('\n')],
  ['jepsen-log', 'h.log', (ops) => ops.map((o) => `INFO  jepsen.util - ${o.process}\t:${o.type}\t:${o.f}\t${o.value ?? 'nil'}`).join('\n')],
];

it(`detcd check --out: a history of ${OPS} ops in each form is valid, with its report`, async () => {
  const ops = registerOps();
  const failed: string[] = [];
  for (const [form, name, write] of FORMS) {
    const file = join(root, name);
    writeFileSync(file, `${write(ops)}\n`);
    const out = join(root, `report-${name}`);
    const r = await cli(['check', '--model', 'register', ...(name.endsWith('.json') ? ['--format', 'jsonl'] : []), file, '--out', out]);
    if (r.code !== 0 || r.err.length > 0 || !r.out[0]!.includes(`valid (${OPS} ops`)) failed.push(`${form}: exit ${r.code} ${r.err.join(' ')}`);
    else {
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('</html>');
      expect(JSON.parse(readFileSync(join(out, 'check.json'), 'utf8'))).toMatchObject({ valid: true, ops: OPS });
    }
  }
  expect(failed).toEqual([]);
}, SLOW);

describe(`detcd report, a run report with ${OPS} faults, explanations and checkers`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'run');
    await writeRunReportTo(dir, fx.realEtcdRun());
  });

  it('draws its pages', async () => {
    const file = join(dir, 'results.json');
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const checkers = results['checkers'] as Record<string, Record<string, unknown>>;
    results['faults'] = Array.from({ length: OPS }, (_, i) => ({ kind: 'kill', startUs: 1000 + i, endUs: 2000 + i, targets: ['n1'], description: 'kill leader' }));
    checkers['explained'] = { valid: true, summary: 'ok', explanations: Array.from({ length: OPS }, () => ({})) };
    for (let i = 0; i < OPS / 2; i++) checkers[`extra-${i}`] = { valid: true, summary: 'ok' };
    writeFileSync(file, JSON.stringify(results));
    const r = await cli(['report', dir]);
    expect(r.err.join('\n')).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('extra-149999');
  }, SLOW);
});

it(`a robustness client's watch of ${OPS} responses keeps every record`, async () => {
  const responses = Array.from({ length: OPS }, (_, i) => ({ Events: [{ Type: 'put-operation', Key: `key${i % 10}`, Value: { Value: `${i}` }, Revision: i + 2, IsCreate: i < 10, PrevValue: null }], IsProgressNotify: false, Revision: i + 2, Time: 1000 * (i + 1) }));
  const text = JSON.stringify({ Request: { Key: '', Revision: 0, WithPrefix: true, WithProgressNotify: false, WithPrevKV: false }, Responses: responses });
  const records = await runWatches(['client-1/watch.json'], () => text);
  expect(records.length).toBeGreaterThanOrEqual(OPS);
}, SLOW);
