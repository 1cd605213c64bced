// The world's assertions fire on the state they guard: each one is shown a corrupted state (a
// private field broken through a cast, as a bug in the world would break it) and must throw the
// typed harness InvariantViolation with its name; the same steps on a sound world stay quiet.
import { describe, expect, it } from 'vitest';
import { Buggify } from '../../../sim/world/buggify.ts';
import { NodeClock } from '../../../sim/world/clock.ts';
import { SimDisk } from '../../../sim/world/disk.ts';
import type { DiskRecord } from '../../../sim/world/disk.ts';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Network } from '../../../sim/world/network.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { Trace } from '../../../sim/world/trace.ts';
import { World } from '../../../sim/world/world.ts';
import { violation } from '../../support/violation.ts';

const harness = (invariant: string) => ({ layer: 'harness', invariant });

// The private state each test corrupts, the way a bug would.
interface LinkInside { lastFifoDeliveredId: number; inFlight: number }
interface NetworkInside { links: Map<number, LinkInside>; heldCount: number; counters: { droppedCut: number }; schedule(flight: unknown): void }
interface DiskInside { pending: { record: DiskRecord }[]; fsyncs: { opsCovered: number }[] }
interface ClockInside { anchorLocalUs: number; drift: number }
interface LoopInside { heap: { seq: number }[]; slots: { fn: (() => void) | undefined }[] }
interface WorldInside { processes: Map<string, { timers: Map<number, unknown>; status: string; deliverMessage(from: string, m: unknown): void }> }
interface BuggifyInside { sites: Map<string, { reached: number }> }

const net$ = (o: Network): NetworkInside => o as unknown as NetworkInside;
const disk$ = (o: SimDisk): DiskInside => o as unknown as DiskInside;
const clock$ = (o: NodeClock): ClockInside => o as unknown as ClockInside;
const loop$ = (o: EventLoop): LoopInside => o as unknown as LoopInside;
const world$ = (o: World): WorldInside => o as unknown as WorldInside;

function network(options = {}) {
  const loop = new EventLoop();
  const net = new Network(loop, new Trace(() => loop.now(), 0), new Prng(1), ['n1', 'n2'], { latency: { kind: 'constant', us: 100 }, ...options });
  const got: unknown[] = [];
  net.setDeliver((_f, _t, m) => got.push(m));
  return { loop, net, got };
}

function disk() {
  const loop = new EventLoop();
  const trace = new Trace(() => loop.now(), 0);
  const d = new SimDisk({ nowUs: () => loop.now(), schedule: (us, fn) => loop.schedule(us, fn), cancel: (id) => void loop.cancel(id), deliver: (fn) => fn(), trace, nodeTraceId: trace.intern('n1') }, new Prng(1), { fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 10 });
  return { loop, d };
}

