// A history whose search outgrows the heap: `detcd check` answers "unknown" with the memory
// budget as the reason (exit 2), never V8's out-of-memory abort with a native stack trace.
// A lease-renew-expiry history took a real-etcd run down that way (20 M steps, Map growth).
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Twenty concurrent appends, then a read of a value none of their orders gives: the search must try them all. */
function appendStorm(): string {
  const lines: object[] = [];
  const n = 20;
  for (let p = 0; p < n; p++) lines.push({ process: p, type: 'invoke', f: 'append', key: 'hard', value: `x${p} ` });
  for (let p = 0; p < n; p++) lines.push({ process: p, type: 'ok', f: 'append', key: 'hard', value: `x${p} ` });
  lines.push({ process: 99, type: 'invoke', f: 'get', key: 'hard', value: null }, { process: 99, type: 'ok', f: 'get', key: 'hard', value: 'never' });
  return lines.map((op, index) => JSON.stringify({ index, time: index, ...op })).join('\n') + '\n';
}

it('detcd check stops a search at the heap budget: unknown, exit 2, no crash', () => {
  const file = join(scratchDir('detcd-check-memory-'), 'append-storm.jsonl');
  writeFileSync(file, appendStorm());
  const p = spawnSync(process.execPath, ['--max-old-space-size=256', join(ROOT, 'bin/detcd.js'), 'check', '--model', 'kv', file], { encoding: 'utf8', timeout: 600_000 });
  expect(p.stderr).not.toMatch(/FATAL|out of memory|at .*\.js:\d+/);
  expect(p.stdout).toMatch(/UNKNOWN .*memory budget: heap \d+ MB above \d+ MB/);
  expect(p.status).toBe(2);
});

/** `n` sequential register writes: a valid history of 2n lines, about 80 bytes a line. */
function manyWrites(n: number): string {
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    lines.push(JSON.stringify({ index: 2 * k, time: 2 * k, process: k % 5, type: 'invoke', f: 'write', value: k }));
    lines.push(JSON.stringify({ index: 2 * k + 1, time: 2 * k + 1, process: k % 5, type: 'ok', f: 'write', value: k }));
  }
  return `${lines.join('\n')}\n`;
}

it('detcd check answers unknown for a history too big for the heap, before reading it: no V8 abort', () => {
  // 13 MB of history in a 48 MB heap: V8 aborted (signal 6, a native stack) after the parse.
  const file = join(scratchDir('detcd-check-memory-'), 'many-writes.jsonl');
  writeFileSync(file, manyWrites(80_000));
  const p = spawnSync(process.execPath, ['--max-old-space-size=48', join(ROOT, 'bin/detcd.js'), 'check', '--model', 'register', file], { encoding: 'utf8', timeout: 600_000 });
  expect(p.stderr).not.toMatch(/FATAL|out of memory|at .*\.js:\d+/);
  expect(p.stdout).toMatch(/UNKNOWN .*not read: memory budget: \d+ MB of text above \d+ MB/);
  // Its ops were never counted: the line does not say "0 ops".
  expect(p.stdout).toMatch(/: UNKNOWN \(not checked, [\d.]+ ms\) — /);
  expect(p.stdout).not.toMatch(/\b0 ops\b/);
  expect(p.signal).toBeNull();
  expect(p.status).toBe(2);
});

it('detcd check answers unknown for a watches file too big for the heap, before reading it', () => {
  // A history of a few hundred ops and 13 MB of watch records in a 48 MB heap: the records were
  // parsed whole without the text budget a history has.
  const dir = scratchDir('detcd-check-memory-');
  const fixture = 'test/fixtures/check/short-timeouts-seed11';
  copyFileSync(join(ROOT, fixture, 'history.jsonl'), join(dir, 'history.jsonl'));
  const line = `${JSON.stringify({ time: 1, response: { header: { revision: '1' }, events: [] } })}\n`;
  writeFileSync(join(dir, 'big-watches.jsonl'), line.repeat(Math.ceil(13_000_000 / line.length)));
  const p = spawnSync(process.execPath, ['--max-old-space-size=48', join(ROOT, 'bin/detcd.js'), 'check', '--model', 'etcd', '--watches', join(dir, 'big-watches.jsonl'), join(dir, 'history.jsonl')], { encoding: 'utf8', timeout: 600_000 });
  expect(p.stderr).not.toMatch(/FATAL|out of memory|at .*\.js:\d+/);
  expect(p.stdout).toMatch(/UNKNOWN \(not checked, [\d.]+ ms\) — not read: --watches .*big-watches\.jsonl: memory budget: \d+ MB of text above \d+ MB/);
  expect(p.signal).toBeNull();
  expect(p.status).toBe(2);
});

