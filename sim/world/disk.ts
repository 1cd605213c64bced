// A node's simulated disk: named files of opaque records. Writes land in a volatile view at once
// (what the running process reads); an fsync makes everything written before it durable after a
// latency; a crash throws away every write whose fsync had not completed, and may leave the
// record that was half-written at the crash behind as a torn record.
//
// Torn records: in an append-only file the only record that can be partly on the platter at a
// crash is the one right after the durable end, i.e. the first unsynced append to that file.
// With probability `tornWrite` a crash leaves a prefix of it there, returned by `read` with
// `torn: true`, `value: undefined` and a smaller `sizeBytes`. Recovery must discard it (and may
// `truncate` it away). An atomic `replace` is never torn: like write-temp-then-rename it leaves
// either the old durable content or the new one.
//
// Values are stored by reference and frozen (deeply) when written: a host that mutates a record
// after writing it throws at once instead of changing what the disk holds behind its back.
import { violated } from '../../src/invariant-violation.ts';
import type { Prng } from './prng.ts';
import type { Ratio } from './ratio.ts';
import { isRatio } from './ratio.ts';
import { badArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { checkDiskOptions } from './option-checks.ts';
import { TraceKind } from './trace.ts';
import type { Trace } from './trace.ts';
import { withFields } from '../../src/object/with-fields.ts';

export interface DiskRecord {
  readonly value: unknown;
  readonly sizeBytes: number;
  readonly torn: boolean;
}

export interface RecordInput {
  readonly value: unknown;
  readonly sizeBytes: number;
}

/** What a node process can do with its disk. */
export interface Disk {
  /** Appends a record to `file` (creating it); volatile until an fsync issued after it completes. */
  append(file: string, value: unknown, sizeBytes: number): void;
  /** Atomically replaces the whole of `file` (write temp + rename); durable after the next fsync. */
  replace(file: string, records: readonly RecordInput[]): void;
  /** Keeps the first `length` records of `file`; volatile until the next fsync. */
  truncate(file: string, length: number): void;
  /** Removes `file`; volatile until the next fsync. */
  remove(file: string): void;
  /** Makes every write made before this call durable after the fsync latency, then calls back. */
  fsync(onDurable: () => void): void;
  /**
   * The process's view of `file` (durable plus volatile writes); empty if it does not exist. A live
   * view, not a copy: a later truncate or append of the file changes it (copy what must stay).
   */
  read(file: string): readonly DiskRecord[];
  exists(file: string): boolean;
  /** Names of existing files, sorted. */
  files(): string[];
}

export interface DiskOptions {
  fsyncLatencyUsMin?: number;
  fsyncLatencyUsMax?: number;
  /** Probability that one fsync takes `fsyncSpikeLatencyUs` instead. */
  fsyncSpike?: Ratio;
  fsyncSpikeLatencyUs?: number;
  /** Probability that a crash tears the first unsynced record of each file appended to. */
  tornWrite?: Ratio;
}

export const DISK_DEFAULTS: Required<DiskOptions> = {
  fsyncLatencyUsMin: 200,
  fsyncLatencyUsMax: 2_000,
  fsyncSpike: { num: 0, den: 1 },
  fsyncSpikeLatencyUs: 100_000,
  tornWrite: { num: 1, den: 2 },
};

export interface DiskStats {
  fsyncsIssued: number;
  fsyncs: number;
  fsyncSpikes: number;
  bytesWritten: number;
  bytesSynced: number;
  crashes: number;
  opsLost: number;
  tornRecords: number;
}

/** How the disk reaches the world: time, the node's process gate, the trace. */
export interface DiskEnv {
  nowUs(): number;
  schedule(delayUs: number, fn: () => void): number;
  cancel(id: number): void;
  /** Runs an fsync callback in the node's process, or holds it while the process is paused. */
  deliver(fn: () => void): void;
  readonly trace: Trace;
  /** Interned node id for the trace. */
  readonly nodeTraceId: number;
}

type Op =
  | { kind: 'append'; file: string; record: DiskRecord }
  | { kind: 'replace'; file: string; records: readonly DiskRecord[] }
  | { kind: 'truncate'; file: string; length: number }
  | { kind: 'remove'; file: string };

interface PendingFsync {
  readonly loopId: number;
  /** Number of ops (from the head of `pending`) this fsync covers. */
  opsCovered: number;
  readonly onDurable: () => void;
  readonly latencyUs: number;
}

const FSYNC_QUEUE_MAX = 100_000;
const PENDING_OPS_MAX = 10_000_000;

export class SimDisk implements Disk {
  private readonly options: Required<DiskOptions>;
  private durable = new Map<string, DiskRecord[]>();
  private current = new Map<string, DiskRecord[]>();
  /** Writes not yet durable, oldest first. */
  private pending: Op[] = [];
  private fsyncs: PendingFsync[] = [];
  /** World time at which the last issued fsync completes: fsyncs complete in issue order. */
  private lastFsyncDoneUs = 0;
  private readonly statsCounters: DiskStats = {
    fsyncsIssued: 0, fsyncs: 0, fsyncSpikes: 0, bytesWritten: 0, bytesSynced: 0, crashes: 0, opsLost: 0, tornRecords: 0,
  };

  constructor(
    private readonly env: DiskEnv,
    private readonly prng: Prng,
    options: DiskOptions = {},
  ) {
    // detcd/world exports SimDisk: a program's options that are no object are refused naming them.
    this.options = withFields(DISK_DEFAULTS, checkDiskOptions('SimDisk', 'options', options, DISK_DEFAULTS));
  }

  append(file: string, value: unknown, sizeBytes: number): void {
    checkSize(sizeBytes);
    const record: DiskRecord = Object.freeze({ value: freezeRecord(value), sizeBytes, torn: false });
    if (!isFrozenRecord(record)) throw violated('harness', 'disk-record-frozen', `${file}: a record written is not frozen`);
    const records = this.mutable(file);
    const lengthBefore = records.length;
    records.push(record);
    if (this.mutable(file).length !== lengthBefore + 1) throw violated('harness', 'disk-append-one', `${file}: ${lengthBefore} records before, ${this.mutable(file).length} after`);
    this.addOp({ kind: 'append', file, record });
    this.statsCounters.bytesWritten += sizeBytes;
    this.env.trace.record(TraceKind.write, this.env.nodeTraceId, this.env.trace.intern(file), sizeBytes);
  }

  replace(file: string, records: readonly RecordInput[]): void {
    const copy = records.map((r): DiskRecord => {
      checkSize(r.sizeBytes);
      this.statsCounters.bytesWritten += r.sizeBytes;
      return Object.freeze({ value: freezeRecord(r.value), sizeBytes: r.sizeBytes, torn: false });
    });
    this.current.set(file, copy.slice());
    if (this.read(file).length !== records.length) throw violated('harness', 'disk-replace', `${file}: ${records.length} records written, ${this.read(file).length} read back`);
    this.addOp({ kind: 'replace', file, records: copy });
    this.env.trace.record(TraceKind.write, this.env.nodeTraceId, this.env.trace.intern(file), -copy.length);
  }

  truncate(file: string, length: number): void {
    const records = this.current.get(file);
    if (records === undefined) throw new Error(`SimDisk.truncate: no file ${file}`);
    if (!Number.isInteger(length) || length < 0) throw new Error(`SimDisk.truncate: bad length ${length}`);
    if (length >= records.length) return;
    records.length = length;
    if (this.read(file).length !== length) throw violated('harness', 'disk-truncate', `${file}: truncated to ${length}, ${this.read(file).length} records left`);
    this.addOp({ kind: 'truncate', file, length });
  }

  remove(file: string): void {
    if (!this.current.delete(file)) return;
    this.addOp({ kind: 'remove', file });
  }

  fsync(onDurable: () => void): void {
    if (this.fsyncs.length >= FSYNC_QUEUE_MAX) throw new Error('SimDisk bound: too many fsyncs in flight');
    this.statsCounters.fsyncsIssued++;
    const latencyUs = this.drawLatencyUs();
    const now = this.env.nowUs();
    const doneUs = Math.max(now + latencyUs, this.lastFsyncDoneUs);
    this.lastFsyncDoneUs = doneUs;
    const opsCovered = this.pending.length;
    // An fsync covers every write before it: at least what the fsync before it covers.
    const before = this.fsyncs.at(-1)?.opsCovered ?? 0;
    if (!(doneUs >= now && opsCovered >= before)) throw violated('harness', 'fsync-order', `an fsync done at ${doneUs} µs (now ${now}) covering ${opsCovered} writes after one covering ${before}`);
    // Fsyncs complete in issue order (doneUs never goes back, ties run in schedule order): the
    // event completes the oldest one in flight, through one function rather than a closure each.
    const loopId = this.env.schedule(doneUs - now, this.completeOldest);
    this.fsyncs.push({ loopId, opsCovered, onDurable, latencyUs });
  }

  read(file: string): readonly DiskRecord[] {
    return this.current.get(file) ?? [];
  }

  exists(file: string): boolean {
    return this.current.has(file);
  }

  files(): string[] {
    return [...this.current.keys()].sort();
  }

  /** Changes the fsync latency range from now on (a slow-disk fault); fsyncs in flight keep theirs. */
  setFsyncLatency(fsyncUsMin: number, fsyncUsMax: number): void {
    checkWholeArgument('SimDisk.setFsyncLatency', 'fsyncUsMax', fsyncUsMax, checkWholeArgument('SimDisk.setFsyncLatency', 'fsyncUsMin', fsyncUsMin, 0));
    this.options.fsyncLatencyUsMin = fsyncUsMin;
    this.options.fsyncLatencyUsMax = fsyncUsMax;
    this.env.trace.record(TraceKind.fault, this.env.trace.intern('fsync-latency'), this.env.nodeTraceId, fsyncUsMax);
  }

  /** Changes the probability that a crash tears a record, from now on. */
  setTornWrite(tornWrite: Ratio): void {
    if (!isRatio(tornWrite)) throw badArgument('SimDisk.setTornWrite', 'tornWrite', 'must be a probability {num, den}: whole numbers with 0 <= num <= den and den >= 1', tornWrite);
    this.options.tornWrite = tornWrite;
  }

  /** What survives a crash right now (for tests and checkers). */
  readDurable(file: string): readonly DiskRecord[] {
    return this.durable.get(file) ?? [];
  }

  durableFiles(): string[] {
    return [...this.durable.keys()].sort();
  }

  /** Number of writes not yet durable. */
  get unsyncedOps(): number {
    return this.pending.length;
  }

  /**
   * The node died: in-flight fsyncs never call back and their writes are lost with every other
   * unsynced write; the process view is reset to the durable content (plus torn records).
   * `mayTear: false` makes a clean crash (no torn record whatever the tornWrite probability).
   * Returns the number of writes lost.
   */
  crash(mayTear = true): number {
    for (const f of this.fsyncs) this.env.cancel(f.loopId);
    this.fsyncs = [];
    this.lastFsyncDoneUs = 0;
    const lost = this.pending.length;
    if (mayTear) this.tearFirstUnsyncedAppends();
    this.pending = [];
    this.current = new Map();
    for (const [file, records] of this.durable) this.current.set(file, records.slice());
    if (this.pending.length !== 0 || this.fsyncs.length !== 0 || this.current.size !== this.durable.size) throw violated('harness', 'disk-crash-reset', `after a crash ${this.pending.length} writes and ${this.fsyncs.length} fsyncs pending, ${this.current.size} files for ${this.durable.size} durable`);
    this.statsCounters.crashes++;
    this.statsCounters.opsLost += lost;
    return lost;
  }

  stats(): DiskStats {
    return { ...this.statsCounters };
  }

  private readonly completeOldest = (): void => {
    const head = this.fsyncs.shift();
    if (head === undefined) throw new Error('SimDisk invariant: fsync completed with none in flight');
    // The covered writes become durable in order and leave `pending` in place (no array of them).
    const pending = this.pending;
    const covered = head.opsCovered;
    if (covered > pending.length) throw violated('harness', 'fsync-covers', `the oldest fsync covers ${covered} of ${pending.length} pending writes`);
    for (let i = 0; i < covered; i++) this.applyDurable(pending[i] as Op);
    pending.copyWithin(0, covered);
    pending.length -= covered;
    for (let i = 0; i < this.fsyncs.length; i++) {
      const later = this.fsyncs[i] as PendingFsync;
      later.opsCovered -= covered;
      if (later.opsCovered < 0 || later.opsCovered > pending.length) throw violated('harness', 'fsync-covers', `a later fsync covers ${later.opsCovered} of ${pending.length} pending writes`);
    }
    this.statsCounters.fsyncs++;
    this.env.trace.record(TraceKind.fsync, this.env.nodeTraceId, covered, head.latencyUs);
    this.env.deliver(head.onDurable);
  };

  private applyDurable(op: Op): void {
    switch (op.kind) {
      case 'append': {
        // The pair of disk-record-frozen: what becomes durable is exactly what was written.
        if (!isFrozenRecord(op.record)) throw violated('harness', 'disk-record-frozen', `${op.file}: a record made durable is not frozen`);
        let records = this.durable.get(op.file);
        if (records === undefined) this.durable.set(op.file, (records = []));
        records.push(op.record);
        this.statsCounters.bytesSynced += op.record.sizeBytes;
        return;
      }
      case 'replace':
        this.durable.set(op.file, op.records.slice());
        for (const r of op.records) this.statsCounters.bytesSynced += r.sizeBytes;
        return;
      case 'truncate': {
        const records = this.durable.get(op.file);
        if (records !== undefined && records.length > op.length) records.length = op.length;
        return;
      }
      case 'remove':
        this.durable.delete(op.file);
        return;
    }
  }

  private tearFirstUnsyncedAppends(): void {
    const seen = new Set<string>();
    for (const op of this.pending) {
      if (seen.has(op.file)) continue;
      seen.add(op.file);
      if (op.kind !== 'append' || op.record.sizeBytes < 2) continue;
      if (!this.prng.chance(this.options.tornWrite.num, this.options.tornWrite.den)) continue;
      const sizeBytes = 1 + this.prng.int(op.record.sizeBytes - 1);
      let records = this.durable.get(op.file);
      if (records === undefined) this.durable.set(op.file, (records = []));
      if (!(sizeBytes < op.record.sizeBytes)) throw violated('harness', 'disk-torn-shorter', `${op.file}: a torn record of ${sizeBytes} bytes from one of ${op.record.sizeBytes}`);
      records.push(Object.freeze({ value: undefined, sizeBytes, torn: true }));
      this.statsCounters.tornRecords++;
      this.env.trace.record(TraceKind.torn, this.env.nodeTraceId, this.env.trace.intern(op.file), sizeBytes);
    }
  }

  private drawLatencyUs(): number {
    const o = this.options;
    if (this.prng.chance(o.fsyncSpike.num, o.fsyncSpike.den)) {
      this.statsCounters.fsyncSpikes++;
      return o.fsyncSpikeLatencyUs;
    }
    return this.prng.intRange(o.fsyncLatencyUsMin, o.fsyncLatencyUsMax);
  }

  private mutable(file: string): DiskRecord[] {
    let records = this.current.get(file);
    if (records === undefined) this.current.set(file, (records = []));
    return records;
  }

  private addOp(op: Op): void {
    if (this.pending.length >= PENDING_OPS_MAX) throw new Error('SimDisk bound: too many unsynced writes');
    this.pending.push(op);
  }
}

function checkSize(sizeBytes: number): void {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw new Error(`SimDisk: sizeBytes must be a non-negative integer, got ${sizeBytes}`);
  }
}

/** A record and its value (at its top level) cannot be changed any more. */
function isFrozenRecord(record: DiskRecord): boolean {
  const v = record.value;
  return Object.isFrozen(record) && (typeof v !== 'object' || v === null || Object.isFrozen(v));
}

/** Freezes a record's value and everything it holds, so that what was written stays written. */
function freezeRecord<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Walked in place (Object.values built an array per object written: every WAL record).
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeRecord(value[i]);
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) if (Object.hasOwn(o, k)) freezeRecord(o[k]);
  }
  return value;
}
