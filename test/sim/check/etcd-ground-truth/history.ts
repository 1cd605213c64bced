// Ground-truth etcd histories: a list of steps (invoke, apply, complete, watch deliveries, ticks)
// run against a leader and a lagging follower (cluster.ts). Every client op is applied at one
// point between its invoke and its completion (or, timed out, at any point after its invoke, or
// never), so the recorded history is linearizable by construction; answers and watch responses
// are the state machine's own gateway JSON, recorded as the simulated client and watch streams
// record them (sim/etcd/client.ts, watch-stream.ts). Steps are concrete, and running them is
// lenient (a step that no longer fits is skipped), so a failing list shrinks by removing steps.
import type { Op, WatchRecord } from '../../../../sim/history/op.ts';
import { opName } from '../../../../sim/etcd/request-kinds.ts';
import { b64, prefixEnd } from '../../../../sim/workload/etcd-request.ts';
import { Prng } from '../../../../sim/world/prng.ts';
import type { Classified, WatchStreamPort, WireReply } from '../../../../src/server/state-machine-port.ts';
import { GroundCluster, type GroundMember, type MemberShape } from './cluster.ts';
import { drawRequest, nextPage, type Knowledge, type Request } from './requests.ts';

/** What becomes of a request: answered; timed out (applied later or never); failed with an ambiguous error (applied or not). */
export type Fate = 'ok' | 'info-applied' | 'info-unapplied' | 'fail-applied' | 'fail-unapplied';

export type Step =
  | { t: 'preload'; req: Request }
  /** `follower`: a serializable read goes to a follower (`via`: which, default the first). */
  | { t: 'invoke'; p: number; req: Request; fate: Fate; error?: string; follower?: boolean; via?: number }
  | { t: 'apply'; k: number }
  | { t: 'complete'; p: number }
  /** A follower (`m`: which, default the first) applies up to `n` more entries. */
  | { t: 'catch-up'; n: number; m?: number }
  | { t: 'tick'; ms: number; expire: boolean }
  | { t: 'deliver'; w: number }
  | { t: 'progress'; w: number }
  | { t: 'rotate'; w: number }
  /** A follower (`m`: which, default the first) saves a snapshot of what it applied (what a restart loads). */
  | { t: 'snapshot'; m?: number }
  /** A follower crashes and restarts from its last snapshot; its watchers reconnect (to it, or to the leader). */
  | { t: 'restart'; toLeader: boolean; m?: number }
  /** A follower installs the leader's snapshot. */
  | { t: 'install'; m?: number }
  /**
   * A follower (`m`) becomes leader in a new term; writes in flight that the old leader had not
   * committed are lost (`lose`: each with chance 1/2, by a draw of the faults' PRNG recorded here as bits).
   */
  | { t: 'elect'; m: number; lose: number }
  /** A watcher cancels its watch (a cancel request on its stream); `recreate`: then watches again on the same stream from where it was. */
  | { t: 'cancel'; w: number; recreate: boolean }
  /** First of the history's steps: the follower has applied only `n` of the preloaded entries. */
  | { t: 'lag'; n: number }
  /** The leader compacts on its own, `behind` revisions behind its current one. */
  | { t: 'auto-compact'; behind: number }
  /** The revokes of expired leases the leader proposed commit and apply (ClusterShape.revokesCommitLate). */
  | { t: 'commit-revokes' };

export interface Generated {
  /** The watchers' shapes (watchCreates indexes): the run opens them before the first step. */
  shapes: number[];
  /** The cluster it ran on (replaySteps needs it). */
  cluster: ClusterShape;
  steps: Step[];
  history: Op[];
  watches: WatchRecord[];
  /** When steps preloaded the store: what `etcdctl get "" --from-key -w json` printed before the first op. */
  initialDump?: unknown;
  /**
   * Stale reads the run could have answered: per linearizable range the leader answered, the
   * lagging follower's answer to it, when that shows a revision below one an answer of a put or
   * delete showed before the range was called (a ReadIndex skipped: a certain violation).
   */
  stale: { at: number; value: unknown }[];
  /** The server compacted on its own (etcd --auto-compaction-retention): the checks are told. */
  autoCompaction: boolean;
  /** Leaders as they took office (term, µs): the first at 0, then one per leader change. */
  leaders: { term: number; startUs: number }[];
}

