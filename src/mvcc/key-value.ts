// etcd's mvccpb.KeyValue and mvccpb.Event. Field names are the protobuf field names so that the
// wire codec (src/api) is a mechanical mapping; KeyValues are immutable once stored.
import type { Bytes } from './key.ts';

/** A lease id (int64). 0n means no lease. */
export type LeaseId = bigint;
export const NO_LEASE: LeaseId = 0n;

export interface KeyValue {
  readonly key: Bytes;
  readonly create_revision: number;
  readonly mod_revision: number;
  readonly version: number;
  readonly value: Bytes;
  readonly lease: LeaseId;
}

export type EventType = 'PUT' | 'DELETE';

export interface Event {
  readonly type: EventType;
  readonly kv: KeyValue;
  /** Filled by the watch stream when the watcher asked for prev_kv. */
  readonly prev_kv?: KeyValue;
}

/** The KeyValue of a DELETE event: only key and mod_revision, as etcd sends it. */
export function tombstoneKeyValue(key: Bytes, rev: number): KeyValue {
  return { key, create_revision: 0, mod_revision: rev, version: 0, value: '', lease: NO_LEASE };
}

/** A put creates the key iff its create and mod revisions are equal (etcd's IsCreate). */
export function isCreate(ev: Event): boolean {
  return ev.type === 'PUT' && ev.kv.create_revision === ev.kv.mod_revision;
}
