// Faults on the real target take effect beside the run, not in it: nftables rule sets are
// written by a queue (under load one `ip netns exec nft` took ~0.1 s, and writing every
// member's table synchronously froze the harness's clients and timers), and the nemesis records
// each fault from when it is in force, keeping when it was asked beside, and lets it last its
// duration from then. Without etcd: the writes go to a stand-in for `ip netns exec`.
import { describe, expect, it } from 'vitest';
import { runNames } from '../../../sim/cli/target-etcd/names.ts';
import type { ExecAsync } from '../../../sim/cli/target-etcd/network.ts';
import { execAsync, RealNetwork } from '../../../sim/cli/target-etcd/network.ts';
import { Nemesis } from '../../../sim/nemesis/nemesis.ts';
import type { NemesisWorld } from '../../../sim/nemesis/nemesis-world-port.ts';
import { Prng } from '../../../sim/world/prng.ts';

/** `ip netns exec` held until the test lets it finish. */
function heldExec() {
  const calls: { args: readonly string[]; input: string; finish: (err?: Error) => void }[] = [];
  const exec: ExecAsync = (_cmd, args, input) => new Promise((resolve, reject) => calls.push({ args, input, finish: (err) => (err === undefined ? resolve() : reject(err)) }));
  const nftWrites = () => calls.filter((c) => c.args.includes('nft'));
  return { calls, exec, nftWrites };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('nftables rule sets are written beside the run', () => {
  it('a command that exits without reading its input resolves by its exit status; the closed pipe is no crash', async () => {
    // 4 MB is past any pipe buffer: the write is still under way when `true` exits.
    await expect(execAsync('true', [], 'x'.repeat(4 * 1024 * 1024))).resolves.toBeUndefined();
    await expect(execAsync('false', [], 'x'.repeat(4 * 1024 * 1024))).rejects.toThrow(/^false : /);
  });

  it('a fault change returns at once; applied() resolves once the rule sets are in force', async () => {
    const { exec, nftWrites } = heldExec();
    const net = new RealNetwork('netns', runNames(4242), 3, () => undefined, exec);
    let applied = false;
    net.setCuts([{ from: 1, to: 2 }]);
    void net.applied().then(() => (applied = true));
    expect(nftWrites().map((c) => c.args[2])).toEqual([1, 2, 3].map((i) => runNames(4242).netns(i)));
    expect(nftWrites()[1]?.input).toContain(`ip saddr ${runNames(4242).memberIp(1)} drop`);
    await flush();
    expect(applied).toBe(false);
    for (const c of nftWrites()) c.finish();
    await flush();
    expect(applied).toBe(true);
  });

  it('changes asked while a write runs are written once, as the newest set, after it; a failed write is reported', async () => {
    const { exec, nftWrites } = heldExec();
    const errors: unknown[] = [];
    const net = new RealNetwork('netns', runNames(4242), 3, (err) => errors.push(err), exec);
    net.setClogged(3, true);
    net.setCuts([{ from: 1, to: 2 }]);
    net.setDropPercent(20);
    let applied = false;
    void net.applied().then(() => (applied = true));
    expect(nftWrites()).toHaveLength(3);
    nftWrites()[0]?.finish(new Error('nft: no such table'));
    for (const c of nftWrites().slice(1)) c.finish();
    await flush();
    expect(errors.map(String)).toEqual(['Error: nft: no such table']);
    expect(applied).toBe(false);
    const second = nftWrites().slice(3);
    expect(second).toHaveLength(3);
    expect(second[1]?.input).toContain('numgen random mod 100 < 20 drop');
    expect(second[2]?.input).toContain('iifname != "lo" drop');
    for (const c of second) c.finish();
    await flush();
    expect([applied, nftWrites().length]).toEqual([true, 6]);
  });

  it('the pairs a rule set severs and the members it clogs are told once it is in force, not when asked (how long a quorum stood: quorum-time.ts)', async () => {
    const { exec, nftWrites } = heldExec();
    const told: [string[], number[]][] = [];
    const net = new RealNetwork('netns', runNames(4242), 3, () => undefined, exec, (severed, clogged) => told.push([[...severed].sort(), [...clogged]]));
    net.setCuts([{ from: 1, to: 2 }]);
    net.setClogged(3, true);
    await flush();
    expect(told).toEqual([]);
    for (const c of nftWrites()) c.finish();
    await flush();
    expect(told).toEqual([[['1-2'], []]]);
    for (const c of nftWrites().slice(3)) c.finish();
    await flush();
    expect(told).toEqual([[['1-2'], []], [['1-2', '1-3', '2-3'], [3]]]);
  });

  it('a heal resets the healed pair\'s connections once its rules are in force, not before', async () => {
    const { exec, calls, nftWrites } = heldExec();
    const net = new RealNetwork('netns', runNames(4242), 3, () => undefined, exec);
    net.setCuts([{ from: 1, to: 2 }]);
    for (const c of nftWrites()) c.finish();
    await flush();
    net.healAll();
    const resets = () => calls.filter((c) => c.args.includes('ss'));
    expect(resets()).toHaveLength(0);
    for (const c of nftWrites().slice(3)) c.finish();
    await flush();
    expect(resets().map((c) => `${c.args[2]} ${c.args.at(-1)}`).sort()).toEqual([
      `${runNames(4242).netns(1)} ${runNames(4242).memberIp(2)}`,
      `${runNames(4242).netns(2)} ${runNames(4242).memberIp(1)}`,
    ]);
  });
});

/** A hand-driven clock: timers set with at() run, in time order, when the test runs the clock on. */
function handClock() {
  let t = 0;
  const timers: { atUs: number; fn: () => void }[] = [];
  return {
    nowUs: () => t,
    at: (atUs: number, fn: () => void) => void timers.push({ atUs, fn }),
    runUntil: (us: number) => {
      for (;;) {
        timers.sort((a, b) => a.atUs - b.atUs);
        const next = timers[0];
        if (next === undefined || next.atUs > us) break;
        timers.shift();
        t = next.atUs;
        next.fn();
      }
      t = us;
    },
  };
}

/** A world whose faults come in force only when the test says so, on a hand-driven clock. */
function laggingWorld() {
  const { nowUs, at, runUntil } = handClock();
  const waiting: (() => void)[] = [];
  const log: string[] = [];
  const world = {
    nowUs,
    at,
    inForce: (done: () => void) => void waiting.push(done),
    members: () => ['n1', 'n2', 'n3'],
    leader: () => 'n1',
    raftStatus: () => undefined,
    setCuts: (cuts: unknown) => void log.push(`cuts ${JSON.stringify(cuts)}`),
    setLossy: () => undefined,
    clog: () => undefined,
    unclog: () => undefined,
    crash: (n: string) => void log.push(`crash ${n}`),
    restart: (n: string) => void log.push(`restart ${n}`),
    pause: () => undefined,
    resume: () => undefined,
    clockReset: () => undefined,
    setFsyncLatency: () => undefined,
    buggify: () => undefined,
  } as unknown as NemesisWorld;
  const comeInForce = () => {
    for (const done of waiting.splice(0)) done();
  };
  return { world, runUntil, comeInForce, log };
}

describe('the nemesis on a target whose faults come in force late', () => {
  it('records a fault from when it is in force (and when it was asked), and heals it its duration after that', () => {
    const w = laggingWorld();
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule([{ atMs: 100, durationMs: 200, fault: { kind: 'kill', target: 'n2' } }], 0);
    w.runUntil(100_000);
    expect(w.log).toEqual(['crash n2']);
    // In force 150 ms later (the rules written, the process gone): the heal follows 200 ms after that.
    w.runUntil(250_000);
    w.comeInForce();
    w.runUntil(449_000);
    expect(w.log).toEqual(['crash n2']);
    w.runUntil(450_000);
    expect(w.log).toEqual(['crash n2', 'restart n2']);
    w.runUntil(470_000);
    w.comeInForce();
    expect(nemesis.intervals).toEqual([{ kind: 'kill', targets: ['n2'], description: expect.any(String) as string, askedUs: 100_000, startUs: 250_000, healAskedUs: 450_000, endUs: 470_000 }]);
  });

  it('a fault healed before it came in force keeps an ordered interval', () => {
    const w = laggingWorld();
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule([{ atMs: 100, durationMs: 200, fault: { kind: 'kill', target: 'n2' } }], 0);
    w.runUntil(100_000);
    w.runUntil(120_000);
    nemesis.healAll();
    w.runUntil(300_000);
    w.comeInForce();
    const [interval] = nemesis.intervals;
    expect(interval).toMatchObject({ askedUs: 100_000, startUs: 300_000, healAskedUs: 120_000, endUs: 300_000 });
  });
});

/**
 * A world like real etcd on a hand-driven clock: every fault comes in force `inForceMs` after it
 * is asked, and a restarted member serves `servingMs` after its restart was asked.
 */
function slowWorld(inForceMs: number, servingMs: number) {
  const { nowUs, at, runUntil } = handClock();
  const log: [number, string][] = [];
  let servingAtUs = 0;
  const world = {
    nowUs,
    at,
    inForce: (done: () => void) => at(nowUs() + inForceMs * 1000, done),
    recovered: (done: () => void) => at(Math.max(nowUs(), servingAtUs), done),
    members: () => ['n1', 'n2', 'n3'],
    leader: () => 'n1',
    raftStatus: () => undefined,
    setCuts: (cuts: unknown) => void log.push([nowUs() / 1000, `cuts ${JSON.stringify(cuts)}`]),
    setLossy: () => undefined,
    clog: () => undefined,
    unclog: () => undefined,
    crash: (n: string) => void log.push([nowUs() / 1000, `crash ${n}`]),
    restart: (n: string) => {
      log.push([nowUs() / 1000, `restart ${n}`]);
      servingAtUs = Math.max(servingAtUs, nowUs() + servingMs * 1000);
    },
    pause: () => undefined,
    resume: () => undefined,
    clockReset: () => undefined,
    setFsyncLatency: () => undefined,
    buggify: () => undefined,
  } as unknown as NemesisWorld;
  return { world, runUntil, log };
}

describe('the nemesis on a target whose restarted members serve seconds later', () => {
  const rolling = (['n1', 'n2', 'n3'] as const).map((target, k) => ({ atMs: 600 * k, durationMs: 600, fault: { kind: 'kill' as const, target } }));

  it('rolling-restart: each kill waits until the member restarted before it serves, the schedule\'s gap after: one member down at a time', () => {
    const w = slowWorld(300, 1500);
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule(rolling, 0);
    w.runUntil(20_000_000);
    // n1 in force at 300 ms, restarted 600 ms later (900), serving at 2400: then n2; and so on.
    expect(w.log).toEqual([[0, 'crash n1'], [900, 'restart n1'], [2400, 'crash n2'], [3300, 'restart n2'], [4800, 'crash n3'], [5700, 'restart n3']]);
    expect(nemesis.faultsNotRun).toBe(0);
  });

  it('the schedule is done once its last fault is in force, with the most any came in force past its planned start', () => {
    const w = slowWorld(300, 1500);
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule(rolling, 0);
    expect(nemesis.scheduleStarts).toEqual({ done: false, lagUsMax: 0 });
    // The kill of n3, planned at 1200 ms, is asked at 4800 and in force at 5100: 3900 ms late.
    w.runUntil(5_099_000);
    expect(nemesis.scheduleStarts).toEqual({ done: false, lagUsMax: 2_100_000 });
    w.runUntil(5_100_000);
    expect(nemesis.scheduleStarts).toEqual({ done: true, lagUsMax: 3_900_000 });
  });

  it('a fault that finds no target counts as started, without a lag', () => {
    const w = slowWorld(0, 0);
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule([{ atMs: 100, durationMs: 100, fault: { kind: 'kill', target: 'n9' } }], 0);
    w.runUntil(200_000);
    expect(nemesis.scheduleStarts).toEqual({ done: true, lagUsMax: 0 });
    expect(nemesis.intervals).toEqual([]);
  });

  it('the gap the schedule put between a heal and the next fault is kept from when the healed member serves', () => {
    const w = slowWorld(0, 1000);
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule([{ atMs: 0, durationMs: 100, fault: { kind: 'kill', target: 'n1' } }, { atMs: 400, durationMs: 100, fault: { kind: 'kill', target: 'n1' } }], 0);
    w.runUntil(20_000_000);
    expect(w.log).toEqual([[0, 'crash n1'], [100, 'restart n1'], [1400, 'crash n1'], [1500, 'restart n1']]);
  });

  it('faults the schedule overlaps still overlap; a fault that would start after healAll does not run, and is counted', () => {
    const w = slowWorld(300, 1500);
    const nemesis = new Nemesis(w.world, new Prng(1));
    nemesis.schedule([
      { atMs: 0, durationMs: 1000, fault: { kind: 'kill', target: 'n1' } },
      { atMs: 500, durationMs: 200, fault: { kind: 'kill', target: 'n2' } },
      { atMs: 1000, durationMs: 200, fault: { kind: 'kill', target: 'n3' } },
      { atMs: 1300, durationMs: 200, fault: { kind: 'kill', target: 'n2' } },
    ], 0);
    w.runUntil(1_500_000);
    expect(w.log).toEqual([[0, 'crash n1'], [500, 'crash n2'], [1000, 'restart n2'], [1300, 'restart n1']]);
    nemesis.healAll();
    w.runUntil(20_000_000);
    expect(w.log.slice(4).filter(([, e]) => e.startsWith('crash'))).toEqual([]);
    expect(nemesis.faultsNotRun).toBe(2);
  });
});
