// A busy world with every fault kind switched on: nodes that gossip random messages, keep a log
// on disk (appends, fsyncs, atomic state files) and recover it after crashes; a client sending
// requests; a nemesis that partitions (also one way), clogs, crashes, restarts, pauses and
// jumps clocks. It exists to prove the world deterministic (same seed, same trace hash, in any
// thread) and to measure its speed; it is also a compact example of the Host contract.
import type { Host, HostContext } from './host.ts';
import type { Prng } from './prng.ts';
import { World } from './world.ts';
import type { WorldStats } from './world.ts';

export interface BusyWorldOptions {
  seed: number | string;
  nodeCount?: number;
  /** Simulated run length. */
  durationUs?: number;
  /** Mean gap between nemesis actions. */
  faultEveryUs?: number;
  buggify?: boolean;
  traceLog?: boolean | number;
}

export interface BusyWorldResult {
  traceHash: string;
  stats: WorldStats;
  /** Records each node recovered from its disk over all its restarts (proof recovery ran). */
  recovered: number;
}

const GOSSIP_GAP_US_MAX = 4_000;
const FSYNC_EVERY_APPENDS = 4;
const LOG_RECORDS_MAX = 256;

/** A node that gossips counters and keeps a log on disk, recovering it on every start. */
function gossipHost(peers: readonly string[], recovered: { count: number }) {
  return (ctx: HostContext): Host => {
    const log = ctx.disk.read('log');
    let valid = log.length;
    while (valid > 0 && log[valid - 1]?.torn === true) valid--;
    if (valid < log.length) ctx.disk.truncate('log', valid);
    recovered.count += valid;
    let counter = valid + (ctx.disk.read('state').length > 0 ? 1 : 0);
    let unsynced = 0;

    const persist = (value: number): void => {
      ctx.disk.append('log', value, 16 + (value % 64));
      if (++unsynced >= FSYNC_EVERY_APPENDS) {
        unsynced = 0;
        ctx.disk.fsync(() => ctx.trace('synced', { counter }));
      }
    };
    const tick = (): void => {
      counter++;
      const to = ctx.prng.pick(peers);
      if (to !== ctx.id) ctx.send(to, { kind: 'gossip', counter }, 64);
      persist(counter);
      if (counter % 16 === 0) {
        ctx.disk.replace('state', [{ value: { counter, at: ctx.nowUs() }, sizeBytes: 32 }]);
        // Compaction, as after a Raft snapshot: the log restarts once the state is saved.
        if (ctx.disk.read('log').length >= LOG_RECORDS_MAX) ctx.disk.replace('log', []);
        ctx.disk.fsync(() => undefined);
      }
      ctx.setTimer(1 + ctx.prng.int(GOSSIP_GAP_US_MAX), tick);
    };
    ctx.setTimer(ctx.prng.int(GOSSIP_GAP_US_MAX), tick);

    return {
      receive(from, message) {
        const m = message as { kind: string; counter: number };
        persist(m.counter);
        if (m.kind === 'request' || (m.kind === 'gossip' && ctx.prng.chance(1, 3))) {
          const reply = { kind: 'reply', counter: m.counter + counter };
          if (ctx.buggify('busy.delay-reply')) ctx.setTimer(10_000, () => ctx.send(from, reply, 48));
          else ctx.send(from, reply, 48);
        }
      },
    };
  };
}

/** Schedules one nemesis action after another, each drawn from the nemesis stream. */
function startNemesis(world: World, prng: Prng, faultEveryUs: number): void {
  const nodes = world.nodeIds;
  const act = (): void => {
    const node = prng.pick(nodes);
    const up = nodes.filter((n) => world.isUp(n));
    switch (prng.int(12)) {
      case 0: world.network.partition([nodes.slice(0, 2), nodes.slice(2)]); break;
      case 1: world.network.cut(node, prng.pick(nodes.filter((n) => n !== node))); break;
      case 2: world.network.isolate(node); break;
      case 3: world.network[prng.pick(['halves', 'majorityRing', 'bridge'] as const)](); break;
      case 4: world.network.clog(node, prng.pick(nodes.filter((n) => n !== node)), prng.int(20_000)); break;
      case 5: world.network.clogNode(node, prng.int(10_000)); break;
      case 6: world.network.heal(); break;
      case 7:
        if (up.length > 2 && world.isUp(node)) world.crash(node);
        else if (!world.isUp(node)) world.restart(node);
        break;
      case 8:
        if (world.isUp(node) && !world.isPaused(node)) {
          world.pause(node);
          world.loop.schedule(prng.int(30_000), () => {
            if (world.isUp(node) && world.isPaused(node)) world.resume(node);
          });
        }
        break;
      case 9: world.clockJump(node, prng.intRange(-50_000, 50_000)); break;
      case 10: world.clockSetDrift(node, prng.intRange(-200, 200)); break;
      default:
        for (const n of nodes) if (!world.isUp(n)) world.restart(n);
        break;
    }
    world.loop.schedule(1 + prng.int(2 * faultEveryUs), act);
  };
  world.loop.schedule(prng.int(faultEveryUs), act);
}

/** A client that sends a request to a random node every few milliseconds. */
function startClient(world: World, prng: Prng): void {
  const client = world.attachClient('c1', () => undefined);
  let n = 0;
  const send = (): void => {
    client.send(prng.pick(world.nodeIds), { kind: 'request', counter: ++n }, 100);
    world.loop.schedule(500 + prng.int(3_000), send);
  };
  world.loop.schedule(0, send);
}

export function buildBusyWorld(options: BusyWorldOptions): { world: World; recovered: { count: number } } {
  const nodeCount = options.nodeCount ?? 5;
  const nodes = Array.from({ length: nodeCount }, (_, i) => `n${i + 1}`);
  const world = new World({
    seed: options.seed,
    nodes,
    clients: [],
    network: {
      latency: { kind: 'exponential', floorUs: 200, meanUs: 800 },
      drop: { num: 1, den: 50 },
      duplicate: { num: 1, den: 50 },
      reorder: { num: 1, den: 20 },
    },
    disk: { fsyncSpike: { num: 1, den: 100 }, tornWrite: { num: 1, den: 2 } },
    clock: { offsetUsMax: 100_000, driftPpmMax: 100 },
    buggify: options.buggify ?? true,
    traceLog: options.traceLog ?? false,
  });
  const recovered = { count: 0 };
  for (const id of nodes) world.startNode(id, gossipHost(nodes, recovered));
  startNemesis(world, world.prng.fork('nemesis'), options.faultEveryUs ?? 20_000);
  startClient(world, world.prng.fork('client'));
  return { world, recovered };
}

/** Builds and runs a busy world for `durationUs` of simulated time. */
export function runBusyWorld(options: BusyWorldOptions): BusyWorldResult {
  const { world, recovered } = buildBusyWorld(options);
  world.run({ untilUs: options.durationUs ?? 2_000_000 });
  return { traceHash: world.traceHash(), stats: world.stats(), recovered: recovered.count };
}
