// A run's leader timeline as its report keeps it (leader-timeline.jsonl): what the run's history
// checkers judged with beyond the history, so that `detcd check` of the report's history.jsonl
// gives the run's verdicts. A real etcd's keep-alive answer does not name the lessor that renewed
// it; the members' polled Status answers and the spans the nemesis stopped them do
// (sim/check/renewal-proof.ts). A simulated run knows its leaders exactly (lease.leaders) and
// polls nothing. Neither is in the history.
//
// One JSON object per line:
//   {"members":["n1",…],"samplesTruncated":false,"lease":{…},"linearizable":{…},"watch":{…}}   first line: the run
//   {"member":"n1","sentUs":…,"atUs":…,"appliedTerm":…}                  a Status answer (real runs)
//   {"member":"n1","stopped":"paused"|"down","fromUs":…,"toUs":…|null}    a member stopped (null: for good)
// `lease` holds the lease checker's options of the run that are data (its leader changes, the
// election timeout, clock bounds; null where a bound is infinite; a simulated run's leaders in
// office and checkpointed TTLs), on the run's clock (µs since it began, as the history's `time`);
// its clock bounds are also the etcd model's lease clock, as the run gave it. `linearizable`
// holds the run's search bound (`stepsMax`), `watch` the watch checker's options
// (`expectRevisionUnique`; where every open watch had caught up is results.json's liveness);
// `historyTruncated: true` says the run's history hit its bound (no verdict on it is valid).
// Files from before a field was written leave it out, and check judges that part as before.
import type { StatusSample, StoppedSpan } from '../check/renewal-proof.ts';
import type { LeaseCheckOptions } from '../check/lease.ts';
import type { LeaderInOffice } from '../check/lease-revoked-early.ts';
import { HistoryParseError } from './parse-error.ts';
import { shownValue } from './shown-value.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { jsonNestingRefusal } from '../text/json-nesting.ts';

export const LEADER_TIMELINE_FILE = 'leader-timeline.jsonl';

/** The lease checker options a run judged with that are data (no renewal proof, which the samples rebuild). */
export type LeaseRunOptions = Pick<LeaseCheckOptions, 'leaderChangesUs' | 'electionTimeoutUs' | 'clockDriftPpmMax' | 'clockJumpUsMax' | 'slowClock' | 'answersCarryLeaderTerm' | 'transfersUs' | 'transferEndsUs' | 'revokeRetryUs' | 'leaders' | 'leaderChangeTtls'>;

/** The watch checker's options a run gave it (the revision its watches caught up to is results.json's liveness: check-report-watches.ts). */
export interface WatchRunOptions {
  readonly expectRevisionUnique: boolean;
}

export interface LeaderTimelineFile {
  readonly members: readonly string[];
  readonly samples: readonly StatusSample[];
  readonly stopped: readonly StoppedSpan[];
  /** The poller kept no more answers past its bound: later keep-alives have no proof. */
  readonly samplesTruncated: boolean;
  readonly lease: LeaseRunOptions;
  /** The run's linearizability search bound (model steps); absent: the run did not say. */
  readonly linearizableStepsMax?: number;
  readonly watch?: WatchRunOptions;
  /** The run's history hit its bound: what was not recorded was not checked. */
  readonly historyTruncated?: boolean;
}

