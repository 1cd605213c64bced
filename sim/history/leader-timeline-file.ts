// A real etcd run's leader timeline as its report keeps it (leader-timeline.jsonl): what the
// run's lease checker judged with beyond the history, so that `detcd check` of the report's
// history.jsonl gives the run's lease verdict. A real etcd's keep-alive answer does not name the
// lessor that renewed it; the members' polled Status answers and the spans the nemesis stopped
// them do (sim/check/renewal-proof.ts), and those are not in the history.
//
// One JSON object per line:
//   {"members":["n1",…],"samplesTruncated":false,"lease":{…}}            first line: the run
//   {"member":"n1","sentUs":…,"atUs":…,"appliedTerm":…}                  a Status answer
//   {"member":"n1","stopped":"paused"|"down","fromUs":…,"toUs":…|null}    a member stopped (null: for good)
// `lease` holds the lease checker's options of the run that are data (its leader changes, the
// election timeout, clock bounds; null where a bound is infinite), on the run's clock (µs since it
// began, as the history's `time`).
import type { StatusSample, StoppedSpan } from '../check/renewal-proof.ts';
import type { LeaseCheckOptions } from '../check/lease.ts';
import { HistoryParseError } from './parse-error.ts';
import { shownValue } from './shown-value.ts';

export const LEADER_TIMELINE_FILE = 'leader-timeline.jsonl';

/** The lease checker options a run judged with that are data (no renewal proof, which the samples rebuild). */
export type LeaseRunOptions = Pick<LeaseCheckOptions, 'leaderChangesUs' | 'electionTimeoutUs' | 'clockDriftPpmMax' | 'clockJumpUsMax' | 'slowClock' | 'answersCarryLeaderTerm' | 'transfersUs' | 'revokeRetryUs'>;

export interface LeaderTimelineFile {
  readonly members: readonly string[];
  readonly samples: readonly StatusSample[];
  readonly stopped: readonly StoppedSpan[];
  /** The poller kept no more answers past its bound: later keep-alives have no proof. */
  readonly samplesTruncated: boolean;
  readonly lease: LeaseRunOptions;
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
    revokeRetryUs: l.revokeRetryUs,
  };
  const lines = [JSON.stringify({ members: t.members, samplesTruncated: t.samplesTruncated, lease })];
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
  const known = new Set(['leaderChangesUs', 'electionTimeoutUs', 'clockDriftPpmMax', 'clockJumpUsMax', 'slowClock', 'answersCarryLeaderTerm', 'transfersUs', 'revokeRetryUs']);
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
  if (v['revokeRetryUs'] !== undefined) out.revokeRetryUs = whole(v, 'revokeRetryUs', 'lease.revokeRetryUs, µs');
  return out;
}

/** The file's content; HistoryParseError names the line and field of the first thing wrong in it. */
export function parseLeaderTimeline(text: string): LeaderTimelineFile {
  const lines = text.split('\n');
  let head: { members: string[]; samplesTruncated: boolean; lease: LeaseRunOptions } | undefined;
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
      if (!isObj(o)) throw new Error(`not a leader timeline record (an object), got ${shownValue(o)}`);
      if (head === undefined) {
        const members = o['members'];
        if (!Array.isArray(members) || members.length === 0 || !members.every((m) => typeof m === 'string' && m !== '')) throw new Error(`the first line must name the run: field members must be a non-empty array of member names, got ${shownValue(members)}`);
        if (typeof o['samplesTruncated'] !== 'boolean') throw new Error(`field samplesTruncated must be true or false, got ${shownValue(o['samplesTruncated'])}`);
        head = { members: members as string[], samplesTruncated: o['samplesTruncated'], lease: leaseOptions(o['lease']) };
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
  return { members: head.members, samplesTruncated: head.samplesTruncated, lease: head.lease, samples, stopped };
}
