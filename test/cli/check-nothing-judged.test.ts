// A history in which nothing can be judged is "unknown", never "valid": one whose only op is a
// write never answered (it may have taken effect or not, at any time) said "valid (0 ops)", as
// did one whose only write timed out. The README says an empty history is unknown; these are
// empty for the search too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

function history(ops: object[], watches?: object[]): string {
  const dir = scratchDir('detcd-check-nothing-');
  const file = join(dir, 'history.jsonl');
  writeFileSync(file, ops.map((o, index) => JSON.stringify({ index, ...o })).join('\n') + '\n');
  if (watches !== undefined) writeFileSync(join(dir, 'watches.jsonl'), watches.map((w) => JSON.stringify(w)).join('\n') + '\n');
  return file;
}

/** A watch of every key that was created and delivered nothing. */
const quietWatch = [{ process: 'w', time: 1, request: { create_request: { key: 'AA==', range_end: 'AA==' } }, response: { header: { revision: '1' }, created: true } }];

const put = { process: 0, f: 'kv/put', value: { key: 'YQ==', value: 'MQ==' } };

describe('detcd check says unknown when nothing was judged', () => {
  it('a write never answered, alone: unknown, nothing to check (exit 2)', async () => {
    const r = await cli(['check', '--model', 'etcd', history([{ time: 1, type: 'invoke', ...put }])]);
    expect(r.out[0]).toMatch(/UNKNOWN .*nothing to check/);
    expect(r.code).toBe(2);
  });

  it('a write that timed out, alone: unknown', async () => {
    const timedOut = await cli(['check', '--model', 'etcd', history([{ time: 1, type: 'invoke', ...put }, { time: 2, type: 'info', ...put, value: { error: 'context deadline exceeded' } }])]);
    expect(timedOut.out[0]).toMatch(/UNKNOWN .*nothing to check: none of the 1 op\(s\) was answered/);
  });

  it('one answered op is judged: valid', async () => {
    const r = await cli(['check', '--model', 'etcd', history([{ time: 1, type: 'invoke', ...put }, { time: 2, type: 'ok', ...put, value: { header: { revision: '2' } } }])]);
    expect(r.out[0]).toMatch(/: valid \(/);
    expect(r.code).toBe(0);
  });

  it('a watch that delivered no event beside an answered write: the write decides (valid), the watch says nothing to check', async () => {
    const file = history([{ time: 1, type: 'invoke', ...put }, { time: 2, type: 'ok', ...put, value: { header: { revision: '2' } } }], quietWatch);
    const r = await cli(['check', '--model', 'etcd', '--json', file]);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, linearizable: true, watch: { valid: 'unknown', nothing: true, summary: 'nothing to check: 1 watch delivered no event' } });
    expect(r.code).toBe(0);
    const text = await cli(['check', '--model', 'etcd', file]);
    expect(text.out[1]).toContain('watch: nothing to check: 1 watch delivered no event');
  });

  it('nothing answered and a watch that delivered no event: unknown (exit 2), the line says both', async () => {
    const r = await cli(['check', '--model', 'etcd', history([{ time: 1, type: 'invoke', ...put }], quietWatch)]);
    expect(r.out[0]).toMatch(/UNKNOWN .*nothing to check: none of the 1 op\(s\) was answered/);
    expect(r.out[1]).toBe('  linearizable: nothing to check; watch: nothing to check: 1 watch delivered no event');
    expect(r.code).toBe(2);
  });

  it('a history whose lease grant failed: the lease checker has nothing to check, the rest decides', async () => {
    const grant = { process: 1, f: 'lease/grant', value: { TTL: '5' } };
    const r = await cli(['check', '--model', 'etcd', '--json', history([{ time: 1, type: 'invoke', ...put }, { time: 2, type: 'ok', ...put, value: { header: { revision: '2', raft_term: '2' } } }, { time: 3, type: 'invoke', ...grant }, { time: 4, type: 'fail', ...grant, value: { error: 'etcdserver: too many requests' } }])]);
    const line = JSON.parse(r.out[0]!) as { valid: unknown; lease?: unknown };
    expect(line.valid).toBe(true);
    if (line.lease !== undefined) expect(line.lease).toMatchObject({ valid: 'unknown', nothing: true });
  });
});
