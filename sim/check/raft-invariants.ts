// The global Raft observer: after every event of a simulated run it looks at every live member
// through a small read-only view and checks the safety properties of the Raft paper (Figure 3)
// plus durability across crashes. The first violation is kept (and thrown by checkOrThrow) with
// the invariant's name, the member, the term, the index and the command that replays the run.
//
// The checks are incremental so that they can run after every event: each member's log is
// registered once per entry (re-registered only after a truncation or a restart), so a run
// costs O(entries + events * members), not O(events * log length).

import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { RaftLog } from '../../src/raft/raft-log.ts';
import type { Entry, EntryData } from '../../src/raft/types.ts';
import { sameEntryData } from '../../src/raft/types.ts';
import { entryText } from './raft-entry-text.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { IndexTable, TermTable } from './raft-index-table.ts';

export { InvariantViolation };

/** What the observer may read from one member. Implemented by the Raft host and etcd hosts. */
export interface RaftView {
  readonly id: string;
  /** Changes whenever the member restarts (its volatile state was lost). */
  readonly incarnation: number;
  readonly term: number;
  readonly commit: number;
  /** Term and commit index as of the last completed fsync of the hard state. */
  readonly durableTerm: number;
  readonly durableCommit: number;
  readonly lastIndex: number;
  /** The first index whose entry() is available (entries before it are in a snapshot). */
  readonly firstIndex: number;
  entry(i: number): ViewEntry | undefined;
  /** entry(i)?.term without building the entry (optional: the observer asks for terms after every event). */
  termAt?(i: number): number | undefined;
  readonly isLeader: boolean;
  readonly applied: number;
  /**
   * Optional: a number that changes whenever anything this view shows may have changed (the
   * member's code ran). An unchanged member is not looked at again; without it, every check looks.
   */
  readonly version?: number;
  /** The entry applied at index i, if the member still remembers it (undefined otherwise). */
  appliedEntry(i: number): ViewEntry | undefined;
  /**
   * Optional: the index and term of the latest snapshot the member holds in stable storage (taken
   * itself or installed from a leader; index 0: none). Its term must be the committed entry's.
   */
  readonly snapshotMeta?: { readonly index: number; readonly term: number };
}

export interface ViewEntry {
  readonly term: number;
  readonly data: EntryData;
}

/** The entry at index `i` of a member's raft log as the observer sees it; undefined when compacted or absent. */
export function viewEntryAt(log: RaftLog, i: number): Entry | undefined {
  if (i < log.firstIndex() || i > log.lastIndex()) return undefined;
  // The raft entry itself (immutable) serves as the view: no copy, and no slice when unstable.
  const u = log.unstable;
  if (i >= u.offset) {
    const e = u.entries[i - u.offset];
    if (e !== undefined) return e;
  }
  // A stored entry read in place (no one-entry slice); anything else goes the slice's way.
  // Stored entries at or after the unstable offset are a stale tail: only those before it count.
  const stored = i < u.offset ? log.storage.entryAt?.(i) : undefined;
  if (stored !== undefined && stored.index === i) return stored;
  const ents = log.slice(i, i + 1, Number.MAX_SAFE_INTEGER);
  if (typeof ents === 'string') return undefined;
  return ents[0];
}

/** viewEntryAt(log, i)?.term, read without building anything. */
export function viewTermAt(log: RaftLog, i: number): number | undefined {
  if (i < log.firstIndex() || i > log.lastIndex()) return undefined;
  const t = log.term(i);
  return typeof t === 'number' ? t : undefined;
}

/** The term of a view's entry i: through termAt when the view has it. */
function termOf(v: RaftView, i: number): number | undefined {
  return v.termAt !== undefined ? v.termAt(i) : v.entry(i)?.term;
}

export type InvariantName =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'term-monotonic'
  | 'commit-monotonic'
  | 'committed-entry-lost'
  | 'snapshot-term';

export interface Violation {
  readonly invariant: InvariantName;
  readonly member: string;
  readonly term: number;
  readonly index: number;
  readonly detail: string;
  readonly replay?: string;
  /** Every member involved: the one it broke on first, then the others the detail names. */
  readonly members: readonly string[];
  /** The entries involved, as each member holds (or acknowledged, or committed) them. */
  readonly entries: readonly InvolvedEntry[];
}

