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
