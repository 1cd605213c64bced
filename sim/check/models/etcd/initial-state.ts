// The state of an etcd that already held data when the history began, as far as the answers
// show it. The history starts at revision R0 (history.ts infers it, or --initial-revision
// gives it); then:
// - a key an answer shows with mod_revision ≤ R0 was in the store at R0, exactly so;
// - a key an answer shows with create_revision ≤ R0 < mod_revision existed at R0 in that
//   incarnation; its version then is the answer's minus the known puts since R0 (its value
//   and mod revision at R0 are not known: they only show in a prev_kv or a read below R0,
//   which are not checked);
// - a lease the history shows existing (answered puts, txns and revokes, keys attached to it)
//   but never grants was granted before it.
// Keys no answer shows from before the history are taken as absent at R0.
import type { Req } from './apply.ts';
import type { GapConstraints } from './gap-constraints.ts';
import { decodeKey, id64, int } from './json.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import { EtcdState, kvHash, leaseHash, type KeyValue } from './state.ts';
import { withFields } from '../../../../src/object/with-fields.ts';

type PreparedOp = { input: EtcdInput; output: EtcdOutput | undefined };

/** A kv of an answer as the model stores it. */
function keyValue(o: Req): KeyValue {
  return {
    key: decodeKey(o['key']),
    value: typeof o['value'] === 'string' ? o['value'] : '',
    create: int(o['create_revision']),
    mod: int(o['mod_revision']),
    version: int(o['version']),
    lease: id64(o['lease']),
  };
}

/** Every kv shown by ok answers, with the revision it is shown at. */
function shownKvs(ops: readonly PreparedOp[], out: (kv: KeyValue, at: number) => void): void {
  for (const op of ops) {
    const o = op.output;
    if (o === undefined || !('response' in o)) continue;
    const header = int((o.response['header'] as Req | undefined)?.['revision']);
    const req = op.input.request;
    if (op.input.f === 'kv/range') {
      const explicit = int(req['revision']);
      for (const kv of (o.response['kvs'] ?? []) as Req[]) out(keyValue(kv), explicit > 0 ? explicit : header);
    } else if (op.input.f === 'kv/put' && o.response['prev_kv'] !== undefined) out(keyValue(o.response['prev_kv'] as Req), header - 1);
    else if (op.input.f === 'kv/deleterange') for (const kv of (o.response['prev_kvs'] ?? []) as Req[]) out(keyValue(kv), header - 1);
  }
}

/** Leases the taken branches of an answered txn attach keys to (nested txns by their own answers). */
function txnLeases(req: Req, resp: Req | undefined, out: Set<string>): void {
  if (resp === undefined) return;
  const branch = (resp['succeeded'] === true ? req['success'] : req['failure']) as Req[] | undefined;
  const responses = (resp['responses'] ?? []) as Req[];
  (branch ?? []).forEach((op, i) => {
    const put = op['request_put'] as Req | undefined;
    if (put !== undefined && id64(put['lease']) !== '0') out.add(id64(put['lease']));
    const nested = op['request_txn'] as Req | undefined;
    if (nested !== undefined) txnLeases(nested, responses[i]?.['response_txn'] as Req | undefined, out);
  });
}

/**
 * Leases the history shows existing but never grants: they were granted before it. Shown by an
 * answered put or txn that attached a key to one, a put seen to take effect with one, an
 * answered revoke, or an answer showing a key attached to one. A lease only named is not: a
 * put or revoke of a lease nobody granted fails with "requested lease not found" (a generated
 * ground-truth history revoked one on an etcd that held data: "not linearizable").
 */
function leasesShownNotGranted(ops: readonly PreparedOp[]): Set<string> {
  const used = new Set<string>();
  const granted = new Set<string>();
  for (const { input, output } of ops) {
    const req = input.request;
    if (input.f === 'lease/grant') {
      const resp = output !== undefined && 'response' in output ? output.response : undefined;
      granted.add(id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp?.['ID']));
    }
    if (output === undefined || 'error' in output) continue;
    if (input.f === 'kv/put' && id64(req['lease']) !== '0') used.add(id64(req['lease']));
    if (input.f === 'lease/revoke' && 'response' in output) used.add(id64(req['ID']));
    if (input.f === 'kv/txn' && 'response' in output) txnLeases(req, output.response, used);
  }
  shownKvs(ops, (kv) => {
    if (kv.lease !== '0') used.add(kv.lease);
  });
  for (const id of granted) used.delete(id);
  used.delete('0');
  return used;
}

