// Throughput of the simulated world in events per wall-clock second, on one core:
//  - the bare event loop (self-rescheduling timers, a queue of 1000 pending events),
//  - a busy world (5 nodes gossiping, disks, a client, every fault kind; see busy-world.ts).
// Each figure is the median of several runs after a warm-up run, per wall-clock second and per
// CPU second of this process (the second is steadier when other work shares the cores).
import { runBusyWorld } from '../test/fixtures/busy-world.ts';
import { EventLoop } from '../sim/world/event-loop.ts';

const RUNS = 5;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Sample {
  events: number;
  ms: number;
  cpuMs: number;
}

/** Times `fn` in wall and CPU milliseconds; `fn` returns the number of events it ran. */
function timed(fn: () => number): Sample {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { events, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function bareLoop(events: number): number {
  const loop = new EventLoop();
  let x = 12345;
  let left = events;
  const tick = (): void => {
    if (--left <= 0) return;
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    loop.schedule(x & 1023, tick);
  };
  for (let i = 0; i < 1000; i++) loop.schedule(i, tick);
  loop.run();
  return loop.steps;
}

function bareLoopWithCancels(events: number): number {
  // Half the timers are cancelled before they fire, as election timers are.
  const loop = new EventLoop();
  let x = 999;
  let left = events;
  const tick = (): void => {
    if (--left <= 0) return;
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const id = loop.schedule(1 + (x & 1023), tick);
    if (x & 0x10000) {
      loop.cancel(id);
      loop.schedule(1 + (x & 511), tick);
    }
  };
  for (let i = 0; i < 1000; i++) loop.schedule(i, tick);
  loop.run();
  return loop.steps;
}

function report(name: string, run: () => number): void {
  timed(run); // warm-up
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(timed(run));
  const wall = samples.map((r) => (r.events / r.ms) * 1000);
  const cpu = samples.map((r) => (r.events / Math.max(r.cpuMs, 0.001)) * 1000);
  const m = (xs: number[]): string => (median(xs) / 1e6).toFixed(2).padStart(6);
  console.log(
    `${name.padEnd(40)} ${m(wall)} M events/wall s, ${m(cpu)} M events/CPU s` +
      `  (median of ${RUNS}, ${samples[0]?.events} events per run, wall range ${(Math.min(...wall) / 1e6).toFixed(2)}-${(Math.max(...wall) / 1e6).toFixed(2)})`,
  );
}

export async function bench(): Promise<void> {
  report('event loop, bare', () => bareLoop(2_000_000));
  report('event loop, half the timers cancelled', () => bareLoopWithCancels(2_000_000));
  report('busy world, 5 nodes, every fault kind', () => runBusyWorld({ seed: 42, durationUs: 60_000_000 }).stats.events);
  report('busy world, traceLog on (10k entries)', () => runBusyWorld({ seed: 42, durationUs: 60_000_000, traceLog: true }).stats.events);
  await Promise.resolve();
}
