// A client watch stream that survives member crashes and partitions: it probes the stream,
// and when the member is gone (no answer, or it no longer knows the stream) it reopens the
// watch on the next member from the last revision it saw plus one, as etcd's clientv3 does.
// Every response is recorded as a WatchRecord; the first record after each (re)open carries the
// create request it was opened with, so checkers know where each segment starts.
import type { MemberToClient } from '../../src/server/client-protocol.ts';
import { NO_LEADER_REASON } from '../../src/server/client-watch-streams.ts';
import type { EtcdClient } from './client.ts';

export interface WatchOptions {
  readonly process: number | string;
  /** The WatchCreateRequest (gateway JSON): key, range_end, start_revision, filters, prev_kv... */
  readonly create: Readonly<Record<string, unknown>>;
  /** The member to open on first; the client's current member by default. */
  readonly member?: string;
  readonly onResponse?: (response: WatchResponseJson, node: string) => void;
  /** Probe the stream this often. */
  readonly pingIntervalUs?: number;
  /** Reconnect after this long without hearing from the member. */
  readonly deadAfterUs?: number;
  readonly reconnectDelayUs?: number;
  /** Send a progress request this often (etcd's robustness watchers: 100 ms); 0 never. */
  readonly progressRequestIntervalUs?: number;
  /**
   * Open the stream requiring a leader (clientv3.WithRequireLeader, as Kubernetes and etcd's
   * robustness watchers do): a member without a leader for 3 election timeouts ends it with
   * "etcdserver: no leader", and the stream resumes on another member. Off by default.
   */
  readonly requireLeader?: boolean;
  /**
   * After a compaction cancel, watch again from the compact revision (what a client that
   * accepts the gap does, and where etcd#18089 and #19179 lost a delete). Off by default: the
   * watch then ends, as clientv3's does.
   */
  readonly resumeAtCompactRevision?: boolean;
  /** Re-open the watch on the next member this often, from the last revision seen plus one (0: never). */
  readonly rotateEveryUs?: number;
}

export interface WatchResponseJson {
  header?: { revision?: string };
  watch_id?: string;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: string;
  cancel_reason?: string;
  events?: { kv?: { mod_revision?: string } }[];
}

/** What the liveness phase and the run's end need of a watch client (WatchStream, WatchIdsStream). */
export type RunWatcher = Pick<WatchStream, 'active' | 'resumeRevision' | 'reconnects' | 'cancel'>;

export class WatchStream {
  private stream = 0;
  private member: string;
  private nextRevision: number;
  private lastHeardUs = 0;
  private pendingRequest: Record<string, unknown> | undefined;
  private timer = 0;
  private progressTimer = 0;
  private rotateTimer = 0;
  private stopped = false;
  /** The watch was cancelled by the server (compaction): etcd's client ends it too. */
  serverCanceled = false;
  reconnects = 0;
  /** Reconnects because the member ended the stream for lack of a leader. */
  noLeaderCancels = 0;
  responses = 0;
  /** Watches opened again at the compact revision after a compaction cancel. */
  compactionResumes = 0;
  /** Watches moved to the next member by rotateEveryUs. */
  rotations = 0;

  constructor(
    private readonly client: EtcdClient,
    private readonly options: WatchOptions,
  ) {
    this.member = options.member ?? client.member;
    this.nextRevision = Number(options.create['start_revision'] ?? 0);
    this.open();
  }

  /** The revision the stream would resume from. */
  get resumeRevision(): number {
    return this.nextRevision;
  }

  get active(): boolean {
    return !this.stopped && !this.serverCanceled;
  }

  /** Asks the member for a progress notification on this stream. */
  requestProgress(): void {
    if (!this.active) return;
    this.client.sendStream(this.member, { kind: 'watch-send', stream: this.stream, body: { progress_request: {} } });
  }

  /** Closes the stream for good. */
  cancel(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.teardown();
  }