interface InFlight {
  process: number;
  f: string;
  req: Request;
  fate: Fate;
  error: string | undefined;
  member: GroundMember;
  classified: Classified;
  reply: WireReply | undefined;
  applied: boolean;
  /** The highest revision a put or delete answer showed before this op was called. */
  seenAtInvoke: number;
  /** When the client called it (µs): a revoke the leader proposed before then is ahead of it in the log. */
  invokedUs: number;
  /** A linearizable range's answer from the lagging follower at its linearization point. */
  staleReply?: WireReply;
}

interface Watcher {
  process: string;
  create: Record<string, unknown>;
  member: GroundMember;
  stream: WatchStreamPort;
  out: unknown[];
  first: boolean;
  next: number;
  canceled: boolean;
  /** The watch's id on its stream (from its created answer). */
  watchId: string;
  /** A cancel was sent: on its answer the watcher watches again on the same stream, or ends. */
  cancelling?: 'recreate' | 'end' | undefined;
}

/** How often etcd's leader looks for expired leases (lessor.go revokeExpiredLeases' loop). */
const EXPIRY_CHECK_MS = 500;

const clone = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

/** The watch creates of the run's watchers (sim/run/clients.ts, watch-shapes.ts) over keys key0..keyN-1. */
export function watchCreates(): Record<string, unknown>[] {
  return [
    { key: b64('\0'), range_end: b64('\0'), prev_kv: true, progress_notify: true },
    { key: b64('key'), range_end: b64(prefixEnd('key')), filters: ['NODELETE'], prev_kv: true, progress_notify: true },
    { key: b64('key'), range_end: b64(prefixEnd('key')), filters: ['NOPUT'], progress_notify: true },
    { key: b64('key1'), prev_kv: true, progress_notify: true },
    { key: b64('key1'), range_end: b64('key3'), progress_notify: true },
    { key: b64('key2'), range_end: b64('\0'), prev_kv: true, progress_notify: true },
  ];
}

export class GroundRun {
  readonly history: Op[] = [];
  readonly watches: WatchRecord[] = [];
  readonly steps: Step[] = [];
  private clockUs = 0;
  private readonly procs = new Map<number, InFlight>();
  /** Every op not applied yet that will be (answered, or timed out and applied later). */
  private readonly toApply: InFlight[] = [];
  readonly watchers: Watcher[] = [];
  readonly leases = new Set<string>();
  readonly stale: { at: number; value: unknown }[] = [];
  /** Whether the server compacted on its own (then the check is told so). */
  autoCompacted = false;
  /** Leaders as they took office (term, µs). */
  readonly leaders: { term: number; startUs: number }[] = [{ term: 2, startUs: 0 }];
  /** The highest revision an answer of a put or delete showed so far. */
  private seenRevision = 0;
  initialDump: unknown;

  private watchShapes: readonly number[] | undefined;
  /** Each follower's last snapshot (a restart loads it). */
  private readonly snapshots = new Map<GroundMember, { data: string; applied: number }>();
  readonly cluster: GroundCluster;

  /** The watchers open with the history (after any preload: a store that held data is watched from then on). */
  constructor(
    watchShapes: readonly number[],
    readonly shape: ClusterShape = {},
  ) {
    this.watchShapes = watchShapes;
    this.cluster = new GroundCluster(shape.members ?? 2, shape.member ?? {});
  }

  private openWatchers(watchShapes: readonly number[]): void {
    const creates = watchCreates();
    const members = this.cluster.members;
    watchShapes.forEach((shape, i) => {
      const member = members[i % members.length]!;
      const create = this.shape.fragment === true ? { ...creates[shape % creates.length]!, fragment: true } : creates[shape % creates.length]!;
      // One process per watcher (two watchers of one shape on one member are two clients).
      let process = `watch-${member.name}/${shape}`;
      if (this.watchers.some((w) => w.process === process)) process = `${process}.${i}`;
      this.openWatch({ process, create, member, stream: undefined as never, out: [], first: true, next: 0, canceled: false, watchId: '0' });
    });
  }