/** An entry named by a violation: which member had it, where, and its data decoded for people. */
export interface InvolvedEntry {
  readonly member: string;
  readonly index: number;
  readonly term: number;
  /** What the member holds there, decoded and bounded (entryText); 'nothing' when it holds none. */
  readonly text: string;
  /** How the member came to it: 'log', 'committed', 'applied', 'acknowledged'. */
  readonly role: string;
}

/** The observer's violation as the shared typed error: layer 'raft', the invariant's name, the member. */
export class RaftInvariantViolation extends InvariantViolation {
  readonly violation: Violation;

  constructor(v: Violation) {
    super({ layer: 'raft', invariant: v.invariant, detail: v.detail, member: v.member, facts: { term: v.term, index: v.index }, members: v.members, entries: v.entries }, formatViolation(v));
    this.violation = v;
  }
}

export function formatViolation(v: Violation): string {
  // detcd/check exports it: a program's missing violation is refused naming it, not 'reading replay'.
  const o = checkObjectArgument('formatViolation', 'v', v, 'a violation (RaftInvariants.violation)');
  // Each field it writes, typed (a Symbol threw from the template).
  for (const key of ['invariant', 'member', 'detail']) if (typeof o[key] !== 'string') throw badArgument('formatViolation', `v.${key}`, 'must be a string', o[key]);
  for (const key of ['term', 'index']) if (typeof o[key] !== 'number') throw badArgument('formatViolation', `v.${key}`, 'must be a number', o[key]);
  if (o['replay'] !== undefined && typeof o['replay'] !== 'string') throw badArgument('formatViolation', 'v.replay', 'must be a string when given', o['replay']);
  const replay = v.replay === undefined ? '' : `\n  replay: ${v.replay}`;
  return `invariant ${v.invariant} violated on member ${v.member} at term ${v.term}, index ${v.index}: ${v.detail}${replay}`;
}

interface CommittedEntry extends ViewEntry {
  /** The term of the member that first reported it committed: the committing leader's term. */
  readonly commitTerm: number;
  /** The member that first reported it committed. */
  readonly member: string;
}

/** The first sighting of an (index, term) entry in any log, and the sighting of another term at its index. */
interface LogSighting {
  readonly term: number;
  readonly data: EntryData;
  readonly prevTerm: number;
  readonly member: string;
  readonly other: LogSighting | undefined;
}

/** A ViewEntry and the member it was first seen on. */
interface SeenEntry extends ViewEntry {
  readonly member: string;
}

interface MemberState {
  /** The view id it is kept under. */
  readonly id: string;
  incarnation: number;
  term: number;
  commit: number;
  durableTerm: number;
  durableCommit: number;
  /** Terms of this incarnation's log as registered, by index. */
  terms: TermTable;
  registeredTo: number;
  committedTo: number;
  appliedTo: number;
  /** The view's version when last checked without a violation (undefined: look every time). */
  version: number | undefined;
  /** While leader: the term and last entry it had, to check it never loses entries. */
  leaderMark: { readonly term: number; lastIndex: number; lastTerm: number } | undefined;
}

/** A bound on entries walked back when looking for where a member's log was truncated. */
const TRUNCATION_WALK_MAX = 10_000_000;

export class RaftInvariants {
  private readonly replay: string | undefined;
  private readonly leaders = new Map<number, string>();
  private readonly members = new Map<string, MemberState>();
  /**
   * Every (index, term) entry ever seen in any log: its data and the term of the entry before it.
   * Keyed by index, with the rare other terms at one index chained: no key text per entry.
   */
  private readonly entries = new IndexTable<LogSighting>();
  private readonly committed = new IndexTable<CommittedEntry>();
  /** The committed indexes in the order they were first seen committed (checkCompleteness looks in that order). */
  private readonly committedOrder: number[] = [];
  private committedMaxSeen = 0;
  private readonly applied = new IndexTable<SeenEntry>();
  private readonly acked = new Map<number, SeenEntry>();
  private violationFound: Violation | undefined = undefined;
  /**
   * Every index below it is forgotten (compact): no member's log, snapshot or disk holds one any
   * more, so no check meets one again. 0: nothing forgotten. Without it a long \`detcd serve\` kept
   * every entry it ever saw, ≈220 B an index.
   */
  private compactIndexAt = 0;
  /** Entries a member showed below compactIndex (a floor set too high): 0 unless the floor was wrong. */
  private belowCompactSeen = 0;
  /** The views of the last check by position, and the state of each (stateOf without a lookup per event). */
  private readonly lastViews: RaftView[] = [];
  private readonly lastStates: MemberState[] = [];
  checks = 0;

