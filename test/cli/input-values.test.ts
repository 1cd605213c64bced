// Values of the wrong type or shape inside files a user hands detcd are refused in one line
// naming the file and the field (exit 3), where each used to stop detcd with an internal error
// (exit 4) and a stack trace: a value nested 100,000 deep quoted in a refusal (the quote
// overflowed the stack), an --initial-state dump whose header.revision or kv value has the
// wrong type, a shard's sweep.json whose run fields have the wrong type. Found by
// bench/tools/input-fuzz.mjs. Past 1000 levels (sim/text/json-nesting.ts) a value is refused for its
// nesting before its field is read, the refusal naming the field it nests in.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { SHOWN_CHARS_MAX } from '../../sim/history/shown-value.ts';

const root = scratchDir('detcd-input-values-');
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const ROBUSTNESS = join(import.meta.dirname, '../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3/client-9/operations.json');

function file(name: string, text: string): string {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
}

async function refused(argv: string[], names: string, reason: RegExp): Promise<void> {
  const r = await cli(argv);
  expect(r.code).toBe(3);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain(names);
  expect(r.err[0]).toMatch(reason);
  // The quoted value is cut: one short line, whatever the value.
  expect(r.err[0]!.length).toBeLessThan(names.length + 400);
}

describe('a value nested 100,000 deep, or 10 MB long, is quoted short in the refusal', () => {
  it('a register history value', async () => {
    const f = file('deep.jsonl', `{"index":0,"time":0,"process":0,"type":"invoke","f":"write","value":${DEEP}}\n{"index":1,"time":1,"process":0,"type":"ok","f":"write","value":1}\n`);
    await refused(['check', '--model', 'register', f], f, /:1: field value\[0\]\[0\]\[0\]…: JSON nested deeper than 1000 levels/);
  });

  it("an etcd robustness operation's Range.Start, nested and long", async () => {
    const line = readFileSync(ROBUSTNESS, 'utf8').split('\n')[0]!;
    const deep = file('deep-operations.json', `${line.replace('"Start":"key3"', `"Start":${DEEP}`)}\n`);
    await refused(['check', '--model', 'etcd', deep], deep, /:1: field Input\.Range\.Start\[0\]…: JSON nested deeper than 1000 levels/);
    const long = file('long-operations.json', `${line.replace('"Start":"key3"', `"Start":[${'1,'.repeat(5_000_000)}1]`)}\n`);
    await refused(['check', '--model', 'etcd', long], long, new RegExp(`got \\[1,1,.{${SHOWN_CHARS_MAX - 5}}…`));
  });
});

describe('an unknown field nested 100,000 deep in a robustness file is refused, not walked to the end of the stack', () => {
  const DEEP_OBJECT = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  it("in operations.json and in a report's client-N/watch.json", async () => {
    const line = readFileSync(ROBUSTNESS, 'utf8').split('\n')[0]!;
    const ops = file('deep-unknown-operations.json', `${line.replace(/^\{/, `{"Surprise":${DEEP_OBJECT},`)}\n`);
    await refused(['check', '--model', 'etcd', ops], ops, /:1: field Surprise\.a\.a\.a…: JSON nested deeper than 1000 levels/);
    const report = join(root, 'deep-watch-report');
    cpSync(join(ROBUSTNESS, '../../../real-etcd-3.4.23-kill-leader-3-watch'), report, { recursive: true });
    const watch = join(report, 'client-3000002', 'watch.json');
    writeFileSync(watch, DEEP_OBJECT);
    await refused(['check', '--model', 'etcd', report], watch, /:1: field a\.a\.a\.a…: JSON nested deeper than 1000 levels/);
  });
});

describe('an --initial-state dump with fields of the wrong type', () => {
  const history = file('h.jsonl', '{"index":0,"time":0,"process":0,"type":"invoke","f":"put","value":{"key":"YQ==","value":"MQ=="}}\n');
  const dump = (header: unknown, value: unknown): string => JSON.stringify({ header, kvs: [{ key: 'YQ==', create_revision: 2, mod_revision: 3, version: 2, value }], count: 1 });
  it('header.revision not an int64, a kv value not base64, nesting past any answer', async () => {
    const cases: [string, RegExp][] = [
      [dump({ revision: 'x' }, 'MQ=='), /--initial-state .*dump\.header\.revision' must be an int64/],
      [dump({ revision: true }, 'MQ=='), /dump\.header\.revision' must be an int64/],
      [dump({ revision: 5 }, 'x'), /dump\.kvs\[0\]\.value' must be base64 bytes, got "x"/],
      [dump({ revision: 5 }, '<b>x</b>'), /must be base64 bytes/],
      [dump({ revision: '@DEEP@' }, 'MQ==').replace('"@DEEP@"', DEEP), /--initial-state .*: field dump\.header\.revision\[0\]\[0\]…: JSON nested deeper than 1000 levels/],
    ];
    for (const [i, [text, reason]] of cases.entries()) {
      const f = file(`dump-${i}.json`, text);
      await refused(['check', '--model', 'etcd', '--no-watches', '--initial-state', f, history], f, reason);
    }
  });
});

describe('sweep --merge of a shard whose run fields have the wrong type', () => {
  it('names the shard file and the field', async () => {
    const shard = join(root, 'shard');
    const tiny = file('tiny.json', JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }));
    const made = await cli(['sweep', '--scenario', tiny, '--seeds', '1..1', '--jobs', '1', '--rerun-percent', '0', '--out', shard]);
    expect([0, 2]).toContain(made.code);
    const sweep = JSON.parse(readFileSync(join(shard, 'sweep.json'), 'utf8')) as { runs: Record<string, unknown>[] };
    const edits: [string, unknown, RegExp][] = [
      ['error', 1e300, /runs\[0\]: error is not a string/],
      ['report', true, /runs\[0\]: report is not a string/],
      ['report', {}, /runs\[0\]: report is not a string/],
      ['wallMs', 'x', /runs\[0\]: wallMs is not a number/],
      ['checkers', { linearizability: { valid: true, summary: 7 } }, /runs\[0\]: checkers\.linearizability\.summary is not a string/],
    ];
    for (const [i, [key, value, reason]] of edits.entries()) {
      const copy = join(root, `shard-${i}`);
      cpSync(shard, copy, { recursive: true });
      writeFileSync(join(copy, 'sweep.json'), JSON.stringify({ ...sweep, runs: [{ ...sweep.runs[0], [key]: value }] }));
      await refused(['sweep', '--merge', copy, '--out', join(root, `merged-${i}`)], join(copy, 'sweep.json'), reason);
    }
  });
});
