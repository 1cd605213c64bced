// The simulated world: one event loop, one network, and per node a clock, a disk and a process
// that runs a Host. One seed decides everything; each subsystem draws from its own forked stream
// ('network', 'disk/<id>', 'clock/<id>', 'node/<id>/<incarnation>', 'buggify'), so an extra
// draw in one never shifts another. Every change to the world enters the trace.
//
// Lifecycle: a message that reaches a node while it is down (crashed or never started) is
// dropped; one sent to a node that crashes and restarts before it arrives reaches the new
// incarnation, like a datagram reaching a restarted process. Clients never crash or pause.
// Clock faults go through clockJump/clockSetDrift so they enter the trace; `clock(id)` is for
// reading. Observers (onEvent) run after every event of the loop, however the loop is driven.
import { Buggify } from './buggify.ts';
import type { BuggifySiteCoverage } from './buggify.ts';
import { NodeClock } from './clock.ts';
import type { ClockOptions } from './clock.ts';
import { DISK_DEFAULTS, SimDisk } from './disk.ts';
import type { DiskOptions, DiskStats } from './disk.ts';
import { EventLoop } from './event-loop.ts';
import type { RunLimits, StopReason } from './event-loop.ts';
import type { HostContext, HostFactory } from './host.ts';
import { LINK_DEFAULTS, Network } from './network.ts';
import type { NetworkOptions, NetworkStats } from './network.ts';
import { NodeProcess } from './node-process.ts';
import { violated } from '../../src/invariant-violation.ts';
import { Prng } from './prng.ts';
import { TRACE_LOG_CAP_DEFAULT, Trace, TraceKind } from './trace.ts';
import type { TraceEntry } from './trace.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { badArgument, checkObjectArgument, shownArgument } from '../errors/bad-argument.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { checkDiskOptions, checkNetworkOptions, checkWorldClockOptions } from './option-checks.ts';

export interface WorldClockOptions extends ClockOptions {
  /** Each node's offset is drawn uniformly from [-offsetUsMax, offsetUsMax] and added. */
  offsetUsMax?: number;
  /** Each node's drift is drawn uniformly from [-driftPpmMax, driftPpmMax] and added. */
  driftPpmMax?: number;
  /** Exact settings for some nodes (replacing the drawn ones). */
  perNode?: Readonly<Record<string, ClockOptions>>;
}

export interface WorldOptions {
  seed: number | string;
  /**
   * The run's root stream, when the run drew from it before the world existed (swarm knobs,
   * the fault schedule): the world adopts it instead of making a second root from the seed.
   */
  prng?: Prng;
  nodes: readonly string[];
  clients?: readonly string[];
  network?: NetworkOptions;
  disk?: DiskOptions;
  clock?: WorldClockOptions;
  buggify?: boolean;
  /** Keep the most recent events in memory: true for the default cap, or a cap. */
  traceLog?: boolean | number;
}

export interface ClientEndpoint {
  readonly id: string;
  send(to: string, message: unknown, sizeBytes?: number): void;
}

/** What an observer learns after each event: the time and the step (valid during its call: the object is reused). */
export interface WorldEvent {
  readonly timeUs: number;
  readonly step: number;
}

/** The world's settings after defaults and per-node draws, to print at the start of a run. */
export interface WorldDescription {
  seed: string;
  nodes: readonly string[];
  clients: readonly string[];
  network: NetworkOptions;
  disk: DiskOptions;
  clocks: Record<string, { offsetUs: number; driftPpm: number }>;
  buggify: boolean;
  traceLogCap: number;
}

export interface WorldStats {
  events: number;
  simulatedUs: number;
  traceEvents: number;
  network: NetworkStats;
  disk: DiskStats;
  crashes: number;
  restarts: number;
  pauses: number;
  clockChanges: number;
  /** Every fault injected: network faults, crashes, pauses, clock changes and recorded faults. */
  faults: number;
  buggifyFired: number;
}

const NODES_MAX = 1000;
const WORLD_KEYS = ['seed', 'prng', 'nodes', 'clients', 'network', 'disk', 'clock', 'buggify', 'traceLog'];
const OBSERVERS_MAX = 100;