  constructor(options: { replay?: string } = {}) {
    // detcd/check exports RaftInvariants: a program's wrong options are refused naming them.
    const o = checkObjectArgument('RaftInvariants', 'options', options, 'an object ({replay?})');
    if (o['replay'] !== undefined && typeof o['replay'] !== 'string') throw badArgument('RaftInvariants', 'options.replay', 'must be a command (a string)', o['replay']);
    this.replay = options.replay;
  }

  get violation(): Violation | undefined {
    return this.violationFound;
  }

  /** The largest index known committed anywhere. */
  get committedMax(): number {
    return this.committedMaxSeen;
  }

  committedEntry(i: number): ViewEntry | undefined {
    return this.committed.get(i);
  }

  /** The index below which everything is forgotten (0: nothing), and the indexes its tables hold. */
  get tables(): { readonly compactIndex: number; readonly indexesKept: number; readonly belowCompactSeen: number; readonly leadersKept: number } {
    return { compactIndex: this.compactIndexAt, indexesKept: Math.max(this.entries.size, this.committed.size, this.applied.size), belowCompactSeen: this.belowCompactSeen, leadersKept: this.leaders.size };
  }

  /**
   * Forgets the leader of every term below `term`, which the caller vouches no member can lead
   * again: below the term each member's disk would restart from (a member's term only rises, and
   * comes back from its durable hard state after a crash). The term → leader map grew one entry
   * per election for the whole run. A member added later starts at term 0; it could lead a
   * forgotten term only with the votes of members that all moved past it, which Raft refuses.
   */
  forgetLeadersBelow(term: number): void {
    checkWholeArgument('RaftInvariants.forgetLeadersBelow', 'term', term, 0);
    for (const t of this.leaders.keys()) if (t < term) this.leaders.delete(t);
  }

  /**
   * Forgets every index below \`compactIndex\`, which the caller vouches no member will show again:
   * below every live member's first index and snapshot, and below the snapshot each member's disk
   * would restart from (a crash may bring back an older log than the one in memory). The tables
   * then hold what the members can still show: a long run's memory stays bounded by its logs.
   */
  compact(compactIndex: number): void {
    checkWholeArgument('RaftInvariants.compact', 'compactIndex', compactIndex, 0);
    if (compactIndex <= this.compactIndexAt) return;
    this.compactIndexAt = compactIndex;
    this.entries.forgetBelow(compactIndex);
    this.committed.forgetBelow(compactIndex);
    this.applied.forgetBelow(compactIndex);
    for (const st of this.members.values()) st.terms.forgetBelow(compactIndex);
    let kept = 0;
    for (const i of this.committedOrder) if (i >= compactIndex) this.committedOrder[kept++] = i;
    this.committedOrder.length = kept;
    for (const i of this.acked.keys()) if (i < compactIndex) this.acked.delete(i);
  }

  /** Checks every view; returns the first violation ever found (and keeps returning it). */
  check(views: Iterable<RaftView>): Violation | undefined {
    if (this.violationFound !== undefined) return this.violationFound;
    this.checks++;
    let k = 0;
    for (const v of views) {
      // The views come in the same order event after event: the state found for the view at
      // this position last time is reused without a lookup by id while the view is the same object.
      let st = this.lastStates[k];
      if (this.lastViews[k] !== v || st === undefined || st.id !== v.id) {
        st = this.stateOf(v);
        this.lastViews[k] = v;
        this.lastStates[k] = st;
      }
      k++;
      const found = this.checkMember(v, st);
      if (found !== undefined) {
        this.violationFound = found;
        return found;
      }
    }
    return undefined;
  }

  checkOrThrow(views: Iterable<RaftView>): void {
    const v = this.check(views);
    if (v !== undefined) throw new RaftInvariantViolation(v);
  }

  /**
   * The first applied index the next check walks for member `id` in `incarnation` (registerApplied):
   * past what it was seen to apply and past the compacted part; none after a restart.
   */
  protected appliedWalkFrom(id: string, incarnation: number): number {
    const st = this.members.get(id);
    if (st === undefined) return Math.max(1, this.compactIndexAt);
    return st.incarnation !== incarnation ? Number.MAX_SAFE_INTEGER : Math.max(st.appliedTo + 1, this.compactIndexAt);
  }

