// Starts real etcd 3.4 processes (the oracles of the differential tests) on loopback ports,
// waits until every member serves a linearizable read (so a leader is elected and known to
// all), and stops them again, removing the data directories it made. One member (`startEtcd`)
// or a cluster of several named n1, n2, ... like detcd serve's (`startEtcdCluster`), both
// through `startMembers`. Ports found free may be taken before etcd binds them (another test's
// etcd, or any outgoing connection's ephemeral port): etcd then exits at once, and the members
// are started again on new ports.
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

export interface EtcdClusterProcess {
  /** Each member's client URL, in name order (n1, n2, ...). */
  readonly endpoints: readonly string[];
  stop(): Promise<void>;
}

export interface EtcdOptions {
  /** Start from this data directory (e.g. what `etcdctl snapshot restore` wrote; the caller removes it) instead of a new one. */
  readonly dataDir?: string;
}

/** Inside the 60 s hook timeout; a loaded machine may take seconds to start etcd. */
const READY_TIMEOUT_MS = 50_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_TRIES_MAX = 5;
const LOG_CHARS_KEPT = 6_000;

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

async function distinctPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}

/** One etcd member in a new data directory (or `options.dataDir`). */
export async function startEtcd(binary: string, options: EtcdOptions = {}): Promise<EtcdProcess> {
  const { endpoints, stop } = await startMembers(binary, { names: ['oracle'], electionTimeoutMs: 1000, dataDir: options.dataDir });
  return { endpoint: endpoints[0]!, stop };
}

/**
 * A cluster of `size` members. Their election timeout is longer than etcd's default 1 s: on a
 * loaded machine a member that misses heartbeats for a second would start an election and move
 * the leader mid-script.
 */
export function startEtcdCluster(binary: string, size: number): Promise<EtcdClusterProcess> {
  return startMembers(binary, { names: Array.from({ length: size }, (_, i) => `n${i + 1}`), electionTimeoutMs: 3000 });
}

interface MembersPlan {
  readonly names: readonly string[];
  readonly electionTimeoutMs: number;
  /** One member's given data directory (kept), instead of new ones (removed at stop). */
  readonly dataDir?: string | undefined;
}

class PortTakenError extends Error {}

async function startMembers(binary: string, plan: MembersPlan): Promise<EtcdClusterProcess> {
  for (let attempt = 1; ; attempt++) {
    const ports = await distinctPorts(2 * plan.names.length);
    try {
      return await startOn(binary, plan, ports.slice(0, plan.names.length), ports.slice(plan.names.length));
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= PORT_TRIES_MAX) throw err;
    }
  }
}

async function startOn(binary: string, plan: MembersPlan, clientPorts: readonly number[], peerPorts: readonly number[]): Promise<EtcdClusterProcess> {
  const clients = clientPorts.map((p) => `http://127.0.0.1:${p}`);
  const peers = peerPorts.map((p) => `http://127.0.0.1:${p}`);
  const initial = plan.names.map((n, i) => `${n}=${peers[i]}`).join(',');
  const madeDir = plan.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'detcd-diff-etcd-')) : undefined;
  let log = '';
  const children: ChildProcess[] = plan.names.map((name, i) => {
    const child = spawn(binary, [
      '--name', name, '--data-dir', madeDir === undefined ? plan.dataDir! : join(madeDir, name),
      '--listen-client-urls', clients[i]!, '--advertise-client-urls', clients[i]!,
      '--listen-peer-urls', peers[i]!, '--initial-advertise-peer-urls', peers[i]!,
      '--initial-cluster', initial, '--initial-cluster-state', 'new',
      '--heartbeat-interval', '100', '--election-timeout', String(plan.electionTimeoutMs),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-LOG_CHARS_KEPT); });
    return child;
  });
  const exited = children.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
  const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;
  const stop = async (): Promise<void> => {
    for (const c of children) if (running(c)) c.kill('SIGTERM');
    const killer = setTimeout(() => { for (const c of children) if (running(c)) c.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
    await Promise.all(exited);
    clearTimeout(killer);
    if (madeDir !== undefined) rmSync(madeDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!children.every(running)) {
      await stop();
      if (/address already in use/.test(log)) throw new PortTakenError(`etcd could not bind its ports: ${log}`);
      throw new Error(`an etcd member exited early: ${log}`);
    }
    if ((await Promise.all(clients.map(serves))).every(Boolean)) return { endpoints: clients, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become ready in ${READY_TIMEOUT_MS} ms: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the member at `client` answers a linearizable read. */
async function serves(client: string): Promise<boolean> {
  try {
    const r = await postJson(client, '/v3/kv/range', { key: 'AA==' });
    // With authentication on (a data directory restored from a snapshot that had it), the
    // refusal comes after the linearizable read, so it shows a leader as well as an answer would.
    return r.status === 200 || JSON.stringify(r.body).includes('user name is empty');
  } catch {
    return false; // not listening yet
  }
}
