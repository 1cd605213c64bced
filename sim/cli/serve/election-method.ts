// etcd's election service (v3electionpb.Election: Campaign, Proclaim, Leader, Resign; gRPC and
// the gateway's /v3/election/...), run the way etcd's server runs it (etcdserver/api/v3election/
// election.go over concurrency.Election), as KV requests through the asked member's gate:
//   - Campaign: a session on the request's lease; the candidate key "<name>/<lease in hex>" put
//     with the value if absent (else its value proclaimed when it differs), then leadership once
//     no older candidate key remains (waitDeletes); the answer: the txn's header and the leader
//     key {name, key, rev (its create revision), lease}. A caller that gives up resigns;
//   - Proclaim: the value put if the leader key still has its create revision, else "election:
//     not leader"; Resign: the key deleted under the same compare; Leader: the oldest key of the
//     prefix, or "election: no leader". A request without its leader key: `"leader" field must
//     be provided`. Errors are sent as UNKNOWN with their text, as etcd's election server does.
//   - Observe: a stream of the leader's key (concurrency's observe loop), see `observe`.
import type { GateResult, ClientGate } from './member-gate.ts';
import { asServerError, b64, byCreate, int64Field, serverError, sessionLease, unb64, waitDeletes, type Done, type Header, type KeyValue, type RangeResponse, type TxnResponse, type Waiting } from './concurrency.ts';

const NO_LEADER = 'election: no leader';
const NOT_LEADER = 'election: not leader';
const MISSING_LEADER_KEY = '"leader" field must be provided';

interface LeaderKey {
  readonly name?: string;
  readonly key?: string;
  readonly rev?: string;
  readonly lease?: string;
}

/** A caller's Campaign in progress: `cancel()` when the caller gives up. */
export interface CampaignCall {
  cancel(): void;
}

function leaderKeyOf(request: Record<string, unknown>): LeaderKey | undefined {
  const l = request['leader'];
  return l !== null && typeof l === 'object' ? l : undefined;
}

/** Election.Proclaim's txn: the value put under the leader key while it keeps its create revision. */
function proclaimTxn(key: string, rev: string, lease: string, value: string): object {
  return { compare: [{ target: 'CREATE', result: 'EQUAL', key, create_revision: rev }], success: [{ request_put: { key, value, lease } }] };
}

export function campaign(gate: ClientGate, request: Record<string, unknown>, done: Done): CampaignCall {
  let over = false;
  let waiting: Waiting | undefined;
  let held: { key: string; rev: string; lease: string } | undefined;
  const finish = (r: GateResult): void => {
    if (over) return;
    over = true;
    done(asServerError(r));
  };
  const resignAndFail = (r: GateResult): void => {
    if (held !== undefined) gate.call('/v3/kv/txn', { compare: [{ target: 'CREATE', result: 'EQUAL', key: b64(held.key), create_revision: held.rev }], success: [{ request_delete_range: { key: b64(held.key) } }] }, () => undefined);
    finish(r);
  };
  const name = unb64(request['name']);
  const prefix = `${name}/`;
  const value = typeof request['value'] === 'string' ? request['value'] : '';
  sessionLease(gate, int64Field(request['lease'], '0'), finish, (lease) => {
    if (over) return;
    const key = `${prefix}${BigInt(lease).toString(16)}`;
    const txn = { compare: [{ target: 'CREATE', result: 'EQUAL', key: b64(key), create_revision: '0' }], success: [{ request_put: { key: b64(key), value, lease } }], failure: [{ request_range: { key: b64(key) } }] };
    gate.call('/v3/kv/txn', txn, (r) => {
      if (over) return;
      if (!r.ok) return finish(r);
      const t = r.body as TxnResponse;
      const existing = t.responses?.[0]?.response_range?.kvs?.[0];
      const rev = t.succeeded === true ? (t.header?.revision ?? '0') : (existing?.create_revision ?? '0');
      held = { key, rev, lease };
      const answer = { header: t.header, leader: { name: request['name'], key: b64(key), rev, lease } };
      const wait = (): void => {
        waiting = waitDeletes(gate, prefix, Number(rev) - 1, (w) => (w.ok ? finish({ ok: true, body: answer }) : resignAndFail(w)));
      };
      if (t.succeeded === true || (existing?.value ?? '') === value) return wait();
      gate.call('/v3/kv/txn', proclaimTxn(b64(key), rev, lease, value), (p) => {
        if (over) return;
        if (!p.ok) return resignAndFail(p);
        if ((p.body as TxnResponse).succeeded !== true) return resignAndFail(serverError(NOT_LEADER));
        wait();
      });
    });
  });
  return {
    cancel: () => {
      if (over) return;
      waiting?.cancel();
      resignAndFail({ ok: false, error: { code: 1, message: 'context canceled' } });
    },
  };
}

