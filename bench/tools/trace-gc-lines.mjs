// node --trace-gc prints a line per collection on stdout; young-gen.mjs counts them. node's
// PerformanceObserver 'gc' entries cannot: they arrive through the event loop, and a benchmark
// run that never yields saw 9 of 61 scavenges (node 20.20).
//   [17237:0x7e47d90]   78 ms: Scavenge 4.6 (4.7) -> 4.1 (5.7) MB, 1.32 / 0.01 ms  (average mu = ...) allocation failure;
// The first figure after "MB," is the main thread's pause in ms (the second: the part spent in
// external callbacks); an incremental Mark-Compact's steps before it are in "(+ N ms in M steps ...)".

/** Counts and main-thread pauses (ms) of the scavenges and the full collections among `lines`. */
export function gcPauses(lines) {
  const gc = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 };
  for (const line of lines) {
    const m = /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: (Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Mark-Sweep|Minor Mark-Compact)\b.*? MB, ([0-9.]+) \/ [0-9.]+ ms/.exec(line);
    if (m === null) continue;
    const ms = Number(m[2]);
    const steps = Number(/\(\+ ([0-9.]+) ms in \d+ steps/.exec(line)?.[1] ?? 0);
    if (m[1] === 'Scavenge' || m[1] === 'Minor Mark-Compact') { gc.scavenges++; gc.scavengeMs += ms; } else { gc.markCompacts++; gc.markCompactMs += ms + steps; }
  }
  return gc;
}
