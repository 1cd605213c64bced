// bench/tools/young-gen.mjs counts collections from node --trace-gc's lines (node 20.20, V8 11.3): these are lines it
// printed for the harness bench runs.
import { describe, expect, it } from 'vitest';
import { gcPauses } from '../../bench/tools/trace-gc-lines.mjs';

describe('trace-gc lines: collections and their main-thread pauses', () => {
  it('counts scavenges and full collections apart, with their pauses (incremental marking steps in the full ones)', () => {
    const g = gcPauses([
      '[17237:0x7e47d90]       78 ms: Scavenge 4.6 (4.7) -> 4.1 (5.7) MB, 1.32 / 0.01 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
      '[22269:0x2251af00]    49619 ms: Scavenge 91.0 (175.3) -> 68.8 (175.4) MB, 73.94 / 0.00 ms  (average mu = 0.976, current mu = 0.971) task;',
      '[17237:0x7e47d90]     6359 ms: Mark-Compact 47.9 (77.9) -> 26.3 (74.1) MB, 11.92 / 0.09 ms  (+ 20.1 ms in 20 steps since start of marking, biggest step 9.5 ms, walltime since start of marking 89 ms) (average mu = 0.995, current mu = 0.995) finalize incremental marking via task; GC in old space requested',
    ]);
    expect(g.scavenges).toBe(2);
    expect(g.scavengeMs).toBeCloseTo(75.26, 5);
    expect(g.markCompacts).toBe(1);
    expect(g.markCompactMs).toBeCloseTo(32.02, 5);
  });

  it("ignores the benchmark's own output, even when it names a collection", () => {
    expect(gcPauses(['young-gen result: {"note":"Scavenge 1.0 MB, 2.0 / 0.0 ms"}', '', 'Mark-Compact somewhere'])).toEqual({ scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 });
  });
});
