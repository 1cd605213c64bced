// The handlers of etcd's v3 gRPC services for one member: KV, Watch (the bidirectional stream),
// Lease (with the keep-alive stream), Maintenance, Cluster and Auth. Unary calls go through the
// member's gate as their gateway path, or are answered beside it (local-methods.ts: the member
// API and MoveLeader through the simulated cluster, alarms, defragment, the empty auth store)
// exactly as the gateway answers them; errors
// keep etcd's gRPC status code and message (what etcdctl prints). Methods that detcd does not
// serve answer UNIMPLEMENTED naming the method, at once, never a hang.
import * as grpc from '@grpc/grpc-js';
import type { ClientGate, GateError, GateResult, MemberGate } from './member-gate.ts';
import { GRPC_UNAVAILABLE, asClient } from './member-gate.ts';
import type { ServiceName } from './grpc-codec.ts';
import { answerLocal } from './local-methods.ts';
import type { ClusterAdmin } from './cluster-admin.ts';
import { status as memberStatus, takeSnapshot } from './snapshot-method.ts';
import { lock, unlock } from './lock-method.ts';
import { campaign, leader, observe, proclaim, resign } from './election-method.ts';
import { explicitEmptyRangeEnds } from './empty-range-end.ts';

export interface ServiceContext {
  readonly gate: MemberGate;
  /** The member API and MoveLeader over the simulated cluster. */
  readonly admin: ClusterAdmin;
}

type Unary = grpc.handleUnaryCall<unknown, unknown>;
type Duplex = grpc.handleBidiStreamingCall<unknown, unknown>;
type Handlers = Record<string, grpc.UntypedHandleCall>;

/** Bound on keep-alive requests queued on one stream before the stream is refused. */
const KEEPALIVE_QUEUE_MAX = 1024;

function status(e: GateError): grpc.ServiceError {
  const err = new Error(e.message) as grpc.ServiceError;
  err.code = e.code;
  err.details = e.message;
  err.metadata = new grpc.Metadata();
  return err;
}

function answer(callback: grpc.sendUnaryData<unknown>): (r: GateResult) => void {
  return (r) => (r.ok ? callback(null, r.body) : callback(status(r.error)));
}

/** etcd's ErrGRPCNoLeader: what a call requiring a leader gets from a member that knows none. */
export const NO_LEADER: GateError = { code: GRPC_UNAVAILABLE, message: 'etcdserver: no leader' };

function requiresLeader(call: { metadata: grpc.Metadata }): boolean {
  return call.metadata.get('hasleader').some((v) => String(v) === 'true');
}

/** The call's auth token: etcd reads metadata "token" (clientv3), else "authorization" (the gateway's header). */
export function tokenOf(call: { metadata: grpc.Metadata }): string | undefined {
  const v = call.metadata.get('token')[0] ?? call.metadata.get('authorization')[0];
  return v === undefined ? undefined : String(v);
}

/**
 * Like etcd's unary interceptor: a call with the metadata "hasleader: true" (clientv3's
 * WithRequireLeader) fails at once with "no leader" when the member knows no leader, instead
 * of waiting for one; other calls go on.
 */
function withLeader(ctx: ServiceContext, call: { metadata: grpc.Metadata }, done: (r: GateResult) => void, go: () => void): void {
  whenLeader(ctx.gate, requiresLeader(call), done, go);
}

/** withLeader for any door to the member (the gateway passes its Grpc-Metadata-Hasleader header on as "hasleader"). */
export function whenLeader(gate: MemberGate, required: boolean, done: (r: GateResult) => void, go: () => void): void {
  if (!required) return go();
  gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const leader = (r.body as { leader?: string }).leader;
    if (leader === undefined || leader === '0') return done({ ok: false, error: NO_LEADER });
    go();
  });
}

function unary(ctx: ServiceContext, path: string): Unary {
  return (call, callback) => {
    const done = answer(callback);
    withLeader(ctx, call, done, () => {
      const { body, decoded } = explicitEmptyRangeEnds(path, call.request);
      ctx.gate.call(path, body, done, tokenOf(call), decoded);
    });
  };
}

/**
 * A create request's filters without the values the proto does not define (decoded as bare
 * numbers): etcd's FiltersFromRequest ignores them, and the member would refuse the request.
 */
export function knownFilters(req: unknown): unknown {
  const create = (req as { create_request?: { filters?: unknown } } | null)?.create_request;
  if (create === undefined || !Array.isArray(create.filters)) return req;
  const filters = create.filters.filter((f) => f === 'NOPUT' || f === 'NODELETE');
  return { ...(req as object), create_request: { ...create, filters } };
}

