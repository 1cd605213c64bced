// What an application sees through the `etcd3` npm client (1.1, grpc-js), as lines of text: the
// common calls — get/put/delete with their options, txns, leases, watches, locks, elections, STM
// and namespaces, the maintenance and cluster calls — and the errors it raises (its own error
// classes and their messages). The same script runs against a fresh real etcd 3.4 and a fresh
// `detcd serve`; both start empty, so revisions must match exactly. Ids (leases, members, the
// cluster), raft terms and indexes, db sizes and hashes are named by first appearance.
import type { Etcd3, IKeyValue, Namespace } from 'etcd3';

/** Each step: its name and what the client returned (or raised). */
export type Transcript = string[];

/** Watch events, locks and elections wait for what must come, at most this long. */
const EVENT_WAIT_MS_MAX = 10_000;

const str = (b: Buffer | string | undefined): string => (b === undefined ? '-' : b.toString());
const kv = (k: IKeyValue): string => `${str(k.key)}=${str(k.value)} c${k.create_revision} m${k.mod_revision} v${k.version} l${k.lease}`;

function raised(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}` : `thrown ${String(err)}`;
}

async function within<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${EVENT_WAIT_MS_MAX} ms`)), EVENT_WAIT_MS_MAX)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

class Recorder {
  readonly lines: Transcript = [];
  async step(name: string, run: () => Promise<unknown>): Promise<void> {
    let shown: string;
    try {
      shown = JSON.stringify(await run(), (_k, v: unknown) => (Buffer.isBuffer(v) ? `<${v.toString('latin1')}>` : v));
    } catch (err) {
      shown = raised(err);
    }
    this.lines.push(`${name}: ${shown}`);
  }
}

/** Lease ids (random on etcd) by first appearance: L1, L2, ... */
export function normalizeTranscript(lines: Transcript): Transcript {
  const ids = new Map<string, string>();
  const name = (id: string): string => {
    if (!ids.has(id)) ids.set(id, `L${ids.size + 1}`);
    return ids.get(id)!;
  };
  return lines.map((l) => l.replace(/\bl(\d{6,})\b/g, (_m, id: string) => `l${name(id)}`).replace(/\bLease (\d{6,}) is/g, (_m, id: string) => `Lease ${name(id)} is`));
}

/** Runs the script; the transcript is raw (lease ids as the server gave them: see normalizeTranscript). */
export async function etcd3Script(client: Etcd3): Promise<Transcript> {
  const r = new Recorder();
  await kvSteps(r, client);
  await txnSteps(r, client);
  await leaseSteps(r, client);
  await watchSteps(r, client);
  await lockAndElectionSteps(r, client);
  await stmSteps(r, client);
  await namespaceSteps(r, client.namespace('ns/'));
  await r.step('root view of the namespace', async () => (await client.getAll().prefix('ns/').keys()).sort());
  await adminSteps(r, client);
  return r.lines;
}