/** Infinity as JSON keeps it (null), and back. */
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** The file's lines (each without its newline). */
export function leaderTimelineLines(t: LeaderTimelineFile): string[] {
  const l = t.lease;
  const lease: Record<string, unknown> = {
    leaderChangesUs: l.leaderChangesUs ?? [],
    electionTimeoutUs: l.electionTimeoutUs,
    clockDriftPpmMax: l.clockDriftPpmMax,
    clockJumpUsMax: l.clockJumpUsMax === undefined ? undefined : finite(l.clockJumpUsMax),
    slowClock: l.slowClock === undefined ? undefined : { driftPpmMax: l.slowClock.driftPpmMax, jumpUsMax: finite(l.slowClock.jumpUsMax) },
    answersCarryLeaderTerm: l.answersCarryLeaderTerm,
    transfersUs: l.transfersUs,
    transferEndsUs: l.transferEndsUs,
    revokeRetryUs: l.revokeRetryUs,
    leaders: l.leaders?.map((x) => ({ term: x.term, startUs: x.startUs })),
    // A lease id is a decimal string (etcd's int64 as JSON has it); null: a change with no checkpoint read.
    leaderChangeTtls: l.leaderChangeTtls?.map((m) => (m === undefined ? null : Object.fromEntries(m))),
  };
  const head: Record<string, unknown> = { members: t.members, samplesTruncated: t.samplesTruncated, lease };
  if (t.linearizableStepsMax !== undefined) head['linearizable'] = { stepsMax: t.linearizableStepsMax };
  if (t.watch !== undefined) head['watch'] = t.watch;
  if (t.historyTruncated === true) head['historyTruncated'] = true;
  const lines = [JSON.stringify(head)];
  for (const s of t.samples) lines.push(JSON.stringify({ member: s.member, sentUs: s.sentUs, atUs: s.atUs, appliedTerm: s.appliedTerm }));
  for (const s of t.stopped) lines.push(JSON.stringify({ member: s.member, stopped: s.kind, fromUs: s.fromUs, toUs: finite(s.toUs) }));
  return lines;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A whole number ≥ 0 (µs, a term), or the reason it is not. */
function whole(o: Obj, field: string, what: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`field ${field} must be a whole number ≥ 0 (${what}), got ${shownValue(v)}`);
  return v;
}

/** A whole number ≥ 0, or null for no bound (Infinity). */
function bound(o: Obj, field: string, what: string): number {
  return o[field] === null ? Infinity : whole(o, field, what);
}

function leaseOptions(v: unknown): LeaseRunOptions {
  if (!isObj(v)) throw new Error(`field lease must be an object (the run's lease checker options), got ${shownValue(v)}`);
  const known = new Set(['leaderChangesUs', 'electionTimeoutUs', 'clockDriftPpmMax', 'clockJumpUsMax', 'slowClock', 'answersCarryLeaderTerm', 'transfersUs', 'transferEndsUs', 'revokeRetryUs', 'leaders', 'leaderChangeTtls']);
  for (const k of Object.keys(v)) if (!known.has(k)) throw new Error(`field lease.${k}: not a lease checker option detcd knows`);
  const times = (field: string): number[] => {
    const a = v[field];
    if (!Array.isArray(a)) throw new Error(`field lease.${field} must be an array of µs, got ${shownValue(a)}`);
    return a.map((t, i) => {
      if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) throw new Error(`field lease.${field}[${i}] must be a whole number ≥ 0 (µs since the run began), got ${shownValue(t)}`);
      return t;
    });
  };
  const out: LeaseRunOptions = { leaderChangesUs: times('leaderChangesUs') };
  if (v['electionTimeoutUs'] !== undefined) out.electionTimeoutUs = whole(v, 'electionTimeoutUs', 'lease.electionTimeoutUs, µs');
  if (v['clockDriftPpmMax'] !== undefined) out.clockDriftPpmMax = whole(v, 'clockDriftPpmMax', 'lease.clockDriftPpmMax, ppm');
  if (v['clockJumpUsMax'] !== undefined) out.clockJumpUsMax = bound(v, 'clockJumpUsMax', 'lease.clockJumpUsMax, µs, or null: no bound');
  if (v['slowClock'] !== undefined) {
    const s = v['slowClock'];
    if (!isObj(s)) throw new Error(`field lease.slowClock must be an object {driftPpmMax, jumpUsMax}, got ${shownValue(s)}`);
    out.slowClock = { driftPpmMax: whole(s, 'driftPpmMax', 'lease.slowClock.driftPpmMax, ppm'), jumpUsMax: bound(s, 'jumpUsMax', 'lease.slowClock.jumpUsMax, µs, or null: no bound') };
  }
  if (v['answersCarryLeaderTerm'] !== undefined) {
    if (typeof v['answersCarryLeaderTerm'] !== 'boolean') throw new Error(`field lease.answersCarryLeaderTerm must be true or false, got ${shownValue(v['answersCarryLeaderTerm'])}`);
    out.answersCarryLeaderTerm = v['answersCarryLeaderTerm'];
  }
  if (v['transfersUs'] !== undefined) out.transfersUs = times('transfersUs');
  if (v['transferEndsUs'] !== undefined) {
    const ends = times('transferEndsUs');
    if (ends.length !== (out.transfersUs?.length ?? 0)) throw new Error(`field lease.transferEndsUs has ${ends.length} entries for ${out.transfersUs?.length ?? 0} transfer(s) in lease.transfersUs`);
    out.transferEndsUs = ends;
  }
  if (v['revokeRetryUs'] !== undefined) out.revokeRetryUs = whole(v, 'revokeRetryUs', 'lease.revokeRetryUs, µs');
  if (v['leaders'] !== undefined) out.leaders = leadersInOffice(v['leaders']);
  if (v['leaderChangeTtls'] !== undefined) out.leaderChangeTtls = checkpointedTtls(v['leaderChangeTtls'], out.leaderChangesUs?.length ?? 0);
  return out;
}

