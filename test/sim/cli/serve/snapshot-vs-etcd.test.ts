// Maintenance.Snapshot against the real tools: `etcdctl snapshot save` from `detcd serve` and
// from a real etcd 3.4 after the same writes (puts, a delete, a txn of two puts, a lease, a
// compaction) must print the same (and fail the same way on bad arguments); `snapshot status`
// must read the same revision and key count from both files (the hash and size depend on ids
// and page layout); `snapshot restore` must accept both (it checks the SHA-256 etcd appends), and
// a real etcd started on each restored data directory must serve the same keys, history,
// compaction and leases. The gateway's streamed snapshot carries the same file. A second test
// writes a large state (20,000 revisions, a 1.5 MB value, a thousand leases: branch pages,
// overflow pages) and has etcdctl and etcd read it back. A third makes users, roles and
// permissions, enables authentication and snapshots as root: an etcd restored from serve's file
// must let the same users log in with the same passwords (bcrypt hashes) and refuse the same.
import { afterAll, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendFile } from '../../../../sim/cli/serve/snapshot-db.ts';
import type { LogRecord } from '../../../../src/mvcc/snapshot.ts';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { suiteServers, withServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { normalizeCtl } from './etcdctl-diff/etcdctl-script.ts';
import { errorLines, etcdctl } from './etcdctl.ts';
import type { Identities } from '../../../differential/etcdctl-normalize.ts';
import { hostPort, identities } from '../../../differential/etcdctl-runner.ts';

interface SnapStep {
  readonly args: readonly string[];
  readonly stdin?: string;
  /** Given the endpoint twice (snapshot save wants exactly one). */
  readonly twoEndpoints?: boolean;
  /** Also compare the messages of etcdctl's log lines (stderr JSON), not only its errors. */
  readonly logMessages?: boolean;
}

const RESTORE_FLAGS = ['--name', 'r', '--initial-cluster', 'r=http://127.0.0.1:1', '--initial-advertise-peer-urls', 'http://127.0.0.1:1'];

/** Writes, then snapshots of every kind; {DIR} is the server's own scratch directory. */
const BEFORE_RESTORE: SnapStep[] = [
  { args: ['put', 'a', '1'] },
  { args: ['put', 'b', '2'] },
  { args: ['del', 'a'] },
  { args: ['txn', '-i'], stdin: '\nput t1 x\nput t2 y\n\n\n' },
  { args: ['lease', 'grant', '1000'] },
  { args: ['put', 'kl', 'v', '--lease={LEASE}'] },
  { args: ['put', 'bin'], stdin: '\0\x01\xff binary' },
  { args: ['compaction', '3'] },
  { args: ['put', 'c', '3'] },
  { args: ['put', 'c', '4'] },
  { args: ['snapshot', 'save', '{DIR}/x.db'], logMessages: true },
  { args: ['snapshot', 'status', '{DIR}/x.db', '-w', 'json'] },
  { args: ['snapshot', 'status', '{DIR}/x.db'] },
  { args: ['snapshot', 'save'] },
  { args: ['snapshot', 'save', '{DIR}/x.db', 'y.db'] },
  { args: ['snapshot', 'save', '{DIR}/no/such/dir/x.db'] },
  { args: ['snapshot', 'save', '{DIR}/y.db'], twoEndpoints: true },
  { args: ['snapshot', 'status', '{DIR}/missing.db'] },
  { args: ['snapshot', 'status', '{DIR}/junk'] },
  { args: ['snapshot', 'status', '{DIR}/junk-large'] },
  { args: ['snapshot', 'restore', '{DIR}/junk-large', '--data-dir', '{DIR}/from-junk', ...RESTORE_FLAGS] },
  { args: ['snapshot', 'restore', '{DIR}/x.db', '--data-dir', '{DIR}/restored', ...RESTORE_FLAGS] },
  { args: ['snapshot', 'restore', '{DIR}/x.db', '--data-dir', '{DIR}/restored', ...RESTORE_FLAGS] },
];

/** Against a real etcd started on the restored data directory. */
const AFTER_RESTORE: SnapStep[] = [
  { args: ['get', '', '--from-key', '-w', 'json'] },
  { args: ['get', 'a', '--rev', '2'] },
  { args: ['get', 'a', '--rev', '3', '-w', 'json'] },
  { args: ['get', 't', '--prefix', '--rev', '5', '-w', 'json'] },
  { args: ['get', 'c', '--rev', '9', '-w', 'json'] },
  { args: ['get', 'bin', '--hex'] },
  { args: ['lease', 'list'] },
  { args: ['lease', 'timetolive', '{LEASE}', '--keys'] },
  { args: ['put', 'after', 'restore', '-w', 'json'] },
  { args: ['endpoint', 'hashkv', '-w', 'json'] },
];

/** Users, roles and permissions, authentication on, then a snapshot as root. */
const AUTH_BEFORE_RESTORE: SnapStep[] = [
  { args: ['put', 'k', 'v'] },
  { args: ['user', 'add', 'root:r'] },
  { args: ['user', 'add', 'u:p'] },
  { args: ['user', 'add', 'nopw', '--no-password'] },
  { args: ['role', 'add', 'rw'] },
  { args: ['role', 'grant-permission', 'rw', 'read', 'k', 'l'] },
  { args: ['role', 'grant-permission', 'rw', 'readwrite', 'w', '--prefix'] },
  { args: ['user', 'grant-role', 'u', 'rw'] },
  { args: ['auth', 'enable'] },
  { args: ['--user', 'root:r', 'snapshot', 'save', '{DIR}/auth.db'] },
  { args: ['snapshot', 'restore', '{DIR}/auth.db', '--data-dir', '{DIR}/restored', ...RESTORE_FLAGS] },
];

/** Against an etcd restored from that snapshot: the same users, passwords, permissions, and auth still on. */
const AUTH_AFTER_RESTORE: SnapStep[] = [
  { args: ['get', 'k'] },
  { args: ['--user', 'u:p', 'get', 'k'] },
  { args: ['--user', 'u:p', 'put', 'k', 'x'] },
  { args: ['--user', 'u:p', 'put', 'w1', 'x'] },
  { args: ['--user', 'u:wrong', 'get', 'k'] },
  { args: ['--user', 'nopw:', 'get', 'k'] },
  { args: ['--user', 'root:r', 'user', 'list'] },
  { args: ['--user', 'root:r', 'user', 'get', 'u'] },
  { args: ['--user', 'root:r', 'role', 'get', 'rw'] },
  { args: ['--user', 'root:r', 'auth', 'disable'] },
  { args: ['get', 'w1', '--print-value-only'] },
];

/** What `snapshot status` prints that depends on ids and page layout: hash and size. */
function normalizeSnapshot(text: string, dir: string, ids: Identities): string {
  return normalizeCtl(text.split(dir).join('{DIR}'), ids)
    .replace(/"(hash|totalSize)":\d+/g, '"$1":N')
    .replace(/^[0-9a-f]+, (\d+), (\d+), [\d.]+ [kMG]?B$/gm, 'HASH, $1, $2, SIZE')
    .replace(/"size":"[^"]*"/g, '"size":"S"');
}

/** The "msg" of each JSON log line etcdctl printed (they carry times, sizes and paths). */
function logMessages(stderr: string): string[] {
  return stderr.split('\n').flatMap((l) => /"msg":"([^"]*)"/.exec(l)?.[1] ?? []);
}

