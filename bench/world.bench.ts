// Throughput of the simulated world in events per wall-clock second, on one core:
//  - the bare event loop (self-rescheduling timers, a queue of 1000 pending events),
//  - a busy world (5 nodes gossiping, disks, a client, every fault kind; see busy-world.ts).
// Each figure is the median of several runs after a warm-up run.
import { runBusyWorld } from '../sim/world/busy-world.ts';
import { EventLoop } from '../sim/world/event-loop.ts';

const RUNS = 5;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function bareLoop(events: number): { events: number; ms: number } {
  const loop = new EventLoop();
  let x = 12345;
  let left = events;
  const tick = (): void => {
    if (--left <= 0) return;
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    loop.schedule(x & 1023, tick);
  };
  for (let i = 0; i < 1000; i++) loop.schedule(i, tick);
  const t0 = performance.now();
  loop.run();
  return { events: loop.steps, ms: performance.now() - t0 };
}

function bareLoopWithCancels(events: number): { events: number; ms: number } {
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
  const t0 = performance.now();
  loop.run();
  return { events: loop.steps, ms: performance.now() - t0 };
}

function report(name: string, run: () => { events: number; ms: number }): void {
  run(); // warm-up
  const rates: number[] = [];
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = run();
    events = r.events;
    rates.push((r.events / r.ms) * 1000);
  }
  const m = median(rates);
  console.log(`${name.padEnd(44)} ${(m / 1e6).toFixed(2).padStart(6)} M events/s  (median of ${RUNS}, ${events} events per run, range ${(Math.min(...rates) / 1e6).toFixed(2)}-${(Math.max(...rates) / 1e6).toFixed(2)})`);
}

export async function bench(): Promise<void> {
  report('event loop, bare', () => bareLoop(2_000_000));
  report('event loop, half the timers cancelled', () => bareLoopWithCancels(2_000_000));
  report('busy world, 5 nodes, every fault kind', () => {
    const t0 = performance.now();
    const r = runBusyWorld({ seed: 42, durationUs: 60_000_000 });
    return { events: r.stats.events, ms: performance.now() - t0 };
  });
  report('busy world, traceLog on (10k entries)', () => {
    const t0 = performance.now();
    const r = runBusyWorld({ seed: 42, durationUs: 60_000_000, traceLog: true });
    return { events: r.stats.events, ms: performance.now() - t0 };
  });
  await Promise.resolve();
}
