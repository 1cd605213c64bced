// The methods `detcd serve` answers beside the simulated member, the same way over gRPC and the
// JSON gateway (one table, so the two faces cannot drift apart). Each first asks the member for
// its status (a down member refuses at once, and the answer carries its header), then answers
// as etcd 3.4 answers on a cluster like this one:
//   - the member API (MemberList, MemberAdd, MemberRemove, MemberUpdate, MemberPromote) and
//     MoveLeader: through the simulated cluster (cluster-admin.ts);
//   - Alarm GET and DEACTIVATE: no alarm is ever raised (no space quota, no corruption check),
//     so both answer an empty message, without a header, as etcd does; ACTIVATE is not served;
//   - Defragment: nothing to defragment (no bbolt file); etcd's answer is an empty message,
//     after etcd's admin check (with authentication enabled, root only).
// (The Auth service is the member's own: its requests go through raft, see src/auth/.)
// What is not in the table is not served: UNIMPLEMENTED naming the method.
import type { AdminAnswer, ClusterAdmin } from './cluster-admin.ts';
import type { GateError, GateResult, MemberGate } from './member-gate.ts';
import { asAdmin } from './admin-check.ts';

const UNIMPLEMENTED = 12;

export interface LocalContext {
  readonly gate: MemberGate;
  readonly admin: ClusterAdmin;
}

/** The member's own Status answer (gateway JSON). */
interface Status {
  readonly header?: Record<string, unknown>;
  readonly leader?: string;
}

/** What a method answers, given the member's status header (revision included) and status. */
type Answer = (request: Record<string, unknown>, header: Record<string, unknown>) => { body: object } | { error: GateError };

/** A method answered by the simulated cluster (possibly later), given etcd's cluster header (no revision). */
type AdminMethod = (admin: ClusterAdmin, member: string, request: Record<string, unknown>, header: object, done: AdminAnswer) => void;

const empty: Answer = () => ({ body: {} });

export function notServedError(method: string, why = 'unimplemented in the simulated cluster'): GateError {
  return { code: UNIMPLEMENTED, message: `detcd serve: ${method} is not served (${why})` };
}

/** The methods answered here, by "Service.Method". */
const LOCAL: Record<string, Answer> = {
  'Maintenance.Alarm': (request) => {
    const action = request['action'] ?? 'GET';
    if (action === 'GET' || action === 0 || action === 'DEACTIVATE' || action === 2) return { body: {} };
    return { error: notServedError(`Maintenance.Alarm ${JSON.stringify(action)}`, 'members raise no alarms') };
  },
  'Maintenance.Defragment': empty,
};

const ADMIN: Record<string, AdminMethod> = {
  'Cluster.MemberList': (admin, member, _r, header, done) => done({ ok: true, body: { header, members: admin.members(member) } }),
  'Cluster.MemberAdd': (admin, member, r, header, done) => admin.add(member, r, header, done),
  'Cluster.MemberRemove': (admin, member, r, header, done) => admin.remove(member, r, header, done),
  'Cluster.MemberUpdate': (admin, member, r, header, done) => admin.update(member, r, header, done),
  'Cluster.MemberPromote': (admin, member, r, header, done) => admin.promote(member, r, header, done),
  'Maintenance.MoveLeader': (admin, member, r, _header, done) => admin.moveLeader(member, r, done),
};

/** The gateway paths of the methods answered here (etcd's grpc-gateway routes). */
export const LOCAL_PATHS: Record<string, string> = {
  '/v3/cluster/member/list': 'Cluster.MemberList',
  '/v3/cluster/member/add': 'Cluster.MemberAdd',
  '/v3/cluster/member/remove': 'Cluster.MemberRemove',
  '/v3/cluster/member/update': 'Cluster.MemberUpdate',
  '/v3/cluster/member/promote': 'Cluster.MemberPromote',
  '/v3/maintenance/alarm': 'Maintenance.Alarm',
  '/v3/maintenance/defragment': 'Maintenance.Defragment',
  '/v3/maintenance/transfer-leadership': 'Maintenance.MoveLeader',
};

export function isLocal(method: string): boolean {
  return Object.hasOwn(LOCAL, method) || Object.hasOwn(ADMIN, method);
}

/** Methods that need etcd's admin check (maintenance isAuthenticated) first. */
const ROOT_ONLY = new Set(['Maintenance.Defragment']);

/**
 * Answers a local method (`isLocal`), after the member showed it is up by answering its status
 * (and, for a root-only method, that the caller's `token` is root's while authentication is on).
 */
export function answerLocal(ctx: LocalContext, method: string, request: unknown, done: (r: GateResult) => void, token?: string): void {
  const answer = LOCAL[method];
  const admin = ADMIN[method];
  if (answer === undefined && admin === undefined) return done({ ok: false, error: notServedError(method) });
  if (ROOT_ONLY.has(method)) return asAdmin(ctx.gate, token, done, () => answerAdmitted(ctx, answer, admin, request, done));
  answerAdmitted(ctx, answer, admin, request, done);
}

function answerAdmitted(ctx: LocalContext, answer: Answer | undefined, admin: AdminMethod | undefined, request: unknown, done: (r: GateResult) => void): void {
  const req = request !== null && typeof request === 'object' ? (request as Record<string, unknown>) : {};
  ctx.gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const header = (r.body as Status).header ?? {};
    if (admin !== undefined) {
      // etcd's cluster methods do not read the store: their header has no revision.
      const { revision: _revision, ...clusterHeader } = header;
      return admin(ctx.admin, ctx.gate.member, req, clusterHeader, done);
    }
    const a = (answer as Answer)(req, header);
    done('body' in a ? { ok: true, body: a.body } : { ok: false, error: a.error });
  });
}
