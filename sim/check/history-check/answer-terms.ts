// The leader changes an etcd history's own answers show, for the lease checker's TTL rule on a
// history without the leader timeline a run records (`detcd check`). What etcd 3.4 puts in an
// answer, and why the derivation holds:
// - header.raft_term is the answering member's *applied* term: EtcdServer.apply calls
//   setTerm(e.Term) for each entry it applies, and the header is filled from it when the answer
//   is sent. An answer showing term T proves an entry of term T, so the empty entry term T's
//   leader appended when elected, was committed before the answer came.
// - A new leader restarts every lease's TTL (lessor Promote: now + election timeout + TTL) when
//   it applies that empty entry (applyEntryNormal, an empty entry applied while leader). Its
//   followers apply the entry no later than it is committed plus their own lag, so the first
//   answer showing T comes no earlier than the promotion, less the leader's lag behind the member
//   that answered (the checker's grace covers it: lease-of-history.ts).
// - A promotion that matters comes before the write whose revision a read is judged at, and
//   that write's answer (and every later one of a member that applied it) shows its term or a
//   later one: a leader change no answer ever shows is one whose leader never committed its
//   empty entry, so never promoted. A later term shown first (T+2 before any T+1) stands for
//   every term up to it.
// So a change is placed where an answer first shows a term above every answer before it.
// An answer without raft_term (another tool's history, Jepsen's) tells nothing: the changes are
// then unknown, and so are they when the times are the file's positions (no `time` recorded).
import type { Op } from '../../history/op.ts';

export type AnswerTerms = { changesUs: number[] } | { unknown: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** A raft_term as etcd's JSON gives it (a decimal string) or a number; undefined when absent or not a term. */
function termOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

/** Whether the op is a request to the etcd KV or lease API, whose answers carry a header. */
const isEtcdRequest = (f: string): boolean => f.startsWith('kv/') || f.startsWith('lease/');

/**
 * The times (µs) answers first showed a higher term, ascending; or why they cannot be known.
 * Term 0 (a member that applied nothing since it started) shows nothing and is skipped.
 */
export function answerTermChanges(ops: readonly Op[]): AnswerTerms {
  if (ops.length > 0 && ops.every((op, i) => op.time === i)) return { unknown: 'the history records no times' };
  const shown: { atUs: number; term: number }[] = [];
  for (const op of ops) {
    if (op.type !== 'ok' || !isEtcdRequest(op.f)) continue;
    const header = obj(op.value)['header'];
    const term = termOf(obj(header)['raft_term']);
    if (term === undefined) return { unknown: `the ${op.f} answer at index ${op.index} carries no header.raft_term` };
    if (term > 0) shown.push({ atUs: op.time, term });
  }
  shown.sort((a, b) => a.atUs - b.atUs);
  const changesUs: number[] = [];
  let top = 0;
  for (const s of shown) {
    if (s.term <= top) continue;
    top = s.term;
    changesUs.push(s.atUs);
  }
  return { changesUs };
}
