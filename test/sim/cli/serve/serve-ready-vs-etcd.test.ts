// A client that comes as soon as the port accepts connections, before the cluster has a leader:
// etcd 3.4 opens its client listener at start but serves it only once its server is ready (embed's
// serve waits on ReadyNotify), so the connection waits and the request then succeeds; a member
// that never becomes ready (two of three members missing) answers nothing and etcdctl says
// "context deadline exceeded" after its command timeout (checked by hand on etcd 3.4.23; /health
// and the gateway hang too). serve answered "etcdserver: no leader" in that window. Here a
// fresh etcd and a fresh `detcd serve` (one member each) get etcdctl's put and a gateway put the
// moment their ports accept a TCP connection; both must answer as a ready member does.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { freePort } from '../../../differential/etcd-process.ts';
import { postJson } from '../../../differential/http.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { startServe } from '../../../../sim/cli/serve/serve-cluster.ts';
import { etcdctl, errorLines } from './etcdctl.ts';

/** Resolves once something accepts a TCP connection on `port` (tried every few ms). */
async function accepting(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** What a client sees when it comes at once: etcdctl's put (exit code, output, errors) and a gateway put's status. */
async function firstAnswers(port: number): Promise<string[]> {
  await accepting(port);
  const endpoint = `127.0.0.1:${port}`;
  const [ctl, gateway] = await Promise.all([
    etcdctl(endpoint, ['put', 'early', 'ctl'], { commandTimeout: '20s', dialTimeout: '20s' }),
    postJson(`http://${endpoint}`, '/v3/kv/put', { key: Buffer.from('early-gw').toString('base64'), value: 'eA==' }),
  ]);
  return [`etcdctl exit ${ctl.code}: ${ctl.stdout.trim()} ${errorLines(ctl.stderr).join(' ')}`, `gateway ${gateway.status} ${'header' in (gateway.body as object) ? 'header' : JSON.stringify(gateway.body)}`];
}

async function etcdFirstAnswers(binary: string): Promise<string[]> {
  const [client, peer] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'detcd-ready-etcd-'));
  const child = spawn(binary, [
    '--name', 'e', '--data-dir', join(dir, 'e'),
    '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `e=http://127.0.0.1:${peer}`,
  ], { stdio: 'ignore' });
  try {
    return await firstAnswers(client);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serveFirstAnswers(): Promise<string[]> {
  const port = await freePort();
  const starting = startServe({ port, nodes: 1, seed: 1 });
  try {
    return await firstAnswers(port);
  } finally {
    await (await starting).close();
  }
}

describeWithRealEtcd('a client that comes before the first leader waits for it, as with etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  test('etcdctl put and a gateway put at the first accepted connection', async () => {
    const oracle = await etcdFirstAnswers(tools.etcd);
    expect(oracle).toEqual(['etcdctl exit 0: OK ', 'gateway 200 header']);
    expect(await serveFirstAnswers()).toEqual(oracle);
  }, 60_000);
});