async function runSteps(endpoint: string, dir: string, steps: readonly SnapStep[], lease: { id: string }): Promise<string[]> {
  const ids = await identities([endpoint]);
  const address = hostPort(endpoint);
  const out: string[] = [];
  for (const step of steps) {
    const args = step.args.map((a) => a.replace('{DIR}', dir).replace('{LEASE}', lease.id));
    const r = await etcdctl(step.twoEndpoints === true ? `${address},${address}` : address, args, { stdin: step.stdin, dialTimeout: '10s' });
    const granted = /^lease ([0-9a-f]+) granted/.exec(r.stdout);
    if (granted !== null && step.args[1] === 'grant') lease.id = granted[1]!;
    const logs = step.logMessages === true ? `${logMessages(r.stderr).join('\n')}\n` : '';
    out.push(`$ etcdctl ${step.args.join(' ')}\n${normalizeSnapshot(r.stdout, dir, ids)}${logs}${errorLines(r.stderr).map((l) => normalizeSnapshot(l, dir, ids)).join('\n')}[exit ${r.code}]`);
  }
  return out;
}

/** The file the gateway streams ({"result": {blob, remaining_bytes}} lines), and the fields each line had. */
async function gatewaySnapshot(endpoint: string): Promise<{ file: Buffer; shapes: string[] }> {
  const res = await fetch(`${endpoint}/v3/maintenance/snapshot`, { method: 'POST', body: '{}' });
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { result: { blob: string; remaining_bytes?: string } });
  const blobs = lines.map((l) => Buffer.from(l.result.blob, 'base64'));
  const shapes = lines.map((l, i) => Object.keys(l.result).sort().join(',') + (i === lines.length - 1 ? ' (last)' : ''));
  return { file: Buffer.concat(blobs), shapes: [...new Set(shapes)] };
}

