// A verdict says what it did not judge. The etcd model left every lease/leases answer out
// without a word (etcd 3.4 lists the answering member's own lessor, with no read barrier: a
// member behind may list a revoked lease or miss a new one, so no listing can be convicted), and
// a history with keep-alive or TimeToLive answers but no grant ran no lease checker while the
// model left lease reads to it: "valid", with those answers judged by nothing. Each class is now
// one line "N … not judged: why" under the verdict, and `notJudged` in --json. Since then, the
// answers about a lease no grant made are judged against each other (one lease, one TTL) and a
// TimeToLive against its own grantedTTL: the line counts the ones left, with or without grants.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import type { Op } from '../../sim/check/index.ts';

const header = (revision: number): Record<string, string> => ({ revision: String(revision), raft_term: '2' });
const b64 = (s: string): string => Buffer.from(s).toString('base64');
type Call = [f: string, request: unknown, answer: unknown];
const put: Call = ['kv/put', { key: b64('k'), value: b64('v') }, { header: header(2) }];
const leases: Call = ['lease/leases', {}, { header: header(2), leases: [{ ID: '7' }] }];
const grant: Call = ['lease/grant', { TTL: '5' }, { header: header(2), ID: '7', TTL: '5' }];

function ops(calls: Call[]): Op[] {
  return calls.flatMap(([f, request, answer], i): Op[] => [
    { index: 2 * i, time: 1000 * (2 * i + 1), process: 0, type: 'invoke', f, value: request },
    { index: 2 * i + 1, time: 1000 * (2 * i + 2), process: 0, type: 'ok', f, value: answer },
  ]);
}

async function checked(calls: Call[], json = false, extra: string[] = []): Promise<{ code: number; out: string }> {
  const file = join(scratchDir('detcd-not-judged-'), 'history.jsonl');
  writeFileSync(file, ops(calls).map((o) => JSON.stringify(o)).join('\n') + '\n');
  const r = await cli(['check', '--model', 'etcd', ...(json ? ['--json'] : []), ...extra, file]);
  return { code: r.code, out: r.out.join('\n') };
}

describe('a verdict names the answers it did not judge', () => {
  it('says how many lease/leases answers were not judged, and why', async () => {
    const r = await checked([put, leases, leases]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("2 lease/leases answers not judged: etcd 3.4 lists the answering member's own lessor's leases, with no read barrier");
    const json = JSON.parse((await checked([put, leases], true)).out) as { notJudged?: string[] };
    expect(json.notJudged).toEqual(["1 lease/leases answer not judged: etcd 3.4 lists the answering member's own lessor's leases, with no read barrier"]);
  });

  it('says lease answers were not judged where no grant made their lease and no other answer says its TTL', async () => {
    const keepAlive: Call = ['lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '5' }];
    const r = await checked([put, keepAlive]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('1 keep-alive or TimeToLive answer not judged: no grant of the history made its lease before it, and no other answer about that lease says a TTL to compare with');
    // A "not found" one too: no rule judges a lease gone without its grant.
    const gone = await checked([put, ['lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '0' }]]);
    expect(gone.out).toContain('1 keep-alive or TimeToLive answer not judged: no grant');
    // With the grant, the lease checker judges it: nothing to say.
    const granted = await checked([grant, put, keepAlive]);
    expect(granted.out, granted.out).not.toContain('not judged: no grant');
  });

  it('judges a TimeToLive answer without a grant against its own grantedTTL', async () => {
    // etcd's largest election timeout (50 s) is a new leader's extension: 5 + 50 s is the most a lessor answers.
    const most = await checked([put, ['lease/timetolive', { ID: '7' }, { header: header(2), ID: '7', TTL: '55', grantedTTL: '5' }]], true);
    expect(JSON.parse(most.out)).toMatchObject({ valid: true, lease: { valid: true, summary: 'no lease granted: 1 TimeToLive answer judged against its own grantedTTL alone' } });
    expect((JSON.parse(most.out) as { notJudged?: string[] }).notJudged).toBeUndefined();
    const above = await checked([put, ['lease/timetolive', { ID: '7' }, { header: header(2), ID: '7', TTL: '56', grantedTTL: '5' }]]);
    expect(above.code, above.out).toBe(1);
    expect(above.out).toContain('TimeToLive of lease 7 answered TTL 56 s with grantedTTL 5 s: a lessor can have at most 55 s left');
  });

  it('says how many answers read a revision before the history began (--initial-revision)', async () => {
    const later: Call = ['kv/put', { key: b64('k'), value: b64('v') }, { header: header(6) }];
    const old: Call = ['kv/range', { key: b64('j'), revision: '3' }, { header: header(6), kvs: [{ key: b64('j'), value: b64('1'), create_revision: '2', mod_revision: '2', version: '1' }], count: '1' }];
    const r = await checked([later, old], false, ['--initial-revision', '5']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("1 answer not judged: it reads a revision before the history's first (5), whose key space is not known");
  });

  it('says nothing when every answer was judged', async () => {
    expect((await checked([put])).out).not.toContain('not judged');
    expect(JSON.parse((await checked([put], true)).out)).not.toHaveProperty('notJudged');
  });
});
