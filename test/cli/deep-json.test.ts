// A JSON value nested deeper than detcd reads (JSON_NESTING_MAX levels) is refused in one line
// naming the file and line (exit 3), in every JSON file a command reads. V8's JSON.parse takes
// any depth, but a recursive walk of the value does not: a history op with a value nested
// 100,000 deep in a field no checker reads was checked, then `--out` died drawing its tooltip
// (exit 4, "Maximum call stack size exceeded"); a run report's scenario.json nested so deep made
// `detcd report` blame results.json with the stack's message. EDN was already bounded (edn.ts).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { JSON_NESTING_MAX, jsonNestingRefusal, jsonNestsPast } from '../../sim/text/json-nesting.ts';
import { writeRunReportTo } from '../../sim/report/run-report.ts';
import * as fx from '../fixtures/report/fixtures.ts';

const root = scratchDir('detcd-deep-json-');
const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const DEEP = nested(100_000);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const put = (extra: string): string[] => [
  `{"index":0,"time":10,"process":0,"type":"invoke","f":"kv/put","value":{"key":"${b64('k')}","value":"${b64('v')}","note":${extra}}}`,
  '{"index":1,"time":20,"process":0,"type":"ok","f":"kv/put","value":{"header":{"revision":"2"}}}',
];
/** Writes `name` under the scratch root. */
function file(name: string, text: string): string {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
}

describe('jsonNestsPast', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestsPast(nested(JSON_NESTING_MAX))).toBe(false);
    expect(jsonNestsPast(nested(JSON_NESTING_MAX + 1))).toBe(true);
    expect(jsonNestsPast(`${'{"a":'.repeat(JSON_NESTING_MAX + 1)}1${'}'.repeat(JSON_NESTING_MAX + 1)}`)).toBe(true);
    expect(jsonNestsPast(JSON.stringify(['['.repeat(1000), '\\"[[[[', '{'.repeat(1000)]))).toBe(false);
    expect(jsonNestsPast(`[${'[],'.repeat(10_000)}[]]`)).toBe(false);
  });

  it('names the field the nesting is in: keys and element indexes, cut after four, no field for the top level', () => {
    const deep = nested(JSON_NESTING_MAX);
    const reason = `JSON nested deeper than ${JSON_NESTING_MAX} levels`;
    expect(jsonNestingRefusal(`{"x":1,"a":{"y":"[{","b":${deep}}}`)).toBe(`field a.b[0][0]…: ${reason}`);
    expect(jsonNestingRefusal(`{"a":[1,{"k":2},${deep}]}`, JSON_NESTING_MAX + 1)).toBe(`field a[2][0][0]…: ${reason}`);
    expect(jsonNestingRefusal(`{"${'k'.repeat(50)}":${deep}}`)).toBe(`field ${'k'.repeat(40)}…[0][0][0]…: ${reason}`);
    expect(jsonNestingRefusal(nested(JSON_NESTING_MAX + 1))).toBe(reason);
    expect(jsonNestingRefusal(nested(JSON_NESTING_MAX))).toBeUndefined();
  });
});

describe('detcd check: a value nested past the bound', () => {
  it('is refused at its line, with --out, and nothing is written (was exit 4 drawing the report)', async () => {
    const out = join(root, 'report-deep');
    await refused(['check', '--model', 'etcd', file('deep.jsonl', put(DEEP).join('\n')), '--out', out], 'deep.jsonl:1: ', `nested deeper than ${JSON_NESTING_MAX} levels`);
    await refused(['check', '--model', 'etcd', '--format', 'jsonl', file('deep.json', `[${put(DEEP).join(',\n')}]`)], 'deep.json:1: ', 'nested deeper than');
    expect(() => readFileSync(join(out, 'index.html'))).toThrow();
  });

  it('in a --watches file, an --initial-state, a register history', async () => {
    const history = file('ok.jsonl', put('1').join('\n'));
    await refused(['check', '--model', 'etcd', history, '--watches', file('w.jsonl', `{"time":1,"response":{"x":${DEEP}}}\n`)], 'w.jsonl:1: ', 'nested deeper than');
    await refused(['check', '--model', 'etcd', history, '--initial-state', file('state.json', `{"header":{"revision":"1"},"kvs":[],"x":${DEEP}}`)], 'state.json: ', 'nested deeper than');
    await refused(['check', '--model', 'register', file('r.jsonl', `{"process":0,"type":"invoke","f":"write","value":${DEEP}}\n`)], 'r.jsonl:1: ', 'nested deeper than');
  });

  it(`takes a value nested ${JSON_NESTING_MAX} levels (the op is level 1), with --out`, async () => {
    const r = await cli(['check', '--model', 'etcd', file('fine.jsonl', put(nested(JSON_NESTING_MAX - 2)).join('\n')), '--out', join(root, 'report-fine')]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(readFileSync(join(root, 'report-fine', 'index.html'), 'utf8')).toContain('</html>');
  });
});

describe('detcd report: a file of the report nested past the bound', () => {
  let run: string;
  beforeAll(async () => {
    run = join(root, 'run');
    await writeRunReportTo(run, fx.realEtcdRun());
  });

  it.each([
    ['scenario.json', (t: string): string => `{"x":${DEEP},${t.trimStart().slice(1)}`, 'scenario.json: (file): '],
    ['results.json', (t: string): string => `{"x":${DEEP},${t.trimStart().slice(1)}`, 'results.json: (file): '],
    ['history.jsonl', (t: string): string => `${put(DEEP)[0]}\n${t}`, 'history.jsonl:1: '],
  ])('refuses a deep %s naming it (scenario.json was blamed on results.json, with the stack\'s message)', async (name, edit, where) => {
    const dir = join(root, `run-${name}`);
    cpSync(run, dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, edit(name === 'scenario.json' ? '{"name":"s"}' : readFileSync(path, 'utf8')));
    const before = readFileSync(join(dir, 'index.html'), 'utf8');
    await refused(['report', dir], where, 'nested deeper than');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(before);
  });
});