  /** Follower `m` (wrapping), the first by default. */
  private followerAt(m: number | undefined): GroundMember {
    const f = this.cluster.followers;
    return f[(m ?? 0) % f.length]!;
  }

  get nowMs(): number {
    return Math.floor(this.clockUs / 1000);
  }

  busy(p: number): boolean {
    return this.procs.has(p);
  }

  pendingApplies(): number {
    return this.toApply.length;
  }

  run(step: Step): void {
    this.steps.push(step);
    this.clockUs += 1000 + (this.steps.length % 7) * 37;
    if (step.t !== 'preload' && this.watchShapes !== undefined) {
      // The history starts on a settled cluster (the follower holds what was preloaded), or with
      // the follower still `n` entries short of it (a 'lag' step first).
      for (const f of this.cluster.followers) this.cluster.catchUp(f, step.t === 'lag' ? step.n : Number.MAX_SAFE_INTEGER);
      this.openWatchers(this.watchShapes);
      this.watchShapes = undefined;
    }
    switch (step.t) {
      case 'preload':
        return this.preload(step.req);
      case 'invoke':
        return this.invoke(step);
      case 'apply': {
        if (this.toApply.length === 0) return;
        this.apply(this.toApply[step.k % this.toApply.length]!);
        return;
      }
      case 'complete':
        return this.complete(step.p);
      case 'catch-up':
        return this.cluster.catchUp(this.followerAt(step.m), step.n);
      case 'tick':
        if (this.shape.promptExpiry === true) {
          // etcd's leader looks for expired leases every 500 ms and proposes their revokes, which
          // commit at once, or (revokesCommitLate) at a commit-revokes step, a leader change or a
          // write the leader got after them (slow disks, a backlog: etcd bounds the delay by nothing).
          for (let left = step.ms; left > 0; left -= EXPIRY_CHECK_MS) {
            this.clockUs += Math.min(left, EXPIRY_CHECK_MS) * 1000;
            this.cluster.tick(this.nowMs);
            if (this.shape.revokesCommitLate === true) this.cluster.proposeExpiredRevokes(this.nowMs, this.clockUs);
            else this.cluster.expireLeases(this.nowMs, () => true);
          }
          return;
        }
        this.clockUs += step.ms * 1000;
        this.cluster.tick(this.nowMs);
        if (step.expire) this.cluster.expireLeases(this.nowMs, () => true);
        return;
      case 'deliver':
        return this.deliver(step.w);
      case 'commit-revokes':
        return this.cluster.commitRevokes(Infinity, this.nowMs);
      case 'progress': {
        const w = this.watchers[step.w % Math.max(1, this.watchers.length)];
        if (w !== undefined && !w.canceled) w.out.push(...w.stream.handle({ progress_request: {} }));
        return;
      }
      case 'rotate':
        return this.rotate(step.w);
      case 'snapshot': {
        const f = this.followerAt(step.m);
        this.snapshots.set(f, { data: f.sm.snapshot(), applied: f.applied });
        return;
      }
      case 'restart':
        return this.restart(this.followerAt(step.m), step.toLeader);
      case 'lag':
        return;
      case 'install': {
        const f = this.followerAt(step.m);
        this.cluster.installLeaderSnapshot(f, this.nowMs);
        this.snapshots.set(f, { data: f.sm.snapshot(), applied: f.applied });
        return;
      }
      case 'elect':
        return this.elect(this.followerAt(step.m), step.lose);
      case 'cancel':
        return this.cancel(step.w, step.recreate);
      case 'auto-compact': {
        // The leader's compactor (--auto-compaction-retention): a compaction through raft no client asked for.
        const rev = this.cluster.leader.revision - step.behind;
        if (rev <= this.cluster.leader.sm.status().compactRevision) return;
        const c = this.cluster.leader.classify('/v3/kv/compaction', { revision: String(rev) });
        if (c.kind === 'propose') this.cluster.propose(c, this.nowMs);
        this.autoCompacted = true;
        return;
      }
    }
  }

