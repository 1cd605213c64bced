// Prints each fault of `detcd serve --scenario` as it starts and as it heals, with the time
// since serve started, by watching the nemesis's fault intervals.
import type { Nemesis } from '../../nemesis/nemesis.ts';

export class FaultLog {
  private started = 0;
  private readonly open = new Set<number>();

  constructor(
    private readonly nemesis: Nemesis,
    private readonly print: (line: string) => void,
  ) {}

  /** Reports the starts and heals that happened since the last poll. */
  poll(nowUs: number): void {
    const intervals = this.nemesis.intervals;
    for (; this.started < intervals.length; this.started++) {
      const f = intervals[this.started]!;
      this.print(`${stamp(f.startUs)} fault   ${f.description}${f.targets !== undefined && f.targets.length > 0 ? ` [${f.targets.join(', ')}]` : ''}`);
      this.open.add(this.started);
    }
    for (const i of [...this.open]) {
      const f = intervals[i]!;
      if (f.endUs === undefined || f.endUs > nowUs) continue;
      this.open.delete(i);
      this.print(`${stamp(f.endUs)} healed  ${f.description}`);
    }
  }
}

function stamp(us: number): string {
  return `[${(us / 1e6).toFixed(3).padStart(8)} s]`;
}
