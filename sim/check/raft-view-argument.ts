// The Raft views and acknowledged entries a program hands the exported RaftInvariants
// (detcd/check), checked where they come in: the observer walks a view's log from its first
// index to its last, its commit index and its applied index, so a view that claims 2^60 entries,
// an Infinity commit, a Symbol for a term or an entry() that answers a string hung the walk or
// threw a TypeError from deep inside (s22 API fuzz: 6 hangs, 107 findings). The simulator's own
// members are typed by construction and go to the observer unchecked (sim/etcd/cluster.ts).
//
// Each view is read once into a view of its own: its numbers typed and related as Raft relates them
// (firstIndex <= lastIndex + 1, commit <= lastIndex), the entries it answers typed as they are
// asked for, and at most VIEW_INDEXES_MAX indexes of it walked in one check.
import type { EntryData } from '../../src/raft/types.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import type { RaftView, ViewEntry } from './raft-invariants.ts';

/** The most views one check takes (members of a cluster): an endless iterable is refused past it. */
export const VIEWS_MAX = 1000;
/** The most indexes of one view a check walks (its log, or the applied entries since the last check). */
export const VIEW_INDEXES_MAX = 10_000_000;
/** The longest member id: it is quoted in every violation. */
const ID_CHARS_MAX = 256;

const NUMBER_FIELDS = ['incarnation', 'term', 'commit', 'durableTerm', 'durableCommit', 'lastIndex', 'firstIndex', 'applied'] as const;

type SnapshotMeta = { readonly index: number; readonly term: number };

/** `d` as entry data the observer compares: a string, or a payload's text (read once, typed). */
function entryDataOf(fn: string, field: string, d: unknown): EntryData {
  if (typeof d === 'string') return d;
  const o = checkObjectArgument(fn, field, d, 'a string or a payload with text()');
  if (typeof o['text'] !== 'function') throw badArgument(fn, `${field}.text`, 'must be a function answering the entry text', o['text']);
  const text: unknown = (o['text'] as () => unknown).call(d);
  if (typeof text !== 'string') throw badArgument(fn, `${field}.text()`, 'must answer a string', text);
  return text;
}

/** An entry a view answered (or undefined), or the refusal naming where it came from. */
export function viewEntryArgument(fn: string, field: string, e: unknown, allowMissing: boolean): ViewEntry | undefined {
  if (e === undefined && allowMissing) return undefined;
  const o = checkObjectArgument(fn, field, e, allowMissing ? 'an entry ({term, data}) or undefined' : 'an entry ({term, data})');
  const term = checkWholeArgument(fn, `${field}.term`, o['term'], 0);
  return { term, data: entryDataOf(fn, `${field}.data`, o['data']) };
}

function indexFunction(fn: string, field: string, f: unknown, required: boolean): ((i: number) => unknown) | undefined {
  if (f === undefined && !required) return undefined;
  if (typeof f !== 'function') throw badArgument(fn, field, `must be a function of an index${required ? '' : ' when given'}`, f);
  return f as (i: number) => unknown;
}

function snapshotMetaOf(fn: string, field: string, s: unknown): SnapshotMeta | undefined {
  if (s === undefined) return undefined;
  const o = checkObjectArgument(fn, field, s, 'a snapshot\'s {index, term} when given');
  return { index: checkWholeArgument(fn, `${field}.index`, o['index'], 0), term: checkWholeArgument(fn, `${field}.term`, o['term'], 0) };
}

