// What legitimately differs between what etcdctl prints against a real etcd and against `detcd
// serve`, replaced so the two can be compared — one normaliser for every etcdctl differential
// test (one member or three). Each member's id, name, peer URL and client address become its
// role in the script (<L>, <F1>, <F2>; members the script added: <ADDED1>, ...; an id at an id's
// place that is none of them: <other>), the cluster id, raft terms and indexes, database sizes,
// hashes, lease ids, remaining TTLs and timings become placeholders. Revisions are kept.
//
// Ids are random 64-bit numbers (detcd's are small), and etcdctl prints them in many forms: in
// decimal (JSON, -w fields), in hex with %x (member list, endpoint status, move-leader), in hex
// with %16x — space-padded when shorter than 16 digits, one random id in 16 — ("Member %16x added
// to cluster %16x"), and tables size their columns to them. So ids are recognised by their place
// in each form, never by their width, and table cells are compared without their padding
// (etcdctl-normalize.test.ts checks every form at every width).

/** One member as a cluster names it. */
export interface MemberIdentity {
  /** Decimal. */
  readonly id: string;
  readonly name: string;
  readonly peerURL: string;
  /** host:port of its client URL. */
  readonly client: string;
}

/** The members of one cluster by role, plus the ids (decimal) of members the script added, in order. */
export interface Identities {
  readonly roles: ReadonlyMap<string, MemberIdentity>;
  readonly added: string[];
}

const HEX = '[0-9a-f]+';

function tokens(ids: Identities): Map<string, string> {
  const byDecimal = new Map<string, string>();
  for (const [role, m] of ids.roles) byDecimal.set(m.id, `<${role}>`);
  ids.added.forEach((id, i) => byDecimal.set(id, `<ADDED${i + 1}>`));
  return byDecimal;
}

/** A table line with its cells' padding squeezed (column widths follow the ids' widths). */
function squeezeTable(line: string): string {
  if (line.startsWith('+-')) return line.replace(/-+/g, '-');
  if (!line.startsWith('|')) return line;
  return line.split('|').map((cell, i, all) => (i === 0 || i === all.length - 1 ? cell : ` ${cell.trim()} `)).join('|');
}

