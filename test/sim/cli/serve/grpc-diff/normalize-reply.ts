// What the gRPC differential test does not compare, and nothing else. Two clusters legitimately
// differ in:
//   - header.cluster_id, header.member_id, header.raft_term: random ids and the term of each
//     cluster's election (present or absent must still agree: a non-zero value becomes "<id>");
//   - Status's leader, raftIndex, raftTerm, raftAppliedIndex (raft's own entries differ: etcd
//     appends conf changes and its publish entry), dbSize and dbSizeInUse (bbolt's file);
//   - Hash and HashKV's hash (detcd's hash is not bbolt's CRC; HashKV's compact_revision and
//     header revision are compared);
//   - MemberList's member ids, names and URLs;
//   - a lease's remaining TTL, read at different moments: up to 30 s below its granted TTL
//     becomes "<remaining>" (the granted TTL itself is compared; the etcdctl test checks the
//     countdown);
//   - the order of LeaseTimeToLive's keys: etcd lists them from a Go map (a random order on
//     every call), so they are compared sorted;
//   - the order of one watch stream's replies to different watches: etcd notifies a revision's
//     watchers from a Go map, so two watches of one stream may see it in either order; replies
//     are compared watch by watch (each watch's own replies, in order; -1 collects the
//     progress answers and refused creates, in order).
// Revisions are NOT normalised: both servers start empty and get the same requests, so every
// header revision, create/mod revision and compact revision must be equal.
import { createHash } from 'node:crypto';

const HEADER_IDS = ['cluster_id', 'member_id', 'raft_term'];
const STATUS_NUMBERS = ['leader', 'raftIndex', 'raftTerm', 'raftAppliedIndex', 'dbSize', 'dbSizeInUse'];
const MEMBER_FIELDS = ['ID', 'name', 'peerURLs', 'clientURLs'];
/** Longer strings (1 MiB values) are compared by length and hash, so a difference stays readable. */
const LONG_STRING_CHARS = 200;
const REMAINING_TTL_SLACK_S = 30;

function mark(o: Record<string, unknown>, fields: readonly string[], placeholder: string): void {
  for (const f of fields) if (o[f] !== undefined) o[f] = placeholder;
}

export function normalizeReply(value: unknown, parentKey = ''): unknown {
  if (typeof value === 'string' && value.length > LONG_STRING_CHARS) {
    return `<${value.length} chars sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 12)}>`;
  }
  if (Array.isArray(value)) return value.map((v) => normalizeReply(v, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) o[k] = normalizeReply(v, k);
  if (parentKey === 'header') mark(o, HEADER_IDS, '<id>');
  if (typeof o['version'] === 'string' && 'raftTerm' in o) mark(o, STATUS_NUMBERS, '<n>');
  if (parentKey === 'members' || parentKey === 'member') mark(o, MEMBER_FIELDS, '<member>');
  if ('hash' in o && 'header' in o) o['hash'] = '<hash>';
  // A simple token: 16 random letters, then the raft index of the login (the two logs differ).
  if (typeof o['token'] === 'string' && 'header' in o) o['token'] = o['token'].replace(/^[A-Za-z]{16}\.\d+$/, '<token>');
  if (typeof o['grantedTTL'] === 'string' && typeof o['TTL'] === 'string') {
    const granted = Number(o['grantedTTL']);
    const ttl = Number(o['TTL']);
    if (ttl <= granted && ttl >= granted - REMAINING_TTL_SLACK_S) o['TTL'] = '<remaining>';
    if (Array.isArray(o['keys'])) o['keys'] = [...(o['keys'] as string[])].sort();
  }
  return o;
}

/** A watch stream's replies, watch by watch (see above); errors ending the stream come last. */
export function byWatch(replies: readonly unknown[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const r of replies) {
    const ok = (r as { ok?: { watch_id?: string } }).ok;
    const id = ok === undefined ? 'error' : (ok.watch_id ?? '0');
    (out[id] ??= []).push(r);
  }
  return out;
}
