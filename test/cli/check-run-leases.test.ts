// detcd check of a real etcd run's report gives the run's lease verdict: the leader timeline its
// lease checker judged with (the members' polled Status answers, the spans they were stopped, its
// options) is kept beside the history as leader-timeline.jsonl (sim/history/leader-timeline-file.ts).
// Without it a keep-alive's answer cannot say that the leader in office renewed it, so a lease
// reported gone before that renewal + TTL (etcd#15247's early revoke) passed the check while the
// run that recorded it failed.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const h = (revision: number): object => ({ revision: String(revision), raft_term: '2' });

/** Lease 7 (TTL 5 s) granted at 2 ms, a put, a keep-alive at 3 s, and a TimeToLive at `goneAtUs` answering "not found". */
function history(goneAtUs: number): string {
  const ops: unknown[] = [
    { time: 1_000, process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '5' } },
    { time: 2_000, process: 0, type: 'ok', f: 'lease/grant', value: { header: h(1), ID: '7', TTL: '5' } },
    { time: 2_500, process: 0, type: 'invoke', f: 'kv/put', value: { key: 'YQ==', value: 'MQ==' } },
    { time: 3_000, process: 0, type: 'ok', f: 'kv/put', value: { header: h(2) } },
    { time: 3_000_000, process: 0, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' } },
    { time: 3_001_000, process: 0, type: 'ok', f: 'lease/keepalive', value: { header: h(2), ID: '7', TTL: '5' } },
    { time: goneAtUs, process: 0, type: 'invoke', f: 'lease/timetolive', value: { ID: '7' } },
    { time: goneAtUs + 1_000, process: 0, type: 'ok', f: 'lease/timetolive', value: { header: h(2), ID: '7', TTL: '-1' } },
  ];
  return ops.map((o, index) => JSON.stringify({ index, ...(o as object) })).join('\n') + '\n';
}

/** Three members answering a Status poll every 100 ms for 10 s, each at applied term 2: one leader in office all along. */
function timeline(head = { members: ['n1', 'n2', 'n3'], samplesTruncated: false, lease: { leaderChangesUs: [0], electionTimeoutUs: 1_000_000, clockDriftPpmMax: 0, clockJumpUsMax: 0 } }): string {
  const lines = [JSON.stringify(head)];
  for (let t = 0; t <= 10_000_000; t += 100_000) for (const member of head.members) lines.push(JSON.stringify({ member, sentUs: t, atUs: t + 1_000, appliedTerm: 2 }));
  return lines.join('\n') + '\n';
}

function report(goneAtUs: number, timelineText: string | undefined): string {
  const dir = scratchDir('detcd-check-run-leases-');
  writeFileSync(join(dir, 'history.jsonl'), history(goneAtUs));
  if (timelineText !== undefined) writeFileSync(join(dir, 'leader-timeline.jsonl'), timelineText);
  return join(dir, 'history.jsonl');
}

async function leaseVerdict(file: string): Promise<{ valid: unknown; summary: string }> {
  const r = await cli(['check', '--model', 'etcd', '--json', file]);
  return (JSON.parse(r.out[0]!) as { lease: { valid: unknown; summary: string } }).lease;
}

describe('detcd check of a real run report judges its leases as the run did', () => {
  it('fails a lease reported gone before the renewal the leader in office made + TTL (the run\'s leader timeline proves the renewal)', async () => {
    const lease = await leaseVerdict(report(6_000_000, timeline()));
    expect(lease.valid).toBe(false);
    expect(lease.summary).toMatch(/lease 7 reported gone at 6001000 µs with no revoke asked for, but renewed at 3000000 µs/);
    expect(lease.summary).toMatch(/judged as the run did: the leader timeline of .*leader-timeline\.jsonl, 303 status answers/);
  });

  it('without the timeline the same history passes: no answer says which leader renewed', async () => {
    expect((await leaseVerdict(report(6_000_000, undefined))).valid).toBe(true);
  });

  it('passes a lease reported gone after that renewal + TTL', async () => {
    const lease = await leaseVerdict(report(8_100_000, timeline()));
    expect(lease.valid).toBe(true);
    expect(lease.summary).toMatch(/judged as the run did/);
  });

  it('counts no renewal that a newer term may have overtaken (n3 applied term 3 by its first poll after the keep-alive)', async () => {
    const text = timeline().split('\n').map((l) => (l.includes('"n3"') && /"sentUs":([3-9]|10)\d{6},/.test(l) ? l.replace('"appliedTerm":2', '"appliedTerm":3') : l)).join('\n');
    expect((await leaseVerdict(report(6_000_000, text))).valid).toBe(true);
  });

  it('refuses a timeline it cannot read, naming its file, line and field (exit 3)', async () => {
    const bad = timeline().split('\n');
    bad[2] = bad[2]!.replace('"appliedTerm":2', '"appliedTerm":"2"');
    await refused(['check', '--model', 'etcd', report(6_000_000, bad.join('\n'))], 'leader-timeline.jsonl:3', 'field appliedTerm must be a whole number');
    await refused(['check', '--model', 'etcd', report(6_000_000, timeline().replace('"n1","n2","n3"', '"n1","n2"'))], 'leader-timeline.jsonl:4', 'field member must name a member of the run (n1, n2)');
    await refused(['check', '--model', 'etcd', report(6_000_000, '{"members":["n1"],"samplesTruncated":false,"lease":{"leaderChangesUs":[0],"ttl":1}}\n')], 'leader-timeline.jsonl:1', 'field lease.ttl');
  });

  it('a timeline beside a file that is not a report\'s history.jsonl is not read', async () => {
    const file = report(6_000_000, timeline());
    const other = join(file, '..', 'h.jsonl');
    writeFileSync(other, history(6_000_000));
    rmSync(file);
    expect((await leaseVerdict(other)).valid).toBe(true);
  });
});
