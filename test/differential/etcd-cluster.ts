// Starts a real etcd 3.4 cluster of several members (named n1, n2, ... like detcd serve's) on
// loopback ports in fresh data directories, waits until every member serves a linearizable
// read (so a leader is elected and known to all), and stops it again. Ports found free may be
// taken before etcd binds them: then the whole cluster is started again on new ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './etcd-process.ts';
import { postJson } from './http.ts';

export interface EtcdClusterProcess {
  /** Each member's client URL, in name order (n1, n2, ...). */
  readonly endpoints: readonly string[];
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 50_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_TRIES_MAX = 5;
const ELECTION_TIMEOUT_MS = '3000';

class PortTakenError extends Error {}

async function distinctPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}

export async function startEtcdCluster(binary: string, size: number): Promise<EtcdClusterProcess> {
  for (let attempt = 1; ; attempt++) {
    const ports = await distinctPorts(2 * size);
    try {
      return await startOn(binary, ports.slice(0, size), ports.slice(size));
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= PORT_TRIES_MAX) throw err;
    }
  }
}

async function startOn(binary: string, clientPorts: readonly number[], peerPorts: readonly number[]): Promise<EtcdClusterProcess> {
  const names = clientPorts.map((_, i) => `n${i + 1}`);
  const clients = clientPorts.map((p) => `http://127.0.0.1:${p}`);
  const peers = peerPorts.map((p) => `http://127.0.0.1:${p}`);
  const initial = names.map((n, i) => `${n}=${peers[i]}`).join(',');
  const dataDir = mkdtempSync(join(tmpdir(), 'detcd-diff-etcd3-'));
  let log = '';
  const children: ChildProcess[] = names.map((name, i) => {
    const child = spawn(binary, [
      '--name', name, '--data-dir', join(dataDir, name),
      '--listen-client-urls', clients[i]!, '--advertise-client-urls', clients[i]!,
      '--listen-peer-urls', peers[i]!, '--initial-advertise-peer-urls', peers[i]!,
      '--initial-cluster', initial, '--initial-cluster-state', 'new',
      // A longer election timeout than etcd's default 1 s: on a loaded machine a member that
      // misses heartbeats for a second would start an election and move the leader mid-script.
      '--heartbeat-interval', '100', '--election-timeout', ELECTION_TIMEOUT_MS,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-6000); });
    return child;
  });
  const exited = children.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
  const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;
  const stop = async (): Promise<void> => {
    for (const c of children) if (running(c)) c.kill('SIGTERM');
    const killer = setTimeout(() => { for (const c of children) if (running(c)) c.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
    await Promise.all(exited);
    clearTimeout(killer);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!children.every(running)) {
      await stop();
      if (/address already in use/.test(log)) throw new PortTakenError(`etcd could not bind its ports: ${log}`);
      throw new Error(`an etcd member exited early: ${log}`);
    }
    const ready = await Promise.all(clients.map(async (c) => {
      try {
        return (await postJson(c, '/v3/kv/range', { key: 'AA==' })).status === 200;
      } catch {
        return false;
      }
    }));
    if (ready.every(Boolean)) return { endpoints: clients, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the etcd cluster did not become ready in ${READY_TIMEOUT_MS} ms: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