export function normalizeEtcdctl(text: string, ids: Identities): string {
  const byDecimal = tokens(ids);
  const byHex = new Map([...byDecimal].map(([d, t]) => [BigInt(d).toString(16), t]));
  // 0 is no member (a leader unknown).
  const dec = (id: string): string => (id === '0' ? '0' : (byDecimal.get(id) ?? '<other>'));
  const hex = (id: string): string => byHex.get(id) ?? '<other>';
  let out = text.split('\n').map(squeezeTable).join('\n');
  out = out
    // Decimal ids: JSON ("ID":1 or "ID":"1") and -w fields ("MemberID" : 1).
    .replace(/"(ID|member_id|leader|targetID)":("?)(\d+)"?/g, (w, key: string, _q: string, id: string) => (byDecimal.has(id) || key !== 'ID' ? `"${key}":"${dec(id)}"` : w))
    .replace(/"(MemberID|Leader)" : (\d+)/g, (_w, key: string, id: string) => `"${key}" : "${dec(id)}"`)
    .replace(/"ID" : (\d+)/g, (w, id: string) => (byDecimal.has(id) ? `"ID" : "${dec(id)}"` : w))
    // Hex ids, by place: "Member %16x added to cluster %16x", move-leader, member list
    // (simple and table), endpoint status (simple and table).
    .replace(new RegExp(`Member +(${HEX}) (added|removed|updated|promoted)`, 'g'), (_w, id: string, what: string) => `Member ${hex(id)} ${what}`)
    .replace(new RegExp(`(cluster) +${HEX}\\b`, 'g'), '$1 <cluster>')
    .replace(new RegExp(`transferred from (${HEX}) to (${HEX})\\b`, 'g'), (_w, a: string, b: string) => `transferred from ${hex(a)} to ${hex(b)}`)
    .replace(new RegExp(`^(${HEX}), (started|unstarted), `, 'gm'), (_w, id: string, st: string) => `${hex(id)}, ${st}, `)
    .replace(new RegExp(`^\\| (${HEX}) \\| (started|unstarted) \\|`, 'gm'), (_w, id: string, st: string) => `| ${hex(id)} | ${st} |`)
    .replace(new RegExp(`^([^,\\n]+), (${HEX}), (\\d+\\.\\d+\\.\\d+), [^,]+, (true|false), (true|false), \\d+, \\d+, \\d+, `, 'gm'),
      (_w, ep: string, id: string, v: string, leader: string, learner: string) => `${ep}, ${hex(id)}, ${v}, SIZE, ${leader}, ${learner}, N, N, N, `)
    .replace(new RegExp(`^\\| ([^|\\n]+) \\| (${HEX}) \\| (\\d+\\.\\d+\\.\\d+) \\| [^|]+ \\| (true|false) \\| (true|false) \\| \\d+ \\| \\d+ \\| \\d+ \\|`, 'gm'),
      (_w, ep: string, id: string, v: string, leader: string, learner: string) => `| ${ep} | ${hex(id)} | ${v} | SIZE | ${leader} | ${learner} | N | N | N |`);
  for (const [role, m] of ids.roles) {
    out = out.split(m.peerURL).join(`<peer ${role}>`).split(m.client).join(`<client ${role}>`);
    out = out.replace(new RegExp(`("name":"|"Name" : "|, |\\| |ETCD_INITIAL_CLUSTER="|ETCD_NAME="|,)${escape(m.name)}(?=[",= |])`, 'g'), `$1<${role}>`);
  }
  return out
    .replace(/ETCD_INITIAL_CLUSTER="([^"]*)"/g, (_w, list: string) => `ETCD_INITIAL_CLUSTER="${list.split(',').sort().join(',')}"`)
    .replace(/"(cluster_id|raft_term|raftIndex|raftTerm|raftAppliedIndex|dbSize|dbSizeInUse|hash)":"?\d+"?/g, '"$1":"N"')
    .replace(/"(ClusterID|RaftTerm|RaftIndex|RaftAppliedIndex|DBSize|DBSizeInUse|Hash)" : \d+/g, '"$1" : N')
    .replace(/"(ID|id|lease)":"?\d+"?/g, '"$1":"N"')
    .replace(/"(ID|Lease)" : \d+/g, '"$1" : N')
    // etcdctl prints lease ids with %016x; lock and elect print their key, "<name>/<lease %x>"
    // (unpadded: etcd's lease ids start with 16 bits of the member's id, detcd's are shorter).
    .replace(/\b[0-9a-f]{16}\b/g, 'LEASE')
    .replace(/^([^\s/]*)\/[0-9a-f]{8,16}$/gm, '$1/LEASE')
    .replace(/remaining\(\d+s\)/g, 'remaining(Ns)')
    .replace(/"ttl":"?\d+"?/g, '"ttl":"N"')
    // endpoint hashkv, simple and table: detcd's hash is not bbolt's CRC.
    .replace(/^((?:http:\/\/)?<client \w+>), \d+$/gm, '$1, HASH')
    .replace(/^\| ((?:http:\/\/)?<client \w+>) \| \d+ \|$/gm, '| $1 | HASH |')
    .replace(/"took":"[^"]*"/g, '"took":"T"')
    .replace(/took = [\d.]+[µa-z]+/g, 'took = T')
    .replace(/"Took" : [\d.]+[µa-z]+/g, '"Took" : T')
    .replace(/\| \d+(\.\d+)?(ns|µs|ms|s) \|/g, '| T |')
    // lease timetolive --keys: etcd 3.4 lists a lease's keys from a Go map (lease.Keys ranges over its itemSet), in
    // no order: seen both orders on 3.4.23 for the same two keys. Sorted on both sides.
    .replace(/attached keys\(\[([^\]]*)\]\)/g, (_m, keys: string) => `attached keys([${keys.split(' ').sort().join(' ')}])`)
    .replace(/"keys":\[([^\]]*)\]/g, (_m, keys: string) => `"keys":[${keys.split(',').sort().join(',')}]`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
