// One node's process: its host (if running), its timers, and the events held while it is
// paused. Everything that reaches the host (a message, a timer, an fsync callback) goes through
// `dispatch`, the one gate that knows the process state:
//   - down (crashed or never started): the event is dropped;
//   - paused: the event is held, in arrival order, and redelivered after resume (timers late);
//   - running: the host handles it, then `afterEvent` runs for observers.
import { violated } from '../../src/invariant-violation.ts';
import type { NodeClock } from './clock.ts';
import type { SimDisk } from './disk.ts';
import type { EventLoop } from './event-loop.ts';
import type { Host, HostContext, HostFactory } from './host.ts';
import { asHost, hostError } from './host-error.ts';
import { TraceKind } from './trace.ts';
import type { Trace } from './trace.ts';

export type ProcessStatus = 'never-started' | 'running' | 'crashed';

interface HostTimer {
  readonly id: number;
  loopId: number;
  readonly dueUs: number;
  readonly fn: () => void;
  cancelled: boolean;
}

type HeldEvent =
  | { readonly kind: 'message'; readonly from: string; readonly message: unknown }
  | { readonly kind: 'timer'; readonly timer: HostTimer }
  | { readonly kind: 'callback'; readonly fn: () => void };

export const HELD_EVENTS_MAX = 1_000_000;
export const TIMERS_PER_NODE_MAX = 1_000_000;

export class NodeProcess {
  status: ProcessStatus = 'never-started';
  paused = false;
  incarnation = 0;
  factory: HostFactory | undefined;
  private host: Host | undefined;
  private timers = new Map<number, HostTimer>();
  private held: HeldEvent[] = [];

  constructor(
    readonly id: string,
    readonly traceId: number,
    readonly clock: NodeClock,
    readonly disk: SimDisk,
    private readonly loop: EventLoop,
    private readonly trace: Trace,
    private readonly nextTimerId: () => number,
  ) {}

  get isUp(): boolean {
    return this.status === 'running';
  }

  get heldCount(): number {
    return this.held.length;
  }

  get timerCount(): number {
    return this.timers.size;
  }

  /** Starts a new incarnation: the factory builds the host, which recovers from the disk. */
  boot(makeContext: (incarnation: number) => HostContext): void {
    if (this.factory === undefined) throw new Error(`NodeProcess ${this.id}: no host factory`);
    if (this.status === 'running') throw new Error(`NodeProcess invariant: ${this.id} is already running`);
    // A new incarnation starts with nothing of the last one: no timers, no held events.
    if (this.timers.size !== 0 || this.held.length !== 0 || this.host !== undefined) throw violated('harness', 'process-boot-clean', `${this.id} boots with ${this.timers.size} timers and ${this.held.length} held events left`);
    this.incarnation++;
    this.status = 'running';
    this.paused = false;
    const ctx = makeContext(this.incarnation);
    const factory = this.factory;
    this.host = asHost(this.id, this.incarnation, 'start', () => factory(ctx));
  }

  /** Kills the process: the host, its timers and its held events vanish. Returns writes lost. */
  kill(mayTear = true): number {
    if (this.status !== 'running') throw new Error(`NodeProcess: cannot crash ${this.id}, it is ${this.status}`);
    for (const timer of this.timers.values()) this.loop.cancel(timer.loopId);
    this.timers = new Map();
    this.held = [];
    this.host = undefined;
    this.status = 'crashed';
    this.paused = false;
    if (this.timers.size !== 0 || this.held.length !== 0 || this.host !== undefined) throw violated('harness', 'process-kill-clears', `${this.id} keeps ${this.timers.size} timers and ${this.held.length} held events after its crash`);
    return this.disk.crash(mayTear);
  }

  pause(): void {
    if (this.status !== 'running') throw new Error(`NodeProcess: cannot pause ${this.id}, it is ${this.status}`);
    this.paused = true;
  }

  /** Resumes; held events are redelivered one event each, in the order they were held. */
  resume(): number {
    if (this.status !== 'running' || !this.paused) throw new Error(`NodeProcess: cannot resume ${this.id}, it is not paused`);
    this.paused = false;
    const held = this.held;
    this.held = [];
    if (this.held.length !== 0 || this.paused) throw violated('harness', 'process-resume-releases', `${this.id} still holds ${this.held.length} events after resume`);
    const incarnation = this.incarnation;
    for (const event of held) {
      this.loop.schedule(0, () => {
        if (this.incarnation === incarnation) this.dispatch(event);
      });
    }
    return held.length;
  }

