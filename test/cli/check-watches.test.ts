// detcd check --model etcd with the watch responses recorded beside a history: a report's
// watches.jsonl next to its history.jsonl is used (and the verdict line says so), --watches
// names another file, --no-watches judges the history alone, a bad watches file is one line
// naming the file, the line and the field, exit 3.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
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
    expect(r.out[0]).toMatch(/: valid \(599 ops, .*with the watch events of .*watches\.jsonl\)$/);
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

  it('--watches is refused for other models and with several files; --auto-compaction for other models', async () => {
    expect((await run(['check', '--model', 'kv', '--watches', 'w.jsonl', 'h.jsonl'])).code).toBe(3);
    expect((await run(['check', '--model', 'etcd', '--watches', 'w.jsonl', 'a.jsonl', 'b.jsonl'])).code).toBe(3);
    expect((await run(['check', '--model', 'register', '--auto-compaction', 'h.jsonl'])).code).toBe(3);
  });
});
