// The simulated network between nodes and clients (both are endpoints named by strings).
//
// Each directed link has a latency distribution and drop, duplicate and reorder probabilities.
// Links are FIFO unless a message is picked for reordering, which sends it with an extra delay
// outside the FIFO order, so later messages can overtake it.
//
// Cuts (partitions) block directions of links. A cut is checked twice: at send time (the message
// is dropped at once) and at delivery time, so a message already in flight when its link is cut
// is dropped when it arrives, like Jepsen's iptables rules and FoundationDB's simulator. Cuts
// add up until `heal()`; the shape helpers cut among server nodes only, so clients keep their
// links unless a test cuts them explicitly.
//
// A message the network was told travels as one request on a TCP connection (setAtMostOnce) is
// never duplicated: TCP delivers a request at most once, and only the sender's own retry sends it
// again, as a new request. Which messages those are is the caller's (sim/etcd/at-most-once.ts).
//
// A clogged link holds what arrives on it and releases it, in arrival order, when the clog ends
// (unclog, heal, or the clog's end time). A released message still obeys cuts. Until the last
// released message has arrived, a message that was not held waits behind them: a TCP stream
// (a watch, say) never delivers a later message before the ones a clog held (swarm 3230: a
// progress notification sent after a watch event overtook it in the instant the clog ended).
import { violated } from '../../src/invariant-violation.ts';
import type { EventLoop } from './event-loop.ts';
import type { LinkOptions } from './link.ts';
import { LINK_DEFAULTS, drawLatencyUs } from './link.ts';
import { badArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { checkLinkOptions, checkNetworkOptions } from './option-checks.ts';
// Link settings live in link.ts; re-exported here because callers know them as network options.
export { LINK_DEFAULTS } from './link.ts';
export type { Latency, LinkOptions } from './link.ts';
import type { Cut } from './partitions.ts';
import { bridgeCuts, groupsToCuts, halvesGroups, isolateGroups, majorityRingCuts } from './partitions.ts';
import type { Prng } from './prng.ts';
import { TraceKind } from './trace.ts';
import type { Trace } from './trace.ts';
import { withFields } from '../../src/object/with-fields.ts';

export interface NetworkOptions extends LinkOptions {
  /** Bound on messages held by clogged links, network-wide. */
  heldMessagesMax?: number;
  /**
   * Messages one directed link carries at once (TigerBeetle's packet simulator): past it, a send
   * is dropped and counted as `droppedCapacity`, a fault like any other loss. The default is far
   * above what any shipped scenario puts on a link, so it only bites a runaway sender.
   */
  linkCapacityMax?: number;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  droppedRandom: number;
  droppedCut: number;
  droppedDown: number;
  /** Sends dropped because their link was full (linkCapacityMax). */
  droppedCapacity: number;
  duplicated: number;
  reordered: number;
  clogHeld: number;
  bytesSent: number;
  /** Fault actions taken on the network: partitions, cuts, clogs (heal and unclog not counted). */
  faults: number;
}

/** Hands a message to its endpoint (which may hold it while its process is paused). */
export type DeliverFn = (from: string, to: string, message: unknown) => void;
/** False when nobody is there to take a message (a crashed or never started node). */
export type AcceptsFn = (to: string) => boolean;
/** True for a message that travels as one request or response on a TCP connection: never duplicated. */
export type AtMostOnceFn = (message: unknown) => boolean;

interface Endpoint {
  readonly name: string;
  readonly index: number;
  readonly traceId: number;
  /** The links from this endpoint, by the other end's index (the same objects as in `links`): no map lookup per send. */
  readonly linksOut: (Link | undefined)[];
}

interface Link {
  options: Required<LinkOptions>;
  cut: boolean;
  /** World time the clog ends; 0 when not clogged, Infinity until unclogged. */
  clogUntilUs: number;
  clogGeneration: number;
  held: InFlight[];
  /** Latest delivery time handed out on this link, for FIFO order. */
  lastDeliveryUs: number;
  /** Messages scheduled on this link and not yet arrived (held ones not included). */
  inFlight: number;
  /** Id of the last message delivered in FIFO order (not reordered), for the order check. */
  lastFifoDeliveredId: number;
  /** Released messages scheduled and not yet arrived: later arrivals wait behind them. */
  releasing: number;
  /** Messages that arrived while released ones were on their way, in arrival order. */
  behind: InFlight[];
}

interface InFlight {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly link: Link;
  readonly id: number;
  readonly message: unknown;
  /** Scheduled in the link's FIFO order (not picked for reordering). */
  fifo: boolean;
}

const ENDPOINTS_MAX = 4096;
const HELD_MESSAGES_MAX_DEFAULT = 1_000_000;
const LINK_CAPACITY_MAX_DEFAULT = 100_000;

export class Network {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly links = new Map<number, Link>();
  private readonly defaults: Required<LinkOptions>;
  private readonly heldMessagesMax: number;
  private heldCount = 0;
  private linksChanged = 0;
  private readonly linkCapacityMax: number;
  private nextMessageId = 1;
  private deliverFn: DeliverFn = () => {
    throw new Error('Network: no deliver function set');
  };
  private acceptsFn: AcceptsFn = () => true;
  private atMostOnceFn: AtMostOnceFn = () => false;
  private readonly counters: NetworkStats = {
    sent: 0, delivered: 0, dropped: 0, droppedRandom: 0, droppedCut: 0, droppedDown: 0, droppedCapacity: 0,
    duplicated: 0, reordered: 0, clogHeld: 0, bytesSent: 0, faults: 0,
  };

  constructor(
    private readonly loop: EventLoop,
    private readonly trace: Trace,
    private readonly prng: Prng,
    /** Server nodes, in the order the partition helpers use. */
    readonly nodes: readonly string[],
    options: NetworkOptions = {},
  ) {
    // detcd/world exports Network: a program's wrong nodes or options are refused naming them.
    const given: unknown = nodes;
    if (!Array.isArray(given) || given.some((n) => typeof n !== 'string')) throw badArgument('Network', 'nodes', 'must be an array of node names (strings)', nodes);
    const { heldMessagesMax, linkCapacityMax, ...linkOptions } = checkNetworkOptions('Network', 'options', options);
    this.linkCapacityMax = linkCapacityMax ?? LINK_CAPACITY_MAX_DEFAULT;
    this.defaults = withFields(LINK_DEFAULTS, linkOptions);
    this.heldMessagesMax = heldMessagesMax ?? HELD_MESSAGES_MAX_DEFAULT;
    for (const node of nodes) this.addEndpoint(node);
  }

  /** Registers a node or client name; sending to or from an unknown name throws. */
  addEndpoint(name: string): void {
    if (this.endpoints.has(name)) return;
    if (this.endpoints.size >= ENDPOINTS_MAX) throw new Error(`Network bound: at most ${ENDPOINTS_MAX} endpoints`);
    this.endpoints.set(name, { name, index: this.endpoints.size, traceId: this.trace.intern(name), linksOut: [] });
  }

  hasEndpoint(name: string): boolean {
    return this.endpoints.has(name);
  }

  setDeliver(deliver: DeliverFn, accepts: AcceptsFn = () => true): void {
    this.deliverFn = deliver;
    this.acceptsFn = accepts;
  }

  /** Names the messages the network never duplicates, on any link (by default none). */
  setAtMostOnce(atMostOnce: AtMostOnceFn): void {
    this.atMostOnceFn = atMostOnce;
  }

  /** Overrides the options of the directed link from -> to (unset fields keep their values). */
  setLink(from: string, to: string, options: LinkOptions): void {
    const link = this.link(this.endpoint(from), this.endpoint(to));
    link.options = withFields(link.options, checkLinkOptions('Network.setLink', 'options', options));
  }

  send(from: string, to: string, message: unknown, sizeBytes = 0): void {
    const src = this.endpoint(from);
    const dst = this.endpoint(to);
    const link = this.link(src, dst);
    const id = this.nextMessageId++;
    this.counters.sent++;
    this.counters.bytesSent += sizeBytes;
    this.trace.record(TraceKind.send, src.traceId, dst.traceId, id);
    const o = link.options;
    if (link.cut) return this.drop(src, dst, id, 'cut');
    if (o.drop.num > 0 && this.prng.chance(o.drop.num, o.drop.den)) return this.drop(src, dst, id, 'random');
    if (link.inFlight >= this.linkCapacityMax) return this.drop(src, dst, id, 'capacity');
    const flight: InFlight = { from: src, to: dst, link, id, message, fifo: true };
    this.schedule(flight);
    if (o.duplicate.num > 0 && this.prng.chance(o.duplicate.num, o.duplicate.den)) this.duplicate(flight);
  }

  // ---- partitions ----

  /** Blocks both directions between every two groups (adds to existing cuts). */
  partition(groups: readonly (readonly string[])[]): void {
    this.applyCuts(groupsToCuts(groups), 'partition');
  }

  /** Blocks from -> to only: `to` can still reach `from`. */
  cut(from: string, to: string): void {
    this.applyCuts([[from, to]], 'cut');
  }

  /** Restores one direction. */
  uncut(from: string, to: string): void {
    const src = this.endpoint(from);
    const dst = this.endpoint(to);
    const link = this.link(src, dst);
    link.cut = false;
    this.linksChanged++;
    this.linkFault('uncut', src, dst);
    if (link.cut) throw violated('harness', 'uncut-applied', `${from}->${to} still cut`);
  }

  applyCuts(cuts: readonly Cut[], faultName = 'cuts'): void {
    const faultsBefore = this.counters.faults;
    for (const [from, to] of cuts) this.link(this.endpoint(from), this.endpoint(to)).cut = true;
    this.linksChanged++;
    this.counters.faults++;
    this.fault(faultName, cuts.length);
    if (this.counters.faults !== faultsBefore + 1 || !cuts.every(([from, to]) => this.isCut(from, to))) throw violated('harness', 'cut-applied', `${faultName}: a cut of ${cuts.length} left a link open`);
  }

  isolate(node: string): void {
    this.applyCuts(groupsToCuts(isolateGroups(node, this.nodes)), 'isolate');
  }

  halves(): void {
    this.applyCuts(groupsToCuts(halvesGroups(this.nodes)), 'halves');
  }

  majorityRing(): void {
    this.applyCuts(majorityRingCuts(this.nodes), 'majority-ring');
  }

  bridge(): void {
    this.applyCuts(bridgeCuts(this.nodes), 'bridge');
  }

  isCut(from: string, to: string): boolean {
    return this.endpoint(from).linksOut[this.endpoint(to).index]?.cut ?? false;
  }

  /** Removes every cut and every clog (held messages are released). */
  heal(): void {
    const links = this.sortedLinks();
    this.linksChanged++;
    for (const link of links) {
      link.cut = false;
      if (link.clogUntilUs !== 0) this.release(link);
    }
    this.fault('heal', 0);
    if (this.heldCount !== 0 || links.some((l) => l.cut || l.clogUntilUs !== 0 || l.held.length !== 0)) throw violated('harness', 'heal-clears', `after heal ${this.heldCount} messages held, or a link still cut or clogged`);
  }

  // ---- clogging ----

  /** Holds messages on from -> to for `durationUs` (or until unclogged when omitted). */
  clog(from: string, to: string, durationUs?: number): void {
    if (durationUs !== undefined) checkWholeArgument('Network.clog', 'durationUs', durationUs, 0);
    this.counters.faults++;
    this.clogLink(this.endpoint(from), this.endpoint(to), durationUs);
  }

  /** Clogs every link into and out of `node` (to every endpoint known now). */
  clogNode(node: string, durationUs?: number): void {
    if (durationUs !== undefined) checkWholeArgument('Network.clogNode', 'durationUs', durationUs, 0);
    this.counters.faults++;
    const self = this.endpoint(node);
    for (const other of this.endpoints.values()) {
      if (other === self) continue;
      this.clogLink(self, other, durationUs);
      this.clogLink(other, self, durationUs);
    }
  }

  /**
   * Unclogs every link into and out of `node`: every endpoint the network knows, as clogNode
   * clogs them (one left out, e.g. a member held by a membership change, would stay clogged).
   */
  unclogNode(node: string): void {
    const self = this.endpoint(node);
    for (const other of this.endpoints.values()) {
      if (other === self) continue;
      this.unclog(node, other.name);
      this.unclog(other.name, node);
    }
  }

  unclog(from: string, to: string): void {
    const src = this.endpoint(from);
    const dst = this.endpoint(to);
    const link = this.link(src, dst);
    if (link.clogUntilUs !== 0) this.release(link);
    this.linkFault('unclog', src, dst);
  }

  isClogged(from: string, to: string): boolean {
    return (this.endpoint(from).linksOut[this.endpoint(to).index]?.clogUntilUs ?? 0) !== 0;
  }

  /**
   * Counts changes to cuts and clogs (any link): while it stays the same, every isCut and
   * isClogged answer stays the same, so an observer can keep what it derived from them.
   */
  get linksVersion(): number {
    return this.linksChanged;
  }

  stats(): NetworkStats {
    return { ...this.counters };
  }

  // ---- internals ----

  private clogLink(from: Endpoint, to: Endpoint, durationUs: number | undefined): void {
    const link = this.link(from, to);
    const untilUs = durationUs === undefined ? Number.POSITIVE_INFINITY : this.loop.now() + durationUs;
    link.clogUntilUs = Math.max(link.clogUntilUs, untilUs);
    this.linksChanged++;
    if (!(link.clogUntilUs >= this.loop.now())) throw violated('harness', 'clog-applied', `${from.name}->${to.name} clogged until ${link.clogUntilUs}, before now ${this.loop.now()}`);
    const generation = ++link.clogGeneration;
    this.trace.record(TraceKind.clog, from.traceId, to.traceId, Number.isFinite(link.clogUntilUs) ? link.clogUntilUs : -1);
    if (Number.isFinite(link.clogUntilUs)) {
      this.loop.at(link.clogUntilUs, () => {
        if (link.clogGeneration === generation) this.release(link);
      });
    }
  }

  /**
   * Sends a copy of `flight`, the duplicate the link drew. A message that travels at most once
   * gets none, but the copy's draws are made all the same and thrown away: the network's stream
   * stays where it was, so only runs that copied such a message change.
   */
  private duplicate(flight: InFlight): void {
    const { from, to, link, id } = flight;
    const o = link.options;
    const once = this.atMostOnceFn(flight.message);
    if (!once) {
      this.counters.duplicated++;
      this.trace.record(TraceKind.duplicate, from.traceId, to.traceId, id);
    }
    // The copy needs room on the link too.
    if (link.inFlight >= this.linkCapacityMax) return once ? undefined : this.drop(from, to, id, 'capacity');
    // A late copy (duplicateDelayUsMax) is drawn only where one is asked for: other runs draw as before.
    const lateUs = o.duplicateDelayUsMax > 0 ? this.prng.int(o.duplicateDelayUsMax + 1) : 0;
    if (once) return this.drawArrivalUnsent(o);
    this.schedule({ from, to, link, id, message: flight.message, fifo: true }, lateUs);
  }

  /** The draws schedule() makes for a message, in its order, for a copy that is not sent. */
  private drawArrivalUnsent(o: Required<LinkOptions>): void {
    drawLatencyUs(this.prng, o.latency);
    this.drawReorderDelayUs(o);
  }

  /** A reordered message's extra delay, or -1 when the link does not reorder this one. */
  private drawReorderDelayUs(o: Required<LinkOptions>): number {
    if (!(o.reorder.num > 0 && this.prng.chance(o.reorder.num, o.reorder.den))) return -1;
    return this.prng.int(o.reorderDelayUsMax + 1);
  }

  private schedule(flight: InFlight, lateUs = 0): void {
    const link = flight.link;
    const o = link.options;
    const now = this.loop.now();
    let atUs = now + drawLatencyUs(this.prng, o.latency);
    const reorderUs = this.drawReorderDelayUs(o);
    const reordered = reorderUs >= 0;
    flight.fifo = !reordered && lateUs === 0;
    if (reordered) {
      this.counters.reordered++;
      atUs += reorderUs + lateUs;
    } else if (lateUs > 0) {
      // A late duplicate: outside the FIFO order, after whatever the link carries meanwhile.
      atUs += lateUs;
    } else {
      // FIFO per link: a message that is not reordered arrives no earlier than the one before it.
      const lastUs = link.lastDeliveryUs;
      atUs = Math.max(atUs, lastUs);
      link.lastDeliveryUs = atUs;
      if (!(link.lastDeliveryUs >= lastUs)) throw violated('harness', 'link-fifo', `delivery time went back from ${lastUs} to ${link.lastDeliveryUs}`);
    }
    if (!(atUs >= now)) throw violated('harness', 'link-latency-non-negative', `arrival ${atUs} before send ${now}`);
    link.inFlight++;
    if (link.inFlight > this.linkCapacityMax) throw violated('harness', 'link-capacity', `${link.inFlight} messages in flight on ${flight.from.name}->${flight.to.name}, capacity ${this.linkCapacityMax}`);
    this.loop.atWith(atUs, this.arriveScheduled, flight);
  }

  /** A scheduled message's event (one function for all of them: no closure per message). */
  private readonly arriveScheduled = (flight: InFlight): void => {
    const link = flight.link;
    link.inFlight--;
    if (link.inFlight < 0) throw violated('harness', 'link-in-flight-count', 'a link delivered more messages than it carried');
    this.arrive(flight, false);
  };

  /** A message reaches the end of its link: dropped, held by a clog, kept behind released ones, or delivered. */
  private arrive(flight: InFlight, released: boolean): void {
    const link = flight.link;
    if (link.cut) return this.drop(flight.from, flight.to, flight.id, 'cut');
    if (!released && link.releasing > 0) {
      link.behind.push(flight);
      return;
    }
    if (link.clogUntilUs !== 0) {
      if (this.heldCount >= this.heldMessagesMax) throw new Error('Network bound: too many messages held by clogged links');
      const heldBefore = link.held.length;
      this.heldCount++;
      this.counters.clogHeld++;
      link.held.push(flight);
      if (link.held.length !== heldBefore + 1 || this.heldCount > this.heldMessagesMax) throw violated('harness', 'held-count', `link holds ${link.held.length} after ${heldBefore}, network ${this.heldCount}`);
      return;
    }
    if (!this.acceptsFn(flight.to.name)) return this.drop(flight.from, flight.to, flight.id, 'down');
    // The pair of link-fifo (send side): messages not picked for reordering are delivered in the
    // order they were sent, clogs and releases included.
    if (flight.fifo) {
      if (flight.id < link.lastFifoDeliveredId) throw violated('harness', 'link-fifo-delivery', `${flight.from.name}->${flight.to.name}: message ${flight.id} delivered after message ${link.lastFifoDeliveredId}`);
      link.lastFifoDeliveredId = flight.id;
    }
    this.counters.delivered++;
    this.trace.record(TraceKind.deliver, flight.from.traceId, flight.to.traceId, flight.id);
    this.deliverFn(flight.from.name, flight.to.name, flight.message);
  }

  /** Ends a clog: held messages arrive again, one event each, in the order they were held. */
  private release(link: Link): void {
    link.clogUntilUs = 0;
    link.clogGeneration++;
    this.linksChanged++;
    const held = link.held;
    link.held = [];
    this.heldCount -= held.length;
    if (this.heldCount < 0 || link.held.length !== 0) throw violated('harness', 'held-count', `released ${held.length}, network now holds ${this.heldCount}`);
    // The network's held count is what its links hold (checked on release, which is rare).
    let total = 0;
    for (const l of this.links.values()) total += l.held.length;
    if (total !== this.heldCount) throw violated('harness', 'held-count-total', `links hold ${total} messages, the network counts ${this.heldCount}`);
    this.sendOnReleased(link, held);
  }

  /** Released messages arrive one event each, in order; what arrived meanwhile follows them. */
  private sendOnReleased(link: Link, flights: readonly InFlight[]): void {
    link.releasing += flights.length;
    for (const flight of flights) {
      this.trace.record(TraceKind.release, flight.from.traceId, flight.to.traceId, flight.id);
      this.loop.schedule(0, () => {
        link.releasing--;
        if (link.releasing < 0) throw violated('harness', 'releasing-count', `${flight.from.name}->${flight.to.name}: more released messages arrived than were released`);
        this.arrive(flight, true);
        if (link.releasing === 0 && link.behind.length > 0) {
          const behind = link.behind;
          link.behind = [];
          this.sendOnReleased(link, behind);
        }
      });
    }
  }

  private drop(from: Endpoint, to: Endpoint, id: number, reason: 'cut' | 'random' | 'down' | 'capacity'): void {
    this.counters.dropped++;
    if (reason === 'cut') this.counters.droppedCut++;
    else if (reason === 'random') this.counters.droppedRandom++;
    else if (reason === 'down') this.counters.droppedDown++;
    else this.counters.droppedCapacity++;
    const c = this.counters;
    if (c.dropped !== c.droppedCut + c.droppedRandom + c.droppedDown + c.droppedCapacity) throw violated('harness', 'drop-counts', `${c.dropped} drops, by reason ${c.droppedCut}+${c.droppedRandom}+${c.droppedDown}+${c.droppedCapacity}`);
    this.trace.record(TraceKind.drop, from.traceId, to.traceId, id);
  }

  private fault(name: string, count: number): void {
    this.trace.record(TraceKind.fault, this.trace.intern(name), 0, count);
  }

  private linkFault(name: string, from: Endpoint, to: Endpoint): void {
    this.trace.record(TraceKind.linkFault, this.trace.intern(name), from.traceId, to.traceId);
  }

  private endpoint(name: string): Endpoint {
    const endpoint = this.endpoints.get(name);
    if (endpoint === undefined) throw new Error(`Network: unknown endpoint ${name}`);
    return endpoint;
  }

  private link(from: Endpoint, to: Endpoint): Link {
    let link = from.linksOut[to.index];
    if (link !== undefined) return link;
    const key = linkKey(from, to);
    link = this.links.get(key);
    if (link === undefined) {
      link = { options: this.defaults, cut: false, clogUntilUs: 0, clogGeneration: 0, held: [], lastDeliveryUs: 0, inFlight: 0, lastFifoDeliveredId: 0, releasing: 0, behind: [] };
      this.links.set(key, link);
    }
    from.linksOut[to.index] = link;
    if (this.links.get(key) !== link) throw violated('harness', 'link-one-object', `${from.name}->${to.name} has two link objects`);
    return link;
  }

  /** Links in a fixed order (by endpoint indices), so healing releases in the same order every run. */
  private sortedLinks(): Link[] {
    return [...this.links.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }
}

function linkKey(from: Endpoint, to: Endpoint): number {
  return from.index * ENDPOINTS_MAX + to.index;
}
