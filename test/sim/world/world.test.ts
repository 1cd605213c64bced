import { describe, expect, it } from 'vitest';
import type { Host, HostContext, HostFactory } from '../../../sim/world/index.ts';
import { World } from '../../../sim/world/index.ts';

/** Echoes every message back to its sender and logs what it handled. */
function echoHost(log: string[]): HostFactory {
  return (ctx: HostContext): Host => ({
    receive(from, message) {
      log.push(`${ctx.id}<-${from}:${String(message)}`);
      if (typeof message === 'string' && !message.startsWith('re:')) ctx.send(from, `re:${message}`);
    },
  });
}

const quiet = { latency: { kind: 'constant', us: 100 } } as const;

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

  it('crash discards the host and its timers, drops messages to it, and restart recovers only durable writes', () => {
    const world = new World({ seed: 1, nodes: ['n1'], clients: ['c1'], network: quiet, disk: { tornWrite: { num: 0, den: 1 } } });
    const boots: { incarnation: number; recovered: unknown[] }[] = [];
    const timerFired: number[] = [];
    const received: unknown[] = [];
    world.startNode('n1', (ctx) => {
      boots.push({ incarnation: boots.length + 1, recovered: ctx.disk.read('wal').map((r) => r.value) });
      ctx.setTimer(50_000, () => timerFired.push(world.loop.now()));
      return {
        receive(_from, message) {
          received.push(message);
          ctx.disk.append('wal', message, 8);
          if (message === 'sync-me') ctx.disk.fsync(() => undefined);
        },
      };
    });
    const client = world.attachClient('c1', () => undefined);
    client.send('n1', 'sync-me');
    world.run({ untilUs: 10_000 });
    client.send('n1', 'unsynced');
    world.run({ untilUs: 20_000 });
    world.crash('n1');
    client.send('n1', 'while-down');
    world.run({ untilUs: 30_000 });
    expect(world.isUp('n1')).toBe(false);
    world.restart('n1');
    world.run();
    expect(received).toEqual(['sync-me', 'unsynced']);
    expect(boots).toEqual([{ incarnation: 1, recovered: [] }, { incarnation: 2, recovered: ['sync-me'] }]);
    // The first incarnation's timer (due at 50ms) never fired; the second one's fired 50ms after restart.
    expect(timerFired).toEqual([80_000]);
    expect(world.stats()).toMatchObject({ crashes: 1, restarts: 1, network: { droppedDown: 1 } });
    expect(world.incarnation('n1')).toBe(2);
  });

  it('refuses a context used after its incarnation ended', () => {
    const world = new World({ seed: 1, nodes: ['n1'] });
    let old: HostContext | undefined;
    world.startNode('n1', (ctx) => {
      old ??= ctx;
      return { receive: () => undefined };
    });
    world.crash('n1');
    world.restart('n1');
    expect(() => old!.send('n1', 'x')).toThrow(/incarnation 1 used after it ended/);
    expect(() => old!.setTimer(1, () => undefined)).toThrow(/incarnation/);
  });

  it('a paused node handles nothing; after resume it gets held events in order, timers late', () => {
    const world = new World({ seed: 1, nodes: ['n1'], clients: ['c1'], network: quiet, traceLog: true, disk: { fsyncLatencyUsMin: 100, fsyncLatencyUsMax: 100 } });
    const handled: string[] = [];
    let cancelMe = 0;
    world.startNode('n1', (ctx) => {
      ctx.setTimer(1_000, () => handled.push(`timer1@${world.loop.now()}`));
      cancelMe = ctx.setTimer(2_000, () => handled.push('cancelled-timer'));
      ctx.setTimer(3_000, () => {
        handled.push(`timer3@${world.loop.now()}`);
        ctx.cancelTimer(cancelMe);
      });
      ctx.disk.append('wal', 1, 8);
      ctx.disk.fsync(() => handled.push(`fsync@${world.loop.now()}`));
      return { receive: (_from, m) => handled.push(`msg:${String(m)}@${world.loop.now()}`) };
    });
    const client = world.attachClient('c1', () => undefined);
    world.pause('n1');
    client.send('n1', 'a');
    world.loop.schedule(1_500, () => client.send('n1', 'b'));
    world.run({ untilUs: 10_000 });
    expect(handled).toEqual([]);
    expect(world.isPaused('n1')).toBe(true);
    // The fsync's data is durable even though the paused process has not heard back.
    expect(world.disk('n1').readDurable('wal').length).toBe(1);
    world.resume('n1');
    world.run();
    expect(handled).toEqual(['fsync@10000', 'msg:a@10000', 'timer1@10000', 'msg:b@10000', 'cancelled-timer', 'timer3@10000']);
    const lates = world.traceEntries().filter((e) => e.kind === 'timer').map((e) => e['late']);
    expect(lates).toEqual([9_000, 8_000, 7_000]);
  });

  it('never fires a timer cancelled while it was held by a pause', () => {
    const world = new World({ seed: 1, nodes: ['n1'] });
    const handled: string[] = [];
    let ctxRef: HostContext | undefined;
    let id = 0;
    world.startNode('n1', (ctx) => {
      ctxRef = ctx;
      id = ctx.setTimer(1_000, () => handled.push('held-timer'));
      ctx.setTimer(500, () => handled.push('early'));
      return { receive: () => undefined };
    });
    world.run({ untilUs: 600 });
    world.pause('n1');
    world.run({ untilUs: 2_000 });
    // A timer cancelled from outside the host's handlers still obeys the pause: it is held, then cancelled.
    ctxRef!.cancelTimer(id);
    world.resume('n1');
    world.run();
    expect(handled).toEqual(['early']);
  });

  it('crash of a paused node throws away what it held', () => {
    const world = new World({ seed: 1, nodes: ['n1'], clients: ['c1'], network: quiet });
    const handled: unknown[] = [];
    world.startNode('n1', () => ({ receive: (_f, m) => handled.push(m) }));
    const client = world.attachClient('c1', () => undefined);
    world.pause('n1');
    client.send('n1', 'held');
    world.run();
    world.crash('n1');
    world.restart('n1');
    world.run();
    expect(handled).toEqual([]);
    expect(world.isPaused('n1')).toBe(false);
  });

  it('calls observers after every event and the host afterEvent after each event it handled', () => {
    const world = new World({ seed: 1, nodes: ['n1', 'n2'], network: quiet });
    let afterEvents = 0;
    world.startNode('n1', (ctx) => {
      ctx.setTimer(10, () => ctx.send('n2', 'ping'));
      return { receive: () => undefined, afterEvent: () => afterEvents++ };
    });
    world.startNode('n2', echoHost([]));
    const seen: number[] = [];
    const off = world.onEvent((e) => seen.push(e.step));
    world.run();
    expect(seen.length).toBe(world.stats().events);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(afterEvents).toBe(2); // its timer and the echo it received
    off();
    world.crash('n1');
    expect(seen.length).toBe(world.stats().events);
  });

  it('keeps only the most recent trace entries, with names resolved', () => {
    const world = new World({ seed: 1, nodes: ['n1', 'n2'], traceLog: 5, network: quiet });
    world.startNode('n1', (ctx) => {
      for (let i = 0; i < 20; i++) ctx.send('n2', i);
      return { receive: () => undefined };
    });
    world.startNode('n2', () => ({ receive: () => undefined }));
    world.run();
    const entries = world.traceEntries();
    expect(entries.length).toBe(5);
    expect(entries.map((e) => e.index)).toEqual([37, 38, 39, 40, 41]);
    expect(entries.at(-1)).toMatchObject({ kind: 'deliver', from: 'n1', to: 'n2', timeUs: 100 });
    expect(new World({ seed: 1, nodes: ['n1'] }).traceEntries()).toEqual([]);
  });

  it('answers buggify with false when the run did not enable it', () => {
    const world = new World({ seed: 1, nodes: ['n1'] });
    let fired = 0;
    world.startNode('n1', (ctx) => {
      for (let i = 0; i < 1_000; i++) if (ctx.buggify(`site-${i % 10}`)) fired++;
      return { receive: () => undefined };
    });
    expect(fired).toBe(0);
    expect(world.buggifyCoverage()).toEqual([]);
  });

  it('gives each incarnation its own deterministic random stream', () => {
    const draws = (): number[] => {
      const world = new World({ seed: 9, nodes: ['n1'] });
      const out: number[] = [];
      world.startNode('n1', (ctx) => {
        out.push(ctx.prng.uint32());
        return { receive: () => undefined };
      });
      world.crash('n1');
      world.restart('n1');
      return out;
    };
    const a = draws();
    expect(a).toEqual(draws());
    expect(a[0]).not.toBe(a[1]);
  });

  it('describes its settings, with each node clock as drawn from the seed', () => {
    const make = (seed: number) => new World({ seed, nodes: ['n1', 'n2'], clients: ['c1'], clock: { offsetUsMax: 1_000, driftPpmMax: 50 } }).describe();
    const d = make(3);
    expect(d).toEqual(make(3));
    expect(d).toMatchObject({ seed: '3', nodes: ['n1', 'n2'], clients: ['c1'], buggify: false, traceLogCap: 0 });
    for (const id of ['n1', 'n2']) {
      expect(Math.abs(d.clocks[id]!.offsetUs)).toBeLessThanOrEqual(1_000);
      expect(Math.abs(d.clocks[id]!.driftPpm)).toBeLessThanOrEqual(50);
    }
    expect(d.clocks).not.toEqual(make(4).clocks);
    expect(d.disk.fsyncLatencyUsMin).toBeDefined();
  });

  it('puts host annotations into the hash and the log, and counts every kind of fault', () => {
    const run = (detail: Record<string, unknown>) => {
      const world = new World({ seed: 1, nodes: ['n1', 'n2'], traceLog: true });
      world.startNode('n1', (ctx) => {
        ctx.trace('became-leader', detail);
        return { receive: () => undefined };
      });
      return world;
    };
    const a = run({ term: 3 });
    expect(a.traceHash()).toBe(run({ term: 3 }).traceHash());
    expect(a.traceHash()).not.toBe(run({ term: 4 }).traceHash());
    expect(a.traceEntries().find((e) => e.kind === 'annotate')).toMatchObject({ node: 'n1', label: 'became-leader', detail: { term: 3 } });
    a.network.isolate('n1');
    a.network.clog('n1', 'n2', 100);
    a.crash('n1');
    a.startNode('n2', () => ({ receive: () => undefined }));
    a.pause('n2');
    a.clockJump('n2', 5);
    a.recordFault('disk-full', 'n2');
    expect(a.stats().faults).toBe(6);
    expect(a.traceEntries().at(-1)).toMatchObject({ kind: 'fault', fault: 'disk-full', node: 'n2' });
  });

  it('lifecycleVersion moves with every start, crash, restart, pause and resume, and never while only events run', () => {
    const world = new World({ seed: 3, nodes: ['n1', 'n2'], clients: ['c1'], network: quiet });
    const shape = (): string => ['n1', 'n2'].map((n) => `${world.isUp(n) ? 'u' : 'd'}${world.isUp(n) && world.isPaused(n) ? 'p' : '-'}${world.incarnation(n)}`).join(' ');
    const client = world.attachClient('c1', () => undefined);
    let version = world.lifecycleVersion;
    let seen = shape();
    const changes: (() => void)[] = [
      () => world.startNode('n1', echoHost([])), () => world.startNode('n2', echoHost([])), () => world.pause('n1'), () => world.resume('n1'),
      () => world.crash('n2'), () => world.restart('n2'), () => world.crash('n1'), () => world.restart('n1'), () => world.pause('n2'), () => world.resume('n2'),
    ];
    for (const change of changes) {
      client.send('n1', 'ping');
      world.run();
      // Events alone (messages, replies) leave it where it was.
      expect([world.lifecycleVersion, shape()]).toEqual([version, seen]);
      change();
      expect(world.lifecycleVersion).not.toBe(version);
      expect(shape()).not.toBe(seen);
      version = world.lifecycleVersion;
      seen = shape();
    }
  });

  it('names the node, its incarnation and what it handled when a host throws on a message or an fsync callback', () => {
    const world = new World({ seed: 1, nodes: ['n1'], clients: ['c1'], network: quiet });
    world.startNode('n1', (ctx) => ({
      receive(_from, message) {
        if (message === 'boom') throw new Error('product bug');
        ctx.disk.append('wal', message, 1);
        ctx.disk.fsync(() => {
          throw new Error('fsync bug');
        });
      },
    }));
    const client = world.attachClient('c1', () => undefined);
    client.send('n1', 'boom');
    expect(() => world.run()).toThrow(/member n1 \(incarnation 1\) threw while handling a message: product bug/);
    client.send('n1', 'write');
    expect(() => world.run()).toThrow(/member n1 \(incarnation 1\) threw while handling a callback: fsync bug/);
  });

  it('rejects misuse of the lifecycle', () => {
    const world = new World({ seed: 1, nodes: ['n1'], clients: ['c1'] });
    expect(() => world.crash('n1')).toThrow(/never-started/);
    world.startNode('n1', echoHost([]));
    expect(() => world.startNode('n1', echoHost([]))).toThrow(/already started/);
    expect(() => world.restart('n1')).toThrow(/not crashed/);
    expect(() => world.resume('n1')).toThrow(/not paused/);
    expect(() => world.attachClient('n1', () => undefined)).toThrow(/is a node/);
    world.attachClient('c1', () => undefined);
    expect(() => world.attachClient('c1', () => undefined)).toThrow(/already attached/);
    expect(() => new World({ seed: 1, nodes: ['a', 'a'] })).toThrow(/duplicate/);
    expect(() => world.disk('zz')).toThrow(/unknown node/);
  });
});
