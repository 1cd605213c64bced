// A history in which nothing can be judged is "unknown", never "valid": one whose only op is a
// write never answered (it may have taken effect or not, at any time) said "valid (0 ops)", as
// did one whose only write timed out. The README says an empty history is unknown; these are
// empty for the search too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

function history(ops: object[]): string {
  const file = join(scratchDir('detcd-check-nothing-'), 'h.jsonl');
  writeFileSync(file, ops.map((o, index) => JSON.stringify({ index, ...o })).join('\n') + '\n');
  return file;
}

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
});