function watch(ctx: ServiceContext): Duplex {
  return (call) => {
    let ended = false;
    const requireLeader = requiresLeader(call);
    const handle = ctx.gate.openWatch({
      response: (body) => {
        if (!ended) call.write(body);
      },
      closed: (reason) => {
        if (ended) return;
        ended = true;
        call.emit('error', status({ code: GRPC_UNAVAILABLE, message: reason }));
      },
    }, requireLeader, tokenOf(call));
    const down = ctx.gate.downReason();
    if (down !== undefined) {
      ended = true;
      call.emit('error', status({ code: GRPC_UNAVAILABLE, message: down }));
      return;
    }
    call.on('data', (req: unknown) => handle.send(knownFilters(req)));
    const finish = (): void => {
      if (ended) return;
      ended = true;
      handle.close();
      call.end();
    };
    // The client's half-close leaves the watch open, events still sent: etcd's receive loop ends
    // quietly at EOF and its send loop runs until the stream is cancelled (grpcurl -d sends one
    // request and half-closes at once).
    call.on('cancelled', finish);
    call.on('error', finish);
  };
}

/** Keep-alives answered in order, one at a time, like etcd's per-stream loop. */
function keepAlive(ctx: ServiceContext): Duplex {
  return (call) => {
    const queue: unknown[] = [];
    let busy = false;
    let ended = false;
    /** The client half-closed: the stream ends once every request before it is answered, as etcd's Recv/Send loop does. */
    let halfClosed = false;
    const fail = (e: GateError): void => {
      if (ended) return;
      ended = true;
      call.emit('error', status(e));
    };
    const pump = (): void => {
      if (busy || ended) return;
      const req = queue.shift();
      if (req === undefined) {
        if (halfClosed) finish();
        return;
      }
      busy = true;
      ctx.gate.call('/v3/lease/keepalive', req, (r) => {
        busy = false;
        if (!r.ok) return fail(r.error);
        if (!ended) call.write(r.body);
        pump();
      });
    };
    call.on('data', (req: unknown) => {
      if (queue.length >= KEEPALIVE_QUEUE_MAX) return fail({ code: grpc.status.RESOURCE_EXHAUSTED, message: 'detcd serve: too many keep-alives queued on one stream' });
      queue.push(req);
      pump();
    });
    function finish(): void {
      if (ended) return;
      ended = true;
      call.end();
    }
    call.on('end', () => {
      halfClosed = true;
      pump();
    });
    call.on('cancelled', () => {
      ended = true;
    });
  };
}

/** Maintenance.Snapshot: the member's backend as etcd's bbolt file, in etcd's chunks (snapshot-method.ts). */
function snapshot(ctx: ServiceContext): grpc.handleServerStreamingCall<unknown, unknown> {
  return (call) => {
    let cancelled = false;
    call.on('cancelled', () => (cancelled = true));
    const done = (r: GateResult): void => {
      if (!r.ok) call.emit('error', status(r.error));
    };
    withLeader(ctx, call, done, () => takeSnapshot(ctx.gate, ctx.admin, tokenOf(call), (r) => {
      if (!r.ok) return done(r);
      for (const chunk of r.chunks) if (!cancelled) call.write(chunk);
      call.end();
    }));
  };
}

type ConcurrencyMethod<R> = (gate: ClientGate, request: Record<string, unknown>, done: (r: GateResult) => void) => R;

/** A unary method of the lock or election service that runs to its answer (Unlock, Proclaim, Leader, Resign). */
function plain(ctx: ServiceContext, method: ConcurrencyMethod<void>): Unary {
  return (call, callback) => {
    const done = answer(callback);
    withLeader(ctx, call, done, () => method(asClient(ctx.gate, tokenOf(call)), (call.request ?? {}) as Record<string, unknown>, done));
  };
}

/** A unary method that waits (Lock, Campaign): a call its client cancels gives up its waiter key. */
function cancellable(ctx: ServiceContext, method: ConcurrencyMethod<{ cancel(): void }>): Unary {
  return (call, callback) => {
    const done = answer(callback);
    withLeader(ctx, call, done, () => {
      const pending = method(asClient(ctx.gate, tokenOf(call)), (call.request ?? {}) as Record<string, unknown>, done);
      call.on('cancelled', () => pending.cancel());
    });
  };
}