export function inferInitialState(initialRevision: number, ops: readonly PreparedOp[], constraints: GapConstraints): EtcdState {
  const kvs = new Map<string, KeyValue>();
  const partial = new Map<string, KeyValue>();
  shownKvs(ops, (kv, at) => {
    if (at < initialRevision || kv.create > initialRevision) return;
    if (kv.mod <= initialRevision) {
      if (!kvs.has(kv.key)) kvs.set(kv.key, kv);
      return;
    }
    // Existed at R0 in this incarnation; the version at R0 is what the known puts since leave.
    const puts = constraints.keys.get(kv.key);
    if (puts === undefined || puts.maybePuts.some((r) => r > initialRevision && r <= kv.mod)) return;
    const version = kv.version - puts.puts.filter((r) => r > initialRevision && r <= kv.mod).length;
    if (version >= 1 && !partial.has(kv.key)) partial.set(kv.key, withFields(kv, { mod: Math.max(kv.create, initialRevision), version }));
  });
  for (const [key, kv] of partial) if (!kvs.has(key)) kvs.set(key, kv);
  let kvsHash = 0;
  for (const kv of kvs.values()) kvsHash ^= kvHash(kv);
  const leases = new Map<string, number>();
  let leasesHash = 0;
  for (const id of leasesShownNotGranted(ops)) {
    leases.set(id, 0);
    leasesHash ^= leaseHash(id, 0);
  }
  return new EtcdState(initialRevision, -1, kvs, leases, kvsHash, leasesHash, undefined, 1);
}

/**
 * The store as a dump shows it: what `etcdctl get "" --from-key -w json` prints (header
 * revision, every kv). Leases the kvs are attached to, or the history shows existing but never
 * grants, existed. Throws a DumpError naming the field that is wrong.
 */
export function dumpedState(dump: unknown, ops: readonly PreparedOp[]): EtcdState {
  if (typeof dump !== 'object' || dump === null || Array.isArray(dump)) throw new DumpError('not a JSON object (expected etcdctl get -w json output)');
  const d = dump as Req;
  const header = d['header'];
  if (typeof header !== 'object' || header === null) throw new DumpError('field header: missing (expected etcdctl get -w json output)');
  const revision = int((header as Req)['revision']);
  if (!Number.isSafeInteger(revision) || revision < 1) throw new DumpError('field header.revision: must be an integer ≥ 1');
  const list = d['kvs'] ?? [];
  if (!Array.isArray(list)) throw new DumpError('field kvs: must be an array');
  const kvs = new Map<string, KeyValue>();
  const leases = new Map<string, number>();
  let leasesHash = 0;
  const addLease = (id: string): void => {
    if (id === '0' || leases.has(id)) return;
    leases.set(id, 0);
    leasesHash ^= leaseHash(id, 0);
  };
  (list as unknown[]).forEach((o, i) => {
    if (typeof o !== 'object' || o === null || typeof (o as Req)['key'] !== 'string') throw new DumpError(`field kvs[${i}].key: must be base64 bytes`);
    let kv: KeyValue;
    try {
      kv = keyValue(o as Req);
    } catch (err) {
      throw new DumpError(`field kvs[${i}]: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (kv.mod < 1 || kv.mod > revision || kv.create < 1 || kv.create > kv.mod || kv.version < 1) throw new DumpError(`field kvs[${i}]: revisions must satisfy 1 ≤ create_revision ≤ mod_revision ≤ header.revision and version ≥ 1`);
    kvs.set(kv.key, kv);
    addLease(kv.lease);
  });
  let kvsHash = 0;
  for (const kv of kvs.values()) kvsHash ^= kvHash(kv);
  for (const id of leasesShownNotGranted(ops)) addLease(id);
  return new EtcdState(revision, -1, kvs, leases, kvsHash, leasesHash, undefined, 1);
}

export class DumpError extends Error {}
