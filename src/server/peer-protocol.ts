// Messages between members: raft messages, and lease requests that only the leader serves
// (keep-alive, time-to-live), which a follower forwards like etcd does over peer HTTP.
import type { Message } from '../raft/types.ts';
import type { WireReply } from './state-machine-port.ts';

/** What members send each other besides raft messages, which travel as themselves (raft's Message). */
export type PeerMessage =
  | { readonly kind: 'lease-forward'; readonly id: number; readonly path: string; readonly body: unknown }
  | { readonly kind: 'lease-forward-reply'; readonly id: number; readonly reply: WireReply };

export function isPeerMessage(m: unknown): m is PeerMessage {
  if (m === null || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'lease-forward' || k === 'lease-forward-reply';
}

/**
 * A raft message as members send it (no wrapper: one object per message on the hot path). Every
 * other message a member receives has a `kind`; a raft Message has none, and a type and a term.
 */
export function isRaftMessage(m: unknown): m is Message {
  if (m === null || typeof m !== 'object') return false;
  const r = m as { kind?: unknown; type?: unknown; term?: unknown };
  return r.kind === undefined && typeof r.type === 'string' && typeof r.term === 'number';
}
