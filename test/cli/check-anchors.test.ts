// The command line, on every history of ../shared/anchors/porcupine read from the raw files,
// gives the verdict that Porcupine, the C++ checker and Knossos agree on (expected.tsv).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../sim/cli/main.ts';

const ANCHORS = join(import.meta.dirname, '../../../shared/anchors/porcupine');

interface Expected {
  file: string;
  model: 'register' | 'kv';
  valid: boolean | undefined;
}

function expectedVerdicts(): Expected[] {
  const rows = readFileSync(join(ANCHORS, 'expected.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const [file, model, valid] = row.split('\t');
    return { file: file!, model: model === 'register' ? 'register' : 'kv', valid: valid === 'true' ? true : valid === 'false' ? false : undefined };
  });
}

async function runCheck(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const code = await main(argv);
  log.mockRestore();
  return { code, lines };
}

describe.skipIf(!existsSync(ANCHORS))('detcd check on the Porcupine anchors', () => {
  afterEach(() => vi.restoreAllMocks());
  const all = expectedVerdicts();

  it('lists 102 etcd logs and 6 kv histories with known verdicts', () => {
    expect(all.filter((e) => e.model === 'register' && e.valid !== undefined)).toHaveLength(102);
    expect(all.filter((e) => e.model === 'kv')).toHaveLength(6);
  });

  for (const model of ['register', 'kv'] as const) {
    it(`gives the known verdict on every ${model} history, one --json line per file`, async () => {
      const cases = all.filter((e) => e.model === model && e.valid !== undefined);
      const files = cases.map((e) => join(ANCHORS, e.file));
      const { code, lines } = await runCheck(['check', '--model', model, '--json', ...files]);
      const got = lines.map((l) => JSON.parse(l) as { file: string; valid: unknown; ms: number });
      expect(got.map((g) => g.file)).toEqual(files);
      const mismatches = cases.filter((e, i) => got[i]!.valid !== e.valid).map((e, i) => `${e.file}: expected ${String(e.valid)}, got ${String(got[i]!.valid)}`);
      expect(mismatches).toEqual([]);
      for (const g of got) expect(typeof g.ms).toBe('number');
      expect(code).toBe(cases.some((e) => e.valid === false) ? 1 : 0);
    });
  }

  it('exits 0 when every given history is valid', async () => {
    const valid = all.filter((e) => e.model === 'register' && e.valid === true).slice(0, 3).map((e) => join(ANCHORS, e.file));
    expect((await runCheck(['check', '--model', 'register', ...valid])).code).toBe(0);
  });

  it('explains a violation: the op that cannot be placed with expected vs returned, the prefix, the state', async () => {
    const { code, lines } = await runCheck(['check', '--model', 'register', join(ANCHORS, 'jepsen/etcd_000.log')]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/INVALID/);
    expect(lines[2]).toMatch(/^ {2}✗ #\d+ p\d+ read\(\) → \d+$/);
    expect(lines.join('\n')).toMatch(/value {2}\d+ → \d+/);
    expect(lines.join('\n')).toMatch(/longest linearizable prefix: \d+ of 85 ops/);
    expect(lines.join('\n')).toMatch(/state after it: /);
  });

  it('calls the empty (0-byte) etcd_095.log "unknown: no operations" (exit 2), never valid', async () => {
    const { code } = await runCheck(['check', '--model', 'register', '--format', 'jepsen-log', join(ANCHORS, 'jepsen/etcd_095.log')]);
    expect(code).toBe(2);
  });
});
