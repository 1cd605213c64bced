// etcdctl prints member and cluster ids with %16x, so an id whose hex form has fewer than 16
// digits (one in sixteen random ids) is padded with spaces. The normaliser must give the same
// text whatever the ids' widths, or the three-member differential fails by chance (CI, stop 24:
// a real etcd cluster id with a leading zero digit was taken for a lease id).
import { describe, expect, it } from 'vitest';
import { normalizeCluster, type Identities } from './cluster-diff/cluster-normalize.ts';

const pad16 = (decimal: string): string => BigInt(decimal).toString(16).padStart(16, ' ');

function identities(leaderId: string, addedId: string): Identities {
  const member = (id: string, n: number) => ({ id, name: `m${n}`, peerURL: `http://127.0.0.1:${2380 + n}`, client: `127.0.0.1:${2379 + 10 * n}` });
  return {
    roles: new Map([
      ['L', member(leaderId, 1)],
      ['F1', member('11111111111111111111', 2)],
      ['F2', member('12222222222222222222', 3)],
    ]),
    added: [addedId],
  };
}

describe('normalizeCluster', () => {
  // Wide: 16 hex digits. Narrow: 15 (a leading zero digit) and 13.
  const wide = { leader: '13835058055282163712', added: '17293822569102704640', cluster: '16140901064495857664' };
  const narrow = { leader: '1152921504606846976', added: '4503599627370496', cluster: '576460752303423488' };

  for (const [line, want] of [
    ['Member %M added to cluster %C', 'Member <ADDED1> added to cluster <cluster>'],
    ['Member %M removed from cluster %C', 'Member <ADDED1> removed from cluster <cluster>'],
    ['Member %M updated in cluster %C', 'Member <ADDED1> updated in cluster <cluster>'],
    ['Member %M promoted in cluster %C', 'Member <ADDED1> promoted in cluster <cluster>'],
  ] as const) {
    it(`gives "${want}" whatever the ids' widths`, () => {
      for (const ids of [wide, narrow]) {
        const text = line.replace('%M', pad16(ids.added)).replace('%C', pad16(ids.cluster));
        expect(normalizeCluster(text, identities(ids.leader, ids.added))).toBe(want);
      }
    });
  }

  it('still tells a different member apart (the placeholder is not a catch-all)', () => {
    const text = `Member ${pad16(narrow.added)} added to cluster ${pad16(narrow.cluster)}`;
    expect(normalizeCluster(text, identities(narrow.leader, wide.added))).not.toBe('Member <ADDED1> added to cluster <cluster>');
  });
});
