// The pieces of clientv3/concurrency that etcd's lock and election servers (v3lock, v3election)
// run on, over a member's gate: the session lease (none given: a new 60 s lease, left to expire,
// as the orphaned session those servers make), the prefix reads by create revision, waitDeletes
// (until no key of the prefix was created before ours, each waited for through a watch until its
// DELETE), and the errors those servers send: the in-process client's errors are plain Go errors,
// which gRPC sends as UNKNOWN with their text.
import { bytesFromUint8Array, prefixRangeEnd } from '../../../src/mvcc/key.ts';
import type { GateResult, ClientGate } from './member-gate.ts';

/** concurrency.NewSession's default TTL. */
const SESSION_TTL_S = '60';
const GRPC_UNKNOWN = 2;

export const b64 = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('base64');
export const unb64 = (text: unknown): string => (typeof text === 'string' ? bytesFromUint8Array(Buffer.from(text, 'base64')) : '');

export interface KeyValue {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
}
export interface Header {
  revision?: string;
}
export interface RangeResponse {
  header?: Header;
  kvs?: KeyValue[];
}
export interface TxnResponse {
  header?: Header;
  succeeded?: boolean;
  responses?: { response_range?: RangeResponse }[];
}

export type Done = (r: GateResult) => void;

/** What the server's in-process client got, as the lock and election servers answer it. */
export function asServerError(r: GateResult): GateResult {
  return r.ok ? r : { ok: false, error: { code: GRPC_UNKNOWN, message: r.error.message } };
}

/** A plain Go error of those servers (UNKNOWN). */
export function serverError(message: string): GateResult {
  return { ok: false, error: { code: GRPC_UNKNOWN, message } };
}

/** An int64 field of a gateway request (decimal string or number), else `fallback`. */
export function int64Field(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

/** WithFirstCreate / WithLastCreate on a prefix. */
export function byCreate(prefix: string, order: 'ASCEND' | 'DESCEND', extra: object = {}): object {
  return { key: b64(prefix), range_end: b64(prefixRangeEnd(prefix)), sort_order: order, sort_target: 'CREATE', limit: '1', ...extra };
}

/** The session's lease: the given one, or a new 60 s lease. */
export function sessionLease(gate: ClientGate, lease: string, done: (r: GateResult) => void, withLease: (lease: string) => void): void {
  if (lease !== '0') return withLease(lease);
  gate.call('/v3/lease/grant', { TTL: SESSION_TTL_S }, (r) => {
    if (!r.ok) return done(r);
    withLease(String((r.body as { ID?: string }).ID ?? '0'));
  });
}

/** A wait in progress; `cancel()` stops it without an answer. */
export interface Waiting {
  cancel(): void;
}

/**
 * concurrency's waitDeletes: answers the header of the read that found no key of `prefix`
 * created at or before `maxCreateRev`, or the first error.
 */
export function waitDeletes(gate: ClientGate, prefix: string, maxCreateRev: number, done: (r: GateResult) => void): Waiting {
  let cancelled = false;
  let closeWatch: (() => void) | undefined;
  const look = (): void => {
    gate.call('/v3/kv/range', byCreate(prefix, 'DESCEND', { max_create_revision: String(maxCreateRev) }), (r) => {
      if (cancelled) return;
      if (!r.ok) return done(r);
      const range = r.body as RangeResponse;
      const last = range.kvs?.[0];
      if (last === undefined) return done({ ok: true, body: range.header ?? {} });
      let seen = false;
      const handle = gate.openWatch({
        response: (body) => {
          const events = (body as { events?: { type?: string }[] }).events ?? [];
          if (seen || !events.some((e) => e.type === 'DELETE')) return;
          seen = true;
          closeWatch = undefined;
          handle.close();
          if (!cancelled) look();
        },
        closed: (reason) => {
          closeWatch = undefined;
          if (!seen && !cancelled) done({ ok: false, error: { code: 14, message: reason } });
        },
      }, false);
      closeWatch = () => handle.close();
      handle.send({ create_request: { key: last.key ?? '', start_revision: range.header?.revision ?? '0' } });
    });
  };
  look();
  return {
    cancel: () => {
      cancelled = true;
      closeWatch?.();
    },
  };
}