export class World {
  readonly seed: string;
  readonly loop = new EventLoop();
  readonly network: Network;
  /** The run's root stream; other subsystems (nemesis, workload) fork from it by name. */
  readonly prng: Prng;
  readonly buggifySites: Buggify;
  readonly nodeIds: readonly string[];
  private readonly trace: Trace;
  private readonly processes = new Map<string, NodeProcess>();
  private readonly clients = new Map<string, (from: string, message: unknown) => void>();
  /** Who takes a message sent to a name, node or client: one lookup per delivery (and one for accepts). */
  private readonly receivers = new Map<string, Receiver>();
  private readonly observers: ((event: WorldEvent) => void)[] = [];
  private readonly lastEvent: { timeUs: number; step: number } = { timeUs: 0, step: 0 };
  private nextTimerId = 1;
  private lifecycleChanges = 0;
  private readonly options: WorldOptions;
  private readonly counters = { crashes: 0, restarts: 0, pauses: 0, clockChanges: 0, faults: 0, buggifyFired: 0 };

  constructor(given: WorldOptions) {
    const options = checkOptions(given);
    this.options = options;
    this.seed = String(options.seed);
    this.prng = options.prng ?? new Prng(options.seed);
    if (this.prng.seed !== this.seed) throw violated('harness', 'one-root-stream', `the root stream's seed ${this.prng.seed} is not the world's seed ${this.seed}`);
    this.nodeIds = options.nodes.slice();
    const logCap = options.traceLog === true ? TRACE_LOG_CAP_DEFAULT : options.traceLog === false ? 0 : (options.traceLog ?? 0);
    this.trace = new Trace(() => this.loop.now(), logCap);
    this.network = new Network(this.loop, this.trace, this.prng.fork('network'), this.nodeIds, options.network);
    this.network.setDeliver(
      (from, to, message) => this.deliver(from, to, message),
      (to) => {
        const r = this.receivers.get(to);
        return r !== undefined && (r.client !== undefined || (r.process?.isUp ?? false));
      },
    );
    this.buggifySites = new Buggify(this.prng.fork('buggify'), { enabled: options.buggify ?? false });
    for (const id of this.nodeIds) {
      const process = this.makeProcess(id, options);
      this.processes.set(id, process);
      this.receivers.set(id, { process, client: undefined });
    }
    for (const client of options.clients ?? []) this.network.addEndpoint(client);
  }

  // ---- nodes ----

  disk(id: string): SimDisk {
    return this.process(id).disk;
  }

  clock(id: string): NodeClock {
    return this.process(id).clock;
  }

  /** The node's local time now. */
  localUs(id: string): number {
    return this.process(id).clock.localUs(this.loop.now());
  }

  startNode(id: string, factory: HostFactory): void {
    const p = this.process(id);
    if (p.status !== 'never-started') throw new Error(`World.startNode: ${id} was already started`);
    p.factory = factory;
    p.boot((incarnation) => this.makeContext(p, incarnation));
    this.lifecycleChanges++;
    this.trace.record(TraceKind.start, p.traceId, p.incarnation);
    this.notifyOutsideStep();
  }

  /**
   * Kills the node: host discarded, timers cancelled, unsynced writes lost. With `tornWrites`
   * false the crash is clean; otherwise it may tear a record with the disk's tornWrite probability.
   */
  crash(id: string, tornWrites = true): void {
    const p = this.process(id);
    const lost = p.kill(tornWrites);
    if (p.isUp) throw violated('harness', 'crash-downs', `${id} is still up after its crash`);
    this.counters.crashes++;
    this.lifecycleChanges++;
    this.trace.record(TraceKind.crash, p.traceId, p.incarnation, lost);
    this.notifyOutsideStep();
  }

  /** Starts a new incarnation of a crashed node with the same factory; it recovers from disk. */
  restart(id: string): void {
    const p = this.process(id);
    if (p.status !== 'crashed') throw new Error(`World.restart: ${id} is ${p.status}, not crashed`);
    const incarnation = p.incarnation;
    p.boot((i) => this.makeContext(p, i));
    if (!p.isUp || p.incarnation !== incarnation + 1) throw violated('harness', 'restart-new-incarnation', `${id} restarted as incarnation ${p.incarnation} after ${incarnation}, up ${p.isUp}`);
    this.counters.restarts++;
    this.lifecycleChanges++;
    this.trace.record(TraceKind.restart, p.traceId, p.incarnation);
    this.notifyOutsideStep();
  }

