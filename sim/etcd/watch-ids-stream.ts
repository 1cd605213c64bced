// One watch stream holding several watches at once, some with ids the client chooses
// (WatchCreateRequest.watch_id, etcd 3.4) and some numbered by etcd, cancelled and created again
// under the same id: what a client that multiplexes its watches on one gRPC stream does
// (clientv3 puts every Watch call with one context on one stream). etcd's robustness watchers and
// detcd's own use one watch per stream from etcd's first id, so nothing ever asked the server to
// skip an id in use when it numbers a watch, or to free an id when it cancels one.
//
// The stream opens watch `chosenId` on every key, then one etcd numbers; every `cycleUs` it
// either cancels the chosen-id watch and, once its Canceled response came, creates it again with
// the same id from the revision after its last event, or opens one more numbered watch (from now)
// and cancels the oldest numbered one. Each Created response is recorded with the create request
// it answers (creates are answered in order). The stream does not outlive its connection: when
// the member stops answering or drops it, a `closed` record ends it (the watches it held are owed
// nothing more) and it stays closed. Until then the liveness phase waits for every watch it holds
// to catch up, as for the other watchers (resumeRevision).
import type { MemberToClient } from '../../src/server/client-protocol.ts';
import type { EtcdClient } from './client.ts';
import type { WatchResponseJson } from './watch-stream.ts';
import { b64 } from '../workload/etcd-request.ts';

export interface WatchIdsOptions {
  readonly process: string;
  readonly member: string;
  /** The id the client gives its own watch; etcd numbers its watches from 0, so 1 is met by the second. */
  readonly chosenId?: number;
  /** How often the stream cancels or opens a watch. */
  readonly cycleUs?: number;
  /** The stream is given up after this long without a response or an answered probe. */
  readonly deadAfterUs?: number;
}

/** A create request of every key with prev_kv; with the client's id and a start revision when given. */
function allKeys(watchId?: number, startRevision = 0): Record<string, unknown> {
  const r: Record<string, unknown> = { key: b64('\0'), range_end: b64('\0'), prev_kv: true };
  if (watchId !== undefined) r['watch_id'] = String(watchId);
  if (startRevision > 0) r['start_revision'] = String(startRevision);
  return r;
}

export class WatchIdsStream {
  private readonly stream: number;
  private readonly chosenId: number;
  /** Create requests sent and not yet answered, in order. */
  private readonly creating: Record<string, unknown>[] = [];
  /** Ids of the numbered watches, oldest first. */
  private readonly numbered: number[] = [];
  /** Per live watch id, the next revision it needs (from its Created response, then its events). */
  private readonly next = new Map<number, number>();
  /** The revision after the chosen-id watch's last event, or its compact revision (0: from now). */
  private chosenNext = 0;
  /** The chosen-id watch is created or being created (not cancelled, refused or compacted). */
  private chosenLive = true;
  /** A cancel of the chosen-id watch was sent: create it again when its Canceled response comes. */
  private recreating = false;
  private cycles = 0;
  private lastHeardUs: number;
  /** The liveness phase's interface (sim/run/liveness.ts): this stream never reconnects. */
  readonly reconnects = 0;
  private timer = 0;
  private closed = false;
  /** Watches created again under an id used before on this stream. */
  recreated = 0;

  constructor(
    private readonly client: EtcdClient,
    private readonly options: WatchIdsOptions,
  ) {
    this.chosenId = options.chosenId ?? 1;
    this.stream = this.client.openStream((from, m) => this.onMessage(from, m));
    this.lastHeardUs = this.client.net.nowUs();
    this.create(allKeys(this.chosenId), true);
    this.create(allKeys());
    this.timer = this.client.net.schedule(this.options.cycleUs ?? 250_000, () => this.cycle());
  }

  get active(): boolean {
    return !this.closed;
  }

  /** The lowest revision a live watch of the stream still needs (Infinity: none live). */
  get resumeRevision(): number {
    let min = Infinity;
    for (const rev of this.next.values()) min = Math.min(min, rev);
    return min;
  }

