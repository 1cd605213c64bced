// Model-based test: random writes, fsyncs, crashes and time steps against a plain model of what
// must be durable. After every crash the disk must hold exactly the model's durable state (plus,
// at most, one torn record at the end of a file that had an unsynced append).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../../sim/world/disk.ts';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { Trace } from '../../../sim/world/trace.ts';
import { fcParams } from '../../property-seed.ts';

type Command =
  | { op: 'append'; file: number; value: number }
  | { op: 'replace'; file: number; value: number }
  | { op: 'truncate'; file: number; length: number }
  | { op: 'fsync' }
  | { op: 'advance'; us: number }
  | { op: 'crash' };

const FILES = ['wal', 'snap'];
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('append' as const), file: fc.integer({ min: 0, max: 1 }), value: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), file: fc.integer({ min: 0, max: 1 }), value: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), file: fc.integer({ min: 0, max: 1 }), length: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'fsync' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), us: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crash' as const }) },
);

type State = Map<string, number[]>;
const clone = (s: State): State => new Map([...s].map(([k, v]) => [k, v.slice()]));

function check(commands: Command[], seed: number): void {
  const loop = new EventLoop();
  const trace = new Trace(() => loop.now(), 0);
  const disk = new SimDisk(
    { nowUs: () => loop.now(), schedule: (d, fn) => loop.schedule(d, fn), cancel: (id) => void loop.cancel(id), deliver: (fn) => fn(), trace, nodeTraceId: 1 },
    new Prng(seed),
    { fsyncLatencyUsMin: 50, fsyncLatencyUsMax: 300, tornWrite: { num: 1, den: 2 } },
  );
  // The model: the process view, and per fsync in flight the view it will make durable.
  let view: State = new Map();
  let durable: State = new Map();
  const inFlight: State[] = [];
  const readView = (file: string): number[] => disk.read(file).filter((r) => !r.torn).map((r) => r.value as number);
  for (const c of commands) {
    switch (c.op) {
      case 'append': {
        const f = FILES[c.file]!;
        disk.append(f, c.value, 10);
        view.set(f, [...(view.get(f) ?? []), c.value]);
        break;
      }
      case 'replace': {
        const f = FILES[c.file]!;
        disk.replace(f, [{ value: c.value, sizeBytes: 10 }]);
        view.set(f, [c.value]);
        break;
      }
      case 'truncate': {
        const f = FILES[c.file]!;
        if (!disk.exists(f)) break;
        disk.truncate(f, c.length);
        view.set(f, (view.get(f) ?? []).slice(0, c.length));
        break;
      }
      case 'fsync': {
        inFlight.push(clone(view));
        disk.fsync(() => (durable = inFlight.shift()!));
        break;
      }
      case 'advance':
        loop.run({ untilUs: loop.now() + c.us });
        break;
      case 'crash': {
        disk.crash();
        inFlight.length = 0;
        view = clone(durable);
        for (const f of FILES) {
          const records = disk.read(f);
          // Only the last record may be torn, and only it.
          expect(records.slice(0, -1).every((r) => !r.torn)).toBe(true);
          expect(readView(f)).toEqual(durable.get(f) ?? []);
          // Recovery discards a torn tail, as a host must.
          if (records.at(-1)?.torn === true) disk.truncate(f, records.length - 1);
        }
        break;
      }
    }
    for (const f of FILES) expect(readView(f)).toEqual(view.get(f) ?? []);
  }
}

describe('SimDisk against a model of durability', () => {
  it('keeps exactly what completed fsyncs covered, across random writes, fsyncs and crashes', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), fc.integer({ min: 0, max: 1_000 }), (commands, diskSeed) => check(commands, diskSeed)),
      fcParams(300),
    );
  });
});
