// The values that flow in and out of the Raft state machine. Names follow the Raft paper and
// etcd's raftpb: term, vote, commit, entries, snapshots, messages.
import { violated } from '../invariant-violation.ts';

/** A member id. 0 (NONE) means "no member": no leader known, no vote cast. */
export type NodeId = number;
export const NONE: NodeId = 0;

/** The context of a vote request that comes from a leadership transfer: it may break a lease. */
export const CAMPAIGN_TRANSFER = 'CampaignTransfer';

export type EntryType = 'normal' | 'conf-change';

/**
 * Entry data proposed in this process as a value instead of text: it knows the length its text
 * has, and builds the text only when asked (a member of another process would receive the
 * text). Raft never looks inside data: it sizes an entry by `data.length`, which a string and a
 * payload answer alike (the text's length), so flow control, uncommitted-size limits and WAL
 * bytes do not depend on the form an entry carries. A payload is immutable.
 */
export interface EntryPayload {
  /** The length of text(), exactly. */
  readonly length: number;
  /** The entry's text, built on each call: for people and for comparing distinct payloads. */
  text(): string;
}

/** An entry's data: text (conf changes, empty entries, anything received as text) or a payload. */
export type EntryData = string | EntryPayload;

/** The text of entry data (a payload builds it). */
export function entryDataText(d: EntryData): string {
  return typeof d === 'string' ? d : d.text();
}

/**
 * Whether two entries carry the same data, as texts compare: the same value (every copy of an
 * entry in one process shares its data) without building any text, else the texts.
 */
export function sameEntryData(a: EntryData, b: EntryData): boolean {
  return a === b || entryDataText(a) === entryDataText(b);
}

/** One log entry. `data` is opaque to Raft; a conf-change entry holds an encoded ConfChange. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: EntryData;
}

/** The membership a snapshot (or the log up to some index) implies. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** Non-empty only in a joint configuration: the voters of the outgoing half. */
  readonly votersOutgoing: readonly NodeId[];
  /** Members that become learners when the joint configuration is left. */
  readonly learnersNext: readonly NodeId[];
  readonly autoLeave: boolean;
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly data: string;
  readonly metadata: SnapshotMetadata;
}

/** What must be on stable storage before any message that depends on it is sent. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export type StateType = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state that is useful to the host (who leads, our role); never persisted. */
export interface SoftState {
  readonly lead: NodeId;
  readonly raftState: StateType;
}

/** The answer to a ReadIndex request: reads are linearizable once `index` is applied. */
export interface ReadState {
  readonly index: number;
  readonly requestCtx: string;
}

export type MessageType =
  | 'MsgHup' // local: start an election
  | 'MsgBeat' // local: the leader should send heartbeats
  | 'MsgProp' // a proposal (local, or forwarded from a follower)
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgSnap'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgUnreachable' // local: the host could not deliver to `from`
  | 'MsgSnapStatus' // local: the host reports a snapshot send outcome
  | 'MsgCheckQuorum' // local: the leader checks that a quorum was recently active
  | 'MsgTransferLeader'
  | 'MsgTimeoutNow'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp';

export interface Message {
  readonly type: MessageType;
  readonly to: NodeId;
  readonly from: NodeId;
  /** 0 marks a local message (or a forwarded proposal or read), which carries no term. */
  readonly term: number;
  /** MsgApp: term of the entry at `index`; MsgVote: term of the sender's last entry. */
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly snapshot?: Snapshot;
  readonly reject: boolean;
  /** MsgAppResp rejection: the follower's guess at the last index that may match. */
  readonly rejectHint: number;
  /** Opaque context: ReadIndex request ids, the campaign-transfer marker. */
  readonly context: string;
}

/**
 * Builds a message with every field not given set to its zero value: `{ to: NONE, ..., context:
 * '', ...fields }` (the same fields in the same order), written out field by field because
 * object spreads are slow in V8 and this runs for every message Raft sends.
 */
/**
 * The entries of every message built without any (votes, heartbeats, answers): one shared empty
 * array instead of one per message. Never written (Message.entries is readonly); not frozen, so
 * it has the elements kind of the arrays built before (a fresh []).
 */
export const NO_ENTRIES: readonly Entry[] = [];

export function message(fields: Partial<Message> & Pick<Message, 'type'>): Message {
  const f = fields;
  const m: { -readonly [K in keyof Message]: Message[K] } = {
    to: 'to' in f ? f.to : NONE,
    from: 'from' in f ? f.from : NONE,
    term: 'term' in f ? f.term : 0,
    logTerm: 'logTerm' in f ? f.logTerm : 0,
    index: 'index' in f ? f.index : 0,
    entries: 'entries' in f ? f.entries : NO_ENTRIES,
    commit: 'commit' in f ? f.commit : 0,
    reject: 'reject' in f ? f.reject : false,
    rejectHint: 'rejectHint' in f ? f.rejectHint : 0,
    context: 'context' in f ? f.context : '',
    type: f.type,
  };
  // The one optional field, after them, as the spread put it.
  if ('snapshot' in f) m.snapshot = f.snapshot;
  return m;
}

/**
 * message() for the two messages sent most (one per follower per append, and each answer):
 * every field written, in message()'s order, without a test per field (message() reads each
 * from literals of many shapes). Equal to message({ type, ...fields }) (test/src/raft/message.test.ts).
 */