/** One view read once and typed; `appliedFrom` is the first applied index the observer would walk. */
function checkedView(fn: string, field: string, v: unknown, appliedFrom: (id: string, incarnation: number) => number): RaftView {
  const o = checkObjectArgument(fn, field, v, 'a Raft view (RaftView)');
  const id: unknown = o['id'];
  if (typeof id !== 'string' || id.length === 0 || id.length > ID_CHARS_MAX) throw badArgument(fn, `${field}.id`, `must be a member name of 1 to ${ID_CHARS_MAX} characters`, id);
  const n = {} as Record<(typeof NUMBER_FIELDS)[number], number>;
  for (const key of NUMBER_FIELDS) n[key] = checkWholeArgument(fn, `${field}.${key}`, o[key], 0);
  if (n.firstIndex > n.lastIndex + 1) throw badArgument(fn, `${field}.firstIndex`, `must be at most lastIndex + 1 (${n.lastIndex + 1}): the log holds firstIndex..lastIndex`, n.firstIndex);
  if (n.lastIndex - n.firstIndex + 1 > VIEW_INDEXES_MAX) throw badArgument(fn, `${field}.lastIndex`, `must be within ${VIEW_INDEXES_MAX} of firstIndex (${n.firstIndex}): the observer walks every entry`, n.lastIndex);
  if (n.commit > n.lastIndex) throw badArgument(fn, `${field}.commit`, `must be at most lastIndex (${n.lastIndex}): Raft commits only entries in the log`, n.commit);
  const walkFrom = appliedFrom(id, n.incarnation);
  if (n.applied - walkFrom + 1 > VIEW_INDEXES_MAX) throw badArgument(fn, `${field}.applied`, `must be within ${VIEW_INDEXES_MAX} of ${walkFrom}, the first applied index not yet looked at: the observer walks each`, n.applied);
  if (typeof o['isLeader'] !== 'boolean') throw badArgument(fn, `${field}.isLeader`, 'must be true or false', o['isLeader']);
  const version: unknown = o['version'];
  if (version !== undefined && typeof version !== 'number') throw badArgument(fn, `${field}.version`, 'must be a number when given', version);
  const entry = indexFunction(fn, `${field}.entry`, o['entry'], true)!;
  const appliedEntry = indexFunction(fn, `${field}.appliedEntry`, o['appliedEntry'], true)!;
  const termAt = indexFunction(fn, `${field}.termAt`, o['termAt'], false);
  const snapshotMeta = snapshotMetaOf(fn, `${field}.snapshotMeta`, o['snapshotMeta']);
  const checked: { -readonly [K in keyof RaftView]: RaftView[K] } = {
    id, incarnation: n.incarnation, term: n.term, commit: n.commit, durableTerm: n.durableTerm, durableCommit: n.durableCommit,
    lastIndex: n.lastIndex, firstIndex: n.firstIndex, applied: n.applied, isLeader: o['isLeader'],
    entry: (i) => viewEntryArgument(fn, `${field}.entry(${i})`, entry.call(v, i), true),
    appliedEntry: (i) => viewEntryArgument(fn, `${field}.appliedEntry(${i})`, appliedEntry.call(v, i), true),
  };
  if (snapshotMeta !== undefined) checked.snapshotMeta = snapshotMeta;
  if (version !== undefined) checked.version = version;
  if (termAt !== undefined) {
    checked.termAt = (i) => {
      const t: unknown = termAt.call(v, i);
      return t === undefined ? undefined : checkWholeArgument(fn, `${field}.termAt(${i})`, t, 0);
    };
  }
  return checked;
}

/**
 * `views` as the observer may walk them: an iterable (not a string) of at most VIEWS_MAX views,
 * each typed, no id twice. `appliedFrom(id, incarnation)` says where the applied walk would start.
 */
export function raftViewsArgument(fn: string, views: unknown, appliedFrom: (id: string, incarnation: number) => number): RaftView[] {
  const iterable = typeof views === 'object' && views !== null && typeof (views as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
  if (!iterable) throw badArgument(fn, 'views', 'must be an iterable of Raft views (an array)', views);
  const out: RaftView[] = [];
  const ids = new Set<string>();
  for (const v of views as Iterable<unknown>) {
    if (out.length === VIEWS_MAX) throw badArgument(fn, 'views', `must hold at most ${VIEWS_MAX} views`, `more than ${VIEWS_MAX}`);
    const checked = checkedView(fn, `views[${out.length}]`, v, appliedFrom);
    if (ids.has(checked.id)) throw badArgument(fn, `views[${out.length}].id`, 'must name each member once in a check', checked.id);
    ids.add(checked.id);
    out.push(checked);
  }
  return out;
}