  /** Stops at the run's end: nothing recorded, so every watch is judged complete up to the end. */
  cancel(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.net.cancel(this.timer);
    this.client.closeStream(this.stream);
    this.client.sendStream(this.options.member, { kind: 'watch-close', stream: this.stream });
  }

  private create(request: Record<string, unknown>, open = false): void {
    this.creating.push(request);
    this.client.sendStream(this.options.member, { kind: 'watch-send', stream: this.stream, body: { create_request: request }, ...(open ? { open: true } : {}) });
  }

  private cancelWatch(id: number): void {
    this.client.sendStream(this.options.member, { kind: 'watch-send', stream: this.stream, body: { cancel_request: { watch_id: String(id) } } });
  }

  private cycle(): void {
    if (this.closed) return;
    if (this.client.net.nowUs() - this.lastHeardUs > (this.options.deadAfterUs ?? 1_000_000)) return this.close('member stopped answering');
    this.cycles++;
    if (this.cycles % 2 === 1) {
      if (!this.chosenLive) this.createChosen();
      else if (!this.recreating) {
        this.recreating = true;
        this.cancelWatch(this.chosenId);
      }
    } else {
      this.create(allKeys());
      if (this.numbered.length > 1) this.cancelWatch(this.numbered.shift()!);
    }
    this.client.sendStream(this.options.member, { kind: 'watch-ping', stream: this.stream });
    this.timer = this.client.net.schedule(this.options.cycleUs ?? 250_000, () => this.cycle());
  }

  private createChosen(): void {
    this.chosenLive = true;
    if (this.chosenNext > 0) this.recreated++;
    this.create(allKeys(this.chosenId, this.chosenNext));
  }

  private close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.client.net.cancel(this.timer);
    this.client.closeStream(this.stream);
    this.client.sendStream(this.options.member, { kind: 'watch-close', stream: this.stream });
    this.client.history?.watch({ process: this.options.process, time: this.client.net.nowUs(), node: this.options.member, response: {}, closed: why });
  }

  private onMessage(from: string, m: MemberToClient): void {
    if (this.closed) return;
    this.lastHeardUs = this.client.net.nowUs();
    if (m.kind === 'watch-closed') return this.close(`member ended the stream: ${m.reason}`);
    if (m.kind !== 'watch-response') return;
    const r = (m.body as { result?: WatchResponseJson }).result ?? {};
    const record: { process: string; time: number; node: string; request?: unknown; response: unknown } = {
      process: this.options.process, time: this.client.net.nowUs(), node: from, response: r,
    };
    const id = Number(r.watch_id ?? 0);
    const header = Number(r.header?.revision ?? 0);
    if (r.created === true) {
      const request = this.creating.shift();
      if (request !== undefined) record.request = { create_request: request };
      const chosen = request?.['watch_id'] !== undefined;
      if (r.canceled === true) {
        // Refused (on a real etcd, an id a compaction cancel left taken): try again next cycle.
        if (chosen) this.chosenLive = false;
      } else {
        const start = Number(request?.['start_revision'] ?? 0);
        this.next.set(id, start > 0 ? start : header + 1);
        if (!chosen) this.numbered.push(id);
      }
    }
    this.client.history?.watch(record);
    const events = r.events ?? [];
    const last = events[events.length - 1]?.kv?.mod_revision;
    if (last !== undefined) {
      if (this.next.has(id)) this.next.set(id, Math.max(this.next.get(id)!, Number(last) + 1));
      if (id === this.chosenId) this.chosenNext = Math.max(this.chosenNext, Number(last) + 1);
    }
    if (r.canceled !== true || r.created === true) return;
    this.next.delete(id);
    const compactRev = Number(r.compact_revision ?? 0);
    if (id !== this.chosenId) return;
    if (compactRev > 0) {
      // Compacted: the next cycle creates it again from the compact revision.
      this.chosenLive = false;
      this.recreating = false;
      this.chosenNext = Math.max(this.chosenNext, compactRev);
    } else if (this.recreating) {
      // The chosen id is free again once its Canceled response came: the same id, from where it stopped.
      this.recreating = false;
      this.createChosen();
    }
  }
}
