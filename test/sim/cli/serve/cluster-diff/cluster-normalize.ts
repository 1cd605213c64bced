// What legitimately differs between a real etcd cluster and detcd serve's, replaced so that
// answers can be compared: each member's id, name, peer URL and client address become its role
// in the script (<L>, <F1>, <F2>; members the script added: <ADDED1>, ...), the cluster id, raft
// terms and indexes, database sizes, hashes, lease ids, remaining TTLs and timings become
// placeholders. Revisions are kept. Lists ordered by id (etcd's member list, its
// ETCD_INITIAL_CLUSTER) are sorted when the step asks, since the ids are random.
import type { Role } from './cluster-script.ts';

/** One member as a cluster names it. */
export interface MemberIdentity {
  readonly id: string;
  readonly name: string;
  readonly peerURL: string;
  /** host:port of its client URL. */
  readonly client: string;
}

/** The members of one cluster by role, plus the ids of members the script added, in order. */
export interface Identities {
  readonly roles: ReadonlyMap<Role, MemberIdentity>;
  readonly added: string[];
}

function tokens(ids: Identities): Map<string, string> {
  const byDecimal = new Map<string, string>();
  for (const [role, m] of ids.roles) byDecimal.set(m.id, `<${role}>`);
  ids.added.forEach((id, i) => byDecimal.set(id, `<ADDED${i + 1}>`));
  return byDecimal;
}

const hex = (decimal: string): string => BigInt(decimal).toString(16);

export function normalizeCluster(text: string, ids: Identities): string {
  const byDecimal = tokens(ids);
  const byHex = new Map([...byDecimal].map(([d, t]) => [hex(d), t]));
  const h = (whole: string, pre: string, id: string, post = ''): string => (byHex.has(id) ? `${pre}${byHex.get(id)}${post}` : whole);
  let out = text
    .replace(/"(ID|member_id|leader|targetID)":"?(\d+)"?/g, (whole, key: string, id: string) => (byDecimal.has(id) ? `"${key}":"${byDecimal.get(id)}"` : whole))
    .replace(/(Member +)([0-9a-f]+)( )/g, (w, a: string, id: string, b: string) => h(w, a.replace(/ +$/, ' '), id, b))
    .replace(/(transferred from |to )([0-9a-f]+)\b/g, (w, a: string, id: string) => h(w, a, id))
    .replace(/^([0-9a-f]+)(, )/gm, (w, id: string, b: string) => h(w, '', id, b))
    .replace(/^(\| +)([0-9a-f]+)( \|)/gm, (w, a: string, id: string, b: string) => h(w, '| ', id, b));
  for (const [role, m] of ids.roles) {
    out = out.split(m.peerURL).join(`<peer ${role}>`).split(m.client).join(`<client ${role}>`);
    out = out.replace(new RegExp(`("name":"|, |\\| +|ETCD_INITIAL_CLUSTER="|,)${m.name}(?=[",= |])`, 'g'), `$1<${role}>`);
  }
  return out
    // etcdctl prints the cluster id with %16x: one with a leading zero digit is padded with spaces.
    .replace(/cluster +[0-9a-f]+/g, 'cluster <cluster>')
    .replace(/ETCD_INITIAL_CLUSTER="([^"]*)"/g, (_w, list: string) => `ETCD_INITIAL_CLUSTER="${list.split(',').sort().join(',')}"`)
    .replace(/"(cluster_id|raft_term|raftIndex|raftTerm|raftAppliedIndex|dbSize|dbSizeInUse|hash)":"?\d+"?/g, '"$1":"N"')
    .replace(/"(ID|id|lease)":"?\d+"?/g, '"$1":"N"')
    // Lease ids: etcd's start with the granting member's id (16 bits), so serve's are shorter.
    .replace(/\b[0-9a-f]{12,16}\b/g, 'LEASE')
    .replace(/remaining\(\d+s\)/g, 'remaining(Ns)')
    .replace(/"ttl":\d+/g, '"ttl":"N"')
    .replace(/"took":"[^"]*"/g, '"took":"T"')
    .replace(/took = [\d.]+[µa-z]+/g, 'took = T');
}

/** Sorts lines, or, for JSON, every array (members, endpoints) by its elements' text. */
export function sortedForm(text: string): string {
  try {
    return JSON.stringify(sortArrays(JSON.parse(text)));
  } catch {
    return text.split('\n').sort().join('\n');
  }
}

function sortArrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortArrays).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, sortArrays(x)]));
}