/** v3lockpb.Lock (lock-method.ts). */
export function lockHandlers(ctx: ServiceContext): Handlers {
  return { Lock: cancellable(ctx, lock), Unlock: plain(ctx, unlock) };
}

/** v3electionpb.Election (election-method.ts): Observe streams the leader. */
export function electionHandlers(ctx: ServiceContext): Handlers {
  return {
    Campaign: cancellable(ctx, campaign),
    Proclaim: plain(ctx, proclaim),
    Leader: plain(ctx, leader),
    Resign: plain(ctx, resign),
    Observe: ((call: grpc.ServerWritableStream<unknown, unknown>) => {
      const done = (r: GateResult): void => {
        if (!r.ok) call.emit('error', status(r.error));
      };
      withLeader(ctx, call, done, () => {
        const pending = observe(asClient(ctx.gate, tokenOf(call)), (call.request ?? {}) as Record<string, unknown>, (body) => call.write(body), () => call.end());
        call.on('cancelled', () => pending.cancel());
      });
    }) as grpc.handleServerStreamingCall<unknown, unknown>,
  };
}

/** A method answered beside the member (local-methods.ts), as the gateway answers it. */
function local(ctx: ServiceContext, method: string): Unary {
  return (call, callback) => {
    const done = answer(callback);
    withLeader(ctx, call, done, () => answerLocal(ctx, method, call.request, done, tokenOf(call)));
  };
}

/** The Auth service's methods by their gateway paths: each goes to the member (through raft). */
const AUTH_PATHS: Record<string, string> = {
  AuthEnable: '/v3/auth/enable', AuthDisable: '/v3/auth/disable', Authenticate: '/v3/auth/authenticate',
  UserAdd: '/v3/auth/user/add', UserGet: '/v3/auth/user/get', UserList: '/v3/auth/user/list', UserDelete: '/v3/auth/user/delete',
  UserChangePassword: '/v3/auth/user/changepw', UserGrantRole: '/v3/auth/user/grant', UserRevokeRole: '/v3/auth/user/revoke',
  RoleAdd: '/v3/auth/role/add', RoleGet: '/v3/auth/role/get', RoleList: '/v3/auth/role/list', RoleDelete: '/v3/auth/role/delete',
  RoleGrantPermission: '/v3/auth/role/grant', RoleRevokePermission: '/v3/auth/role/revoke',
};

/** Every method of every service, by service, with its handler. */
export function etcdHandlers(ctx: ServiceContext): Record<ServiceName, Handlers> {
  return {
    KV: {
      Range: unary(ctx, '/v3/kv/range'),
      Put: unary(ctx, '/v3/kv/put'),
      DeleteRange: unary(ctx, '/v3/kv/deleterange'),
      Txn: unary(ctx, '/v3/kv/txn'),
      Compact: unary(ctx, '/v3/kv/compaction'),
    },
    Watch: { Watch: watch(ctx) },
    Lease: {
      LeaseGrant: unary(ctx, '/v3/lease/grant'),
      LeaseRevoke: unary(ctx, '/v3/lease/revoke'),
      LeaseKeepAlive: keepAlive(ctx),
      LeaseTimeToLive: unary(ctx, '/v3/lease/timetolive'),
      LeaseLeases: unary(ctx, '/v3/lease/leases'),
    },
    Cluster: {
      MemberList: local(ctx, 'Cluster.MemberList'),
      MemberAdd: local(ctx, 'Cluster.MemberAdd'),
      MemberRemove: local(ctx, 'Cluster.MemberRemove'),
      MemberUpdate: local(ctx, 'Cluster.MemberUpdate'),
      MemberPromote: local(ctx, 'Cluster.MemberPromote'),
    },
    Maintenance: {
      Status: ((call, callback) => {
        const done = answer(callback);
        withLeader(ctx, call, done, () => memberStatus(ctx.gate, ctx.admin, done));
      }) as Unary,
      Hash: unary(ctx, '/v3/maintenance/hash'),
      HashKV: unary(ctx, '/v3/maintenance/hashkv'),
      Alarm: local(ctx, 'Maintenance.Alarm'),
      Defragment: local(ctx, 'Maintenance.Defragment'),
      Snapshot: snapshot(ctx),
      MoveLeader: local(ctx, 'Maintenance.MoveLeader'),
    },
    Auth: Object.fromEntries(Object.entries(AUTH_PATHS).map(([m, path]) => [m, unary(ctx, path)])),
  };
}