export function proclaim(gate: ClientGate, request: Record<string, unknown>, done: Done): void {
  const l = leaderKeyOf(request);
  if (l === undefined) return done(serverError(MISSING_LEADER_KEY));
  const value = typeof request['value'] === 'string' ? request['value'] : '';
  gate.call('/v3/kv/txn', proclaimTxn(l.key ?? '', int64Field(l.rev, '0'), int64Field(l.lease, '0'), value), (r) => {
    if (!r.ok) return done(asServerError(r));
    const t = r.body as TxnResponse;
    done(t.succeeded === true ? { ok: true, body: { header: t.header } } : serverError(NOT_LEADER));
  });
}

export function resign(gate: ClientGate, request: Record<string, unknown>, done: Done): void {
  const l = leaderKeyOf(request);
  if (l === undefined) return done(serverError(MISSING_LEADER_KEY));
  const txn = { compare: [{ target: 'CREATE', result: 'EQUAL', key: l.key ?? '', create_revision: int64Field(l.rev, '0') }], success: [{ request_delete_range: { key: l.key ?? '' } }] };
  gate.call('/v3/kv/txn', txn, (r) => {
    if (!r.ok) return done(asServerError(r));
    done({ ok: true, body: { header: (r.body as TxnResponse).header } });
  });
}

export function leader(gate: ClientGate, request: Record<string, unknown>, done: Done): void {
  gate.call('/v3/kv/range', byCreate(`${unb64(request['name'])}/`, 'ASCEND'), (r) => {
    if (!r.ok) return done(asServerError(r));
    const range = r.body as RangeResponse;
    const kv = range.kvs?.[0];
    done(kv === undefined ? serverError(NO_LEADER) : { ok: true, body: { header: range.header, kv } });
  });
}

/** An Observe stream in progress: `cancel()` when the caller goes. */
export interface ObserveCall {
  cancel(): void;
}

interface WatchBody {
  header?: { revision?: string };
  events?: { type?: string; kv?: KeyValue }[];
}

/**
 * Election.Observe as concurrency.Election's observe loop: the current leader (or, with none,
 * the first candidate put on the prefix), then every new value of its key until it is deleted,
 * then the next leader. A failed read ends the stream without an error, as etcd's does.
 */
export function observe(gate: ClientGate, request: Record<string, unknown>, send: (body: object) => void, end: () => void): ObserveCall {
  const prefix = `${unb64(request['name'])}/`;
  let over = false;
  let closeWatch: (() => void) | undefined;
  const stop = (): void => {
    if (over) return;
    over = true;
    closeWatch?.();
    end();
  };
  const watch = (key: string, range: string | undefined, fromRev: string, onEvents: (body: WatchBody) => boolean): void => {
    const handle = gate.openWatch({
      response: (body) => {
        if (over || !onEvents(body as WatchBody)) return;
        // onEvents may have opened the next watch already: only this one is done.
        if (closeWatch === closeThis) closeWatch = undefined;
        handle.close();
      },
      closed: () => stop(),
    }, false);
    const closeThis = (): void => handle.close();
    closeWatch = closeThis;
    handle.send({ create_request: { key: b64(key), ...(range === undefined ? {} : { range_end: range }), start_revision: fromRev } });
  };
  const follow = (header: Header, kv: KeyValue): void => {
    send({ header, kv });
    watch(unb64(kv.key), undefined, String(Number(header.revision ?? 0) + 1), (body) => {
      for (const ev of body.events ?? []) {
        if (ev.type === 'DELETE') {
          look();
          return true;
        }
        send({ header: body.header, kv: ev.kv });
      }
      return false;
    });
  };
  const look = (): void => {
    if (over) return;
    gate.call('/v3/kv/range', byCreate(prefix, 'ASCEND'), (r) => {
      if (over) return;
      if (!r.ok) return stop();
      const range = r.body as RangeResponse;
      const kv = range.kvs?.[0];
      if (kv !== undefined) return follow(range.header ?? {}, kv);
      const whole = byCreate(prefix, 'ASCEND') as { range_end: string };
      watch(prefix, whole.range_end, range.header?.revision ?? '0', (body) => {
        const put = (body.events ?? []).find((e) => e.type !== 'DELETE');
        if (put?.kv === undefined) return false;
        follow({ ...body.header, revision: put.kv.mod_revision ?? '0' }, put.kv);
        return true;
      });
    });
  };
  look();
  return { cancel: stop };
}
