// gRPC as raw HTTP/2 shows it (grpcurl -v, a proxy): the same calls to a real etcd 3.4 started by
// the test and to `detcd serve` get the same response header blocks (names, values, order),
// trailers, message counts and stream resets (sim/cli/serve/grpc-go-framing.ts): content-type
// echoed, no grpc-accept-encoding / grpc-encoding / date, grpc-message "" on OK and Go's
// percent-encoding otherwise, request content-types and timeouts grpc-go refuses, compressed
// requests refused, a stream's deadline in etcd's words, a call served once its one message is
// read and ended by RST_STREAM NO_ERROR while the client still sends.
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { expect, test } from 'vitest';
import { LOADER_OPTIONS, PROTO_DIR } from '../../../../sim/cli/serve/grpc-codec.ts';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { suiteServers } from '../../../differential/etcd-and-serve.ts';
import { grpcFrame, h2Exchange, type H2Exchange, type H2Request } from '../../../differential/h2-exchange.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';

const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), LOADER_OPTIONS);

/** A request of etcdserverpb method `name` ("KV.Range"): its path and gRPC-framed body. */
function call(name: string, request: object, headers: Record<string, string> = {}, openMs?: number): H2Request & { name: string } {
  const [service, method] = name.split('.') as [string, string];
  const m = (definition[`etcdserverpb.${service}`] as protoLoader.ServiceDefinition)[method]!;
  return { name: `${name} ${JSON.stringify(headers)}`, path: m.path, headers, body: grpcFrame(m.requestSerialize(request)), ...(openMs === undefined ? {} : { openMs }) };
}

const RANGE = { key: Buffer.from('a') };
const CASES: (H2Request & { name: string; racyCode?: boolean })[] = [
  call('KV.Range', RANGE),
  call('KV.Range', RANGE, { 'content-type': 'application/grpc+proto' }),
  call('KV.Range', RANGE, { 'content-type': 'application/grpc;charset=utf-8' }),
  call('KV.Range', RANGE, { 'content-type': 'application/grpc+' }),
  call('KV.Range', RANGE, { 'grpc-accept-encoding': 'gzip' }),
  // Trailers-only errors: spaces and colons as they are.
  call('KV.Put', { key: Buffer.alloc(0), value: Buffer.from('x') }),
  call('KV.Range', { key: Buffer.from('a'), revision: 99_999 }),
  // Not gRPC to grpc-go: the stream is reset.
  call('KV.Range', RANGE, { 'content-type': 'text/plain' }),
  call('KV.Range', RANGE, { 'content-type': 'application/grpcx' }),
  call('KV.Range', RANGE, { 'grpc-timeout': 'bogus' }),
  call('KV.Range', RANGE, { 'grpc-timeout': '999999999S' }),
  call('KV.Range', RANGE, { 'grpc-timeout': '+60S' }),
  // No decompressor installed: refused before a message is read, for streams too.
  call('KV.Range', RANGE, { 'grpc-encoding': 'gzip' }),
  call('KV.Range', RANGE, { 'grpc-encoding': 'snappy' }),
  call('KV.Range', RANGE, { 'grpc-encoding': 'identity' }),
  call('Watch.Watch', { create_request: { key: Buffer.from('a') } }, { 'grpc-encoding': 'gzip' }),
  // An unknown method is answered first; '%' in its name percent-encoded as Go does.
  { name: 'unknown method with gzip', path: '/etcdserverpb.KV/Nope', headers: { 'grpc-encoding': 'gzip' }, body: Buffer.alloc(0) },
  { name: 'unknown method with % in its name', path: '/etcdserverpb.KV/R%41nge', body: Buffer.alloc(0) },
  // A watch outlives the client's half-close (etcd's send loop runs until cancelled); a keep-alive stream ends.
  { ...call('Watch.Watch', { create_request: { key: Buffer.from('a') } }), cancelAfterMs: 1_000 },
  { ...call('Lease.LeaseKeepAlive', { ID: 1 }), cancelAfterMs: 1_000 },
  // A stream's deadline, in etcd's words; its code races (see racyCode). It ends at the deadline
  // with RST_STREAM NO_ERROR after the trailers while the client still sends (grpc-go's
  // finishStream), not when the client stops.
  { ...call('Watch.Watch', { create_request: { key: Buffer.from('a') } }, { 'grpc-timeout': '1S' }, 2_000), racyCode: true },
  { ...call('Lease.LeaseKeepAlive', { ID: 1 }, { 'grpc-timeout': '1S' }, 2_000), racyCode: true },
  // A call that takes one message is served once it is read, the client's side still open, and
  // ends with RST_STREAM NO_ERROR (serve waited for the client's end to answer at all).
  call('KV.Range', RANGE, {}, 1_500),
  call('KV.Put', { key: Buffer.alloc(0) }, {}, 1_500),
  call('Maintenance.Status', {}, {}, 1_500),
  call('Maintenance.Snapshot', {}, {}, 1_500),
];

