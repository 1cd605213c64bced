// The lease checker reads op times as one clock running forward in file order. A history whose
// times go backwards (here a valid one with its times mirrored) was convicted: "lease violated:
// key "k" of lease 7 gone from a read at 1000 µs … but the lease was renewed at 8000 µs". Its
// lease verdict is unknown now, naming the first op timed before the op before it; its
// linearizability (file order) is judged as before. detcd's own histories, simulated and real
// (399 with leases on this machine), never go backwards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { checkLease } from '../../sim/check/index.ts';
import type { Op } from '../../sim/check/index.ts';

const header = (revision: number): Record<string, string> => ({ revision: String(revision), raft_term: '2' });
const b64 = (s: string): string => Buffer.from(s).toString('base64');
/** A grant, a put with the lease, its revoke, and a read of the key finding it gone: valid, times forward. */
const CALLS: [Op['type'], string, unknown][] = [
  ['invoke', 'lease/grant', { TTL: '5' }], ['ok', 'lease/grant', { header: header(1), ID: '7', TTL: '5' }],
  ['invoke', 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }], ['ok', 'kv/put', { header: header(2) }],
  ['invoke', 'lease/revoke', { ID: '7' }], ['ok', 'lease/revoke', { header: header(3) }],
  ['invoke', 'kv/range', { key: b64('k') }], ['ok', 'kv/range', { header: header(3) }],
];
const ops = (timeOf: (i: number) => number): Op[] => CALLS.map(([type, f, value], i) => ({ index: i, time: timeOf(i), process: 0, type, f, value }));
const forward = ops((i) => 1000 * (i + 1));
const mirrored = ops((i) => 1000 * (CALLS.length - i));

async function checked(history: Op[]): Promise<{ code: number; out: string }> {
  const file = join(scratchDir('detcd-lease-times-'), 'history.jsonl');
  writeFileSync(file, history.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const r = await cli(['check', '--model', 'etcd', file]);
  return { code: r.code, out: r.out.join('\n') };
}

describe('a history whose times go backwards', () => {
  it('keeps its lease verdict valid when the times go forward', async () => {
    const r = await checked(forward);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('lease: lease safety holds for 1 lease');
  });

  it('is not judged by the lease checker: unknown, naming the op timed before the one before it', async () => {
    const r = await checked(mirrored);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('linearizable: valid; lease: unknown: op times go backwards: op 1 (ok lease/grant) at 7000 µs comes after op 0 at 8000 µs');
  });

  it('is not judged by detcd/check checkLease either', () => {
    expect(checkLease(forward).valid).toBe(true);
    const r = checkLease(mirrored);
    expect(r.valid).toBe('unknown');
    expect(r.summary).toMatch(/^unknown: op times go backwards: op 1 /);
  });
});
