// etcdctl prints member and cluster ids in many forms: decimal (JSON, -w fields), %x (member
// list, endpoint status, move-leader), %16x (space-padded below 16 digits: "Member %16x added to
// cluster %16x"), and in tables whose columns take the ids' width. Ids are random (one in
// sixteen has a leading zero digit; detcd's are one digit), so the normaliser must give the same
// text whatever their widths, in every form, or a differential test fails by chance (CI, stop
// 24: a real etcd cluster id with a leading zero digit was taken for a lease id).
import { describe, expect, it } from 'vitest';
import { normalizeEtcdctl, type Identities } from './etcdctl-normalize.ts';

/** Member and cluster ids (decimal) of 16, 15, 13 and 1 hex digits; lease ids (hex) of 16, 15, 13 and 8. */
const WIDTHS = [
  { leader: '13835058055282163712', follower: '11529215046068469760', added: '17293822569102704640', cluster: '16140901064495857664', lease: '694d7f2bc4f6e101' },
  { leader: '1152921504606846976', follower: '1080863910568919040', added: '4503599627370496', cluster: '576460752303423488', lease: '94d7f2bc4f6e101' },
  { leader: '4503599627370497', follower: '4222124650659840', added: '281474976710656', cluster: '2251799813685248', lease: '300665589d106' },
  { leader: '1', follower: '2', added: '9', cluster: '3', lease: '1002fb9f' },
];
type Ids = (typeof WIDTHS)[number];

const x = (d: string): string => BigInt(d).toString(16);
const x16 = (d: string): string => x(d).padStart(16, ' ');

function identities(ids: Ids): Identities {
  return {
    roles: new Map([
      ['L', { id: ids.leader, name: 'm1', peerURL: 'http://127.0.0.1:2380', client: '127.0.0.1:2379' }],
      ['F1', { id: ids.follower, name: 'm2', peerURL: 'http://127.0.0.1:2390', client: '127.0.0.1:2389' }],
    ]),
    added: [ids.added],
  };
}