  setTimer(incarnation: number, delayUs: number, fn: () => void): number {
    this.checkIncarnation(incarnation);
    if (this.timers.size >= TIMERS_PER_NODE_MAX) throw new Error(`NodeProcess bound: ${this.id} has too many timers`);
    const worldDelayUs = this.clock.worldDelayUs(delayUs);
    const timer: HostTimer = { id: this.nextTimerId(), loopId: 0, dueUs: this.loop.now() + worldDelayUs, fn, cancelled: false };
    timer.loopId = this.loop.schedule(worldDelayUs, () => {
      this.timers.delete(timer.id);
      this.dispatch({ kind: 'timer', timer });
    });
    this.timers.set(timer.id, timer);
    if (!(timer.dueUs >= this.loop.now()) || this.timers.get(timer.id) !== timer) throw violated('harness', 'timer-set', `${this.id}: timer ${timer.id} due at ${timer.dueUs} µs, now ${this.loop.now()}`);
    return timer.id;
  }

  cancelTimer(incarnation: number, id: number): void {
    this.checkIncarnation(incarnation);
    const timer = this.timers.get(id);
    if (timer !== undefined) {
      this.timers.delete(id);
      this.loop.cancel(timer.loopId);
      timer.cancelled = true;
      if (this.timers.has(id)) throw violated('harness', 'timer-cancelled', `${this.id}: timer ${id} still pending after its cancel`);
      return;
    }
    // A timer that already came due while paused sits in `held`: mark it so it never fires.
    for (const event of this.held) if (event.kind === 'timer' && event.timer.id === id) event.timer.cancelled = true;
  }

  deliverMessage(from: string, message: unknown): void {
    const host = this.host;
    // The common case (a running, unpaused process) goes straight to the host: no held-event
    // object and no closure per message. Anything else takes the general gate.
    if (host === undefined || this.paused || this.status !== 'running') return this.dispatch({ kind: 'message', from, message });
    const incarnation = this.incarnation;
    try {
      host.receive(from, message);
      if (this.host === host) host.afterEvent?.();
    } catch (err) {
      throw hostError(this.id, incarnation, 'message', err);
    }
  }

  /** Runs an fsync callback (or any world-to-process callback) through the gate. */
  deliverCallback(fn: () => void): void {
    const host = this.host;
    if (host === undefined || this.paused || this.status !== 'running') return this.dispatch({ kind: 'callback', fn });
    const incarnation = this.incarnation;
    try {
      fn();
      if (this.host === host) host.afterEvent?.();
    } catch (err) {
      throw hostError(this.id, incarnation, 'callback', err);
    }
  }

  checkIncarnation(incarnation: number): void {
    if (incarnation !== this.incarnation || this.status !== 'running') {
      throw new Error(`HostContext invariant: ${this.id} incarnation ${incarnation} used after it ended`);
    }
  }

  private dispatch(event: HeldEvent): void {
    const host = this.host;
    if (host === undefined) return;
    // Only a running incarnation has a host: a crashed one's events go nowhere.
    if (this.status !== 'running') throw violated('harness', 'process-host-running', `${this.id} has a host while ${this.status}`);
    if (event.kind === 'timer' && event.timer.cancelled) return;
    if (this.paused) {
      if (this.held.length >= HELD_EVENTS_MAX) throw new Error(`NodeProcess bound: ${this.id} holds too many events`);
      this.held.push(event);
      if (this.held.length > HELD_EVENTS_MAX || this.status !== 'running') throw violated('harness', 'held-while-paused', `${this.id} holds ${this.held.length} events while ${this.status}`);
      this.trace.record(TraceKind.hold, this.traceId, heldCode(event), this.held.length);
      return;
    }
    if (event.kind === 'timer') this.trace.record(TraceKind.timer, this.traceId, event.timer.id, this.loop.now() - event.timer.dueUs);
    asHost(this.id, this.incarnation, event.kind, () => {
      switch (event.kind) {
        case 'message':
          host.receive(event.from, event.message);
          break;
        case 'timer':
          event.timer.fn();
          break;
        case 'callback':
          event.fn();
          break;
      }
      if (this.host === host) host.afterEvent?.();
    });
  }
}

function heldCode(event: HeldEvent): number {
  return event.kind === 'message' ? 1 : event.kind === 'timer' ? 2 : 3;
}