/**
 * etcd's Watch at its deadline returns the context's error (UNKNOWN) or its receive loop's
 * (DEADLINE_EXCEEDED), whichever comes first: seen both ways on etcd 3.4.23, so either counts.
 */
function racyCode(e: H2Exchange): H2Exchange {
  const code = (pair: readonly [string, string]): readonly [string, string] => (pair[0] === 'grpc-status' && ['2', '4'].includes(pair[1]) ? [pair[0], '2 or 4'] : pair);
  return { ...e, trailers: e.trailers?.map(code) ?? null };
}

/** A raw request body: gRPC frames written out in hex (spaces for the reader). */
function raw(path: string, hex: string): H2Request & { name: string } {
  return { name: hex, path, body: Buffer.from(hex.replace(/ /g, ''), 'hex') };
}

const R = '/etcdserverpb.KV/Range';
/** Request messages etcd's gogo decoder refuses (sim/cli/serve/gogo-unmarshal.ts), each for its own check. */
const MALFORMED: (H2Request & { name: string })[] = [
  raw(R, '0000000001 08'), // a bytes field (key) sent as a varint
  raw(R, '0000000002 0f00'), // wire type 7 on a known field: wrong wire type before anything else
  raw(R, '0000000002 1001'), // range_end: RangeEnd in Go's name
  raw(R, '0000000001 0a'), // a length missing
  raw(R, '0000000002 0a05'), // a length past the end
  raw(R, '0000000001 0c'), // an end-group tag
  raw(R, '0000000001 00'), // field 0
  raw(R, '000000000c 0affffffffffffffffffff01'), // a varint past 64 bits
  raw(R, '000000000b 0affffffffffffffffff01'), // a length with bit 63 set
  raw(R, '0000000002 7e00'), // an unknown field of wire type 6
  raw(R, '0000000002 fb01'), // an unknown group never ended
  raw(R, '0000000003 f80101'), // an unknown varint field: skipped, then etcd's own check
  raw(R, '000000000a fbffffffffffffffff01'), // a tag whose field number wraps to -1 in int32
  raw(R, '0000000006 808080801000'), // one that wraps to a field etcd does not know: skipped
  raw('/etcdserverpb.KV/Put', '0000000002 2a01'), // ignore_value as bytes: IgnoreValue
  raw('/etcdserverpb.KV/Txn', '0000000006 1204 1202 0801'), // nested: success[0].request_put.key
  raw('/v3lockpb.Lock/Lock', '0000000002 0800'),
  // Streams word it otherwise: "failed to unmarshal the received message".
  raw('/etcdserverpb.Watch/Watch', '0000000007 0a05 2d00000000'), // filters, wire type 5 (packed or varint only)
  raw('/etcdserverpb.Lease/LeaseKeepAlive', '0000000001 08'),
  raw('/etcdserverpb.Maintenance/Snapshot', '0000000001 08'),
];

const S = '/etcdserverpb.Maintenance/Snapshot';
/** A Watch create request for key "a", framed. */
const WATCH_A = '0000000005 0a030a0161';
const FIRST_RESPONSE_MS = 300;

/** `first` (hex), then `then` once the stream has answered it; the client's side open until `openMs`, or ending with `then`. */
function afterFirst(path: string, first: string, then: string, openMs?: number): H2Request & { name: string } {
  const later = { afterMs: FIRST_RESPONSE_MS, body: Buffer.from(then.replace(/ /g, ''), 'hex') };
  // A stream the server leaves open is cancelled (a difference, not a test that times out).
  return { ...raw(path, first), name: `${first} then ${then}`, later, cancelAfterMs: 2_000, ...(openMs === undefined ? {} : { openMs }) };
}
/** Bodies that are not exactly one gRPC message, for calls that take one, or not gRPC messages at all (sim/cli/serve/grpc-go-request.ts). */
const NOT_ONE_MESSAGE: (H2Request & { name: string })[] = [
  raw(R, ''), // EOF
  raw(R, '000000'), // a cut prefix
  raw(R, '0000000009 01'), // a cut message: unary UNKNOWN
  raw(S, '0000000009 01'), // a stream's: INTERNAL
  raw(S, ''),
  raw(R, '0000000000 0000000000'), // a second message, never read
  raw(R, '0100000000'), // compressed without an encoding
  raw(R, '0200000000'), // no format
  raw(S, 'ff00000000'),
  // Bidirectional streams, before their first response: INTERNAL, a cut body too.
  raw('/etcdserverpb.Watch/Watch', '000000'),
  raw('/etcdserverpb.Watch/Watch', '0000000000 0200000000'),
  raw('/etcdserverpb.Lease/LeaseKeepAlive', '0000000009 01'),
  // After the stream's first response: the same errors end it, in trailers (serve passed the
  // bytes to grpc-js, which left a watch open and ended a keep-alive OK).
  afterFirst('/etcdserverpb.Watch/Watch', WATCH_A, '0200000000', 1_000),
  afterFirst('/etcdserverpb.Watch/Watch', WATCH_A, '0100000000', 1_000),
  afterFirst('/etcdserverpb.Watch/Watch', WATCH_A, '0000000009 01'),
  afterFirst('/etcdserverpb.Watch/Watch', WATCH_A, '000000'),
  afterFirst('/etcdserverpb.Lease/LeaseKeepAlive', '0000000002 0801', 'ff00000000', 1_000),
  afterFirst('/etcdserverpb.Lease/LeaseKeepAlive', '0000000002 0801', '0000000009 01'),
  // Refused while the client still sends and a deadline runs: RST_STREAM NO_ERROR after the status
  // (grpc-js's deadline timer answering the same call again once ended serve's process).
  { ...raw(R, '0200000000'), headers: { 'grpc-timeout': '1S' }, openMs: 1_500 },
];

