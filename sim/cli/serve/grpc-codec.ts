// etcd's v3 gRPC services for @grpc/grpc-js, loaded from our own .proto files (./proto/etcd).
// Messages are converted to and from exactly the gateway JSON form the simulated members speak:
// original field names, 64-bit integers as decimal strings, bytes as base64, enums by name,
// fields at their default value left out. So a gRPC request is handed to a member as the same
// body a gateway client would send, and a member's response goes back unchanged.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

/** The .proto files stay beside the sources (tsc does not copy them to dist/; the package ships them). */
export const PROTO_DIR = join(PACKAGE_ROOT, 'sim', 'cli', 'serve', 'proto', 'etcd');

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: String,
  defaults: false,
  oneofs: false,
  includeDirs: [PROTO_DIR],
};

export type ServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance' | 'Auth';
export const SERVICE_NAMES: readonly ServiceName[] = ['KV', 'Watch', 'Lease', 'Cluster', 'Maintenance', 'Auth'];

let loaded: Record<ServiceName, grpc.ServiceDefinition> | undefined;

/** The service definitions of etcdserverpb (loaded once per process). */
export function etcdServices(): Record<ServiceName, grpc.ServiceDefinition> {
  if (loaded !== undefined) return loaded;
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: Record<ServiceName, { service: grpc.ServiceDefinition }> };
  const out = {} as Record<ServiceName, grpc.ServiceDefinition>;
  for (const name of SERVICE_NAMES) out[name] = pkg.etcdserverpb[name].service;
  loaded = out;
  return out;
}

/** etcd's lock service (v3lockpb.Lock, v3lock.proto), served beside etcdserverpb's. */
export function lockService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'v3lock.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { v3lockpb: { Lock: { service: grpc.ServiceDefinition } } };
  return pkg.v3lockpb.Lock.service;
}

/** etcd's election service (v3electionpb.Election, v3election.proto), served beside etcdserverpb's. */
export function electionService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'v3election.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { v3electionpb: { Election: { service: grpc.ServiceDefinition } } };
  return pkg.v3electionpb.Election.service;
}

/** A client constructor for a service (the tests use it to speak gRPC to serve). */
export function etcdClientConstructor(name: ServiceName): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: Record<ServiceName, grpc.ServiceClientConstructor> };
  return pkg.etcdserverpb[name];
}
