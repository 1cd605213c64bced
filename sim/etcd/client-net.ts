// How a simulated client reaches the world: the world's clock and timers, and its own network
// endpoint. `worldClientNet` builds one from a World.
import type { World } from '../world/world.ts';

export interface ClientNet {
  readonly id: string;
  nowUs(): number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(timer: number): void;
  send(to: string, message: unknown, sizeBytes?: number): void;
}

/** Attaches `id` to the world's network; incoming messages go to `onMessage`. */
export function worldClientNet(world: World, id: string, onMessage: (from: string, message: unknown) => void): ClientNet {
  const endpoint = world.attachClient(id, onMessage);
  return {
    id,
    nowUs: () => world.loop.now(),
    schedule: (delayUs, fn) => world.loop.schedule(delayUs, fn),
    cancel: (timer) => void world.loop.cancel(timer),
    send: (to, message, sizeBytes) => endpoint.send(to, message, sizeBytes),
  };
}

/**
 * What a client's own transport reports about one request it could not carry: never a member's
 * message. `sent` false: the connection was refused (or the host unreachable) before a byte of
 * the request left, so the request certainly did not reach any member, and clientv3 sends it to
 * the next endpoint at once (its balancer only picks connected endpoints); `sent` true: the
 * connection broke after the request was written, so its outcome is unknown (gRPC's Unavailable).
 * Only real sockets report these (sim/cli/target-etcd/gateway-net.ts); the simulated network
 * drops what it sends a crashed member, and its clients wait out their timeout.
 */
export interface TransportFailure {
  readonly kind: 'transport-failure';
  /** The id of the request message (ClientRequestMessage.id). */
  readonly id: number;
  readonly sent: boolean;
  readonly reason: string;
}

export function isTransportFailure(m: unknown): m is TransportFailure {
  return m !== null && typeof m === 'object' && (m as { kind?: unknown }).kind === 'transport-failure';
}