describe('network', () => {
  it('link-fifo-delivery: messages not reordered are delivered in the order sent', () => {
    const sound = network();
    sound.net.send('n1', 'n2', 'a');
    sound.net.send('n1', 'n2', 'b');
    expect(violation(() => sound.loop.run())).toBeUndefined();
    const { loop, net } = network();
    net.send('n1', 'n2', 'a');
    for (const link of net$(net).links.values()) link.lastFifoDeliveredId = 99;
    expect(violation(() => loop.run())).toEqual(harness('link-fifo-delivery'));
  });

  it('held-count-total: the network holds what its links hold', () => {
    const sound = network();
    sound.net.clog('n1', 'n2');
    sound.net.send('n1', 'n2', 'a');
    sound.loop.run();
    expect(violation(() => sound.net.unclog('n1', 'n2'))).toBeUndefined();
    const { loop, net } = network();
    net.clog('n1', 'n2');
    net.send('n1', 'n2', 'a');
    loop.run();
    net$(net).heldCount += 1;
    expect(violation(() => net.unclog('n1', 'n2'))).toEqual(harness('held-count-total'));
  });

  it('heal-clears: after a heal nothing is held, cut or clogged', () => {
    const { net } = network();
    net.cut('n1', 'n2');
    expect(violation(() => net.heal())).toBeUndefined();
    net$(net).heldCount = 1;
    expect(violation(() => net.heal())).toEqual(harness('heal-clears'));
  });

  it('drop-counts: every drop has one reason', () => {
    const { net } = network();
    net.cut('n1', 'n2');
    expect(violation(() => net.send('n1', 'n2', 'a'))).toBeUndefined();
    net$(net).counters.droppedCut += 1;
    expect(violation(() => net.send('n1', 'n2', 'b'))).toEqual(harness('drop-counts'));
  });

  it('link-capacity: a duplicate needs room on its link too (dropped as capacity, never overfilling it)', () => {
    const { loop, net, got } = network({ linkCapacityMax: 1, duplicate: { num: 1, den: 1 } });
    expect(violation(() => net.send('n1', 'n2', 'a'))).toBeUndefined();
    loop.run();
    expect(got).toEqual(['a']);
    expect(net.stats()).toMatchObject({ duplicated: 1, droppedCapacity: 1 });
    // A full link handed one more message by a path that skipped the send-time check.
    const link = [...net$(net).links.values()][0]!;
    link.inFlight = 1;
    expect(violation(() => net$(net).schedule({ from: { name: 'n1' }, to: { name: 'n2' }, link, id: 7, message: 'c' }))).toEqual(harness('link-capacity'));
  });
});

describe('disk', () => {
  it('disk-record-frozen: what becomes durable is the frozen record that was written', () => {
    const sound = disk();
    sound.d.append('wal', { index: 1 }, 8);
    sound.d.fsync(() => undefined);
    expect(violation(() => sound.loop.run())).toBeUndefined();
    expect(Object.isFrozen(sound.d.readDurable('wal')[0])).toBe(true);
    const { loop, d } = disk();
    d.append('wal', { index: 1 }, 8);
    // A bug that swaps in a copy it may still change.
    const op = disk$(d).pending[0]!;
    op.record = { ...op.record };
    d.fsync(() => undefined);
    expect(violation(() => loop.run())).toEqual(harness('disk-record-frozen'));
  });

  it('fsync-order: an fsync covers at least what the one before it covers', () => {
    const { d } = disk();
    d.append('wal', 1, 8);
    expect(violation(() => d.fsync(() => undefined))).toBeUndefined();
    disk$(d).fsyncs.at(-1)!.opsCovered = 5;
    expect(violation(() => d.fsync(() => undefined))).toEqual(harness('fsync-order'));
  });

  it('fsync-covers: a completed fsync leaves the later ones covering pending writes only', () => {
    const { loop, d } = disk();
    d.append('wal', 1, 8);
    d.fsync(() => undefined);
    d.append('wal', 2, 8);
    d.fsync(() => undefined);
    disk$(d).fsyncs[1]!.opsCovered = 9;
    expect(violation(() => loop.run())).toEqual(harness('fsync-covers'));
  });

  it('disk-crash-reset: a crash leaves the durable content and nothing pending', () => {
    const sound = disk();
    sound.d.append('wal', 1, 8);
    sound.d.fsync(() => undefined);
    expect(violation(() => sound.d.crash(false))).toBeUndefined();
    const { d } = disk();
    d.append('wal', 1, 8);
    d.fsync(() => undefined);
    // A bug that keeps its in-flight fsyncs across the crash.
    const kept = disk$(d).fsyncs;
    Object.defineProperty(d, 'fsyncs', { get: () => kept, set: () => undefined });
    expect(violation(() => d.crash(false))).toEqual(harness('disk-crash-reset'));
  });

  it('disk-truncate and disk-replace: the process view is what was written', () => {
    const { d } = disk();
    d.append('wal', 1, 8);
    d.append('wal', 2, 8);
    expect(violation(() => d.truncate('wal', 1))).toBeUndefined();
    expect(d.read('wal')).toHaveLength(1);
    expect(violation(() => d.replace('snap', [{ value: 1, sizeBytes: 1 }]))).toBeUndefined();
  });
});