/** lease.leaders: [{term, startUs}], a simulated run's leaders as they took office. */
function leadersInOffice(a: unknown): LeaderInOffice[] {
  if (!Array.isArray(a)) throw new Error(`field lease.leaders must be an array of {term, startUs}, got ${shownValue(a)}`);
  return a.map((l, i) => {
    if (!isObj(l)) throw new Error(`field lease.leaders[${i}] must be an object {term, startUs}, got ${shownValue(l)}`);
    return { term: whole(l, 'term', `lease.leaders[${i}].term`), startUs: whole(l, 'startUs', `lease.leaders[${i}].startUs, µs since the run began`) };
  });
}

/** lease.leaderChangeTtls: per leader change, null or {leaseId: remaining TTL s}. */
function checkpointedTtls(a: unknown, changes: number): (ReadonlyMap<string, number> | undefined)[] {
  if (!Array.isArray(a)) throw new Error(`field lease.leaderChangeTtls must be an array (one entry per leader change), got ${shownValue(a)}`);
  if (a.length !== changes) throw new Error(`field lease.leaderChangeTtls has ${a.length} entries for ${changes} leader change(s) in lease.leaderChangesUs`);
  return a.map((m, i) => {
    if (m === null) return undefined;
    if (!isObj(m)) throw new Error(`field lease.leaderChangeTtls[${i}] must be null or an object {leaseId: TTL s}, got ${shownValue(m)}`);
    return new Map(Object.keys(m).map((id) => [id, whole(m, id, `lease.leaderChangeTtls[${i}], the remaining TTL in s`)]));
  });
}

/** The head's `watch`: the watch checker's options the run gave it. */
function watchOptions(v: unknown): WatchRunOptions {
  if (!isObj(v)) throw new Error(`field watch must be an object (the run's watch checker options), got ${shownValue(v)}`);
  for (const k of Object.keys(v)) if (k !== 'expectRevisionUnique') throw new Error(`field watch.${k}: not a watch checker option detcd knows`);
  if (typeof v['expectRevisionUnique'] !== 'boolean') throw new Error(`field watch.expectRevisionUnique must be true or false, got ${shownValue(v['expectRevisionUnique'])}`);
  return { expectRevisionUnique: v['expectRevisionUnique'] };
}