/** A tablewriter-like table: every column as wide as its widest cell. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (r: string[]): string => `|${r.map((c, i) => ` ${c.padStart(widths[i]!)} `).join('|')}|`;
  return [rule, line(rows[0]!), rule, ...rows.slice(1).map(line), rule].join('\n');
}

/** Each form etcdctl prints ids in, as it prints it for these ids. */
const FORMS: Record<string, (ids: Ids) => string> = {
  'member add': (i) => `Member ${x16(i.added)} added to cluster ${x16(i.cluster)}\n\nETCD_NAME="x"\nETCD_INITIAL_CLUSTER="m2=http://127.0.0.1:2390,m1=http://127.0.0.1:2380,x=http://127.0.0.1:9"`,
  'member remove': (i) => `Member ${x16(i.added)} removed from cluster ${x16(i.cluster)}`,
  'member update': (i) => `Member ${x16(i.added)} updated in cluster ${x16(i.cluster)}`,
  'member promote': (i) => `Member ${x16(i.added)} promoted in cluster ${x16(i.cluster)}`,
  'member list': (i) => `${x(i.leader)}, started, m1, http://127.0.0.1:2380, http://127.0.0.1:2379, false\n${x(i.added)}, unstarted, , http://127.0.0.1:9, , false`,
  'member list -w table': (i) => table([['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'], [x(i.leader), 'started', 'm1', 'http://127.0.0.1:2380', 'http://127.0.0.1:2379', 'false'], [x(i.added), 'unstarted', '', 'http://127.0.0.1:9', '', 'false']]),
  'member list -w json': (i) => `{"header":{"cluster_id":${i.cluster},"member_id":${i.leader},"raft_term":2},"members":[{"ID":${i.leader},"name":"m1","peerURLs":["http://127.0.0.1:2380"],"clientURLs":["http://127.0.0.1:2379"]},{"ID":${i.added},"peerURLs":["http://127.0.0.1:9"]}]}`,
  'member list -w fields': (i) => `"ClusterID" : ${i.cluster}\n"MemberID" : ${i.leader}\n"Revision" : 0\n"RaftTerm" : 2\n"ID" : ${i.leader}\n"Name" : "m1"\n"PeerURL" : "http://127.0.0.1:2380"\n"ID" : ${i.added}`,
  'endpoint status': (i) => `127.0.0.1:2379, ${x(i.leader)}, 3.4.23, 20 kB, true, false, 2, 8, 8, \n127.0.0.1:2389, ${x(i.follower)}, 3.4.23, 121 B, false, false, 2, 8, 8, `,
  'endpoint status -w table': (i) => table([['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'IS LEADER', 'IS LEARNER', 'RAFT TERM', 'RAFT INDEX', 'RAFT APPLIED INDEX', 'ERRORS'], ['127.0.0.1:2379', x(i.leader), '3.4.23', '20 kB', 'true', 'false', '2', '8', '8', '']]),
  'endpoint status -w json': (i) => `[{"Endpoint":"127.0.0.1:2389","Status":{"header":{"cluster_id":${i.cluster},"member_id":${i.follower},"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":${i.leader},"raftIndex":8,"raftTerm":2,"raftAppliedIndex":8,"dbSizeInUse":16384}}]`,
  'endpoint status -w fields': (i) => `"ClusterID" : ${i.cluster}\n"MemberID" : ${i.follower}\n"Revision" : 1\n"RaftTerm" : 2\n"Version" : "3.4.23"\n"DBSize" : 20480\n"Leader" : ${i.leader}\n"RaftIndex" : 8`,
  'move-leader': (i) => `Leadership transferred from ${x(i.leader)} to ${x(i.follower)}`,
  'lease grant (%016x: a lease id is not an id of a member)': (i) => `lease ${i.lease.padStart(16, '0')} granted with TTL(60s)`,
  'elect and lock (their key: the name and the lease in %x)': (i) => `office/${i.lease}\np1\nmylock/${i.lease}`,
  'lease grant -w json': (i) => `{"cluster_id":${i.cluster},"member_id":${i.leader},"revision":1,"raft_term":2,"ID":7587870000000000000,"TTL":60}`,
};

describe('normalizeEtcdctl gives one text whatever the ids\' widths', () => {
  for (const [form, print] of Object.entries(FORMS)) {
    it(form, () => {
      const [first, ...rest] = WIDTHS.map((ids) => normalizeEtcdctl(print(ids), identities(ids)));
      for (const other of rest) expect(other).toBe(first);
      // Nothing of the ids survives.
      for (const ids of WIDTHS) for (const id of [ids.leader, ids.follower, ids.added, ids.cluster]) if (id.length > 2) expect(first).not.toContain(id);
    });
  }

  it('a lease\'s attached keys in one order (etcd lists them from a Go map)', () => {
    const ids = identities(WIDTHS[0]!);
    expect(normalizeEtcdctl('lease 694d7f2bc4f6e101 granted with TTL(600s), remaining(59s), attached keys([p/0 kl])', ids)).toBe(normalizeEtcdctl('lease 694d7f2bc4f6e101 granted with TTL(600s), remaining(59s), attached keys([kl p/0])', ids));
    expect(normalizeEtcdctl('{"ttl":5,"keys":["cC8w","a2w="]}', ids)).toBe(normalizeEtcdctl('{"ttl":5,"keys":["a2w=","cC8w"]}', ids));
  });

  it('keeps revisions, granted TTLs and the rest of the text', () => {
    const ids = identities(WIDTHS[0]!);
    expect(normalizeEtcdctl('{"header":{"revision":12},"kvs":[{"create_revision":3,"mod_revision":12,"version":2}]}', ids)).toBe('{"header":{"revision":12},"kvs":[{"create_revision":3,"mod_revision":12,"version":2}]}');
    expect(normalizeEtcdctl('lease 694d7f2bc4f6e101 granted with TTL(60s), remaining(59s)', ids)).toBe('lease LEASE granted with TTL(60s), remaining(Ns)');
  });

  it('tells a member the script does not know apart from the known ones', () => {
    const narrow = WIDTHS[1]!;
    const known = normalizeEtcdctl(FORMS['member remove']!(narrow), identities(narrow));
    const unknown = normalizeEtcdctl(FORMS['member remove']!(narrow), identities({ ...narrow, added: WIDTHS[0]!.added }));
    expect(known).toBe('Member <ADDED1> removed from cluster <cluster>');
    expect(unknown).toBe('Member <other> removed from cluster <cluster>');
  });
});