async function differences(cases: readonly (H2Request & { name: string; racyCode?: boolean })[], endpoints: readonly [string, string]): Promise<{ differences: string; oracles: string }> {
  const found: string[] = [];
  const oracles: string[] = [];
  for (const c of cases) {
    const [e, d] = (await Promise.all(endpoints.map((endpoint) => h2Exchange(endpoint, c)))).map((x) => (c.racyCode === true ? racyCode(x) : x));
    const [oracle, subject] = [JSON.stringify(e), JSON.stringify(d)];
    oracles.push(oracle);
    if (oracle !== subject) found.push(`${c.name} ${c.path}\n  etcd:  ${oracle}\n  detcd: ${subject}`);
  }
  return { differences: found.join('\n'), oracles: oracles.join('\n') };
}

/** Unary calls whose deadline has passed when they arrive: etcd 3.4.23 answers each, racily, one of two ways. */
const EXPIRED: (H2Request & { name: string })[] = [
  call('KV.Range', { key: Buffer.from('a'), serializable: true }, { 'grpc-timeout': '0S' }),
  call('Maintenance.Status', {}, { 'grpc-timeout': '0S' }),
  call('Cluster.MemberList', {}, { 'grpc-timeout': '0S' }),
];

/**
 * What grpc-go can send for a unary call: the answer then OK, or an error alone (trailers-only);
 * never the answer and then an error (serve did, at an expired deadline: grpc-js sends a unary
 * answer's OK in its write callback, and its deadline timer came first).
 */
function unaryOutcome(e: H2Exchange): string {
  const status = [...(e.trailers ?? []), ...(e.headers ?? [])].find(([name]) => name === 'grpc-status')?.[1];
  if (e.messages === 1 && status === '0') return 'answered';
  if (e.messages === 0 && e.trailers === null && status === '4') return 'deadline exceeded';
  return `neither: ${JSON.stringify(e)}`;
}

describeWithRealEtcd('raw HTTP/2: gRPC header blocks, trailers and resets from detcd serve as from etcd 3.4', ['etcd'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 7 });

  const endpoints = (): [string, string] => [servers.etcd.endpoint, servers.serve.endpoint];

  test(`${CASES.length} calls, header for header`, async () => {
    const { differences: found, oracles } = await differences(CASES, endpoints());
    expect(found).toBe('');
    // The cases mean something only if etcd answered as they say.
    for (const shown of ['"rstCode":8', '"grpc-message",""', 'application/grpc+charset=utf-8', 'Decompressor is not installed for grpc-encoding \\"snappy\\"', 'R%2541nge', '"rstCode":1', 'context deadline exceeded', '"aborted":true']) expect(oracles).toContain(shown);
  }, 30_000);

  test(`${MALFORMED.length} request messages etcd cannot decode: gogo's words, unary and streaming`, async () => {
    const { differences: found, oracles } = await differences(MALFORMED, endpoints());
    expect(found).toBe('');
    for (const shown of ['error unmarshalling request: proto: wrong wireType = 0 for field Key', 'illegal tag -1 (wire type 18446744073709551611)', 'proto: integer overflow', 'negative length', 'illegal wireType 6', 'failed to unmarshal the received message proto: wrong wireType = 5 for field Filters']) expect(oracles).toContain(shown);
  }, 30_000);

  test(`${EXPIRED.length} unary calls at an expired deadline: answered, or deadline exceeded alone, as by etcd`, async () => {
    for (const c of EXPIRED) {
      const [e, d] = await Promise.all(endpoints().map((endpoint) => h2Exchange(endpoint, c)));
      expect(unaryOutcome(e!), `etcd: ${c.name}`).not.toMatch(/^neither/);
      expect(unaryOutcome(d!), `detcd: ${c.name}`).not.toMatch(/^neither/);
    }
  }, 30_000);

  test(`${NOT_ONE_MESSAGE.length} request bodies that are not one gRPC message (or not messages, on streams)`, async () => {
    const { differences: found, oracles } = await differences(NOT_ONE_MESSAGE, endpoints());
    expect(found).toBe('');
    for (const shown of ['"grpc-message","EOF"', '"grpc-status","2"],["grpc-message","unexpected EOF"', '"grpc-status","13"],["grpc-message","unexpected EOF"', 'compressed flag set', 'payload format 255', 'key is not provided', 'payload format 2"]],"messages":1']) expect(oracles).toContain(shown);
  }, 30_000);
});