/** The head's `linearizable`: the run's search bound. */
function stepsMaxOf(v: unknown): number {
  if (!isObj(v)) throw new Error(`field linearizable must be an object {stepsMax}, got ${shownValue(v)}`);
  for (const k of Object.keys(v)) if (k !== 'stepsMax') throw new Error(`field linearizable.${k}: not a linearizability option detcd knows`);
  const n = whole(v, 'stepsMax', 'linearizable.stepsMax, model steps');
  if (n < 1) throw new Error('field linearizable.stepsMax must be at least 1 (model steps)');
  return n;
}

/** The first line: the run. */
interface RunLine {
  members: string[];
  samplesTruncated: boolean;
  lease: LeaseRunOptions;
  linearizableStepsMax?: number;
  watch?: WatchRunOptions;
  historyTruncated?: boolean;
}

/** The file's content; HistoryParseError names the line and field of the first thing wrong in it. */
export function parseLeaderTimeline(text: string): LeaderTimelineFile {
  const lines = text.split('\n');
  let head: RunLine | undefined;
  const samples: StatusSample[] = [];
  const stopped: StoppedSpan[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        throw new Error('not JSON');
      }
      const deep = jsonNestingRefusal(line);
      if (deep !== undefined) throw new Error(deep);
      if (!isObj(o)) throw new Error(`not a leader timeline record (an object), got ${shownValue(o)}`);
      if (head === undefined) {
        const members = o['members'];
        if (!Array.isArray(members) || members.length === 0 || !members.every((m) => typeof m === 'string' && m !== '')) throw new Error(`the first line must name the run: field members must be a non-empty array of member names, got ${shownValue(members)}`);
        if (typeof o['samplesTruncated'] !== 'boolean') throw new Error(`field samplesTruncated must be true or false, got ${shownValue(o['samplesTruncated'])}`);
        const known = new Set(['members', 'samplesTruncated', 'lease', 'linearizable', 'watch', 'historyTruncated']);
        for (const k of Object.keys(o)) if (!known.has(k)) throw new Error(`field ${k}: not a field of the run's line detcd knows`);
        const h: RunLine = { members: members as string[], samplesTruncated: o['samplesTruncated'], lease: leaseOptions(o['lease']) };
        if (o['linearizable'] !== undefined) h.linearizableStepsMax = stepsMaxOf(o['linearizable']);
        if (o['watch'] !== undefined) h.watch = watchOptions(o['watch']);
        if (o['historyTruncated'] !== undefined) {
          if (typeof o['historyTruncated'] !== 'boolean') throw new Error(`field historyTruncated must be true or false, got ${shownValue(o['historyTruncated'])}`);
          h.historyTruncated = o['historyTruncated'];
        }
        head = h;
        continue;
      }
      const member = o['member'];
      if (typeof member !== 'string' || !head.members.includes(member)) throw new Error(`field member must name a member of the run (${head.members.join(', ')}), got ${shownValue(member)}`);
      if (o['stopped'] !== undefined) {
        const kind = o['stopped'];
        if (kind !== 'paused' && kind !== 'down') throw new Error(`field stopped must be "paused" or "down", got ${shownValue(kind)}`);
        const fromUs = whole(o, 'fromUs', 'µs since the run began');
        const toUs = bound(o, 'toUs', 'µs since the run began, or null: stopped for good');
        if (toUs < fromUs) throw new Error(`field toUs (${toUs}) is before fromUs (${fromUs})`);
        stopped.push({ member, kind, fromUs, toUs });
      } else {
        const sentUs = whole(o, 'sentUs', 'µs since the run began, when the Status request left');
        const atUs = whole(o, 'atUs', 'µs since the run began, when its answer came');
        if (atUs < sentUs) throw new Error(`field atUs (${atUs}) is before sentUs (${sentUs})`);
        samples.push({ member, sentUs, atUs, appliedTerm: whole(o, 'appliedTerm', "the term of the member's last applied entry") });
      }
    } catch (err) {
      throw new HistoryParseError(i + 1, err instanceof Error ? err.message : String(err));
    }
  }
  if (head === undefined) throw new HistoryParseError(1, 'empty: the first line names the run\'s members and lease options');
  return withFields(head, { samples, stopped });
}