  /** A client was told that `entry` committed at `index`: it must never be lost or replaced. */
  recordAck(member: string, index: number, entry: ViewEntry): Violation | undefined {
    if (this.violationFound !== undefined) return this.violationFound;
    const c = this.committed.get(index);
    if (c !== undefined && (c.term !== entry.term || !sameEntryData(c.data, entry.data))) {
      this.violationFound = this.violationOf('committed-entry-lost', member, entry.term, index,
        `acknowledged ${describe(entry)} but ${describe(c)} is committed there`,
        [involved(member, index, entry, 'acknowledged'), involved(c.member, index, c, 'committed')]);
      return this.violationFound;
    }
    // An index already compacted everywhere can meet no commit any more: nothing to keep.
    if (index >= this.compactIndexAt) this.acked.set(index, { term: entry.term, data: entry.data, member });
    return undefined;
  }

  private violationOf(invariant: InvariantName, member: string, term: number, index: number, detail: string, entries: InvolvedEntry[] = [], others: string[] = []): Violation {
    const members = [...new Set([member, ...others, ...entries.map((e) => e.member)])];
    return { invariant, member, term, index, detail, members, entries, ...(this.replay !== undefined ? { replay: this.replay } : {}) };
  }

  private checkMember(v: RaftView, st: MemberState): Violation | undefined {
    // Incremental: a member whose version is unchanged shows what it showed (every check below
    // would find nothing new); other members' changes are checked against it when they happen.
    const version = v.version;
    if (version !== undefined && version === st.version && v.incarnation === st.incarnation) return undefined;
    // Each of the view's numbers is read once here (getters that walk into the member) and
    // handed to the checks below.
    const term = v.term;
    const commit = v.commit;
    const firstIndex = v.firstIndex;
    const lastIndex = v.lastIndex;
    // The term at the last index: the leader check and the log's registration both start there.
    const lastTermAt = lastIndex >= firstIndex ? termOf(v, lastIndex) : undefined;
    const found =
      this.checkMonotonic(v, st, term, commit) ??
      this.checkLeader(v, st, term, firstIndex, lastIndex, lastTermAt) ??
      this.registerLog(v, st, firstIndex, lastIndex, lastTermAt) ??
      this.registerCommitted(v, st, term, commit, firstIndex) ??
      this.registerApplied(v, st, term) ??
      this.checkSnapshotTerm(v, term);
    st.version = found === undefined ? version : undefined;
    return found;
  }

  private stateOf(v: RaftView): MemberState {
    let st = this.members.get(v.id);
    if (st === undefined) {
      st = {
        id: v.id, incarnation: v.incarnation, term: v.term, commit: v.commit, durableTerm: v.durableTerm, durableCommit: v.durableCommit,
        terms: new TermTable(), registeredTo: 0, committedTo: 0, appliedTo: 0, version: undefined, leaderMark: undefined,
      };
      this.members.set(v.id, st);
    }
    return st;
  }

  /** Term and commit never decrease: in memory within an incarnation, on disk across crashes. */
  private checkMonotonic(v: RaftView, st: MemberState, term: number, commit: number): Violation | undefined {
    const incarnation = v.incarnation;
    const durableTerm = v.durableTerm;
    const durableCommit = v.durableCommit;
    const restarted = st.incarnation !== incarnation;
    const termFloor = restarted ? st.durableTerm : st.term;
    const commitFloor = restarted ? st.durableCommit : st.commit;
    if (term < termFloor || durableTerm < st.durableTerm) {
      return this.violationOf('term-monotonic', v.id, term, v.lastIndex, `term went from ${termFloor} (durable ${st.durableTerm}) to ${term} (durable ${durableTerm})${restarted ? ' across a restart' : ''}`);
    }
    if (commit < commitFloor || durableCommit < st.durableCommit) {
      return this.violationOf('commit-monotonic', v.id, term, commit, `commit went from ${commitFloor} (durable ${st.durableCommit}) to ${commit} (durable ${durableCommit})${restarted ? ' across a restart' : ''}`);
    }
    if (restarted) {
      st.incarnation = incarnation;
      st.terms = new TermTable();
      st.registeredTo = 0;
      st.committedTo = 0;
      st.appliedTo = v.applied;
      st.leaderMark = undefined;
    }
    st.term = term;
    st.commit = commit;
    st.durableTerm = durableTerm;
    st.durableCommit = durableCommit;
    return undefined;
  }