  /** Stops the process (SIGSTOP): it handles nothing; messages, timers and fsyncs are held. */
  pause(id: string): void {
    const p = this.process(id);
    p.pause();
    if (!p.paused) throw violated('harness', 'pause-holds', `${id} is not paused after pause`);
    this.counters.pauses++;
    this.lifecycleChanges++;
    this.trace.record(TraceKind.pause, p.traceId);
    this.notifyOutsideStep();
  }

  /** Continues the process: held events are handled in order, timers late. */
  resume(id: string): void {
    const p = this.process(id);
    const held = p.resume();
    this.lifecycleChanges++;
    this.trace.record(TraceKind.resume, p.traceId, held);
    this.notifyOutsideStep();
  }

  /**
   * Counts starts, crashes, restarts, pauses and resumes: while it stays the same, every isUp,
   * isPaused and incarnation answer stays the same, so an observer can keep what it derived.
   */
  get lifecycleVersion(): number {
    return this.lifecycleChanges;
  }

  /** Started and not crashed (a paused node is up). */
  isUp(id: string): boolean {
    return this.process(id).isUp;
  }

  isPaused(id: string): boolean {
    return this.process(id).paused;
  }

  incarnation(id: string): number {
    return this.process(id).incarnation;
  }

  // ---- clocks ----

  /** Steps the node's clock by deltaUs (negative: backwards). */
  clockJump(id: string, deltaUs: number): void {
    const p = this.process(id);
    p.clock.jump(this.loop.now(), deltaUs);
    this.counters.clockChanges++;
    this.trace.record(TraceKind.clock, p.traceId, 1, deltaUs);
  }

  clockSetDrift(id: string, driftPpm: number): void {
    const p = this.process(id);
    p.clock.setDrift(this.loop.now(), driftPpm);
    this.counters.clockChanges++;
    this.trace.record(TraceKind.clock, p.traceId, 2, driftPpm);
  }

  // ---- clients ----

  /** A client endpoint on the network; `onMessage` runs as a world event for each delivery. */
  attachClient(id: string, onMessage: (from: string, message: unknown) => void): ClientEndpoint {
    if (this.processes.has(id)) throw new Error(`World.attachClient: ${id} is a node`);
    if (this.clients.has(id)) throw new Error(`World.attachClient: ${id} is already attached`);
    this.network.addEndpoint(id);
    this.clients.set(id, onMessage);
    this.receivers.set(id, { process: undefined, client: onMessage });
    return { id, send: (to, message, sizeBytes) => this.network.send(id, to, message, sizeBytes ?? 0) };
  }

  // ---- run, trace, observers ----

  run(limits: RunLimits = {}): StopReason {
    return this.loop.run(limits);
  }