async function kvSteps(r: Recorder, c: Etcd3): Promise<void> {
  await r.step('get of nothing', () => c.get('a').string());
  await r.step('put a', async () => (await c.put('a').value('1').exec()).header.revision);
  await r.step('put a with previous', async () => { const prev = await c.put('a').value('2').getPrevious(); return prev === undefined ? '-' : kv(prev); });
  await r.step('put d, b, c', async () => { for (const k of ['d', 'b', 'c']) await c.put(k).value(k.toUpperCase()); return 'ok'; });
  await r.step('get a', () => c.get('a').string());
  await r.step('get a as number', () => c.get('a').number());
  await r.step('get a json (not json)', () => c.get('a').json());
  await r.step('get a exec', async () => (await c.get('a').exec()).kvs.map(kv));
  await r.step('get a at revision 2', () => c.get('a').revision(2).string());
  await r.step('get a at a future revision', () => c.get('a').revision(1000).string());
  await r.step('getAll keys', () => c.getAll().keys());
  await r.step('getAll strings', () => c.getAll().strings());
  await r.step('getAll count', () => c.getAll().count());
  await r.step('getAll prefix b', () => c.getAll().prefix('b').keys());
  await r.step('getAll sort Key Descend limit 2', () => c.getAll().sort('Key', 'Descend').limit(2).keys());
  await r.step('getAll sort Value Ascend', () => c.getAll().sort('Value', 'Ascend').keys());
  await r.step('getAll sort Mod Descend', () => c.getAll().sort('Mod', 'Descend').keys());
  await r.step('getAll sort Create Ascend', () => c.getAll().sort('Create', 'Ascend').keys());
  await r.step('getAll sort Version Descend', () => c.getAll().sort('Version', 'Descend').keys());
  await r.step('getAll range a..c', () => c.getAll().inRange({ start: 'a', end: 'c' }).keys());
  // inRange of a bare key sends range_end as an empty Buffer, which etcd 3.4 reads as "from b on".
  await r.step('getAll inRange of one key', () => c.getAll().inRange('b').keys());
  await r.step('getAll exec more/count', async () => { const x = await c.getAll().limit(1).exec(); return { more: x.more, count: x.count, n: x.kvs.length }; });
  await r.step('put a binary key', async () => (await c.put(Buffer.from([0, 0xff])).value(Buffer.from([1, 2])).exec()).header.revision);
  await r.step('get binary key buffer', async () => (await c.get(Buffer.from([0, 0xff])).buffer())?.toString('hex'));
  await r.step('put an empty key', () => c.put('').value('x').exec().then((x) => x.header.revision));
  await r.step('delete a with previous', async () => (await c.delete().key('a').getPrevious()).map(kv));
  await r.step('delete missing', async () => (await c.delete().key('zz').exec()).deleted);
  await r.step('delete prefix with previous', async () => (await c.delete().prefix('b').getPrevious()).map(kv));
  await r.step('put with an unknown lease', () => c.put('x').value('1').lease('123456').exec());
  await r.step('put ignoreLease on a missing key', () => c.put('nolease').ignoreLease().exec());
  await r.step('compact to the head', async () => { const h = (await c.get('c').exec()).header.revision; await c.kv.compact({ revision: h, physical: true }); return h; });
  await r.step('get at a compacted revision', () => c.get('c').revision(2).string());
  await r.step('compact again at an older revision', () => c.kv.compact({ revision: 3 }));
}

async function txnSteps(r: Recorder, c: Etcd3): Promise<void> {
  await r.step('txn if c == C then put else get', async () => { const x = await c.if('c', 'Value', '==', 'C').then(c.put('t1').value('yes')).else(c.get('c')).commit(); return { ok: x.succeeded, rev: x.header.revision, n: x.responses.length }; });
  await r.step('txn if c != C then put else get', async () => { const x = await c.if('c', 'Value', '!=', 'C').then(c.put('t2').value('yes')).else(c.get('c')).commit(); return { ok: x.succeeded, rev: x.header.revision, kvs: x.responses.map((y) => y.response_range?.kvs.map(kv)) }; });
  await r.step('txn version > 0 and create < 100 and mod == ', async () => (await c.if('c', 'Version', '>', 0).and('c', 'Create', '<', 100).and('c', 'Mod', '>', 0).then(c.delete().key('t1')).commit()).succeeded);
  await r.step('txn with a lease compare', async () => (await c.if('c', 'Lease', '==', 0).then(c.get('c')).commit()).succeeded);
  await r.step('txn putting one key twice', () => c.if('c', 'Version', '>', 0).then(c.put('d2').value('1'), c.put('d2').value('2')).commit());
}

