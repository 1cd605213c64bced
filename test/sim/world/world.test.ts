import { describe, expect, it } from 'vitest';
import type { Host, HostContext } from '../../../sim/world/index.ts';
import { World } from '../../../sim/world/index.ts';

/** Echoes every message back to its sender and counts what it handled. */
function echoHost(log: string[]) {
  return (ctx: HostContext): Host => ({
    receive(from, message) {
      log.push(`${ctx.id}<-${from}:${String(message)}`);
      if (typeof message === 'string' && !message.startsWith('re:')) ctx.send(from, `re:${message}`);
    },
  });
}

describe('World', () => {
  it('carries messages between a client and a node host and back', () => {
    const world = new World({ seed: 1, nodes: ['n1', 'n2'], clients: ['c1'] });
    const log: string[] = [];
    world.startNode('n1', echoHost(log));
    world.startNode('n2', echoHost(log));
    const got: string[] = [];
    const client = world.attachClient('c1', (from, m) => got.push(`${from}:${String(m)}`));
    client.send('n1', 'hello');
    expect(world.run()).toBe('idle');
    expect(log).toEqual(['n1<-c1:hello']);
    expect(got).toEqual(['n1:re:hello']);
    expect(world.stats().network.delivered).toBe(2);
  });
});