  private restart(f: GroundMember, toLeader: boolean): void {
    f.restart(this.snapshots.get(f), this.nowMs);
    for (const w of this.watchers) {
      if (w.member !== f || w.canceled) continue;
      if (toLeader) w.member = this.cluster.leader;
      this.openWatch(w);
    }
    // Requests in flight on the restarted member get no answer from it: a serializable read
    // not yet served there is served again after the restart (the client retries).
    for (const op of this.procs.values()) {
      if (op.member === f && !op.applied) {
        const c = f.classify(op.req.path, op.req.body);
        op.classified = c;
      }
    }
  }

  get preloaded(): boolean {
    return this.cluster.leader.revision > 1;
  }

  private preload(req: Request): void {
    if (this.history.length > 0) return;
    const c = this.cluster.leader.classify(req.path, req.body);
    if (c.kind === 'propose') this.cluster.propose(c, this.nowMs);
  }

  private invoke(step: Step & { t: 'invoke' }): void {
    if (this.procs.has(step.p)) return;
    if (this.history.length === 0 && this.cluster.leader.revision > 1) {
      const dump = this.cluster.leader.classify('/v3/kv/range', { key: b64('\0'), range_end: b64('\0') });
      if (dump.kind === 'read') {
        const r = dump.read();
        if (r.ok) this.initialDump = clone(r.body);
      }
    }
    const f = opName(step.req.path);
    this.history.push({ index: this.history.length, time: this.clockUs, process: step.p, type: 'invoke', f, value: clone(step.req.body) });
    let member = this.cluster.leader;
    let classified = member.classify(step.req.path, step.req.body);
    // A serializable read may be served by the lagging follower; a linearizable one waits for the leader's state.
    if (step.follower === true && classified.kind === 'read' && classified.serializable) {
      member = this.followerAt(step.via);
      classified = member.classify(step.req.path, step.req.body);
    }
    const op: InFlight = { process: step.p, f, req: step.req, fate: step.fate, error: step.error, member, classified, reply: undefined, applied: false, seenAtInvoke: this.seenRevision, invokedUs: this.clockUs };
    if (classified.kind === 'invalid') {
      op.reply = { ok: false, error: classified.error };
      op.applied = true;
    } else if (step.fate === 'ok' || step.fate === 'info-applied' || step.fate === 'fail-applied') this.toApply.push(op);
    this.procs.set(step.p, op);
  }

  /** The op's linearization point. False when it cannot happen now (a keep-alive of an expired lease waits for the revoke). */
  private apply(op: InFlight): boolean {
    const c = op.classified;
    let reply: WireReply;
    if (c.kind === 'read') {
      reply = c.read();
      if (!c.serializable && op.member === this.cluster.leader && op.f === 'kv/range' && op.req.body['revision'] === undefined) {
        // The answer of the follower that lags most.
        const lagging = this.cluster.followers.reduce((a, b) => (b.applied < a.applied ? b : a));
        const f = lagging.classify(op.req.path, op.req.body);
        if (f.kind === 'read') op.staleReply = f.read();
      }
    } else if (c.kind === 'propose') {
      // The leader's log order: what it proposed before this request reached it applies first.
      this.cluster.commitRevokes(op.invokedUs, this.nowMs);
      reply = this.cluster.propose(c, this.nowMs);
    } else if (c.kind === 'leader-lease') {
      if (c.ready !== undefined && !c.ready(this.nowMs)) return false;
      const r = c.serve(this.nowMs);
      if (!('ok' in r)) throw new Error('ground truth: a renewal that clears a lease checkpoint is not modelled (it runs without checkpointing)');
      reply = r;
    } else if (c.kind === 'local') reply = c.serve();
    else if (c.kind === 'invalid') reply = { ok: false, error: c.error };
    else throw new Error(`ground truth: ${c.kind} is not modelled (it sends no auth requests or tokens)`);
    op.reply = reply;
    op.applied = true;
    const i = this.toApply.indexOf(op);
    if (i >= 0) this.toApply.splice(i, 1);
    return true;
  }

