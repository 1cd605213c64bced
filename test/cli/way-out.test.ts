// A refusal says what to do, not only what is wrong: a history checked with a model that does
// not read its ops names the model that does (the register workload records etcd API ops: its
// history.jsonl is checked with --model etcd); the option parser's refusals point at the
// command's --help; a port that cannot be used names the --port that can.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { MODEL_OPS } from '../../sim/check/model-names.ts';
import { ETCD_FS } from '../../sim/check/models/etcd/model.ts';

const dir = scratchDir('detcd-way-out-');
function history(name: string, f: string, value: unknown): string {
  const p = join(dir, name);
  const v = JSON.stringify(value);
  writeFileSync(p, `{"index":0,"time":0,"process":0,"type":"invoke","f":"${f}","value":${v}}\n{"index":1,"time":1,"process":0,"type":"ok","f":"${f}","value":${v}}\n`);
  return p;
}

async function oneLine(argv: string[]): Promise<string> {
  const r = await cli(argv);
  expect(r.code, r.err.join('\n')).toBe(3);
  expect(r.err).toHaveLength(1);
  return r.err[0]!;
}

describe('a history checked with the wrong model names the model that reads it', () => {
  it("an etcd API history (what detcd's register and etcd workloads record) with --model register or kv: use --model etcd", async () => {
    const etcd = history('etcd.jsonl', 'kv/txn', { compare: [], success: [] });
    expect(await oneLine(['check', '--model', 'register', etcd])).toMatch(/the register model has no op :kv\/txn .*check this history with --model etcd$/);
    expect(await oneLine(['check', '--model', 'kv', etcd])).toMatch(/the kv model has no op :kv\/txn .*check this history with --model etcd$/);
  });

  it('a register history with --model etcd or kv: use --model register; a kv history with --model register: use --model kv', async () => {
    const register = history('register.jsonl', 'write', 1);
    expect(await oneLine(['check', '--model', 'etcd', '--no-watches', register])).toMatch(/the etcd model has no op :write .*check this history with --model register$/);
    expect(await oneLine(['check', '--model', 'kv', register])).toMatch(/the kv model has no op :write .*check this history with --model register$/);
    const kv = history('kv.jsonl', 'append', 1);
    expect(await oneLine(['check', '--model', 'register', kv])).toMatch(/the register model has no op :append .*check this history with --model kv$/);
  });

  it('an op no model reads: what each model reads', async () => {
    const odd = history('odd.jsonl', 'frobnicate', null);
    expect(await oneLine(['check', '--model', 'register', odd])).toMatch(/no model of detcd reads :frobnicate \(register: read, write, cas; kv: get, put, append; etcd: /);
  });

  it("the etcd model's ops are the ones the way out names (ETCD_FS and lease/leases, which it reads and skips)", () => {
    expect([...MODEL_OPS.etcd].sort()).toEqual([...ETCD_FS, 'lease/leases'].sort());
  });
});

describe("the option parser's refusals point at the command's --help", () => {
  it('an unknown option, a missing value, a value to a switch, an unexpected argument', async () => {
    expect(await oneLine(['sweep', '--x'])).toBe("detcd sweep: unknown option '--x' (see detcd sweep --help)");
    expect(await oneLine(['run', '--seed'])).toBe('detcd run: --seed needs a value (see detcd run --help)');
    expect(await oneLine(['run', '--quiet=yes'])).toBe('detcd run: --quiet takes no value (see detcd run --help)');
    expect(await oneLine(['campaign', 'x'])).toBe("detcd campaign: unexpected argument 'x' (see detcd campaign --help)");
  });

  it('an unknown bug: the closest name, and where the list is', async () => {
    expect(await oneLine(['run', '--bug', 'figure9'])).toBe("detcd run: --bug: unknown bug 'figure9' (did you mean figure8? see detcd bugs)");
    expect(await oneLine(['run', '--bug', 'nope'])).toBe("detcd run: --bug: unknown bug 'nope' (see detcd bugs)");
  });

  it('serve: a --port with no room for the members names the highest that has room', async () => {
    expect(await oneLine(['serve', '--port', '65535', '--nodes', '3'])).toMatch(/--port 65535: no room for 3 member ports \(use at most 65533, or 0\)/);
  });
});