  /** At most one leader per term; a leader only appends; a new leader has every committed entry. */
  private checkLeader(v: RaftView, st: MemberState, term: number, firstIndex: number, lastIndex: number, lastTermAt: number | undefined): Violation | undefined {
    if (!v.isLeader) {
      st.leaderMark = undefined;
      return undefined;
    }
    const mark = st.leaderMark;
    // A mark of this term means this member already passed as the term's leader (the first
    // leader of a term stays its leader: any other is a violation), so the map is not asked again.
    const sameTerm = mark !== undefined && mark.term === term;
    if (!sameTerm) {
      const known = this.leaders.get(term);
      if (known !== undefined && known !== v.id) {
        return this.violationOf('election-safety', v.id, term, lastIndex, `${known} and ${v.id} both lead term ${term}`, [], [known]);
      }
      if (known === undefined) {
        this.leaders.set(term, v.id);
        const missing = this.checkCompleteness(v);
        if (missing !== undefined) return missing;
      }
    }
    if (sameTerm && mark.lastIndex >= firstIndex) {
      const t = mark.lastIndex === lastIndex ? lastTermAt : termOf(v, mark.lastIndex);
      if (lastIndex < mark.lastIndex || t === undefined || t !== mark.lastTerm) {
        const e = v.entry(mark.lastIndex);
        return this.violationOf('leader-append-only', v.id, term, mark.lastIndex,
          `leader had entry ${mark.lastIndex} of term ${mark.lastTerm}; now last index ${lastIndex}, entry ${describe(e)}`,
          [involved(v.id, mark.lastIndex, e, 'log')]);
      }
    }
    const lastTerm = lastTermAt ?? 0;
    if (sameTerm) {
      mark.lastIndex = lastIndex;
      mark.lastTerm = lastTerm;
    } else st.leaderMark = { term, lastIndex, lastTerm };
    return undefined;
  }

  private checkCompleteness(v: RaftView): Violation | undefined {
    for (const i of this.committedOrder) {
      const c = this.committed.get(i)!;
      // Only entries committed in an earlier term must be there (a late-arriving election of
      // an old term may legitimately miss what a newer term committed meanwhile).
      if (c.commitTerm >= v.term || i < v.firstIndex) continue;
      const e = v.entry(i);
      if (e === undefined || e.term !== c.term || !sameEntryData(e.data, c.data)) {
        return this.violationOf('leader-completeness', v.id, v.term, i, `new leader lacks committed ${describe(c)}: has ${describe(e)}`,
          [involved(v.id, i, e, 'log'), involved(c.member, i, c, 'committed')]);
      }
    }
    return undefined;
  }

  /** Log matching: one (index, term) means one entry, with one (index-1, term) before it. */
  private registerLog(v: RaftView, st: MemberState, firstIndex: number, lastIndex: number, lastTermAt: number | undefined): Violation | undefined {
    const registeredTo = st.registeredTo;
    let from = Math.min(registeredTo, lastIndex);
    // Walk back over entries that changed since we registered them (a truncation).
    for (let n = 0; from >= firstIndex && n < TRUNCATION_WALK_MAX; n++, from--) {
      if ((from === lastIndex ? lastTermAt : termOf(v, from)) === st.terms.get(from)) break;
    }
    // Entries from+1 .. registeredTo changed or disappeared; a committed one never may.
    if (from < registeredTo && from + 1 <= st.committedTo && from + 1 >= firstIndex) {
      const was = this.committed.get(from + 1);
      return this.violationOf('committed-entry-lost', v.id, v.term, from + 1,
        `member replaced or dropped its committed entry ${from + 1} (term ${st.terms.get(from + 1)})`,
        [involved(v.id, from + 1, v.entry(from + 1), 'log'), ...(was === undefined ? [] : [involved(was.member, from + 1, was, 'committed')])]);
    }
    from = Math.max(from, firstIndex - 1);
    // The term of entry i-1 as read in the walk (undefined: read it from the view).
    let before: number | undefined = undefined;
    for (let i = from + 1; i <= lastIndex; i++) {
      const e = v.entry(i);
      if (e === undefined) {
        before = undefined;
        continue;
      }
      if (i < this.compactIndexAt) this.belowCompactSeen++;
      st.terms.set(i, e.term);
      const prevTerm = i - 1 >= firstIndex ? (before ?? termOf(v, i - 1) ?? -1) : -1;
      before = e.term;
      const first = this.entries.get(i);
      let seen = first;
      while (seen !== undefined && seen.term !== e.term) seen = seen.other;
      if (seen === undefined) {
        this.entries.set(i, { term: e.term, data: e.data, prevTerm, member: v.id, other: first });
      } else if (!sameEntryData(seen.data, e.data) || (seen.prevTerm !== -1 && prevTerm !== -1 && seen.prevTerm !== prevTerm)) {
        return this.violationOf('log-matching', v.id, e.term, i,
          `entry ${i} of term ${e.term} is ${entryText(e.data)} after term ${prevTerm} here, ${entryText(seen.data)} after term ${seen.prevTerm} on ${seen.member}`,
          [involved(v.id, i, e, 'log'), involved(seen.member, i, { term: e.term, data: seen.data }, 'log')]);
      }
    }
    st.registeredTo = lastIndex;
    return undefined;
  }

