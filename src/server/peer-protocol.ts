// Messages between members: raft messages, and lease requests that only the leader serves
// (keep-alive, time-to-live), which a follower forwards like etcd does over peer HTTP.
import type { Message } from '../raft/types.ts';
import type { WireReply } from './state-machine-port.ts';

export type PeerMessage =
  | { readonly kind: 'raft'; readonly message: Message }
  | { readonly kind: 'lease-forward'; readonly id: number; readonly path: string; readonly body: unknown }
  | { readonly kind: 'lease-forward-reply'; readonly id: number; readonly reply: WireReply };

export function isPeerMessage(m: unknown): m is PeerMessage {
  if (m === null || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'raft' || k === 'lease-forward' || k === 'lease-forward-reply';
}
