// One raw gRPC step of a differential script, run the same way for every test that sends them
// (grpc-vs-etcd's script, and the etcdctl step loop's `grpc` steps): a unary call, the first
// replies of a server stream, or a bidirectional stream (Watch, LeaseKeepAlive) driven by
// actions — a request sent, a wait for so many replies (a bound, not a sleep), a unary call on
// the side. Every outcome is a value: replies and errors alike.
import * as grpc from '@grpc/grpc-js';
import type { RawClient, Reply } from '../sim/cli/serve/grpc-diff/raw-client.ts';

export type StreamAction =
  | { send: object }
  /** Wait until the stream holds this many replies (it ends as soon as they are there), at most `maxMs`. */
  | { replies: number; maxMs?: number }
  /** A unary call on the side (its reply is recorded apart from the stream's). */
  | { call: string; req: object };

export type GrpcStep =
  | { call: string; req: object }
  | { stream: 'Watch.Watch' | 'Lease.LeaseKeepAlive'; actions: StreamAction[]; hasLeader?: boolean }
  /** A server stream: its first `replies` replies. */
  | { serverStream: string; req: object; replies: number }
  /** A unary call of a raw method path, known to the server or not, with an empty request. */
  | { path: string };

/** What one step got: the unary reply, or the stream's replies and side calls in order. */
export type Outcome = Reply | { stream: Reply[]; sides?: Reply[] };

const SIDE_CALL_MS = 10_000;
/** A stream that never shows the replies it waits for is given up after this (the comparison then fails). */
const STREAM_WAIT_MS = 10_000;

export async function runGrpcStep(client: RawClient, step: GrpcStep): Promise<Outcome> {
  if ('call' in step) return client.unary(step.call, step.req);
  if ('path' in step) return client.unaryPath(step.path);
  if ('serverStream' in step) {
    const stream = client.serverStream(step.serverStream, step.req);
    await stream.until((r) => r.length >= step.replies, STREAM_WAIT_MS);
    stream.close();
    return { stream: stream.replies };
  }
  const metadata = new grpc.Metadata();
  if (step.hasLeader === true) metadata.set('hasleader', 'true');
  const stream = client.stream(step.stream, metadata);
  const sides: Reply[] = [];
  for (const action of step.actions) {
    if ('send' in action) stream.send(action.send);
    else if ('replies' in action) await stream.until((r) => r.length >= action.replies, action.maxMs ?? STREAM_WAIT_MS);
    else sides.push(await client.unary(action.call, action.req, SIDE_CALL_MS));
  }
  stream.close();
  // A side call's reply and the events it causes race each other: they are compared apart.
  return sides.length === 0 ? { stream: stream.replies } : { stream: stream.replies, sides };
}