  /** Every member commits the same entry at an index (and acknowledged entries stay). */
  private registerCommitted(v: RaftView, st: MemberState, term: number, commit: number, firstIndex: number): Violation | undefined {
    if (commit <= st.committedTo) return undefined;
    for (let i = Math.max(st.committedTo + 1, firstIndex); i <= commit; i++) {
      const e = v.entry(i);
      if (e === undefined) continue;
      const c = this.committed.get(i);
      if (c === undefined) {
        const a = this.acked.get(i);
        if (a !== undefined && (a.term !== e.term || !sameEntryData(a.data, e.data))) {
          return this.violationOf('committed-entry-lost', v.id, term, i, `acknowledged ${describe(a)} but ${describe(e)} committed`,
            [involved(v.id, i, e, 'committed'), involved(a.member, i, a, 'acknowledged')]);
        }
        this.committed.set(i, { term: e.term, data: e.data, commitTerm: term, member: v.id });
        this.committedOrder.push(i);
        if (i > this.committedMaxSeen) this.committedMaxSeen = i;
      } else if (c.term !== e.term || !sameEntryData(c.data, e.data)) {
        return this.violationOf('state-machine-safety', v.id, term, i, `committed ${describe(e)} here, ${describe(c)} on ${c.member}`,
          [involved(v.id, i, e, 'committed'), involved(c.member, i, c, 'committed')]);
      }
    }
    st.committedTo = commit;
    return undefined;
  }

  /**
   * A snapshot stands for the log up to its index, so its (index, term) is the committed entry's:
   * a member that installs one with another term holds a log that matches no leader's there (an
   * append after it is refused, or matched against entries it never had), and one that restarts
   * from it claims a last term it never had in an election.
   */
  private checkSnapshotTerm(v: RaftView, term: number): Violation | undefined {
    const s = v.snapshotMeta;
    if (s === undefined || s.index === 0) return undefined;
    const c = this.committed.get(s.index);
    if (c === undefined || c.term === s.term) return undefined;
    return this.violationOf('snapshot-term', v.id, term, s.index, `holds a snapshot at index ${s.index} of term ${s.term}; committed there is ${describe(c)}`,
      [involved(c.member, s.index, c, 'committed')]);
  }

  /** No two members apply different entries at one index. */
  private registerApplied(v: RaftView, st: MemberState, term: number): Violation | undefined {
    const applied = v.applied;
    if (applied <= st.appliedTo) {
      st.appliedTo = Math.min(st.appliedTo, applied);
      return undefined;
    }
    // A member new to the observer (appliedTo 0) that applied a snapshot walks from past the
    // compacted part: an applied entry it still remembers there was judged when it was applied.
    for (let i = Math.max(st.appliedTo + 1, this.compactIndexAt); i <= applied; i++) {
      const e = v.appliedEntry(i);
      if (e === undefined) continue;
      const a = this.applied.get(i);
      if (a === undefined) this.applied.set(i, { term: e.term, data: e.data, member: v.id });
      else if (a.term !== e.term || !sameEntryData(a.data, e.data)) {
        return this.violationOf('state-machine-safety', v.id, term, i, `applied ${describe(e)} here, ${describe(a)} on ${a.member}`,
          [involved(v.id, i, e, 'applied'), involved(a.member, i, a, 'applied')]);
      }
    }
    st.appliedTo = applied;
    return undefined;
  }
}

function describe(e: ViewEntry | undefined): string {
  return e === undefined ? 'nothing' : `(term ${e.term}, ${entryText(e.data)})`;
}

function involved(member: string, index: number, e: ViewEntry | undefined, role: string): InvolvedEntry {
  return { member, index, term: e?.term ?? 0, text: e === undefined ? 'nothing' : entryText(e.data), role };
}