  /** Calls `observer` after every event of the loop (and after lifecycle calls made outside one). */
  onEvent(observer: (event: WorldEvent) => void): () => void {
    if (this.observers.length >= OBSERVERS_MAX) throw new Error('World bound: too many observers');
    this.observers.push(observer);
    this.loop.afterEach = () => this.notify();
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
      if (this.observers.length === 0) this.loop.afterEach = undefined;
    };
  }

  /** Records a fault the nemesis injected by other means, for the trace and the stats. */
  recordFault(name: string, node?: string): void {
    this.counters.faults++;
    const nodeId = node === undefined ? 0 : this.trace.intern(node);
    this.trace.record(TraceKind.fault, this.trace.intern(name), nodeId, 0);
  }

  /** The settings this world runs with (clocks as drawn for each node, at world time 0). */
  describe(): WorldDescription {
    const clocks: WorldDescription['clocks'] = {};
    for (const id of this.nodeIds) {
      const clock = this.process(id).clock;
      clocks[id] = { offsetUs: clock.initialOffsetUs, driftPpm: clock.initialDriftPpm };
    }
    return {
      seed: this.seed,
      nodes: this.nodeIds,
      // Clients named at construction, then those attached later without being named.
      clients: [...new Set([...(this.options.clients ?? []), ...this.clients.keys()])],
      network: withFields(LINK_DEFAULTS, this.options.network ?? {}),
      disk: withFields(DISK_DEFAULTS, this.options.disk ?? {}),
      clocks,
      buggify: this.buggifySites.enabled,
      traceLogCap: this.trace.logCap,
    };
  }

  traceHash(): string {
    return this.trace.digest();
  }

  /** The bounded in-memory trace log, oldest first (empty unless traceLog was set). */
  traceEntries(): TraceEntry[] {
    return this.trace.entries();
  }

  buggifyCoverage(): BuggifySiteCoverage[] {
    return this.buggifySites.coverage();
  }

  stats(): WorldStats {
    const disk: DiskStats = { fsyncsIssued: 0, fsyncs: 0, fsyncSpikes: 0, bytesWritten: 0, bytesSynced: 0, crashes: 0, opsLost: 0, tornRecords: 0 };
    for (const id of this.nodeIds) {
      const s = this.process(id).disk.stats();
      for (const key of Object.keys(disk) as (keyof DiskStats)[]) disk[key] += s[key];
    }
    const network = this.network.stats();
    const c = this.counters;
    return {
      events: this.loop.steps,
      simulatedUs: this.loop.now(),
      traceEvents: this.trace.events,
      network,
      disk,
      crashes: c.crashes,
      restarts: c.restarts,
      pauses: c.pauses,
      clockChanges: c.clockChanges,
      faults: c.faults + network.faults + c.crashes + c.pauses + c.clockChanges,
      buggifyFired: c.buggifyFired,
    };
  }

  // ---- internals ----

  private process(id: string): NodeProcess {
    const p = this.processes.get(id);
    if (p === undefined) throw new Error(`World: unknown node ${id}`);
    return p;
  }

  private makeProcess(id: string, options: WorldOptions): NodeProcess {
    const traceId = this.trace.intern(id);
    const clock = new NodeClock(this.clockOptions(id, options.clock ?? {}));
    const holder: { process?: NodeProcess } = {};
    const disk = new SimDisk(
      {
        nowUs: () => this.loop.now(),
        schedule: (delayUs, fn) => this.loop.schedule(delayUs, fn),
        cancel: (loopId) => void this.loop.cancel(loopId),
        deliver: (fn) => {
          if (holder.process === undefined) throw new Error('World invariant: disk callback before its process exists');
          holder.process.deliverCallback(fn);
        },
        trace: this.trace,
        nodeTraceId: traceId,
      },
      this.prng.fork(`disk/${id}`),
      options.disk,
    );
    holder.process = new NodeProcess(id, traceId, clock, disk, this.loop, this.trace, () => this.nextTimerId++);
    return holder.process;
  }

  private clockOptions(id: string, o: WorldClockOptions): ClockOptions {
    const exact = o.perNode?.[id];
    if (exact !== undefined) return exact;
    const prng = this.prng.fork(`clock/${id}`);
    const offsetUsMax = o.offsetUsMax ?? 0;
    const driftPpmMax = o.driftPpmMax ?? 0;
    return {
      offsetUs: (o.offsetUs ?? 0) + (offsetUsMax > 0 ? prng.intRange(-offsetUsMax, offsetUsMax) : 0),
      driftPpm: (o.driftPpm ?? 0) + (driftPpmMax > 0 ? prng.intRange(-driftPpmMax, driftPpmMax) : 0),
    };
  }

  private makeContext(p: NodeProcess, incarnation: number): HostContext {
    return {
      id: p.id,
      disk: p.disk,
      prng: this.prng.fork(`node/${p.id}/${incarnation}`),
      nowUs: () => p.clock.localUs(this.loop.now()),
      setTimer: (delayUs, fn) => p.setTimer(incarnation, delayUs, fn),
      cancelTimer: (id) => p.cancelTimer(incarnation, id),
      send: (to, message, sizeBytes) => {
        p.checkIncarnation(incarnation);
        this.network.send(p.id, to, message, sizeBytes ?? 0);
      },
      buggify: (site) => {
        if (!this.buggifySites.fire(site)) return false;
        this.counters.buggifyFired++;
        this.trace.record(TraceKind.buggify, p.traceId, this.trace.intern(site));
        return true;
      },
      trace: (kind, detail) => {
        const detailHash = detail === undefined ? 0 : this.trace.hashDetail(detail);
        this.trace.record(TraceKind.annotate, p.traceId, this.trace.intern(kind), detailHash, detail);
      },
    };
  }

  private deliver(from: string, to: string, message: unknown): void {
    const r = this.receivers.get(to);
    if (r?.client !== undefined) return r.client(from, message);
    if (r?.process === undefined) throw new Error(`World: unknown node ${to}`);
    r.process.deliverMessage(from, message);
  }

  private notify(): void {
    const observers = this.observers;
    if (observers.length === 0) return;
    // One event object, refilled after every event (an observer reads it during its call).
    const event = this.lastEvent;
    event.timeUs = this.loop.now();
    event.step = this.loop.steps;
    for (let i = 0; i < observers.length; i++) (observers[i] as (event: WorldEvent) => void)(event);
  }

  private notifyOutsideStep(): void {
    if (!this.loop.inStep) this.notify();
  }
}