  private open(): void {
    const create: Record<string, unknown> = { ...this.options.create };
    if (this.nextRevision > 0) create['start_revision'] = String(this.nextRevision);
    this.stream = this.client.openStream((from, m) => this.onMessage(from, m));
    this.pendingRequest = create;
    this.lastHeardUs = this.client.net.nowUs();
    this.client.sendStream(this.member, { kind: 'watch-send', stream: this.stream, body: { create_request: create }, open: true, ...(this.options.requireLeader === true ? { requireLeader: true } : {}) });
    this.timer = this.client.net.schedule(this.options.pingIntervalUs ?? 300_000, () => this.probe());
    const every = this.options.progressRequestIntervalUs ?? 0;
    if (every > 0) this.progressTimer = this.client.net.schedule(every, () => this.progressLoop(every));
    const rotate = this.options.rotateEveryUs ?? 0;
    if (rotate > 0) {
      this.rotateTimer = this.client.net.schedule(rotate, () => {
        if (!this.active) return;
        this.rotations++;
        this.reconnect();
      });
    }
  }

  private teardown(): void {
    this.client.net.cancel(this.timer);
    this.client.net.cancel(this.progressTimer);
    this.client.net.cancel(this.rotateTimer);
    this.client.closeStream(this.stream);
    this.client.sendStream(this.member, { kind: 'watch-close', stream: this.stream });
  }

  private progressLoop(every: number): void {
    if (!this.active) return;
    this.requestProgress();
    this.progressTimer = this.client.net.schedule(every, () => this.progressLoop(every));
  }

  private probe(): void {
    if (!this.active) return;
    const now = this.client.net.nowUs();
    if (now - this.lastHeardUs > (this.options.deadAfterUs ?? 1_000_000)) return this.reconnect();
    this.client.sendStream(this.member, { kind: 'watch-ping', stream: this.stream });
    this.timer = this.client.net.schedule(this.options.pingIntervalUs ?? 300_000, () => this.probe());
  }

  private reconnect(): void {
    this.teardown();
    this.reconnects++;
    this.member = this.client.nextMember(this.member);
    this.timer = this.client.net.schedule(this.options.reconnectDelayUs ?? 100_000, () => {
      if (this.active) this.open();
    });
  }

  private onMessage(from: string, m: MemberToClient): void {
    if (!this.active) return;
    this.lastHeardUs = this.client.net.nowUs();
    if (m.kind === 'watch-closed') {
      // A no-leader cancel is a disconnect to this client: resume after the last revision seen,
      // on another member (clientv3 surfaces it as canceled with ErrNoLeader; Kubernetes rewatches).
      if (m.reason === NO_LEADER_REASON) this.noLeaderCancels++;
      return this.reconnect();
    }
    if (m.kind !== 'watch-response') return;
    const r = (m.body as { result?: WatchResponseJson }).result ?? {};
    this.responses++;
    const record: { process: number | string; time: number; node: string; request?: unknown; response: unknown } = {
      process: this.options.process, time: this.client.net.nowUs(), node: from, response: r,
    };
    if (this.pendingRequest !== undefined) {
      record.request = { create_request: this.pendingRequest };
      this.pendingRequest = undefined;
    }
    this.client.history?.watch(record);
    this.advance(r);
    this.options.onResponse?.(r, from);
    if (r.canceled === true) {
      const compactRev = Number(r.compact_revision ?? 0);
      if (this.options.resumeAtCompactRevision === true && compactRev > 0) {
        this.compactionResumes++;
        this.nextRevision = compactRev;
        return this.reconnect();
      }
      this.serverCanceled = true;
      this.teardown();
    }
  }

  /** Where to resume: after the last event, or after a progress notification's revision. */
  private advance(r: WatchResponseJson): void {
    const events = r.events ?? [];
    const last = events[events.length - 1];
    if (last?.kv?.mod_revision !== undefined) {
      this.nextRevision = Math.max(this.nextRevision, Number(last.kv.mod_revision) + 1);
      return;
    }
    const rev = Number(r.header?.revision ?? 0);
    const isProgress = r.created !== true && r.canceled !== true && events.length === 0;
    if ((r.created === true && this.nextRevision === 0) || isProgress) this.nextRevision = Math.max(this.nextRevision, rev + 1);
  }
}
