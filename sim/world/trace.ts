// Every event that changes the world enters the trace: its hash is the run's fingerprint and,
// when asked for, a bounded log keeps the most recent events for trace.jsonl. Only integers go
// into the hash (names are interned to small integers in first-use order, which is itself
// deterministic), so hashing costs a few multiplies and never allocates.
import { violated } from '../../src/invariant-violation.ts';
import { TraceHash } from './trace-hash.ts';
import { badArgument } from '../errors/bad-argument.ts';

/** Event kind codes. The numbers enter the hash: append new kinds, never renumber. */
export const TraceKind = {
  send: 1,
  deliver: 2,
  drop: 3,
  duplicate: 4,
  timer: 5,
  fsync: 6,
  crash: 7,
  restart: 8,
  pause: 9,
  resume: 10,
  fault: 11,
  clock: 12,
  buggify: 13,
  annotate: 14,
  write: 15,
  torn: 16,
  hold: 17,
  start: 18,
  clog: 19,
  release: 20,
  linkFault: 21,
} as const;
export type TraceKindName = keyof typeof TraceKind;
export type TraceKindCode = (typeof TraceKind)[TraceKindName];

/** What fields a, b, c mean for each kind, for the log; `@` marks an interned name. */
const FIELDS: Record<TraceKindName, readonly [string, string, string]> = {
  send: ['@from', '@to', 'messageId'],
  deliver: ['@from', '@to', 'messageId'],
  drop: ['@from', '@to', 'messageId'],
  duplicate: ['@from', '@to', 'messageId'],
  timer: ['@node', 'timerId', 'late'],
  fsync: ['@node', 'opsSynced', 'latencyUs'],
  crash: ['@node', 'incarnation', 'opsLost'],
  restart: ['@node', 'incarnation', ''],
  pause: ['@node', '', ''],
  resume: ['@node', 'held', ''],
  fault: ['@fault', '@node', 'count'],
  clock: ['@node', 'change', 'valueUs'],
  buggify: ['@node', '@site', ''],
  annotate: ['@node', '@label', 'detailHash'],
  write: ['@node', '@file', 'sizeBytes'],
  torn: ['@node', '@file', 'sizeBytes'],
  hold: ['@node', 'what', 'held'],
  start: ['@node', 'incarnation', ''],
  clog: ['@from', '@to', 'untilUs'],
  release: ['@from', '@to', 'messageId'],
  linkFault: ['@fault', '@from', '@to'],
};

const KIND_NAMES: string[] = [];
for (const [name, code] of Object.entries(TraceKind)) KIND_NAMES[code] = name;

export interface TraceEntry {
  readonly index: number;
  readonly timeUs: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

export const TRACE_LOG_CAP_DEFAULT = 10_000;
export const TRACE_LOG_CAP_MAX = 10_000_000;

export class Trace {
  readonly hash = new TraceHash();
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Ring buffer of the last `logCap` entries; empty when logging is off. */
  private readonly ring: RawEntry[] = [];
  private ringStart = 0;
  private eventCount = 0;

  constructor(
    private readonly nowUs: () => number,
    readonly logCap: number,
  ) {
    // detcd/world exports Trace: a program's wrong argument is refused naming it (a UsageError).
    if (typeof nowUs !== 'function') throw badArgument('Trace', 'nowUs', 'must be a function () => µs', nowUs);
    if (!Number.isInteger(logCap) || logCap < 0 || logCap > TRACE_LOG_CAP_MAX) {
      throw badArgument('Trace', 'logCap', `must be a whole number from 0 to ${TRACE_LOG_CAP_MAX}`, logCap);
    }
  }

  /** A small integer for `name`, stable for the run (first use gets the next id, from 1). */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length + 1;
      this.ids.set(name, id);
      this.names.push(name);
      if (this.names[id - 1] !== name) throw violated('harness', 'trace-intern', `${name} interned as ${id}, which names ${this.names[id - 1]}`);
    }
    return id;
  }

  nameOf(id: number): string {
    const name = this.names[id - 1];
    if (name === undefined) throw new Error(`Trace invariant: unknown interned id ${id}`);
    return name;
  }

  get events(): number {
    return this.eventCount;
  }

  record(kind: TraceKindCode, a = 0, b = 0, c = 0, detail?: Readonly<Record<string, unknown>>): void {
    this.eventCount++;
    this.hash.event(kind, this.nowUs(), a, b, c);
    if (this.logCap > 0) this.log(kind, a, b, c, detail);
  }

  /** Folds an annotation's detail into the hash: numbers, strings and booleans, in key order. */
  hashDetail(detail: Readonly<Record<string, unknown>>): number {
    const h = new TraceHash();
    for (const key of Object.keys(detail).sort()) {
      const value = detail[key];
      if (typeof value === 'number') {
        h.mixString(key);
        h.mix(Number.isSafeInteger(value) ? value : Math.floor(value * 1000));
      } else if (typeof value === 'string') {
        h.mixString(key);
        h.mixString(value);
      } else if (typeof value === 'boolean') {
        h.mixString(key);
        h.mix(value ? 1 : 2);
      }
    }
    return h.toNumber();
  }

  digest(): string {
    return this.hash.digest();
  }

  /** The logged entries, oldest first (at most logCap of the most recent events). */
  entries(): TraceEntry[] {
    const ordered = this.ring.slice(this.ringStart).concat(this.ring.slice(0, this.ringStart));
    return ordered.map((raw) => this.toEntry(raw));
  }

  /** Logging stores raw integers in reused slots; names are resolved only when read. */
  private log(kind: TraceKindCode, a: number, b: number, c: number, detail?: Readonly<Record<string, unknown>>): void {
    const index = this.eventCount - 1;
    const timeUs = this.nowUs();
    if (this.ring.length < this.logCap) {
      this.ring.push({ index, timeUs, kind, a, b, c, detail });
      return;
    }
    if (this.ring.length !== this.logCap || this.ringStart >= this.logCap) throw violated('harness', 'trace-log-bounded', `${this.ring.length} entries logged, cap ${this.logCap}, start ${this.ringStart}`);
    const slot = this.ring[this.ringStart] as RawEntry;
    slot.index = index;
    slot.timeUs = timeUs;
    slot.kind = kind;
    slot.a = a;
    slot.b = b;
    slot.c = c;
    slot.detail = detail;
    this.ringStart = this.ringStart + 1 === this.logCap ? 0 : this.ringStart + 1;
  }

  private toEntry(raw: RawEntry): TraceEntry {
    const kindName = KIND_NAMES[raw.kind] as TraceKindName;
    const entry: Record<string, unknown> = { index: raw.index, timeUs: raw.timeUs, kind: kindName };
    const fields = FIELDS[kindName];
    const values = [raw.a, raw.b, raw.c];
    for (let i = 0; i < 3; i++) {
      const field = fields[i] as string;
      if (field === '') continue;
      const value = values[i] as number;
      if (field.startsWith('@')) entry[field.slice(1)] = value === 0 ? null : this.nameOf(value);
      else entry[field] = value;
    }
    if (raw.detail !== undefined) entry['detail'] = raw.detail;
    return entry as unknown as TraceEntry;
  }
}

interface RawEntry {
  index: number;
  timeUs: number;
  kind: TraceKindCode;
  a: number;
  b: number;
  c: number;
  detail: Readonly<Record<string, unknown>> | undefined;
}
