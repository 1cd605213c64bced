// Starts a real single-member etcd (the oracle of the differential test) on loopback ports in
// a fresh data directory, waits until it serves, and stops it again. A port found free may be
// taken by another process before etcd binds it (another test's etcd, or any outgoing
// connection's ephemeral port): etcd then exits at once, and it is started again on new ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postJson } from './http.ts';

export interface EtcdProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Inside the 60 s hook timeout; a loaded machine may take seconds to start etcd. */
const READY_TIMEOUT_MS = 40_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_TRIES_MAX = 5;

/** The etcd binary's path, or undefined when it is not installed. */
export function findEtcd(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path !== '' ? path : undefined;
}

/** A loopback port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface EtcdOptions {
  /** Start from this data directory (e.g. what `etcdctl snapshot restore` wrote; the caller removes it) instead of a new one. */
  readonly dataDir?: string;
}

/** etcd on two loopback ports picked now; new ports when the ones picked were taken meanwhile. */
export async function startEtcd(binary: string, options: EtcdOptions = {}): Promise<EtcdProcess> {
  for (let attempt = 1; ; attempt++) {
    const clientPort = await freePort();
    let peerPort = await freePort();
    while (peerPort === clientPort) peerPort = await freePort();
    try {
      return await startEtcdOn(binary, clientPort, peerPort, options);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= PORT_TRIES_MAX) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function startEtcdOn(binary: string, clientPort: number, peerPort: number, options: EtcdOptions): Promise<EtcdProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'detcd-diff-etcd-'));
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(binary, [
    '--name', 'oracle', '--data-dir', dataDir,
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `oracle=${peer}`,
    '--heartbeat-interval', '100', '--election-timeout', '1000',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
    }
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      if (/address already in use/.test(log)) throw new PortTakenError(`etcd could not bind ${client} or ${peer}: ${log}`);
      throw new Error(`etcd exited early: ${log}`);
    }
    try {
      const r = await postJson(client, '/v3/kv/range', { key: 'AA==' });
      // With authentication on (a data directory restored from a snapshot that had it), the
      // refusal comes after the linearizable read, so it shows a leader as well as an answer would.
      if (r.status === 200 || JSON.stringify(r.body).includes('user name is empty')) return { endpoint: client, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become ready in ${READY_TIMEOUT_MS} ms: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
