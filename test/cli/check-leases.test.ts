// detcd check --model etcd judges the lease answers of a history from elsewhere (the lease
// checker with what such a history does not say taken at its worst: lease-of-history.ts). The
// campaign (node bench/tools/anomalies.mjs ROOT --forms jsonl,edn …) planted keep-alives
// answering another TTL than granted, TimeToLive answers far above any lessor's, and grants of a
// live lease's id in reports: `detcd check` called every one valid.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const header = '{"revision":"1","raft_term":"2"}';
/** A grant of lease 7 (TTL 5 s), a keep-alive and a TimeToLive of it answering `keepAliveTtl` and `timeToLiveTtl`, then `second`: a grant of id 7 again. */
function history(keepAliveTtl: string, timeToLiveTtl: string, second: 'refused' | 'ok'): string {
  const lines = [
    '{"index":0,"time":1000,"process":0,"type":"invoke","f":"lease/grant","value":{"TTL":"5"}}',
    `{"index":1,"time":2000,"process":0,"type":"ok","f":"lease/grant","value":{"header":${header},"ID":"7","TTL":"5"}}`,
    '{"index":2,"time":3000,"process":0,"type":"invoke","f":"lease/keepalive","value":{"ID":"7"}}',
    `{"index":3,"time":4000,"process":0,"type":"ok","f":"lease/keepalive","value":{"header":${header},"ID":"7","TTL":"${keepAliveTtl}"}}`,
    '{"index":4,"time":5000,"process":0,"type":"invoke","f":"lease/timetolive","value":{"ID":"7"}}',
    `{"index":5,"time":6000,"process":0,"type":"ok","f":"lease/timetolive","value":{"header":${header},"ID":"7","TTL":"${timeToLiveTtl}","grantedTTL":"5"}}`,
    '{"index":6,"time":7000,"process":1,"type":"invoke","f":"lease/grant","value":{"ID":"7","TTL":"5"}}',
    second === 'ok'
      ? `{"index":7,"time":8000,"process":1,"type":"ok","f":"lease/grant","value":{"header":${header},"ID":"7","TTL":"5"}}`
      : '{"index":7,"time":8000,"process":1,"type":"fail","f":"lease/grant","value":{"ID":"7","TTL":"5"},"error":"etcdserver: lease already exists"}',
  ];
  return lines.join('\n') + '\n';
}

async function check(text: string): Promise<{ code: number; verdict: { valid: unknown; linearizable?: unknown; lease?: { valid: unknown; summary: string } } }> {
  const file = join(scratchDir('detcd-check-leases-'), 'history.jsonl');
  writeFileSync(file, text);
  const r = await cli(['check', '--model', 'etcd', '--json', file]);
  return { code: r.code, verdict: JSON.parse(r.out[0]!) as { valid: unknown; lease?: { valid: unknown; summary: string } } };
}

describe('detcd check judges the lease answers of an etcd history', () => {
  it('passes answers etcd 3.4 gives, and judges a lease outliving its TTL against the terms they show', async () => {
    const r = await check(history('5', '5', 'refused'));
    expect(r.code).toBe(0);
    expect(r.verdict).toMatchObject({ valid: true, linearizable: true, lease: { valid: true } });
    expect(r.verdict.lease!.summary).toMatch(/outliving their TTL judged against the 1 leader change the answers' raft_term shows/);
  });

  it('passes a TimeToLive up to the TTL plus the largest election timeout etcd allows (a new leader restarts the TTL)', async () => {
    expect((await check(history('5', '54', 'refused'))).code).toBe(0);
  });

  it('fails a keep-alive answering another TTL than the one granted', async () => {
    const r = await check(history('6', '5', 'refused'));
    expect(r.code).toBe(1);
    expect(r.verdict).toMatchObject({ valid: false, linearizable: true, lease: { valid: false, summary: expect.stringMatching(/keep-alive of lease 7 answered TTL 6, but it was granted 5/) as unknown } });
  });

  it('fails a TimeToLive no lessor can answer (more than the TTL and 50 s of a new leader left)', async () => {
    const r = await check(history('5', '60', 'refused'));
    expect(r.code).toBe(1);
    expect(r.verdict.lease).toMatchObject({ valid: false });
  });

  it('fails a grant answered with the id of a lease still alive', async () => {
    const r = await check(history('5', '5', 'ok'));
    expect(r.code).toBe(1);
    expect(r.verdict.lease!.summary).toMatch(/etcd refuses a grant of a live lease's id/);
  });

  it('leaves a history without grants to linearizability alone', async () => {
    const text = '{"index":0,"time":1,"process":0,"type":"invoke","f":"kv/range","value":{"key":"YQ=="}}\n{"index":1,"time":2,"process":0,"type":"ok","f":"kv/range","value":{"header":{"revision":"1"}}}\n';
    expect((await check(text)).verdict).not.toHaveProperty('lease');
  });
});