async function leaseSteps(r: Recorder, c: Etcd3): Promise<void> {
  const lease = c.lease(60, { autoKeepAlive: false });
  await r.step('lease grant', async () => typeof (await lease.grant()));
  await r.step('lease put', async () => (await lease.put('leased').value('v').exec()).header.revision);
  await r.step('get leased exec', async () => (await c.get('leased').exec()).kvs.map(kv));
  await r.step('lease ttl', async () => { const t = await c.leaseClient.leaseTimeToLive({ ID: await lease.grant(), keys: true }); return { granted: t.grantedTTL, keys: t.keys.map(str), ttlOk: Number(t.TTL) > 50 }; });
  await r.step('lease keepaliveOnce', async () => (await lease.keepaliveOnce()).TTL);
  await r.step('lease leases', async () => (await c.leaseClient.leaseLeases({})).leases.length);
  await r.step('lease revoke', () => lease.revoke().then(() => 'revoked'));
  await r.step('get leased after revoke', () => c.get('leased').string());
  await r.step('lease revoke again', () => lease.revoke().then(() => 'revoked'));
  await r.step('lease keepaliveOnce after revoke', () => lease.keepaliveOnce());
  await r.step('lease ttl of a revoked lease', async () => { const t = await c.leaseClient.leaseTimeToLive({ ID: await lease.grant() }); return { ttl: t.TTL, granted: t.grantedTTL }; });
  await r.step('lease grant with an id', async () => (await c.leaseClient.leaseGrant({ TTL: 5, ID: 9000 })).ID);
  await r.step('lease grant the same id', () => c.leaseClient.leaseGrant({ TTL: 5, ID: 9000 }));
  await r.step('lease revoke an unknown id', () => c.leaseClient.leaseRevoke({ ID: 9001 }));
  await r.step('lease grant ttl 0', async () => Number((await c.leaseClient.leaseGrant({ TTL: 0, ID: 9002 })).TTL));
  await r.step('lease grant a ttl past the max', () => c.leaseClient.leaseGrant({ TTL: 9_100_000_000, ID: 9003 }));
  const kept = c.lease(10);
  await r.step('lease with auto keep-alive', async () => { await kept.grant(); const alive = await within('keepalive', new Promise((resolve) => kept.once('keepaliveSucceeded', (res: { TTL: string }) => resolve(res.TTL)))); await kept.revoke(); return alive; });
}

async function watchSteps(r: Recorder, c: Etcd3): Promise<void> {
  const seen: string[] = [];
  const w = await c.watch().prefix('w/').withPreviousKV().create();
  w.on('put', (k, prev) => seen.push(`put ${kv(k)} prev ${prev == null ? '-' : kv(prev)}`));
  w.on('delete', (k, prev) => seen.push(`delete ${kv(k)} prev ${prev == null ? '-' : kv(prev)}`));
  const all = new Promise<void>((resolve) => w.on('data', () => { if (seen.length >= 3) resolve(); }));
  await c.put('w/1').value('a');
  await c.put('w/1').value('b');
  await c.delete().key('w/1');
  await r.step('watch a prefix with previous values', async () => { await within('watch events', all); await w.cancel(); return seen; });
  const from = Number((await c.get('w/1').exec()).header.revision) - 2;
  const history: string[] = [];
  // etcd3's only('put') asks for the NODELETE filter (its ignore() is the same call, so ignore('delete') drops puts).
  const h = await c.watch().key('w/1').startRevision(String(from)).only('put').create();
  const got = new Promise<void>((resolve) => h.on('put', (k) => { history.push(kv(k)); if (history.length >= 2) resolve(); }));
  await r.step('watch from history, no deletes', async () => { await within('history', got); await h.cancel(); return history; });
  // Not here: a watch from a compacted revision. etcd3 1.1.2 throws an uncaught ClientRuntimeError
  // ("Failed to find watcher for IWatchResponse") on etcd 3.4's own answer, which ends the process.
}

