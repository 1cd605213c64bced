// Property: whatever sequence of sends, cuts, partitions, clogs and heals happens, nothing is
// ever delivered over a link that is cut at that moment or clogged at that moment, and once
// everything is healed and drained every message is accounted for exactly once (delivered or
// dropped), duplicates included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Network } from '../../../sim/world/network.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { Trace } from '../../../sim/world/trace.ts';
import { fcParams } from '../../property-seed.ts';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const node = fc.integer({ min: 0, max: 4 }).map((i) => NODES[i]!);

type Action =
  | { a: 'send'; from: string; to: string }
  | { a: 'cut'; from: string; to: string }
  | { a: 'uncut'; from: string; to: string }
  | { a: 'isolate'; node: string }
  | { a: 'shape'; shape: 'halves' | 'majorityRing' | 'bridge' }
  | { a: 'clog'; from: string; to: string; us: number | undefined }
  | { a: 'unclog'; from: string; to: string }
  | { a: 'heal' }
  | { a: 'wait'; us: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ a: fc.constant('send' as const), from: node, to: node }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('cut' as const), from: node, to: node }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('uncut' as const), from: node, to: node }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('isolate' as const), node }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('shape' as const), shape: fc.constantFrom('halves' as const, 'majorityRing' as const, 'bridge' as const) }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('clog' as const), from: node, to: node, us: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('unclog' as const), from: node, to: node }) },
  { weight: 1, arbitrary: fc.constant({ a: 'heal' as const }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant('wait' as const), us: fc.integer({ min: 0, max: 2_000 }) }) },
);

function check(actions: Action[], seed: number): void {
  const loop = new EventLoop();
  const net = new Network(loop, new Trace(() => loop.now(), 0), new Prng(seed), NODES, {
    latency: { kind: 'exponential', floorUs: 100, meanUs: 400 },
    drop: { num: 1, den: 10 },
    duplicate: { num: 1, den: 10 },
    reorder: { num: 1, den: 10 },
  });
  net.setDeliver((from, to) => {
    expect(net.isCut(from, to)).toBe(false);
    expect(net.isClogged(from, to)).toBe(false);
  });
  for (const x of actions) {
    switch (x.a) {
      case 'send': if (x.from !== x.to) net.send(x.from, x.to, 'm'); break;
      case 'cut': if (x.from !== x.to) net.cut(x.from, x.to); break;
      case 'uncut': if (x.from !== x.to) net.uncut(x.from, x.to); break;
      case 'isolate': net.isolate(x.node); break;
      case 'shape': net[x.shape](); break;
      case 'clog': if (x.from !== x.to) net.clog(x.from, x.to, x.us); break;
      case 'unclog': if (x.from !== x.to) net.unclog(x.from, x.to); break;
      case 'heal': net.heal(); break;
      case 'wait': loop.run({ untilUs: loop.now() + x.us }); break;
    }
  }
  net.heal();
  loop.run();
  const s = net.stats();
  expect(s.delivered + s.dropped).toBe(s.sent + s.duplicated);
}

describe('Network under random faults', () => {
  it('never delivers over a cut or clogged link, and accounts for every message', () => {
    fc.assert(fc.property(fc.array(action, { maxLength: 120 }), fc.integer({ min: 0, max: 1_000 }), (actions, s) => check(actions, s)), fcParams(300));
  });
});
