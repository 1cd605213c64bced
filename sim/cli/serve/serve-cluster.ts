// `detcd serve` as a library: a simulated cluster advanced in real time (the world's clock
// follows the wall clock) behind the HTTP bridge on 127.0.0.1. The tests start it in-process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MemberConfig } from '../../../src/server/member-config.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { EtcdCluster } from '../../etcd/cluster.ts';
import { HttpBridge } from './http-bridge.ts';

export interface ServeOptions {
  port: number;
  nodes: number;
  seed: number;
  /** The replicated state machine: the etcd applier by default, or a test's. */
  makeStateMachine?: (config: MemberConfig) => StateMachinePort;
}

export interface ServeHandle {
  readonly endpoint: string;
  readonly port: number;
  readonly cluster: EtcdCluster;
  close(): Promise<void>;
}

/** How often the simulation catches up with the wall clock. */
const DRIVE_INTERVAL_MS = 1;
/** Longest the cluster may take to elect its first leader before serve gives up. */
const FIRST_LEADER_TIMEOUT_MS = 30_000;

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const makeStateMachine = options.makeStateMachine ?? makeEtcdStateMachine;
  // serve never loses messages and keeps history off: it is a server, not an experiment.
  const cluster = new EtcdCluster({ seed: options.seed, members: options.nodes, makeStateMachine, network: { latency: { kind: 'constant', us: 100 } }, disk: { fsyncLatencyUsMin: 50, fsyncLatencyUsMax: 100, tornWrite: { num: 0, den: 1 } }, recordHistory: false });
  cluster.start();
  const client = cluster.client('gateway', { requestTimeoutUs: 30_000_000, retriesMax: 0 });
  const wallStart = performance.now();
  const drive = (): void => {
    cluster.runUntil(Math.floor((performance.now() - wallStart) * 1_000));
  };
  const run = (fn: () => void): void => {
    drive();
    fn();
    drive();
  };
  const timer = setInterval(drive, DRIVE_INTERVAL_MS);
  const deadline = performance.now() + FIRST_LEADER_TIMEOUT_MS;
  while (cluster.leader() === undefined) {
    if (performance.now() > deadline) {
      clearInterval(timer);
      throw new Error('detcd serve: no leader elected');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const bridge = new HttpBridge(client, run);
  const server = createServer((req, res) => bridge.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    cluster,
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
