// The etcd model against a live etcd 3.4: a history recorded now from a real single-member etcd
// (sorted ranges over ties, limits, serializable reads, compares over empty ranges, compacted
// and future revisions; see real-etcd-history.ts) must check as linearizable. A model that is
// stricter than etcd anywhere in it fails here. In CI a missing etcd fails the test.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkHistory } from '../../sim/check/check-history.ts';
import { startEtcd, type EtcdProcess } from './etcd-process.ts';
import { recordHistory, tieRequests } from './real-etcd-history.ts';
import { describeWithRealEtcd } from './real-etcd-suite.ts';

describeWithRealEtcd('the etcd model accepts what a real etcd 3.4 answers', ['etcd'], (tools) => {
  let etcd: EtcdProcess | undefined;
  beforeAll(async () => {
    etcd = await startEtcd(tools.etcd);
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  test('a recorded history of sorted ranges over equal sort keys, limits, serializable reads and decided errors is linearizable', async () => {
    const ops = await recordHistory(etcd!.endpoint, tieRequests());
    const fails = ops.filter((o) => o.type === 'fail').map((o) => o.error);
    // Both decided errors were really answered (so the test covers them).
    expect(fails).toEqual(['etcdserver: mvcc: required revision has been compacted', 'etcdserver: mvcc: required revision is a future revision']);
    const r = checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd');
    expect(r.summary).toMatch(/^linearizable/);
    expect(r.valid).toBe(true);
  });
});