export function appendMessage(to: NodeId, index: number, logTerm: number, entries: readonly Entry[], commit: number): Message {
  return { to, from: NONE, term: 0, logTerm, index, entries, commit, reject: false, rejectHint: 0, context: '', type: 'MsgApp' };
}

/** message({ type: 'MsgAppResp', to, index }): an accepted append (or a follower's commit index), answered. */
export function appendAccepted(to: NodeId, index: number): Message {
  return { to, from: NONE, term: 0, logTerm: 0, index, entries: NO_ENTRIES, commit: 0, reject: false, rejectHint: 0, context: '', type: 'MsgAppResp' };
}

/** message({ type: 'MsgHeartbeat', to, commit, context }): one per follower per heartbeat round (every linearizable read starts one). */
export function heartbeatMessage(to: NodeId, commit: number, context: string): Message {
  return { to, from: NONE, term: 0, logTerm: 0, index: 0, entries: NO_ENTRIES, commit, reject: false, rejectHint: 0, context, type: 'MsgHeartbeat' };
}

/** message({ type: 'MsgHeartbeatResp', to, context }): a heartbeat answered. */
export function heartbeatAnswer(to: NodeId, context: string): Message {
  return { to, from: NONE, term: 0, logTerm: 0, index: 0, entries: NO_ENTRIES, commit: 0, reject: false, rejectHint: 0, context, type: 'MsgHeartbeatResp' };
}

/** message({ type: 'MsgReadIndexResp', to, index, context }): a follower's forwarded read answered. */
export function readIndexAnswer(to: NodeId, index: number, context: string): Message {
  return { to, from: NONE, term: 0, logTerm: 0, index, entries: NO_ENTRIES, commit: 0, reject: false, rejectHint: 0, context, type: 'MsgReadIndexResp' };
}

/**
 * message({ type, from, entries, context }) for the messages a member steps into its own Raft
 * (MsgHup, MsgBeat, MsgCheckQuorum on ticks; MsgProp per proposal; MsgReadIndex per read).
 */
export function localMessage(type: MessageType, from: NodeId, entries: readonly Entry[] = NO_ENTRIES, context = ''): Message {
  return { to: NONE, from, term: 0, logTerm: 0, index: 0, entries, commit: 0, reject: false, rejectHint: 0, context, type };
}

/** A copy of `m` addressed to `to` (`{ ...m, to }`: a proposal or read a follower forwards to its leader). */
export function messageTo(m: Message, to: NodeId): Message {
  // Every field copied in message()'s order (message(m) tested each with `in`).
  const out: { -readonly [K in keyof Message]: Message[K] } = {
    to, from: m.from, term: m.term, logTerm: m.logTerm, index: m.index, entries: m.entries, commit: m.commit,
    reject: m.reject, rejectHint: m.rejectHint, context: m.context, type: m.type,
  };
  if ('snapshot' in m) out.snapshot = m.snapshot;
  return out;
}

export type ConfChangeType = 'add-node' | 'add-learner-node' | 'remove-node';

export interface ConfChangeSingle {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
}

/**
 * How a change moves through joint consensus. 'auto': a single voter change is applied
 * directly, anything larger goes through a joint configuration that the leader leaves on its
 * own. 'joint-implicit': always joint, left automatically. 'joint-explicit': always joint,
 * left only when the host proposes an empty ConfChange.
 */
export type ConfChangeTransition = 'auto' | 'joint-implicit' | 'joint-explicit';

/** A membership change (etcd's ConfChangeV2). No changes at all means "leave the joint config". */
export interface ConfChange {
  readonly transition: ConfChangeTransition;
  readonly changes: readonly ConfChangeSingle[];
  readonly context: string;
}

export function encodeConfChange(cc: ConfChange): string {
  return JSON.stringify(cc);
}

export function decodeConfChange(data: EntryData): ConfChange {
  const text = entryDataText(data);
  const cc = JSON.parse(text) as ConfChange;
  if (!Array.isArray(cc.changes)) throw violated('raft', 'conf-change-encoding', `bad ConfChange ${text}`);
  return cc;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export const EMPTY_CONF_STATE: ConfState = {
  voters: [],
  learners: [],
  votersOutgoing: [],
  learnersNext: [],
  autoLeave: false,
};

export function isLocalMessage(type: MessageType): boolean {
  return (
    type === 'MsgHup' ||
    type === 'MsgBeat' ||
    type === 'MsgUnreachable' ||
    type === 'MsgSnapStatus' ||
    type === 'MsgCheckQuorum'
  );
}

export function isResponseMessage(type: MessageType): boolean {
  return (
    type === 'MsgAppResp' ||
    type === 'MsgVoteResp' ||
    type === 'MsgHeartbeatResp' ||
    type === 'MsgUnreachable' ||
    type === 'MsgPreVoteResp'
  );
}

/** The size of an entry for flow control: its payload length plus a fixed header. */
export function entrySize(e: Entry): number {
  return e.data.length + ENTRY_HEADER_BYTES;
}

/** A bound on the per-entry overhead, so that empty entries still count against limits. */
export const ENTRY_HEADER_BYTES = 16;

/** A bound on a message's envelope (type, term, indexes, commit), as the transport counts it. */
export const MESSAGE_HEADER_BYTES = 64;

/** The size of a Raft message on the wire: its envelope, its entries and its snapshot's data. */
export function raftMessageSize(m: Message): number {
  let n = MESSAGE_HEADER_BYTES + (m.snapshot?.data.length ?? 0);
  for (const e of m.entries) n += entrySize(e);
  return n;
}