  private complete(p: number): void {
    const op = this.procs.get(p);
    if (op === undefined) return;
    this.procs.delete(p);
    const at = { index: this.history.length, time: this.clockUs, process: p, f: op.f };
    if (op.fate === 'ok') {
      if (!op.applied && !this.apply(op)) {
        // Blocked (a keep-alive waiting for a revoke): the client gives up.
        this.toApply.splice(this.toApply.indexOf(op), 1);
        this.history.push({ ...at, type: 'info', value: null, error: 'timeout' });
        return;
      }
      const r = op.reply!;
      // A lease id the server chose is known from the grant's answer only (ID 0 grants that timed out stay unknown).
      if (r.ok && op.f === 'lease/grant') this.leases.add(String((r.body as { ID?: unknown }).ID));
      if (r.ok && op.f === 'lease/leases') for (const l of (r.body as { leases?: { ID?: unknown }[] }).leases ?? []) this.leases.add(String(l.ID));
      if (r.ok) {
        const rev = Number((r.body as { header?: { revision?: string } }).header?.revision ?? 0);
        if (op.f === 'kv/put' || op.f === 'kv/deleterange') this.seenRevision = Math.max(this.seenRevision, rev);
        const stale = op.staleReply;
        if (stale?.ok === true && Number((stale.body as { header?: { revision?: string } }).header?.revision ?? 0) < op.seenAtInvoke) this.stale.push({ at: this.history.length, value: clone(stale.body) });
        this.history.push({ ...at, type: 'ok', value: clone(r.body) });
      } else this.history.push({ ...at, type: 'fail', value: clone(r.error), error: r.error.message });
      return;
    }
    if (op.fate.startsWith('info')) {
      this.history.push({ ...at, type: 'info', value: null, error: 'timeout' });
      return;
    }
    const message = op.error ?? 'etcdserver: request timed out';
    this.history.push({ ...at, type: 'fail', value: { error: message, code: 14, message }, error: message });
  }

  private openWatch(w: Watcher): void {
    const create: Record<string, unknown> = { ...w.create };
    if (w.next > 0) create['start_revision'] = String(w.next);
    w.stream = w.member.sm.openWatchStream();
    w.watchId = '0';
    w.cancelling = undefined;
    const entry = { stream: w.stream, out: w.out };
    w.member.streams.push(entry);
    w.out.length = 0;
    w.out.push(...w.stream.handle({ create_request: create }));
    w.first = true;
    (w as { opened?: unknown }).opened = create;
    if (!this.watchers.includes(w)) this.watchers.push(w);
  }

  private rotate(k: number): void {
    const w = this.watchers[k % Math.max(1, this.watchers.length)];
    if (w === undefined || w.canceled) return;
    w.stream.close();
    const at = w.member.streams.findIndex((s) => s.stream === w.stream);
    if (at >= 0) w.member.streams.splice(at, 1);
    const members = this.cluster.members;
    w.member = members[(members.indexOf(w.member) + 1) % members.length]!;
    this.openWatch(w);
  }

  private deliver(k: number): void {
    const w = this.watchers[k % Math.max(1, this.watchers.length)];
    if (w === undefined || w.canceled || w.out.length === 0) return;
    const response = clone(w.out.shift()) as { created?: boolean; canceled?: boolean; header?: { revision?: string }; events?: { kv?: { mod_revision?: string } }[] };
    const record: WatchRecord = { process: w.process, time: this.clockUs, node: w.member.name, response };
    if (w.first) {
      record.request = { create_request: (w as { opened?: unknown }).opened };
      w.first = false;
    }
    this.watches.push(record);
    const events = response.events ?? [];
    const last = events[events.length - 1];
    // clientv3 delivers a fragmented response once its last part came: it resumes from what it delivered.
    if ((response as { fragment?: boolean }).fragment === true) return;
    if (last?.kv?.mod_revision !== undefined) w.next = Math.max(w.next, Number(last.kv.mod_revision) + 1);
    else {
      const rev = Number(response.header?.revision ?? 0);
      const progress = response.created !== true && response.canceled !== true && events.length === 0;
      if ((response.created === true && w.next === 0) || progress) w.next = Math.max(w.next, rev + 1);
    }
    if (response.created === true && (response as { watch_id?: string }).watch_id !== undefined) w.watchId = String((response as { watch_id?: string }).watch_id);
    if (response.canceled === true) {
      if (w.cancelling === 'recreate' && (response as { compact_revision?: string }).compact_revision === undefined) {
        // Watches again on the same stream from the revision after the last it saw (a new watch id).
        w.cancelling = undefined;
        const create: Record<string, unknown> = { ...w.create };
        if (w.next > 0) create['start_revision'] = String(w.next);
        w.out.push(...w.stream.handle({ create_request: create }));
        w.first = true;
        (w as { opened?: unknown }).opened = create;
        return;
      }
      w.canceled = true;
      w.stream.close();
    }
  }

