// etcd's lock service (v3lockpb.Lock: Lock and Unlock, gRPC and the gateway's /v3/lock/...), run
// the way etcd's server runs it (etcdserver/api/v3lock/lock.go over concurrency.Mutex), as
// ordinary KV requests through the asked member's gate (concurrency.ts):
//   - Lock: a session on the request's lease, the waiter key "<name>/<lease in hex>" put if
//     absent in one txn that also reads the oldest waiter; the lock is held once no older waiter
//     key remains (waitDeletes); the answer is the last header and the waiter key. A caller that
//     gives up (cancels) has its waiter key deleted, as Mutex.Lock does when its wait fails;
//   - Unlock: a delete of the given key, answered with its header.
// Errors are the KV requests' own messages ("requested lease not found", "key is not provided")
// with gRPC code UNKNOWN, as etcd's lock server sends them.
import type { GateResult, ClientGate } from './member-gate.ts';
import { asServerError, b64, byCreate, int64Field, sessionLease, unb64, waitDeletes, type Done, type TxnResponse, type Waiting } from './concurrency.ts';

/** A caller's Lock in progress: `cancel()` when the caller gives up. */
export interface LockCall {
  cancel(): void;
}

export function lock(gate: ClientGate, request: Record<string, unknown>, done: Done): LockCall {
  let over = false;
  let myKey: string | undefined;
  let waiting: Waiting | undefined;
  const finish = (r: GateResult): void => {
    if (over) return;
    over = true;
    done(asServerError(r));
  };
  const failAndRelease = (r: GateResult): void => {
    if (myKey !== undefined) gate.call('/v3/kv/deleterange', { key: b64(myKey) }, () => undefined);
    finish(r);
  };
  const prefix = `${unb64(request['name'])}/`;
  sessionLease(gate, int64Field(request['lease'], '0'), finish, (lease) => {
    if (over) return;
    const key = `${prefix}${BigInt(lease).toString(16)}`;
    const owner = { request_range: byCreate(prefix, 'ASCEND') };
    const txn = {
      compare: [{ target: 'CREATE', result: 'EQUAL', key: b64(key), create_revision: '0' }],
      success: [{ request_put: { key: b64(key), lease } }, owner],
      failure: [{ request_range: { key: b64(key) } }, owner],
    };
    gate.call('/v3/kv/txn', txn, (r) => {
      if (over) return;
      if (!r.ok) return finish(r);
      myKey = key;
      const t = r.body as TxnResponse;
      const myRev = t.succeeded === true ? Number(t.header?.revision ?? 0) : Number(t.responses?.[0]?.response_range?.kvs?.[0]?.create_revision ?? 0);
      const ownerKvs = t.responses?.[1]?.response_range?.kvs ?? [];
      if (ownerKvs.length === 0 || Number(ownerKvs[0]?.create_revision ?? 0) === myRev) return finish({ ok: true, body: { header: t.header, key: b64(key) } });
      waiting = waitDeletes(gate, prefix, myRev - 1, (w) => (w.ok ? finish({ ok: true, body: { header: w.body, key: b64(key) } }) : failAndRelease(w)));
    });
  });
  return {
    cancel: () => {
      if (over) return;
      waiting?.cancel();
      failAndRelease({ ok: false, error: { code: 1, message: 'context canceled' } });
    },
  };
}

export function unlock(gate: ClientGate, request: Record<string, unknown>, done: Done): void {
  gate.call('/v3/kv/deleterange', { key: typeof request['key'] === 'string' ? request['key'] : '' }, (r) => {
    if (!r.ok) return done(asServerError(r));
    done({ ok: true, body: { header: (r.body as { header?: unknown }).header } });
  });
}
