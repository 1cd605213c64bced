// A gRPC client for the differential test that sees the bytes: requests are encoded from etcd's
// .proto (sim/cli/serve/proto, field names and numbers as etcd 3.4's), responses arrive raw and
// are decoded here, so a field the proto does not know (which grpc-js would silently drop) is
// not lost: the decoded message is encoded again and the bytes it lacks are reported as
// `unknownBytes`. Unary calls, the Watch stream and the LeaseKeepAlive stream; errors keep the
// status code and message the server sent; also gRPC's own health service. Never rejects:
// every outcome is a value.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LOADER_OPTIONS, PROTO_DIR } from '../../../../../sim/cli/serve/grpc-codec.ts';

export type Reply =
  | { readonly ok: Record<string, unknown>; readonly unknownBytes?: number }
  | { readonly code: number; readonly details: string };

interface Method {
  path: string;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
  reserialize: (value: unknown) => Buffer;
}

let methods: Map<string, Method> | undefined;

/** "KV.Range" → the method's path and codecs (loaded once). */
function method(name: string): Method {
  if (methods === undefined) {
    const definition = {
      ...protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS),
      ...protoLoader.loadSync(join(PROTO_DIR, '..', 'grpc', 'health.proto'), LOADER_OPTIONS),
      ...protoLoader.loadSync(join(PROTO_DIR, 'v3lock.proto'), LOADER_OPTIONS),
      ...protoLoader.loadSync(join(PROTO_DIR, 'v3election.proto'), LOADER_OPTIONS),
    };
    methods = new Map();
    for (const [service, def] of Object.entries(definition)) {
      if (typeof def !== 'object' || 'format' in def) continue;
      for (const [m, d] of Object.entries(def)) {
        methods.set(`${service.split('.').at(-1)!}.${m}`, {
          path: d.path,
          serialize: d.requestSerialize as (v: unknown) => Buffer,
          deserialize: d.responseDeserialize,
          reserialize: d.responseSerialize as (v: unknown) => Buffer,
        });
      }
    }
  }
  const m = methods.get(name);
  if (m === undefined) throw new Error(`no gRPC method ${name} in etcd's proto`);
  return m;
}

/** Decodes a response; bytes that the decoded message does not account for are unknown fields. */
function decode(m: Method, bytes: Buffer): Reply {
  const value = m.deserialize(bytes) as Record<string, unknown>;
  const unknownBytes = bytes.length - m.reserialize(value).length;
  return unknownBytes === 0 ? { ok: value } : { ok: value, unknownBytes };
}

/** A response of method `name` ("KV.Range") from its bytes, as the client decodes one. */
export function decodeResponse(name: string, bytes: Buffer): Reply {
  return decode(method(name), bytes);
}

const identity = (b: Buffer): Buffer => b;

function failure(err: grpc.ServiceError): Reply {
  return { code: err.code, details: err.details };
}

export class RawClient {
  private readonly client: grpc.Client;

  constructor(address: string, options: grpc.ClientOptions = {}) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 1024 * 1024, ...options });
  }

  unary(name: string, request: object, deadlineMs = 10_000, metadata = new grpc.Metadata()): Promise<Reply> {
    const m = method(name);
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(m.path, m.serialize, identity, request, metadata, { deadline: Date.now() + deadlineMs }, (err, bytes) => {
        if (err !== null) resolve(failure(err));
        else resolve(decode(m, bytes!));
      });
    });
  }

  /** A unary call of any path (one the server may not have), an empty request: the reply's byte count, or the error. */
  unaryPath(path: string): Promise<Reply> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(path, identity, identity, Buffer.alloc(0), new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err, bytes) => {
        resolve(err !== null ? failure(err) : { ok: { bytes: bytes!.length } });
      });
    });
  }

  /** A server stream (Health.Watch): its responses collected in order. */
  serverStream(name: string, request: object): RawStream {
    const m = method(name);
    return new RawStream(this.client.makeServerStreamRequest(m.path, m.serialize, identity, request, new grpc.Metadata(), {}), m);
  }

  /** A bidirectional stream (Watch.Watch or Lease.LeaseKeepAlive) whose responses are collected in order. */
  stream(name: string, metadata = new grpc.Metadata()): RawStream {
    const m = method(name);
    const call = this.client.makeBidiStreamRequest(m.path, m.serialize, identity, metadata, {});
    return new RawStream(call, m);
  }

  close(): void {
    this.client.close();
  }
}

export class RawStream {
  readonly replies: Reply[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private ended = false;

  constructor(
    private readonly call: grpc.ClientDuplexStream<unknown, Buffer> | grpc.ClientReadableStream<Buffer>,
    m: Method,
  ) {
    call.on('data', (bytes: Buffer) => {
      this.replies.push(decode(m, bytes));
      this.wake();
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) this.replies.push(failure(err));
      this.ended = true;
      this.wake();
    });
    call.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  send(request: object): void {
    if ('write' in this.call) this.call.write(request);
  }

  /** Resolves when `test` holds for the replies so far, the stream ended, or after `maxMs`. */
  until(test: (replies: readonly Reply[]) => boolean, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => this.ended || test(this.replies);
      if (check()) return resolve();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve();
      }, maxMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test: check, resolve: done });
    });
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  close(): void {
    this.call.cancel();
  }
}