  /** A cancel request for the watcher's watch; its answer (canceled) ends it or makes it watch again. */
  private cancel(k: number, recreate: boolean): void {
    const w = this.watchers[k % Math.max(1, this.watchers.length)];
    if (w === undefined || w.canceled || w.cancelling !== undefined || w.first) return;
    w.cancelling = recreate ? 'recreate' : 'end';
    w.out.push(...w.stream.handle({ cancel_request: { watch_id: w.watchId } }));
  }

  /**
   * Follower `f` wins an election. Writes in flight the old leader had not applied (committed)
   * are lost, each with chance 1/2 (`lose`'s bits): they never happen, and their clients time
   * out or hear "leader changed". Requests still waiting are served by the new leader.
   */
  private elect(f: GroundMember, lose: number): void {
    // The old leader's proposed revokes committed before it lost office (the new leader has them).
    this.cluster.commitRevokes(Infinity, this.nowMs);
    this.cluster.elect(f, this.nowMs);
    this.leaders.push({ term: f.term, startUs: this.clockUs });
    let bit = 0;
    for (const op of this.procs.values()) {
      if (op.applied) continue;
      const i = this.toApply.indexOf(op);
      if (op.classified.kind === 'propose' && i >= 0 && ((lose >> bit++ % 30) & 1) === 1) {
        this.toApply.splice(i, 1);
        op.fate = op.fate.startsWith('info') ? 'info-unapplied' : 'fail-unapplied';
        op.error ??= 'etcdserver: leader changed';
        continue;
      }
      // Served by the new leader (a follower's serializable read stays where it was).
      if (op.member === this.cluster.leader || op.classified.kind !== 'read' || !op.classified.serializable) {
        op.member = this.cluster.leader;
        op.classified = op.member.classify(op.req.path, op.req.body);
        if (op.classified.kind === 'invalid') {
          op.reply = { ok: false, error: op.classified.error };
          op.applied = true;
          if (i >= 0) this.toApply.splice(i, 1);
        }
      }
    }
  }
}

export interface GenerateOptions {
  /** Client processes. */
  processes: number;
  /** Steps of traffic (invokes, applies, completions, watch deliveries, ticks). */
  steps: number;
  keys: number;
}

const AMBIGUOUS_APPLIED = ['etcdserver: request timed out', 'etcdserver: leader changed'];
const AMBIGUOUS_UNAPPLIED = ['etcdserver: request timed out', 'etcdserver: leader changed', 'etcdserver: no leader', 'etcdserver: too many requests'];

