// gRPC's health service (grpc.health.v1.Health), as etcd 3.4 registers it on its client port:
// the server as a whole ("") is SERVING — answered by the member's gate, so a killed member's
// port refuses as for every call — and any named service is "unknown service" (NOT_FOUND),
// grpc-go's answers. Watch sends the status once and stays open until the client leaves.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { LOADER_OPTIONS } from './grpc-codec.ts';
import type { MemberGate } from './member-gate.ts';

const HEALTH_PROTO = join(PACKAGE_ROOT, 'sim', 'cli', 'serve', 'proto', 'grpc', 'health.proto');
const GRPC_NOT_FOUND = 5;

let loaded: grpc.ServiceDefinition | undefined;

/** The service definition of grpc.health.v1.Health (loaded once per process). */
export function healthService(): grpc.ServiceDefinition {
  if (loaded !== undefined) return loaded;
  const definition = protoLoader.loadSync(HEALTH_PROTO, { ...LOADER_OPTIONS, includeDirs: [] });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } } };
  loaded = pkg.grpc.health.v1.Health.service;
  return loaded;
}

function failure(code: number, message: string): grpc.ServiceError {
  const err = new Error(message) as grpc.ServiceError;
  err.code = code;
  err.details = message;
  err.metadata = new grpc.Metadata();
  return err;
}

/** The status of `service` on this member: SERVING, or an error (unknown service, member down). */
function check(gate: MemberGate, service: string, done: (err: grpc.ServiceError | null, status?: string) => void): void {
  if (service !== '') return done(failure(GRPC_NOT_FOUND, 'unknown service'));
  gate.call('/v3/maintenance/status', {}, (r) => (r.ok ? done(null, 'SERVING') : done(failure(r.error.code, r.error.message))));
}

export function healthHandlers(gate: MemberGate): grpc.UntypedServiceImplementation {
  const serviceOf = (request: unknown): string => {
    const s = (request as { service?: unknown } | null)?.service;
    return typeof s === 'string' ? s : '';
  };
  return {
    Check: ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      check(gate, serviceOf(call.request), (err, status) => (err === null ? callback(null, { status }) : callback(err)));
    }) as grpc.handleUnaryCall<unknown, unknown>,
    Watch: ((call: grpc.ServerWritableStream<unknown, unknown>) => {
      const service = serviceOf(call.request);
      if (service !== '') {
        call.write({ status: 'SERVICE_UNKNOWN' });
        return;
      }
      check(gate, service, (err, status) => {
        if (err !== null) call.emit('error', err);
        else call.write({ status });
      });
    }) as grpc.handleServerStreamingCall<unknown, unknown>,
  };
}