/** A sparse file of `bytes` starting with `head`: no disk used, and detcd refuses or passes it by its size alone. */
function sparse(file: string, bytes: number, head = ''): string {
  writeFileSync(file, head);
  truncateSync(file, bytes);
  return file;
}

const MIB = 1024 * 1024;

describe('one size rule: a file past what detcd reads of one file is not read, and its verdict is unknown (exit 2)', () => {
  // Before: past 511 MiB (V8's longest string) a history, a --watches file and an --initial-state
  // were bad input (exit 3), while text between the heap's tenth and 511 MiB was unknown; with a
  // big heap a 600 MB history was exit 3, with a small one unknown. The bound is detcd's, not a
  // fault of the history: unknown either way, named.
  const dir = scratchDir('detcd-check-size-');
  const history = join(dir, 'history.jsonl');
  writeFileSync(history, `${JSON.stringify({ index: 0, time: 0, process: 0, type: 'invoke', f: 'kv/put', value: { key: 'YQ==', value: 'MQ==' } })}\n`);
  const huge = sparse(join(dir, 'huge.jsonl'), 600 * MIB);

  function check(heapMb: number | undefined, args: string[], stdin: 'ignore' | number = 'ignore'): { status: number | null; stdout: string; stderr: string } {
    const heap = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
    const p = spawnSync(process.execPath, [...heap, join(ROOT, 'bin/detcd.js'), 'check', ...args], { encoding: 'utf8', timeout: 600_000, stdio: [stdin, 'pipe', 'pipe'] });
    expect(p.stderr).not.toMatch(/FATAL|out of memory|at .*\.js:\d+/);
    return p;
  }

  it('a 600 MB history with a heap that could hold it: past the 511 MiB of one string, unknown, not read', () => {
    const p = check(8192, ['--model', 'register', huge]);
    expect(p.stdout).toMatch(/huge\.jsonl: UNKNOWN \(not checked, [\d.]+ ms\) — not read: size bound: 600 MB of text above the 511 MiB/);
    expect(p.status).toBe(2);
  });

  it('the same history with the default heap: unknown too, whichever bound is smaller', () => {
    const p = check(undefined, ['--model', 'register', huge]);
    expect(p.stdout).toMatch(/huge\.jsonl: UNKNOWN \(not checked, [\d.]+ ms\) — not read: (memory budget|size bound): 600 MB of text above/);
    expect(p.status).toBe(2);
  });

  it('--watches and --initial-state past the bound: unknown, naming the option and the file', () => {
    const w = check(8192, ['--model', 'etcd', '--watches', huge, history]);
    expect(w.stdout).toMatch(/UNKNOWN \(not checked, [\d.]+ ms\) — not read: --watches .*huge\.jsonl: size bound: 600 MB/);
    expect(w.status).toBe(2);
    const s = check(8192, ['--model', 'etcd', '--initial-state', huge, history]);
    expect(s.stdout).toMatch(/UNKNOWN \(not checked, [\d.]+ ms\) — not read: --initial-state .*huge\.jsonl: size bound: 600 MB/);
    expect(s.status).toBe(2);
  });

  it('a stream past the bound (stdin from /dev/zero, a 48 MB heap): stopped at the bound, unknown', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const p = check(48, ['--model', 'register', '/dev/stdin'], zero);
      expect(p.stdout).toMatch(/UNKNOWN \(not checked, [\d.]+ ms\) — not read: memory budget: \d+ MB of text above \d+ MB/);
      expect(p.status).toBe(2);
    } finally {
      closeSync(zero);
    }
  });
});