/** A random ground-truth history of `seed`. */
export function generate(seed: number, o: GenerateOptions): Generated {
  const p = new Prng(`etcd-ground-truth/${seed}`);
  const shapes = Array.from({ length: p.int(3) }, () => p.int(6));
  // The cluster, drawn apart from the traffic (a seed's traffic stays the same): a second
  // follower in 1 in 2 histories, periodic progress notifications in 1 in 3, watchers asking for
  // fragmented responses (of a small size) in 1 in 2, leader changes in 1 in 3, watch cancels in 1 in 3.
  const c = new Prng(`etcd-ground-truth/${seed}/cluster`);
  const shape: ClusterShape = { members: c.chance(1, 2) ? 3 : 2, member: {} };
  if (c.chance(1, 3)) shape.member!.progressNotifyMs = c.intRange(100, 1500);
  if (c.chance(1, 2)) {
    shape.member!.fragmentBytes = c.intRange(20, 60);
    shape.fragment = true;
    // One more watcher of every key there (the most events, so the most fragmented responses).
    shapes.push(0);
  }
  const elections = c.chance(1, 3);
  if (c.chance(1, 2)) shape.promptExpiry = true;
  // Revokes that commit late, drawn apart (a seed's other draws stay the same): half the histories that revoke promptly.
  const late = new Prng(`etcd-ground-truth/${seed}/late-revokes`);
  if (shape.promptExpiry === true && late.chance(1, 2)) shape.revokesCommitLate = true;
  const cancels = c.chance(1, 3);
  const run = new GroundRun(shapes, shape);
  let valueSeq = 0;
  const knowledge: Knowledge = {
    keys: Array.from({ length: o.keys }, (_, i) => `key${i}`),
    leases: [],
    values: new Map(),
    revision: () => run.cluster.leader.revision,
    nextValue: () => (p.chance(1, 6) ? p.pick(['', 'dup', 'dup2']) : `v${seed}-${valueSeq++}`),
    pages: [],
  };
  // A list answered with `more`: its next page becomes a request clients may send.
  const notePage = (): void => {
    const last = run.history[run.history.length - 1];
    if (last?.type !== 'ok' || last.f !== 'kv/range') return;
    for (let i = run.history.length - 2; i >= 0; i--) {
      const o = run.history[i]!;
      if (o.process !== last.process || o.type !== 'invoke') continue;
      const page = nextPage(o.value as Record<string, unknown>, last.value as Record<string, unknown>);
      if (page !== undefined) knowledge.pages.push(page);
      return;
    }
  };
  const noteRequest = (req: Request): void => {
    const visit = (body: Record<string, unknown>, path: string): void => {
      if (path === 'put' && typeof body['key'] === 'string' && typeof body['value'] === 'string') {
        const k = atob(body['key']);
        knowledge.values.set(k, [...(knowledge.values.get(k) ?? []), atob(body['value'])]);
      }
      if (path === 'grant' && typeof body['ID'] === 'string') knowledge.leases.push(body['ID']);
      for (const branch of [body['success'], body['failure']] as (Record<string, unknown>[] | undefined)[]) {
        for (const op of branch ?? []) {
          if (op['request_put'] !== undefined) visit(op['request_put'] as Record<string, unknown>, 'put');
          if (op['request_txn'] !== undefined) visit(op['request_txn'] as Record<string, unknown>, 'txn');
        }
      }
    };
    visit(req.body, req.path.endsWith('/put') ? 'put' : req.path.endsWith('/grant') ? 'grant' : 'other');
  };
  if (p.chance(1, 5)) {
    for (let i = p.intRange(1, 6); i > 0; i--) {
      const req = drawRequest(p, knowledge);
      if (req.path === '/v3/kv/put' || req.path === '/v3/kv/txn' || req.path === '/v3/kv/deleterange') {
        noteRequest(req);
        run.run({ t: 'preload', req });
      }
    }
  }
  // Member faults and the server's own compactions, drawn apart so that the traffic of a seed
  // stays the same with them or without: a follower's snapshots, restarts and snapshot installs
  // in 1 in 3 histories, auto-compaction in 1 in 4.
  const q = new Prng(`etcd-ground-truth/${seed}/faults`);
  const restarts = q.chance(1, 3);
  const autoCompaction = q.chance(1, 4);
  // A follower that had not applied all that was preloaded when the history starts (half the stores that held data).
  if (run.preloaded && q.chance(1, 2)) run.run({ t: 'lag', n: q.int(3) });
  // With late revokes, a client of its own (past the traffic's processes) first grants a lease
  // and puts key0 with it: the traffic reads it, renews or revokes it now and then, or lets it expire.
  if (shape.revokesCommitLate === true) {
    const proc = o.processes;
    const id = String(9000 + late.int(1000));
    for (const req of [{ path: '/v3/lease/grant', body: { ID: id, TTL: String(late.intRange(2, 4)) } }, { path: '/v3/kv/put', body: { key: b64('key0'), value: b64(`late-${seed}`), lease: id } }] as Request[]) {
      run.run({ t: 'invoke', p: proc, req, fate: 'ok' });
      run.run({ t: 'complete', p: proc });
    }
    knowledge.leases.push(id);
  }
  for (let i = 0; i < o.steps; i++) {
    for (const id of run.leases) if (!knowledge.leases.includes(id)) knowledge.leases.push(id);
    if (restarts && q.chance(1, 12)) {
      const f = q.int(3);
      const step: Step = f === 0 ? { t: 'snapshot' } : f === 1 ? { t: 'restart', toLeader: q.chance(1, 2) } : { t: 'install' };
      if (shape.members === 3) step.m = c.int(2);
      run.run(step);
    }
    if (autoCompaction && q.chance(1, 10)) run.run({ t: 'auto-compact', behind: q.int(4) });
    // Seconds pass (leases expire within the history) and the revokes wait for a commit.
    if (shape.revokesCommitLate === true && late.chance(1, 12)) run.run({ t: 'tick', ms: late.intRange(1000, 4000), expire: true });
    if (shape.revokesCommitLate === true && late.chance(1, 40)) run.run({ t: 'commit-revokes' });
    if (elections && c.chance(1, 25)) run.run({ t: 'elect', m: c.int(2), lose: c.int(1 << 30) });
    if (cancels && c.chance(1, 30)) run.run({ t: 'cancel', w: c.int(8), recreate: c.chance(2, 3) });
    const r = p.int(100);
    if (r < 30) {
      const proc = p.int(o.processes);
      if (run.busy(proc)) {
        run.run({ t: 'complete', p: proc });
        notePage();
        continue;
      }
      const req = drawRequest(p, knowledge);
      noteRequest(req);
      const f = p.int(20);
      const fate: Fate = f < 14 ? 'ok' : f < 16 ? 'info-applied' : f < 18 ? 'info-unapplied' : f < 19 ? 'fail-applied' : 'fail-unapplied';
      const step: Step = { t: 'invoke', p: proc, req, fate };
      if (fate === 'fail-applied') step.error = p.pick(AMBIGUOUS_APPLIED);
      if (fate === 'fail-unapplied') step.error = p.pick(AMBIGUOUS_UNAPPLIED);
      if (p.chance(1, 2)) {
        step.follower = true;
        if (shape.members === 3) step.via = c.int(2);
      }
      run.run(step);
    } else if (r < 50) run.run({ t: 'apply', k: p.int(1000) });
    else if (r < 72) {
      run.run({ t: 'complete', p: p.int(o.processes) });
      notePage();
    }
    else if (r < 78) {
      const step: Step = { t: 'catch-up', n: p.intRange(1, 4) };
      if (shape.members === 3) step.m = c.int(2);
      run.run(step);
    }
    else if (r < 82) run.run({ t: 'tick', ms: p.int(3) === 0 ? p.intRange(500, 3000) : p.intRange(10, 120), expire: p.chance(2, 3) });
    else if (r < 95) run.run({ t: 'deliver', w: p.int(8) });
    else if (r < 98) run.run({ t: 'progress', w: p.int(8) });
    else run.run({ t: 'rotate', w: p.int(8) });
  }
  for (let proc = 0; proc < o.processes; proc++) run.run({ t: 'complete', p: proc });
  for (let i = 0; i < 20; i++) run.run({ t: 'deliver', w: p.int(8) });
  return result(shapes, run);
}