async function lockAndElectionSteps(r: Recorder, c: Etcd3): Promise<void> {
  await r.step('lock acquire, keys under it, release', async () => {
    const l = c.lock('locks/a').ttl(10);
    await l.acquire();
    const keys = (await c.getAll().prefix('locks/a').keys()).length;
    const second = await c.lock('locks/a').ttl(1).options({ deadline: Date.now() + 300 }).acquire().then(() => 'acquired twice', raised);
    await l.release();
    return { keys, second: second === 'acquired twice' ? second : 'waited', after: (await c.getAll().prefix('locks/a').keys()).length };
  });
  await r.step('lock do', () => c.lock('locks/b').do(() => Promise.resolve('inside')));
  const e = c.election('elect/e', 10);
  await r.step('election leader with no one', () => e.leader());
  const campaign = e.campaign('v1');
  await r.step('campaign is elected', async () => { await within('elected', campaign.wait()); return e.leader(); });
  await r.step('proclaim', async () => { await campaign.proclaim('v2'); return e.leader(); });
  const other = c.election('elect/e', 10).campaign('w1');
  let otherIn = false;
  other.on('elected', () => (otherIn = true));
  await r.step('a second campaign waits', async () => { await new Promise((res) => setTimeout(res, 300)); return otherIn; });
  const observer = await e.observe();
  const changes: (string | undefined)[] = [];
  const changed = new Promise<void>((resolve) => observer.on('change', (v) => { changes.push(v); resolve(); }));
  await r.step('resign hands over', async () => { await campaign.resign(); await within('second elected', other.wait()); await within('observed', changed); return { leader: await e.leader(), changes }; });
  await r.step('last resign', async () => { await other.resign(); await observer.cancel(); return e.leader(); });
}

async function stmSteps(r: Recorder, c: Etcd3): Promise<void> {
  await c.put('stm/x').value('1');
  await r.step('stm read-modify-write', async () => {
    const out = await c.stm().transact(async (tx) => { const v = Number(await tx.get('stm/x').string()); await tx.put('stm/x').value(String(v + 1)); return v; });
    return { out, now: await c.get('stm/x').string() };
  });
  await r.step('stm with a conflict retries', async () => {
    let tries = 0;
    const out = await c.stm({ retries: 3 }).transact(async (tx) => { tries++; const v = Number(await tx.get('stm/x').string()); if (tries === 1) await c.put('stm/x').value('10'); tx.put('stm/x').value(String(v + 1)); return v; });
    return { out, tries, now: await c.get('stm/x').string() };
  });
}

async function namespaceSteps(r: Recorder, ns: Namespace): Promise<void> {
  await r.step('ns put and get', async () => { await ns.put('k').value('v'); await ns.put('k2').value('v2'); return ns.get('k').string(); });
  await r.step('ns getAll', () => ns.getAll().strings());
  await r.step('ns getAll prefix', () => ns.getAll().prefix('k2').keys());
  await r.step('ns txn', async () => (await ns.if('k', 'Value', '==', 'v').then(ns.put('k3').value('v3')).commit()).succeeded);
  await r.step('ns lock', () => ns.lock('l').do(() => Promise.resolve('in')));
  await r.step('ns delete all', async () => (await ns.delete().all().exec()).deleted);
}

async function adminSteps(r: Recorder, c: Etcd3): Promise<void> {
  await r.step('status', async () => { const s = await c.maintenance.status(); return { version: s.version, leaderSet: s.leader !== '0', hasDb: Number(s.dbSize) > 0 }; });
  await r.step('hash', async () => typeof (await c.maintenance.hash({})).hash);
  await r.step('alarm list', async () => (await c.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' })).alarms);
  await r.step('member list', async () => (await c.cluster.memberList({})).members.map((m) => ({ named: m.name !== '', peers: m.peerURLs.length, clients: m.clientURLs.length, learner: m.isLearner })));
  await r.step('defragment', async () => typeof (await c.maintenance.defragment({})));
  await r.step('final keys', async () => (await c.getAll().keys()).sort());
}
