// One member's client endpoint: a loopback port serving etcd's gRPC API and its JSON gateway
// (see port-sniffer.ts), both answered by that member alone through its gate.
import { answerAsGrpcGo } from './grpc-go-answers.ts';
import { frameAsGrpcGo } from './grpc-go-framing.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { electionService, etcdServices, lockService, SERVICE_NAMES } from './grpc-codec.ts';
import { electionHandlers, etcdHandlers, lockHandlers, type ServiceContext } from './grpc-services.ts';
import { healthHandlers, healthService } from './grpc-health.ts';
import type { HttpBridge } from './http-bridge.ts';
import { sniffingServer } from './port-sniffer.ts';

export interface MemberEndpoint {
  readonly member: string;
  readonly port: number;
  readonly url: string;
  /**
   * The member's process is down (killed by the nemesis) or up again: while down the port is
   * not listened on, so connections are refused and open ones are dropped, as a killed etcd's
   * are; up again, the same port serves again. Calls are queued in order; no-op once closed.
   */
  setRunning(running: boolean): void;
  /**
   * The member is ready to serve clients (etcd's ReadyNotify), or not yet (started, or restarted,
   * and no leader known since): until ready, connections are accepted and held unanswered, as
   * etcd's are (port-sniffer.ts).
   */
  setReady(ready: boolean): void;
  /** Stops listening and drops every connection (a stopped etcd process); idempotent. */
  close(): Promise<void>;
}

/** gRPC server options: etcd clients ping every few seconds (etcdctl: 2 s); let them. */
const GRPC_SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 1_000,
  // Above etcd's 2 MiB: a larger single request reaches serve's handlers, which answer it in
  // grpc-go's words (grpc-codec.ts OversizedRequest); this bounds what one message may cost.
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

function bindGrpc(server: grpc.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err) => (err === null ? resolve() : reject(err))));
}

/** Starts the endpoint on `port` (0: any free port); rejects if the port is taken. */
export async function startMemberEndpoint(ctx: ServiceContext, port: number, extraHttp: HttpBridge): Promise<MemberEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'detcd-serve-'));
  const socketPath = join(dir, `${ctx.gate.member}.sock`);
  const grpcServer = new grpc.Server(GRPC_SERVER_OPTIONS);
  const services = etcdServices();
  const handlers = etcdHandlers(ctx);
  for (const name of SERVICE_NAMES) grpcServer.addService(services[name], handlers[name]);
  grpcServer.addService(lockService(), lockHandlers(ctx));
  grpcServer.addService(electionService(), electionHandlers(ctx));
  grpcServer.addService(healthService(), healthHandlers(ctx.gate));
  answerAsGrpcGo(grpcServer);
  frameAsGrpcGo(grpcServer);
  await bindGrpc(grpcServer, `unix:${socketPath}`);
  const http = createServer((req, res) => extraHttp.handle(req, res));
  const sniffer = sniffingServer(http, socketPath);
  const { server, sockets } = sniffer;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    grpcServer.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const bound = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  let listening = true;
  // Listen and unlisten in the order asked, one at a time (Node's server cannot do both at once).
  let transitions: Promise<void> = Promise.resolve();
  const dropConnections = (): void => {
    for (const s of sockets) s.destroy();
    http.closeAllConnections();
  };
  const setRunning = (running: boolean): void => {
    transitions = transitions.then(async () => {
      if (closed !== undefined || running === listening) return;
      listening = running;
      if (!running) {
        dropConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        return;
      }
      // The port was ours a moment ago; if another process took it meanwhile, the member stays
      // unreachable (as an etcd that cannot bind its port), and its gate still answers UNAVAILABLE.
      await new Promise<void>((resolve) => {
        server.once('error', () => resolve());
        server.listen(bound, '127.0.0.1', () => resolve());
      });
    }).catch(() => undefined);
  };
  return {
    member: ctx.gate.member,
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    setRunning,
    setReady: (ready) => sniffer.setReady(ready),
    close: () => {
      closed ??= (async () => {
        await transitions;
        dropConnections();
        grpcServer.forceShutdown();
        if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