/** The file ends with the SHA-256 of what comes before it. */
function shaAppended(file: Buffer): boolean {
  const body = file.subarray(0, file.length - 32);
  return body.length % 4096 === 0 && createHash('sha256').update(body).digest().equals(file.subarray(file.length - 32));
}

interface Side {
  readonly endpoint: string;
  readonly dir: string;
  readonly lease: { id: string };
}

describeWithRealEtcd('etcdctl snapshot save / status / restore against detcd serve as against etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 9 });
  const dirs: string[] = [];
  const scratch = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'detcd-snapshot-'));
    dirs.push(d);
    writeFileSync(join(d, 'junk'), 'not a bbolt file\n'.repeat(300));
    writeFileSync(join(d, 'junk-large'), 'not a bbolt file\n'.repeat(4000));
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('snapshot save, status and restore print the same; etcd serves the same from both restores', async () => {
    const sides: Side[] = [servers.etcd.endpoint, servers.serve.endpoint].map((e) => ({ endpoint: e, dir: scratch(), lease: { id: '0' } }));
    const before = await Promise.all(sides.map((s) => runSteps(s.endpoint, s.dir, BEFORE_RESTORE, s.lease)));
    const gateway = await Promise.all([servers.etcd.endpoint, servers.serve.endpoint].map(gatewaySnapshot));
    const after: string[][] = [];
    for (const s of sides) {
      const restored = await startEtcd(tools.etcd, { dataDir: join(s.dir, 'restored') });
      try {
        after.push(await runSteps(restored.endpoint, s.dir, AFTER_RESTORE, s.lease));
      } finally {
        await restored.stop();
      }
    }
    const [oracle, subject] = [[...before[0]!, ...after[0]!], [...before[1]!, ...after[1]!]];
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    const differences = oracle.flatMap((o, i) => (o === subject[i] ? [] : [`step ${i}\n--- etcd\n${o}\n--- detcd\n${subject[i]}`]));
    expect(differences.join('\n')).toBe('');
    expect(gateway[1]!.shapes).toEqual(gateway[0]!.shapes);
    for (const g of gateway) expect(shaAppended(g.file)).toBe(true);
    // The script means something only if etcd itself did what it says.
    const all = oracle.join('\n');
    for (const shown of ['Snapshot saved at {DIR}/x.db', '"revision":9', 'required revision has been compacted', '"value":"eA=="', 'found 1 leases', 'Error: snapshot must be requested to one selected node', 'Error: file size too small', 'Error: invalid database']) expect(all).toContain(shown);
  }, 180_000);

  test('users, roles, permissions and authentication survive snapshot save and restore, as etcd\'s', async () => {
    // A fresh etcd and serve: authentication enabled here would leave the shared ones refusing.
    const outputs: string[][] = [];
    await withServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 11 }, async (fresh) => {
      for (const endpoint of [fresh.etcd.endpoint, fresh.serve.endpoint]) {
        const dir = scratch();
        const lease = { id: '0' };
        const before = await runSteps(endpoint, dir, AUTH_BEFORE_RESTORE, lease);
        const restored = await startEtcd(tools.etcd, { dataDir: join(dir, 'restored') });
        try {
          outputs.push([...before, ...(await runSteps(restored.endpoint, dir, AUTH_AFTER_RESTORE, lease))]);
        } finally {
          await restored.stop();
        }
      }
    });
    const [oracle, subject] = outputs as [string[], string[]];
    const differences = oracle.flatMap((o, i) => (o === subject[i] ? [] : [`step ${i}\n--- etcd\n${o}\n--- detcd\n${subject[i]}`]));
    expect(differences.join('\n')).toBe('');
    const after = oracle.slice(AUTH_BEFORE_RESTORE.length).join('\n');
    for (const shown of ['k\nv\n[exit 0]', 'user name is empty', 'permission denied', 'authentication failed', 'Role rw\nKV Read:\n\t[k, l)', 'Authentication Disabled']) expect(after).toContain(shown);
  }, 180_000);

  test('a large state (branch and overflow pages) reads back in etcdctl and etcd', async () => {
    const dir = scratch();
    const log: LogRecord[] = [];
    const KEYS = 20_000;
    for (let i = 0; i < KEYS; i++) log.push([i + 2, 0, `key/${String(i).padStart(6, '0')}`, `value-${i}`, i + 2, 1, '0', 0]);
    log.push([KEYS + 2, 0, 'big', 'B'.repeat(1_500_000), KEYS + 2, 1, '0', 0]);
    log.push([KEYS + 3, 0, 'key/000000', '', 0, 0, '0', 1]);
    const leases = Array.from({ length: 1000 }, (_v, i): [string, number, number] => [String(1000 + i), 600, 0]);
    const file = backendFile({ consistentIndex: 50_000, mvcc: { currentRev: KEYS + 3, compactMainRev: 0, log }, leases, members: [{ ID: '1', name: 'n1', peerURLs: ['http://n1:2380'], clientURLs: ['http://127.0.0.1:2379'] }] });
    const path = join(dir, 'large.db');
    writeFileSync(path, Buffer.concat([file, createHash('sha256').update(file).digest()]));
    const status = await etcdctl('127.0.0.1:1', ['snapshot', 'status', path, '-w', 'json']);
    expect(status.stderr).toBe('');
    // Keys: every revision, the leases, one member, consistent_index, authRevision, clusterVersion.
    expect(JSON.parse(status.stdout)).toMatchObject({ revision: KEYS + 3, totalKey: KEYS + 2 + 1000 + 1 + 3 });
    const restore = await etcdctl('127.0.0.1:1', ['snapshot', 'restore', path, '--data-dir', join(dir, 'restored'), ...RESTORE_FLAGS]);
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await startEtcd(tools.etcd, { dataDir: join(dir, 'restored') });
    try {
      const at = restored.endpoint.replace('http://', '');
      expect((await etcdctl(at, ['get', 'key/', '--prefix', '--keys-only', '--limit', '1', '-w', 'json'])).stdout).toContain('"count":19999');
      expect((await etcdctl(at, ['get', 'key/012345', '--print-value-only'])).stdout).toBe('value-12345\n');
      expect((await etcdctl(at, ['get', 'key/000000', '--rev', '2', '--print-value-only'])).stdout).toBe('value-0\n');
      expect((await etcdctl(at, ['get', 'big', '--print-value-only'])).stdout.length).toBe(1_500_001);
      expect((await etcdctl(at, ['lease', 'list'])).stdout).toMatch(/^found 1000 leases\n/);
    } finally {
      await restored.stop();
    }
  }, 120_000);
});
