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

/**
 * Requests are decoded with bytes as Buffers and then written as base64 by Node's own encoder:
 * protobufjs's String option builds each base64 text in JS, an array of char codes per value
 * (≈ 45 KB of garbage per 1 KiB put under `etcdctl check datascale`, most of serve's allocation).
 * The request is the same value either way.
 */
const { bytes: _asStrings, ...BUFFER_OPTIONS } = LOADER_OPTIONS;

/** A request value with every Buffer (bytes field) as its base64 text, in place. */
function bytesAsBase64(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = bytesAsBase64(v[i]);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = bytesAsBase64(o[k]);
  }
  return v;
}

/** etcd 3.4's gRPC receive limit: MaxRequestBytes (1.5 MiB) + 512 KiB of overhead. */
export const GRPC_RECEIVE_BYTES_MAX = 2 * 1024 * 1024;

/**
 * The one request message of a unary or server-streaming call, over GRPC_RECEIVE_BYTES_MAX: not
 * decoded; its handler answers grpc-go's ResourceExhausted (grpc-go-answers.ts). grpc-js's own
 * limit sits higher, so that its words ("Received message larger than max") are not the answer.
 */
export class OversizedRequest {
  constructor(readonly sizeBytes: number) {}
}

/** `service` (loaded with bytes as strings) with each request decoded as `buffers` (the same service, bytes as Buffers) decodes it. */
function nativeBase64Requests(service: grpc.ServiceDefinition, buffers: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(service)) {
    const decode = buffers[name]!.requestDeserialize;
    const single = !m.requestStream;
    out[name] = { ...m, requestDeserialize: (bytes: Buffer) => (single && bytes.length > GRPC_RECEIVE_BYTES_MAX ? new OversizedRequest(bytes.length) : bytesAsBase64(decode(bytes))) };
  }
  return out;
}

export type ServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance' | 'Auth';
export const SERVICE_NAMES: readonly ServiceName[] = ['KV', 'Watch', 'Lease', 'Cluster', 'Maintenance', 'Auth'];

let loaded: Record<ServiceName, grpc.ServiceDefinition> | undefined;

/** The service definitions of etcdserverpb (loaded once per process). */
export function etcdServices(): Record<ServiceName, grpc.ServiceDefinition> {
  if (loaded !== undefined) return loaded;
  type Pkg = { etcdserverpb: Record<ServiceName, { service: grpc.ServiceDefinition }> };
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS)) as unknown as Pkg;
  const buffers = grpc.loadPackageDefinition(protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), BUFFER_OPTIONS)) as unknown as Pkg;
  const out = {} as Record<ServiceName, grpc.ServiceDefinition>;
  for (const name of SERVICE_NAMES) out[name] = nativeBase64Requests(pkg.etcdserverpb[name].service, buffers.etcdserverpb[name].service);
  loaded = out;
  return out;
}

/** etcd's lock service (v3lockpb.Lock, v3lock.proto), served beside etcdserverpb's. */
export function lockService(): grpc.ServiceDefinition {
  type Pkg = { v3lockpb: { Lock: { service: grpc.ServiceDefinition } } };
  const [pkg, buffers] = [LOADER_OPTIONS, BUFFER_OPTIONS].map((o) => grpc.loadPackageDefinition(protoLoader.loadSync(join(PROTO_DIR, 'v3lock.proto'), o)) as unknown as Pkg) as [Pkg, Pkg];
  return nativeBase64Requests(pkg.v3lockpb.Lock.service, buffers.v3lockpb.Lock.service);
}

/** etcd's election service (v3electionpb.Election, v3election.proto), served beside etcdserverpb's. */
export function electionService(): grpc.ServiceDefinition {
  type Pkg = { v3electionpb: { Election: { service: grpc.ServiceDefinition } } };
  const [pkg, buffers] = [LOADER_OPTIONS, BUFFER_OPTIONS].map((o) => grpc.loadPackageDefinition(protoLoader.loadSync(join(PROTO_DIR, 'v3election.proto'), o)) as unknown as Pkg) as [Pkg, Pkg];
  return nativeBase64Requests(pkg.v3electionpb.Election.service, buffers.v3electionpb.Election.service);
}

/** A client constructor for a service (the tests use it to speak gRPC to serve). */
export function etcdClientConstructor(name: ServiceName): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: Record<ServiceName, grpc.ServiceClientConstructor> };
  return pkg.etcdserverpb[name];
}
