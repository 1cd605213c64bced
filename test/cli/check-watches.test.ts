// detcd check --model etcd with the watch responses recorded beside a history: a report's
// watches.jsonl next to its history.jsonl is used (and the verdict line says so), --watches
// names another file, --no-watches judges the history alone, a bad watches file is one line
// naming the file, the line and the field, exit 3.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const FIXTURE = 'test/fixtures/check/short-timeouts-seed11';

const run = cli;

describe('detcd check with watch events', () => {
  it("uses a report's watches.jsonl beside history.jsonl and says so", async () => {
    const r = await run(['check', '--model', 'etcd', `${FIXTURE}/history.jsonl`]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/: valid \(883 ops, .*with the watch events of .*watches\.jsonl\)$/);
  });

  it('--no-watches judges the history alone; --watches names the file for a history named otherwise', async () => {
    const alone = await run(['check', '--model', 'etcd', '--no-watches', '--timeout-ms', '20000', '--json', `${FIXTURE}/history.jsonl`]);
    expect(JSON.parse(alone.out[0]!)).not.toHaveProperty('watches');
    const dir = scratchDir('detcd-check-watches-');
    copyFileSync(`${FIXTURE}/history.jsonl`, join(dir, 'run.jsonl'));
    copyFileSync(`${FIXTURE}/watches.jsonl`, join(dir, 'streams.jsonl'));
    const r = await run(['check', '--model', 'etcd', '--json', '--watches', join(dir, 'streams.jsonl'), join(dir, 'run.jsonl')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, watches: join(dir, 'streams.jsonl') });
  });

  it('a bad watches file is one line naming the file, the line and the field; exit 3', async () => {
    const dir = scratchDir('detcd-check-watches-');
    mkdirSync(join(dir, 'r'));
    copyFileSync(`${FIXTURE}/history.jsonl`, join(dir, 'r', 'history.jsonl'));
    writeFileSync(join(dir, 'r', 'watches.jsonl'), '{"time":1,"response":{}}\n{"time":"soon","response":{}}\n');
    const r = await run(['check', '--model', 'etcd', join(dir, 'r', 'history.jsonl')]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`${join(dir, 'r', 'history.jsonl')}: watches ${join(dir, 'r', 'watches.jsonl')}:2: field time must be a number (µs)`]);
  });

  // The campaign (node bench/tools/anomalies.mjs ROOT --forms jsonl …) planted watch anomalies in
  // reports' watches.jsonl: `detcd check` used them as answers only and called every one valid.
  it("judges a report's watch streams with the watch checker: a duplicated event is INVALID", async () => {
    const dir = scratchDir('detcd-check-watches-');
    copyFileSync(`${FIXTURE}/history.jsonl`, join(dir, 'history.jsonl'));
    const records = readFileSync(`${FIXTURE}/watches.jsonl`, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { response: { events?: unknown[] } });
    const withEvents = records.findIndex((r) => (r.response.events ?? []).length > 0);
    records[withEvents]!.response.events!.push(records[withEvents]!.response.events![0]);
    writeFileSync(join(dir, 'watches.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await run(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: false, linearizable: true, watch: { valid: false, summary: expect.stringMatching(/^watch guarantee broken: /) as unknown } });
    const text = await run(['check', '--model', 'etcd', join(dir, 'history.jsonl')]);
    expect(text.out[0]).toMatch(/: INVALID \(883 ops, /);
    expect(text.out[1]).toMatch(/^ {2}linearizable: valid; watch: watch guarantee broken: /);
    // Records that do not name their watch client are not streams: answers only, as before.
    writeFileSync(join(dir, 'watches.jsonl'), records.map((r) => JSON.stringify({ ...r, process: undefined })).join('\n') + '\n');
    const anonymous = await run(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(JSON.parse(anonymous.out[0]!)).not.toHaveProperty('watch');
  });

  it('the unplanted report: both checkers valid, the watch verdict beside', async () => {
    const r = await run(['check', '--model', 'etcd', '--json', `${FIXTURE}/history.jsonl`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, linearizable: true, watch: { valid: true } });
  });

  it('a watch record with a process or request of the wrong type is one line naming the field; exit 3', async () => {
    const dir = scratchDir('detcd-check-watches-');
    copyFileSync(`${FIXTURE}/history.jsonl`, join(dir, 'history.jsonl'));
    writeFileSync(join(dir, 'watches.jsonl'), '{"process":"w","time":1,"response":{}}\n{"process":[1],"time":2,"response":{}}\n');
    const r = await run(['check', '--model', 'etcd', join(dir, 'history.jsonl')]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`${join(dir, 'history.jsonl')}: watches ${join(dir, 'watches.jsonl')}:2: field process must be a string or a whole number (the watch client)`]);
    writeFileSync(join(dir, 'watches.jsonl'), '{"process":"w","time":1,"request":"all","response":{}}\n');
    expect((await run(['check', '--model', 'etcd', join(dir, 'history.jsonl')])).err[0]).toMatch(/watches\.jsonl:1: field request must be an object/);
    // A stream's close record (serve writes one when a client's stream ends) says why as text.
    writeFileSync(join(dir, 'watches.jsonl'), '{"process":"w","time":1,"response":{},"closed":true}\n');
    expect((await run(['check', '--model', 'etcd', join(dir, 'history.jsonl')])).err[0]).toMatch(/watches\.jsonl:1: field closed must be a string/);
  });

  it('a close record beside the unplanted report is read, not a response: both checkers valid', async () => {
    const dir = scratchDir('detcd-check-watches-');
    copyFileSync(`${FIXTURE}/history.jsonl`, join(dir, 'history.jsonl'));
    const records = readFileSync(`${FIXTURE}/watches.jsonl`, 'utf8').split('\n').filter((l) => l !== '');
    const last = JSON.parse(records[records.length - 1]!) as { process: unknown; time: number };
    records.push(JSON.stringify({ process: last.process, time: last.time + 1, response: {}, closed: 'the client closed the stream' }));
    writeFileSync(join(dir, 'watches.jsonl'), `${records.join('\n')}\n`);
    const r = await run(['check', '--model', 'etcd', '--json', join(dir, 'history.jsonl')]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, linearizable: true, watch: { valid: true } });
  });

  it('--watches is refused for other models and with several files; --auto-compaction for other models', async () => {
    expect((await run(['check', '--model', 'kv', '--watches', 'w.jsonl', 'h.jsonl'])).code).toBe(3);
    expect((await run(['check', '--model', 'etcd', '--watches', 'w.jsonl', 'a.jsonl', 'b.jsonl'])).code).toBe(3);
    expect((await run(['check', '--model', 'register', '--auto-compaction', 'h.jsonl'])).code).toBe(3);
  });
});