describe('clock', () => {
  it('clock-monotonic: between changes local time never goes back', () => {
    const c = new NodeClock({ driftPpm: -400_000 });
    expect(violation(() => [c.localUs(1000), c.localUs(2000), c.localUs(2001)])).toBeUndefined();
    clock$(c).anchorLocalUs -= 10_000;
    expect(violation(() => c.localUs(3000))).toEqual(harness('clock-monotonic'));
  });

  it('a jump may step it back (the check starts over)', () => {
    const c = new NodeClock();
    c.localUs(1000);
    c.jump(1000, -500_000);
    expect(violation(() => c.localUs(1001))).toBeUndefined();
  });

  it('clock-drift-bounded and clock-timer-not-early: a broken drift is caught before it moves time', () => {
    const c = new NodeClock({ driftPpm: 200_000 });
    expect(violation(() => c.worldDelayUs(1_000_001))).toBeUndefined();
    clock$(c).drift = -2_000_000;
    expect(violation(() => c.worldDelayUs(1000))).toEqual(harness('clock-drift-bounded'));
    expect(violation(() => c.localUs(10))).toEqual(harness('clock-drift-bounded'));
  });
});

describe('event loop and processes', () => {
  it('event-order: at one time, events run in the order they were scheduled', () => {
    const sound = new EventLoop();
    sound.at(10, () => undefined);
    sound.at(10, () => undefined);
    expect(violation(() => sound.run())).toBeUndefined();
    const loop = new EventLoop();
    loop.at(10, () => undefined);
    loop.at(10, () => undefined);
    loop.step();
    // A heap bug that hands out an event scheduled before the one that just ran at the same time.
    loop$(loop).heap[0]!.seq = 0;
    expect(violation(() => loop.step())).toEqual(harness('event-order'));
  });

  it('timer-slot-free: a slot is reused only once its timer is gone', () => {
    const loop = new EventLoop();
    loop.at(10, () => undefined);
    loop.run();
    loop$(loop).slots[0]!.fn = () => undefined;
    expect(violation(() => loop.at(20, () => undefined))).toEqual(harness('timer-slot-free'));
  });

  it('process-kill-clears, process-boot-clean and restart-new-incarnation: a crash leaves nothing, a restart starts afresh', () => {
    const w = new World({ seed: 1, nodes: ['n1'] });
    w.startNode('n1', (ctx) => {
      ctx.setTimer(1000, () => undefined);
      return { receive: () => undefined };
    });
    expect(violation(() => w.crash('n1'))).toBeUndefined();
    expect(violation(() => w.restart('n1'))).toBeUndefined();
    expect(w.incarnation('n1')).toBe(2);
    w.crash('n1');
    world$(w).processes.get('n1')!.timers.set(99, { id: 99, loopId: 0, dueUs: 0, fn: () => undefined, cancelled: false });
    expect(violation(() => w.restart('n1'))).toEqual(harness('process-boot-clean'));
  });
});

describe('processes and buggify', () => {
  it('process-host-running: only a running incarnation handles events', () => {
    const w = new World({ seed: 1, nodes: ['n1'] });
    const got: unknown[] = [];
    w.startNode('n1', () => ({ receive: (_from, m) => void got.push(m) }));
    const p = world$(w).processes.get('n1')!;
    expect(violation(() => p.deliverMessage('x', 1))).toBeUndefined();
    expect(got).toEqual([1]);
    p.status = 'crashed'; // a crash that forgot to drop the host
    expect(violation(() => p.deliverMessage('x', 2))).toEqual(harness('process-host-running'));
  });

  it('buggify-fired-within-reached: a site fires only when reached', () => {
    const b = new Buggify(new Prng(1), { enabled: true, siteEnabled: { num: 1, den: 1 }, siteFires: { num: 1, den: 1 } });
    expect(violation(() => b.fire('s'))).toBeUndefined();
    (b as unknown as BuggifyInside).sites.get('s')!.reached = -5;
    expect(violation(() => b.fire('s'))).toEqual(harness('buggify-fired-within-reached'));
  });
});
