// Where two runs of the same seed part, from their trace-hash checkpoints (one every 100 ms of
// simulated time): what `detcd replay` and the sweep's determinism re-run report.
export type Checkpoints = readonly (readonly [number, string])[];

export function firstCheckpointDifference(a: Checkpoints, b: Checkpoints): string | undefined {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [ta, ha] = a[i]!;
    const [tb, hb] = b[i]!;
    if (ta !== tb || ha !== hb) {
      const prev = i === 0 ? 0 : a[i - 1]![0];
      return `the traces part between ${prev / 1000} ms and ${ta / 1000} ms of simulated time (checkpoint ${i}: ${ha} vs ${hb})`;
    }
  }
  if (a.length !== b.length) return `the traces agree for ${Math.min(a.length, b.length)} checkpoints, then one run ends (${a.length} vs ${b.length} checkpoints)`;
  return undefined;
}