/** Runs concrete steps again (a shrunk list): the same history for the same list. */
export function replaySteps(steps: readonly Step[], shapes: readonly number[], shape: ClusterShape = {}): Generated {
  const run = new GroundRun(shapes, shape);
  for (const s of steps) run.run(s);
  return result([...shapes], run);
}

/** The cluster a history runs on: 2 or 3 members, how they are built, whether watchers ask for fragmented responses. */
export interface ClusterShape {
  members?: number;
  member?: MemberShape;
  /** The watchers' creates ask for fragment: true. */
  fragment?: boolean;
  /**
   * The leader revokes expired leases as etcd does: it looks every 500 ms and its revokes
   * commit (without this, a tick may leave them for later, or forever). The lease checker
   * judges these histories' timing.
   */
  promptExpiry?: boolean;
  /**
   * With promptExpiry: the leader's revokes of expired leases commit late (a commit-revokes step,
   * a leader change, or a write the leader got after them), so a lease's keys stay readable past
   * its TTL for as long as that takes (slow disks on a majority, a backlog).
   */
  revokesCommitLate?: boolean;
}

function result(shapes: number[], run: GroundRun): Generated {
  const g: Generated = { shapes, cluster: run.shape, steps: run.steps, history: run.history, watches: run.watches, stale: run.stale, autoCompaction: run.autoCompacted, leaders: run.leaders };
  if (run.initialDump !== undefined) g.initialDump = run.initialDump;
  return g;
}