/** A node's process or a client's handler: what a message to that name reaches. */
interface Receiver {
  readonly process: NodeProcess | undefined;
  readonly client: ((from: string, message: unknown) => void) | undefined;
}

/**
 * The options a program builds a World from (detcd/world), checked before anything is built: a
 * wrong one is one UsageError naming the option and the reason, not a TypeError from inside.
 */
function checkOptions(options: unknown): WorldOptions {
  const fn = 'new World';
  const o = checkObjectArgument(fn, 'options', options, 'world options ({seed, nodes, clients?, network?, disk?, clock?, buggify?, traceLog?})');
  const seed = o['seed'];
  if (!((typeof seed === 'number' && Number.isSafeInteger(seed)) || (typeof seed === 'string' && seed.length > 0))) throw badArgument(fn, 'options.seed', 'must be a whole number or a non-empty string', seed);
  for (const key of Object.keys(o)) if (!WORLD_KEYS.includes(key)) throw badArgument(fn, `options.${key}`, `is no option (the options are ${WORLD_KEYS.join(', ')})`, o[key]);
  const prng = o['prng'];
  if (prng !== undefined && !(prng instanceof Prng && prng.seed === String(seed))) throw badArgument(fn, 'options.prng', `must be a Prng of the world's seed (new Prng(${shownArgument(seed)}))`, prng instanceof Prng ? `a Prng of seed ${prng.seed}` : prng);
  const nodes = o['nodes'];
  const clients = o['clients'] ?? [];
  if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > NODES_MAX) throw badArgument(fn, 'options.nodes', `must be an array of 1..${NODES_MAX} node names`, nodes);
  if (!Array.isArray(clients)) throw badArgument(fn, 'options.clients', 'must be an array of client names when given', clients);
  // forEach skips a hole: a sparse array's 4 billion missing names were taken as none (and hung later).
  checkArrayArgument(fn, 'options.nodes', nodes, 'node names');
  checkArrayArgument(fn, 'options.clients', clients, 'client names');
  const all = new Set<unknown>();
  for (const [field, names] of [['nodes', nodes], ['clients', clients]] as const) {
    names.forEach((name: unknown, i: number) => {
      if (typeof name !== 'string' || name.length === 0) throw badArgument(fn, `options.${field}[${i}]`, 'must be a non-empty string', name);
      if (all.has(name)) throw badArgument(fn, `options.${field}[${i}]`, 'must not duplicate another node or client name', name);
      all.add(name);
    });
  }
  // The given fields only: an option given as undefined keeps its default, in the run and in describe().
  const given: WorldOptions = withFields(options as WorldOptions, {});
  if (o['network'] !== undefined) given.network = checkNetworkOptions(fn, 'options.network', o['network']);
  if (o['disk'] !== undefined) given.disk = checkDiskOptions(fn, 'options.disk', o['disk'], DISK_DEFAULTS);
  if (o['clock'] !== undefined) given.clock = checkWorldClockOptions(fn, 'options.clock', o['clock'], nodes as string[]);
  if (o['buggify'] !== undefined && typeof o['buggify'] !== 'boolean') throw badArgument(fn, 'options.buggify', 'must be a boolean when given', o['buggify']);
  const traceLog = o['traceLog'];
  if (traceLog !== undefined && typeof traceLog !== 'boolean' && !(typeof traceLog === 'number' && Number.isSafeInteger(traceLog) && traceLog >= 0)) throw badArgument(fn, 'options.traceLog', 'must be a boolean or a whole number of entries from 0 when given', traceLog);
  return given;
}
