// `detcd check --model M -` reads the history from standard input, as `run --scenario -` reads
// a scenario (`cat history.jsonl | detcd check --model etcd -`): it was looked up as a file
// named "-" and refused, "-: cannot read: no such file (ENOENT)". The bin runs in its own
// process, its stdin a file.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/detcd.js');
const HISTORY = join(import.meta.dirname, '../fixtures/check/sim-short-timeouts-seed1.jsonl');

function detcd(argv: string[], stdin: string): Promise<{ code: number | null; out: string[]; err: string }> {
  return new Promise((resolve) => {
    const input = openSync(stdin, 'r');
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: [input, 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      closeSync(input);
      resolve({ code, out: out.split('\n').filter((l) => l !== ''), err });
    });
  });
}

describe('detcd check -', () => {
  it('checks the history on standard input, named "-"', async () => {
    const r = await detcd(['check', '--model', 'etcd', '-'], HISTORY);
    expect(r.err).toBe('');
    expect(r.out[0]).toMatch(/^-: valid \(1071 ops, /);
    expect(r.code).toBe(0);
  }, 120_000);

  it('empty standard input is an empty history: unknown', async () => {
    const r = await detcd(['check', '--model', 'etcd', '-'], '/dev/null');
    expect(r.out[0]).toMatch(/^-: UNKNOWN \(0 ops/);
    expect(r.code).toBe(2);
  }, 60_000);
});
