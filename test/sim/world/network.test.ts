import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Network } from '../../../sim/world/network.ts';
import type { NetworkOptions } from '../../../sim/world/network.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { Trace } from '../../../sim/world/trace.ts';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

function makeNetwork(options: NetworkOptions = {}, seed = 1) {
  const loop = new EventLoop();
  const trace = new Trace(() => loop.now(), 0);
  const net = new Network(loop, trace, new Prng(seed), NODES, { latency: { kind: 'constant', us: 100 }, ...options });
  net.addEndpoint('c1');
  const got: { from: string; to: string; message: unknown; atUs: number }[] = [];
  const down = new Set<string>();
  net.setDeliver((from, to, message) => got.push({ from, to, message, atUs: loop.now() }), (to) => !down.has(to));
  return { loop, net, got, down, trace };
}

/** Which directed pairs can deliver right now (sends one probe each way and runs). */
function reachability(net: Network, loop: EventLoop, got: { from: string; to: string }[]): Set<string> {
  got.length = 0;
  for (const a of NODES) for (const b of NODES) if (a !== b) net.send(a, b, 'probe');
  loop.run();
  return new Set(got.map((g) => `${g.from}>${g.to}`));
}

describe('Network', () => {
  it('delivers after the link latency, in FIFO order on a link', () => {
    const { loop, net, got } = makeNetwork({ latency: { kind: 'uniform', minUs: 10, maxUs: 1_000 } });
    for (let i = 0; i < 100; i++) net.send('n1', 'n2', i);
    loop.run();
    expect(got.map((g) => g.message)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const g of got) expect(g.atUs).toBeGreaterThanOrEqual(10);
    expect(net.stats()).toMatchObject({ sent: 100, delivered: 100, dropped: 0 });
  });

  it('draws latencies from the link distribution: constant, uniform, exponential above a floor and under its cap', () => {
    const lat = (options: NetworkOptions): number[] => {
      const { loop, net, got } = makeNetwork(options);
      for (let i = 0; i < 300; i++) loop.schedule(i * 100_000, () => net.send('n1', 'n2', i));
      loop.run();
      return got.map((g, i) => g.atUs - i * 100_000);
    };
    expect(new Set(lat({ latency: { kind: 'constant', us: 77 } }))).toEqual(new Set([77]));
    const uniform = lat({ latency: { kind: 'uniform', minUs: 50, maxUs: 60 } });
    expect(Math.min(...uniform)).toBe(50);
    expect(Math.max(...uniform)).toBe(60);
    const exp = lat({ latency: { kind: 'exponential', floorUs: 1_000, meanUs: 500, capUs: 3_000 } });
    expect(Math.min(...exp)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...exp)).toBeLessThanOrEqual(3_000);
    const mean = exp.reduce((a, b) => a + b, 0) / exp.length;
    expect(mean).toBeGreaterThan(1_300);
    expect(mean).toBeLessThan(1_700);
  });

  it('drops, duplicates and reorders at the configured rates, and never when they are zero', () => {
    const { loop, net, got } = makeNetwork({ drop: { num: 1, den: 10 }, duplicate: { num: 1, den: 10 }, reorder: { num: 1, den: 5 }, reorderDelayUsMax: 10_000 });
    for (let i = 0; i < 2_000; i++) loop.schedule(i, () => net.send('n1', 'n2', i));
    loop.run();
    const s = net.stats();
    expect(s.droppedRandom).toBeGreaterThan(140);
    expect(s.droppedRandom).toBeLessThan(260);
    expect(s.duplicated).toBeGreaterThan(120);
    expect(s.delivered).toBe(2_000 - s.droppedRandom + s.duplicated);
    const order = got.map((g) => g.message as number);
    expect(order.some((m, i) => i > 0 && m < (order[i - 1] as number))).toBe(true);
    const calm = makeNetwork();
    for (let i = 0; i < 2_000; i++) calm.net.send('n1', 'n2', i);
    calm.loop.run();
    expect(calm.net.stats()).toMatchObject({ delivered: 2_000, dropped: 0, duplicated: 0, reordered: 0 });
  });

  it('delivers the copy of a duplicate late with duplicateDelayUsMax (after messages sent behind it), and with its original without', () => {
    // Holdout 10: every copy travelled with its original, so a repeat never reached anyone after newer traffic.
    const overtaken = (options: NetworkOptions): number => {
      const { loop, net, got } = makeNetwork({ duplicate: { num: 1, den: 1 }, ...options });
      for (let i = 0; i < 20; i++) loop.schedule(i * 1_000, () => net.send('n1', 'n2', i));
      loop.run();
      const order = got.map((g) => g.message as number);
      expect(order.length).toBe(40);
      // Copies of message i that arrive after the first delivery of a later message.
      return order.filter((m, at) => order.indexOf(m) !== at && order.slice(0, at).some((x) => x > m)).length;
    };
    expect(overtaken({})).toBe(0);
    expect(overtaken({ duplicateDelayUsMax: 50_000 })).toBeGreaterThan(10);
  });

  it('never duplicates a message named at-most-once, and draws for its copy as if sent: every other arrival stays where it was', () => {
    // A request on a TCP connection (etcd's forwarded lease requests) arrives once; swarm 343's
    // late copy of a forwarded keep-alive renewed a lease after its client saw the answer.
    const arrivals = (atMostOnce: boolean) => {
      const { loop, net, got } = makeNetwork({ latency: { kind: 'uniform', minUs: 100, maxUs: 900 }, duplicate: { num: 1, den: 2 }, reorder: { num: 1, den: 5 }, duplicateDelayUsMax: 30_000 });
      if (atMostOnce) net.setAtMostOnce((m) => typeof m === 'string' && m.startsWith('request'));
      for (let i = 0; i < 400; i++) loop.schedule(i * 50, () => net.send('n1', 'n2', i % 2 === 0 ? `request ${i}` : `raft ${i}`));
      loop.run();
      return { got: got.map((g) => `${g.message as string}@${g.atUs}`), stats: net.stats() };
    };
    const copied = arrivals(false);
    const once = arrivals(true);
    const requests = (list: string[]) => list.filter((a) => a.startsWith('request'));
    const count = (list: string[]) => new Map(list.map((a) => [a.split('@')[0], list.filter((b) => b.split('@')[0] === a.split('@')[0]).length]));
    expect([...count(requests(copied.got)).values()].some((n) => n === 2)).toBe(true);
    expect([...count(requests(once.got)).values()].every((n) => n === 1)).toBe(true);
    expect(requests(once.got).length).toBe(200);
    // The raft messages' arrivals, copies included, are the same in both runs: the same draws.
    expect(once.got.filter((a) => a.startsWith('raft'))).toEqual(copied.got.filter((a) => a.startsWith('raft')));
    // Each request arrives when it (or its copy, which may come first) arrived with copies.
    const copiedArrivals = new Set(copied.got);
    expect(requests(once.got).filter((a) => !copiedArrivals.has(a))).toEqual([]);
    expect(once.stats.duplicated).toBe(copied.stats.duplicated - (requests(copied.got).length - 200));
    expect(once.stats.delivered).toBe(400 + once.stats.duplicated);
  });

  it('delivers nothing across a partition, in either direction, including messages in flight when it was cut', () => {
    const { loop, net, got } = makeNetwork();
    net.send('n1', 'n4', 'in-flight'); // arrives at 100
    loop.schedule(50, () => net.partition([['n1', 'n2'], ['n3', 'n4', 'n5']]));
    loop.run();
    expect(got).toEqual([]);
    const reach = reachability(net, loop, got);
    for (const a of ['n1', 'n2']) {
      for (const b of ['n3', 'n4', 'n5']) {
        expect(reach.has(`${a}>${b}`)).toBe(false);
        expect(reach.has(`${b}>${a}`)).toBe(false);
      }
    }
    expect(reach.has('n1>n2')).toBe(true);
    expect(reach.has('n3>n5')).toBe(true);
    expect(net.stats().droppedCut).toBe(1 + 12);
  });

  it('blocks only one direction with a one-way cut', () => {
    const { loop, net, got } = makeNetwork();
    net.cut('n1', 'n2');
    const reach = reachability(net, loop, got);
    expect(reach.has('n1>n2')).toBe(false);
    expect(reach.has('n2>n1')).toBe(true);
    expect(reach.size).toBe(19);
    expect(net.isCut('n1', 'n2')).toBe(true);
    expect(net.isCut('n2', 'n1')).toBe(false);
    net.uncut('n1', 'n2');
    expect(reachability(net, loop, got).size).toBe(20);
  });

  it('builds the named shapes: isolate, halves, majority ring, bridge', () => {
    const { loop, net, got } = makeNetwork();
    net.isolate('n3');
    let reach = reachability(net, loop, got);
    expect([...reach].filter((p) => p.includes('n3'))).toEqual([]);
    expect(reach.size).toBe(12);
    net.heal();
    net.majorityRing();
    reach = reachability(net, loop, got);
    for (const node of NODES) {
      const sees = NODES.filter((o) => o !== node && reach.has(`${node}>${o}`));
      expect(sees.length).toBe(2); // itself plus two neighbours: a majority of five
    }
    net.heal();
    net.bridge();
    reach = reachability(net, loop, got);
    expect(NODES.filter((o) => o !== 'n3').every((o) => reach.has(`n3>${o}`) && reach.has(`${o}>n3`))).toBe(true);
    expect(reach.has('n1>n4')).toBe(false);
    expect(reach.has('n5>n2')).toBe(false);
    net.heal();
    net.halves();
    reach = reachability(net, loop, got);
    expect(reach.has('n1>n2')).toBe(true);
    expect(reach.has('n2>n3')).toBe(false);
    expect(reach.has('n3>n5')).toBe(true);
    net.heal();
    expect(reachability(net, loop, got).size).toBe(20);
  });

  it('leaves clients connected through node partitions unless they are cut explicitly', () => {
    const { loop, net, got } = makeNetwork();
    net.isolate('n1');
    net.send('c1', 'n1', 'req');
    loop.run();
    expect(got.map((g) => g.message)).toEqual(['req']);
    net.cut('c1', 'n1');
    net.send('c1', 'n1', 'req2');
    net.send('n1', 'c1', 'resp');
    loop.run();
    expect(got.map((g) => g.message)).toEqual(['req', 'resp']);
  });

  it('holds messages on a clogged link and releases them in order when unclogged', () => {
    const { loop, net, got } = makeNetwork();
    net.clog('n1', 'n2');
    for (let i = 0; i < 5; i++) net.send('n1', 'n2', i);
    net.send('n2', 'n1', 'other-way');
    loop.run();
    expect(got.map((g) => g.message)).toEqual(['other-way']);
    expect(net.isClogged('n1', 'n2')).toBe(true);
    loop.at(10_000, () => net.unclog('n1', 'n2'));
    loop.run();
    expect(got.slice(1).map((g) => g.message)).toEqual([0, 1, 2, 3, 4]);
    expect(got[1]?.atUs).toBe(10_000);
    expect(net.stats().clogHeld).toBe(5);
  });

  it('a message arriving in the instant a clog ends waits behind the ones the clog held (a TCP stream keeps its order)', () => {
    // Swarm 3230: a watch event held by a clog, then a progress notification sent later that
    // arrived at the very time the clog ended, and overtook the event.
    const { loop, net, got } = makeNetwork();
    net.clog('n1', 'n2', 1_000);
    net.send('n1', 'n2', 'held-1');
    net.send('n1', 'n2', 'held-2');
    loop.at(900, () => net.send('n1', 'n2', 'sent-later')); // arrives at 1,000, as the clog ends
    loop.at(1_000, () => net.send('n1', 'n2', 'after')); // arrives at 1,100
    loop.run();
    expect(got.map((g) => [g.message, g.atUs])).toEqual([['held-1', 1_000], ['held-2', 1_000], ['sent-later', 1_000], ['after', 1_100]]);
  });

  it('what waits behind released messages is held again, in order, if the link clogs meanwhile', () => {
    const { loop, net, got } = makeNetwork();
    net.clog('n1', 'n2', 1_000);
    net.send('n1', 'n2', 'held');
    loop.at(900, () => net.send('n1', 'n2', 'sent-later'));
    // A second clog begins in the same instant, after the release was scheduled.
    loop.at(1_000, () => net.clog('n1', 'n2', 500));
    loop.run();
    expect(got.map((g) => [g.message, g.atUs])).toEqual([['held', 1_500], ['sent-later', 1_500]]);
  });

  it('releases a timed clog at its end, and a cut made meanwhile still drops what was held', () => {
    const { loop, net, got } = makeNetwork();
    net.clog('n1', 'n2', 5_000);
    net.clogNode('n3', 5_000);
    net.send('n1', 'n2', 'a');
    net.send('n4', 'n3', 'b');
    net.send('n3', 'n5', 'c');
    loop.schedule(1_000, () => net.cut('n3', 'n5'));
    loop.run();
    expect(got.map((g) => [g.message, g.atUs])).toEqual([['a', 5_000], ['b', 5_000]]);
    expect(net.stats().droppedCut).toBe(1);
  });

  it('linksVersion moves with every change of a cut or clog (a timed clog ending too) and never while only messages flow', () => {
    const { loop, net } = makeNetwork();
    const links = (): string => NODES.flatMap((a) => NODES.map((b) => `${net.isCut(a, b) ? 'x' : '-'}${net.isClogged(a, b) ? 'c' : '-'}`)).join('');
    const prng = new Prng(7);
    const changes: (() => void)[] = [
      () => net.cut('n1', 'n2'), () => net.uncut('n1', 'n2'), () => net.isolate('n3'), () => net.halves(), () => net.heal(),
      () => net.clog('n2', 'n4'), () => net.unclog('n2', 'n4'), () => net.clog('n5', 'n1', 300), () => net.clogNode('n4', 200), () => net.unclogNode('n4'),
    ];
    let version = net.linksVersion;
    let shape = links();
    let moved = 0;
    for (let i = 0; i < 300; i++) {
      if (prng.chance(1, 3)) (changes[prng.int(changes.length)] as () => void)();
      else net.send(NODES[prng.int(5)] as string, NODES[prng.int(5)] as string, i);
      loop.run({ untilUs: loop.now() + 100 });
      const v = net.linksVersion;
      const now = links();
      // Same version, same answers; different answers, a different version.
      if (v === version) expect(now).toBe(shape);
      if (now !== shape) expect(v).not.toBe(version);
      if (v !== version) moved++;
      version = v;
      shape = now;
    }
    expect(moved).toBeGreaterThan(50);
    const before = net.linksVersion;
    net.send('n1', 'n2', 'only-a-message');
    loop.run();
    expect(net.linksVersion).toBe(before);
  });

  it('unclogNode releases every link clogNode clogged, to every endpoint the network knows', () => {
    const { loop, net, got } = makeNetwork();
    net.clogNode('n3');
    net.send('n3', 'c1', 'to-client');
    net.send('n5', 'n3', 'to-n3');
    loop.run();
    expect(got).toEqual([]);
    net.unclogNode('n3');
    loop.run();
    expect(got.map((g) => g.message).sort()).toEqual(['to-client', 'to-n3']);
    for (const other of [...NODES.filter((n) => n !== 'n3'), 'c1']) {
      expect(net.isClogged('n3', other)).toBe(false);
      expect(net.isClogged(other, 'n3')).toBe(false);
    }
  });

  it('drops messages to an endpoint that is down and counts them', () => {
    const { loop, net, got, down } = makeNetwork();
    down.add('n2');
    net.send('n1', 'n2', 'x');
    loop.run();
    expect(got).toEqual([]);
    expect(net.stats()).toMatchObject({ droppedDown: 1, dropped: 1, delivered: 0 });
  });

  it('drops sends past a link\'s capacity, counts them as a fault, and carries the rest in order', () => {
    const { loop, net, got } = makeNetwork({ linkCapacityMax: 3, latency: { kind: 'constant', us: 1_000 } });
    for (const m of ['a', 'b', 'c', 'd', 'e']) net.send('n1', 'n2', m);
    net.send('n2', 'n1', 'back');
    loop.run();
    expect(got.filter((g) => g.to === 'n2').map((g) => g.message)).toEqual(['a', 'b', 'c']);
    expect(got.filter((g) => g.to === 'n1').map((g) => g.message)).toEqual(['back']);
    expect(net.stats()).toMatchObject({ droppedCapacity: 2, dropped: 2, delivered: 4 });
    net.send('n1', 'n2', 'f');
    loop.run();
    expect(got.at(-1)?.message).toBe('f');
  });

  it('applies per-link options to one direction only', () => {
    const { loop, net, got } = makeNetwork();
    net.setLink('n1', 'n2', { drop: { num: 1, den: 1 } });
    net.send('n1', 'n2', 'lost');
    net.send('n2', 'n1', 'kept');
    loop.run();
    expect(got.map((g) => g.message)).toEqual(['kept']);
  });

  it('rejects unknown endpoints and bad options', () => {
    const { net } = makeNetwork();
    expect(() => net.send('n1', 'nope', 1)).toThrow(/unknown endpoint/);
    expect(() => makeNetwork({ drop: { num: 2, den: 1 } })).toThrow(/^Network: options.drop: must be a probability {num, den}: whole numbers with 0 <= num <= den and den >= 1, got {"num":2,"den":1}$/);
    expect(() => makeNetwork({ latency: { kind: 'uniform', minUs: 5, maxUs: 1 } })).toThrow(/latency/);
    expect(() => net.partition([['n1'], ['n1', 'n2']])).toThrow(/more than one group/);
  });
});
