// etcd's v3 gRPC services for @grpc/grpc-js, loaded from our own .proto files (./proto/etcd).
// Messages are converted to and from exactly the gateway JSON form the simulated members speak:
// original field names, 64-bit integers as decimal strings, bytes as base64, enums by name,
// fields at their default value left out. So a gRPC request is handed to a member as the same
// body a gateway client would send, and a member's response goes back unchanged.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { gogoUnmarshalError, type MessageDescriptor, type MessageLookup } from './gogo-unmarshal.ts';

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

/**
 * A request message etcd would not decode (gogo-unmarshal.ts): not decoded; its call is answered
 * INTERNAL with `details` (grpc-go-answers.ts), in grpc-go's words for a unary call or a stream.
 */
export class MalformedRequest {
  constructor(readonly details: string) {}
}

/** A message's descriptor by a field's type name: nested in `from`, in its package, or absolute. */
function lookupIn(definition: protoLoader.PackageDefinition): { lookup: MessageLookup; find: (fullName: string) => MessageDescriptor | undefined } {
  const fullNames = new Map<MessageDescriptor, string>();
  for (const [name, d] of Object.entries(definition)) if ('type' in d) fullNames.set(d.type as MessageDescriptor, name);
  const find = (name: string): MessageDescriptor | undefined => {
    const d = definition[name];
    return d !== undefined && 'type' in d ? (d.type as MessageDescriptor) : undefined;
  };
  const lookup: MessageLookup = (typeName, from) => {
    const full = fullNames.get(from) ?? '';
    return find(`${full}.${typeName}`) ?? find(`${full.slice(0, full.lastIndexOf('.'))}.${typeName}`) ?? find(typeName);
  };
  return { lookup, find };
}

/**
 * `service` (loaded with bytes as strings) with each request checked as etcd decodes it, then
 * decoded as `buffers` (the same service, bytes as Buffers) decodes it; `definition`: the
 * messages' descriptors.
 */
function nativeBase64Requests(service: grpc.ServiceDefinition, buffers: grpc.ServiceDefinition, definition: protoLoader.PackageDefinition): grpc.ServiceDefinition {
  const { lookup, find } = lookupIn(definition);
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(service)) {
    const decode = buffers[name]!.requestDeserialize;
    const single = !m.requestStream;
    // grpc-go words a decoding error apart for unary calls and streams (server-streaming too).
    const refusal = m.requestStream || m.responseStream ? 'grpc: failed to unmarshal the received message ' : 'grpc: error unmarshalling request: ';
    // The definition's own descriptor (a method's copy is not the one its fields' types resolve from), in the service's package.
    const pkg = m.path.slice(1, m.path.indexOf('/', 1)).split('.').slice(0, -1).join('.');
    const requestType = find(`${pkg}.${(m as { requestType?: { type: MessageDescriptor } }).requestType?.type.name ?? ''}`);
    out[name] = {
      ...m,
      requestDeserialize: (bytes: Buffer) => {
        if (single && bytes.length > GRPC_RECEIVE_BYTES_MAX) return new OversizedRequest(bytes.length);
        const refused = requestType === undefined ? undefined : gogoUnmarshalError(bytes, requestType, lookup);
        return refused === undefined ? bytesAsBase64(decode(bytes)) : new MalformedRequest(refusal + refused);
      },
    };
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
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as Pkg;
  const buffers = grpc.loadPackageDefinition(protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), BUFFER_OPTIONS)) as unknown as Pkg;
  const out = {} as Record<ServiceName, grpc.ServiceDefinition>;
  for (const name of SERVICE_NAMES) out[name] = nativeBase64Requests(pkg.etcdserverpb[name].service, buffers.etcdserverpb[name].service, definition);
  loaded = out;
  return out;
}

/** etcd's lock service (v3lockpb.Lock, v3lock.proto), served beside etcdserverpb's. */
export function lockService(): grpc.ServiceDefinition {
  type Pkg = { v3lockpb: { Lock: { service: grpc.ServiceDefinition } } };
  const [definition, bufferDefinition] = [LOADER_OPTIONS, BUFFER_OPTIONS].map((o) => protoLoader.loadSync(join(PROTO_DIR, 'v3lock.proto'), o)) as [protoLoader.PackageDefinition, protoLoader.PackageDefinition];
  const [pkg, buffers] = [definition, bufferDefinition].map((d) => grpc.loadPackageDefinition(d) as unknown as Pkg) as [Pkg, Pkg];
  return nativeBase64Requests(pkg.v3lockpb.Lock.service, buffers.v3lockpb.Lock.service, definition);
}

/** etcd's election service (v3electionpb.Election, v3election.proto), served beside etcdserverpb's. */
export function electionService(): grpc.ServiceDefinition {
  type Pkg = { v3electionpb: { Election: { service: grpc.ServiceDefinition } } };
  const [definition, bufferDefinition] = [LOADER_OPTIONS, BUFFER_OPTIONS].map((o) => protoLoader.loadSync(join(PROTO_DIR, 'v3election.proto'), o)) as [protoLoader.PackageDefinition, protoLoader.PackageDefinition];
  const [pkg, buffers] = [definition, bufferDefinition].map((d) => grpc.loadPackageDefinition(d) as unknown as Pkg) as [Pkg, Pkg];
  return nativeBase64Requests(pkg.v3electionpb.Election.service, buffers.v3electionpb.Election.service, definition);
}

/** A client constructor for a service (the tests use it to speak gRPC to serve). */
export function etcdClientConstructor(name: ServiceName): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: Record<ServiceName, grpc.ServiceClientConstructor> };
  return pkg.etcdserverpb[name];
}
