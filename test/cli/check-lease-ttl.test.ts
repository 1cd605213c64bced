// detcd check judges a lease outliving its TTL on an etcd history from elsewhere against the
// leader changes its answers' raft_term shows (answer-terms.ts, lease-of-history.ts): before, it
// never judged it (no leader timeline), so a key read an hour after its lease's last renewal, or
// a keep-alive answered alive then, was valid (campaign classes lease-key-outlives-ttl and
// lease-keepalive-after-expiry in jsonl and edn form).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const HOUR_US = 3_600_000_000;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const header = (revision: number, term: number | undefined): Record<string, string> => ({ revision: String(revision), ...(term === undefined ? {} : { raft_term: String(term) }) });

interface Shape {
  /** The raft_term of every answer but `laterTerm`'s; undefined: no raft_term at all. */
  term: number | undefined;
  /** An answer showing this term 10 s before the late ops (a new leader, which restarts every TTL). */
  laterTerm?: number;
  /** Leave `time` out (file order only). */
  untimed?: boolean;
  /** The late op: a read of the leased key after a write, or a keep-alive. */
  late: 'read' | 'keepalive';
}

/** Lease 7 (TTL 5 s) granted, key leased/a put with it, nothing renewing it; an hour later the late op shows it alive. */
function history(s: Shape): string {
  const t = s.term;
  const ops: Record<string, unknown>[] = [
    { process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '5' }, time: 1000 },
    { process: 0, type: 'ok', f: 'lease/grant', value: { header: header(1, t), ID: '7', TTL: '5' }, time: 2000 },
    { process: 0, type: 'invoke', f: 'kv/put', value: { key: b64('leased/a'), value: b64('v'), lease: '7' }, time: 3000 },
    { process: 0, type: 'ok', f: 'kv/put', value: { header: header(2, t) }, time: 4000 },
  ];
  if (s.laterTerm !== undefined) {
    ops.push({ process: 2, type: 'invoke', f: 'kv/range', value: { key: b64('other') }, time: HOUR_US - 10_000_000 });
    ops.push({ process: 2, type: 'ok', f: 'kv/range', value: { header: header(2, s.laterTerm), count: '0' }, time: HOUR_US - 9_999_000 });
  }
  const late = s.laterTerm ?? t;
  if (s.late === 'read') {
    ops.push({ process: 1, type: 'invoke', f: 'kv/put', value: { key: b64('w'), value: b64('w') }, time: HOUR_US });
    ops.push({ process: 1, type: 'ok', f: 'kv/put', value: { header: header(3, late) }, time: HOUR_US + 1000 });
    ops.push({ process: 1, type: 'invoke', f: 'kv/range', value: { key: b64('leased/a') }, time: HOUR_US + 2000 });
    const kv = { key: b64('leased/a'), create_revision: '2', mod_revision: '2', version: '1', value: b64('v'), lease: '7' };
    ops.push({ process: 1, type: 'ok', f: 'kv/range', value: { header: header(3, late), kvs: [kv], count: '1' }, time: HOUR_US + 3000 });
  } else {
    ops.push({ process: 1, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' }, time: HOUR_US });
    ops.push({ process: 1, type: 'ok', f: 'lease/keepalive', value: { header: header(2, late), ID: '7', TTL: '5' }, time: HOUR_US + 1000 });
  }
  return ops.map((o, index) => JSON.stringify(s.untimed === true ? { ...o, time: undefined } : { index, ...o })).join('\n') + '\n';
}

async function check(text: string): Promise<{ code: number; lease: { valid: unknown; summary: string } }> {
  const file = join(scratchDir('detcd-check-lease-ttl-'), 'history.jsonl');
  writeFileSync(file, text);
  const r = await cli(['check', '--model', 'etcd', '--json', file]);
  const verdict = JSON.parse(r.out[0]!) as { linearizable: unknown; lease: { valid: unknown; summary: string } };
  expect(verdict.linearizable).toBe(true);
  return { code: r.code, lease: verdict.lease };
}

describe('detcd check judges a lease outliving its TTL from the terms its answers show', () => {
  it('fails a key read an hour after its lease (TTL 5 s) was last renewed, every answer in one term', async () => {
    const r = await check(history({ term: 2, late: 'read' }));
    expect(r.code).toBe(1);
    expect(r.lease).toMatchObject({ valid: false, summary: expect.stringMatching(/key "leased\/a" of lease 7 read at .* after the lease must have expired/) as unknown });
  });

  it('fails a keep-alive answered alive an hour after the lease was last renewed', async () => {
    const r = await check(history({ term: 2, late: 'keepalive' }));
    expect(r.code).toBe(1);
    expect(r.lease).toMatchObject({ valid: false, summary: expect.stringMatching(/lease 7 renewed at .* after it must have expired/) as unknown });
  });

  it('passes both when an answer shows a new term shortly before (its leader restarted every TTL)', async () => {
    for (const late of ['read', 'keepalive'] as const) {
      const r = await check(history({ term: 2, laterTerm: 3, late }));
      expect(r.code).toBe(0);
      expect(r.lease.summary).toMatch(/judged against the 2 leader changes the answers' raft_term shows/);
    }
  });

  it('does not judge TTLs when the answers carry no raft_term, and says why', async () => {
    const r = await check(history({ term: undefined, late: 'read' }));
    expect(r.code).toBe(0);
    expect(r.lease.summary).toMatch(/outliving their TTL not judged: no leader timeline, and the lease\/grant answer at index 1 carries no header.raft_term/);
  });

  it('does not judge TTLs when the history records no times (file order only)', async () => {
    const r = await check(history({ term: 2, late: 'read', untimed: true }));
    expect(r.code).toBe(0);
    expect(r.lease.summary).toMatch(/not judged: no leader timeline, and the history records no times/);
  });
});
