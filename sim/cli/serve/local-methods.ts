// The methods `detcd serve` answers beside the simulated member, the same way over gRPC and the
// JSON gateway (one table, so the two faces cannot drift apart). Each first asks the member for
// its status (a down member refuses at once, and the answer carries its header), then answers
// as etcd 3.4 answers on a cluster like this one:
//   - the member API (MemberList, MemberAdd, MemberRemove, MemberUpdate, MemberPromote) and
//     MoveLeader: through the simulated cluster (cluster-admin.ts);
//   - Alarm GET and DEACTIVATE: no alarm is ever raised (no space quota, no corruption check),
//     so both answer an empty message, without a header, as etcd does; ACTIVATE is not served;
//   - Defragment: nothing to defragment (no bbolt file); etcd's answer is an empty message;
//   - Auth: an empty auth store with authentication disabled — lists are empty, AuthDisable
//     succeeds, every name is "not found", Authenticate says authentication is not enabled and
//     AuthEnable that the root user does not exist (etcd's codes and messages); adding a user
//     or role (the only way out of that state) is not served, so the store stays empty.
// What is not in the table is not served: UNIMPLEMENTED naming the method.
import type { AdminAnswer, ClusterAdmin } from './cluster-admin.ts';
import type { GateError, GateResult, MemberGate } from './member-gate.ts';

const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;
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

const fail = (code: number, message: string): { error: GateError } => ({ error: { code, message } });
const USER_NOT_FOUND = fail(FAILED_PRECONDITION, 'etcdserver: user name not found');
const ROLE_NOT_FOUND = fail(FAILED_PRECONDITION, 'etcdserver: role name not found');
const withHeader: Answer = (_r, header) => ({ body: { header } });
const empty: Answer = () => ({ body: {} });

export function notServedError(method: string, why = 'unimplemented in the simulated cluster'): GateError {
  return { code: UNIMPLEMENTED, message: `detcd serve: ${method} is not served (${why})` };
}

/** A name the request leaves empty (proto3 leaves empty strings out). */
function emptyName(request: Record<string, unknown>, field: string): boolean {
  return typeof request[field] !== 'string' || request[field] === '';
}

/** The methods answered here, by "Service.Method". */
const LOCAL: Record<string, Answer> = {
  'Maintenance.Alarm': (request) => {
    const action = request['action'] ?? 'GET';
    if (action === 'GET' || action === 0 || action === 'DEACTIVATE' || action === 2) return { body: {} };
    return { error: notServedError(`Maintenance.Alarm ${JSON.stringify(action)}`, 'members raise no alarms') };
  },
  'Maintenance.Defragment': empty,
  'Auth.AuthEnable': () => fail(FAILED_PRECONDITION, 'etcdserver: root user does not exist'),
  'Auth.AuthDisable': withHeader,
  'Auth.Authenticate': () => fail(FAILED_PRECONDITION, 'etcdserver: authentication is not enabled'),
  'Auth.UserAdd': (r) => (emptyName(r, 'name') ? fail(INVALID_ARGUMENT, 'etcdserver: user name is empty') : { error: notServedError('Auth.UserAdd', 'the auth store stays empty') }),
  'Auth.UserGet': () => USER_NOT_FOUND,
  'Auth.UserList': withHeader,
  'Auth.UserDelete': () => USER_NOT_FOUND,
  'Auth.UserChangePassword': () => USER_NOT_FOUND,
  'Auth.UserGrantRole': () => USER_NOT_FOUND,
  'Auth.UserRevokeRole': () => USER_NOT_FOUND,
  'Auth.RoleAdd': (r) => (emptyName(r, 'name') ? fail(INVALID_ARGUMENT, 'etcdserver: role name is empty') : { error: notServedError('Auth.RoleAdd', 'the auth store stays empty') }),
  'Auth.RoleGet': () => ROLE_NOT_FOUND,
  'Auth.RoleList': withHeader,
  'Auth.RoleDelete': () => ROLE_NOT_FOUND,
  'Auth.RoleGrantPermission': () => ROLE_NOT_FOUND,
  'Auth.RoleRevokePermission': () => ROLE_NOT_FOUND,
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
  '/v3/auth/enable': 'Auth.AuthEnable',
  '/v3/auth/disable': 'Auth.AuthDisable',
  '/v3/auth/authenticate': 'Auth.Authenticate',
  '/v3/auth/user/add': 'Auth.UserAdd',
  '/v3/auth/user/get': 'Auth.UserGet',
  '/v3/auth/user/list': 'Auth.UserList',
  '/v3/auth/user/delete': 'Auth.UserDelete',
  '/v3/auth/user/changepw': 'Auth.UserChangePassword',
  '/v3/auth/user/grant': 'Auth.UserGrantRole',
  '/v3/auth/user/revoke': 'Auth.UserRevokeRole',
  '/v3/auth/role/add': 'Auth.RoleAdd',
  '/v3/auth/role/get': 'Auth.RoleGet',
  '/v3/auth/role/list': 'Auth.RoleList',
  '/v3/auth/role/delete': 'Auth.RoleDelete',
  '/v3/auth/role/grant': 'Auth.RoleGrantPermission',
  '/v3/auth/role/revoke': 'Auth.RoleRevokePermission',
};

export function isLocal(method: string): boolean {
  return Object.hasOwn(LOCAL, method) || Object.hasOwn(ADMIN, method);
}

/** Answers a local method (`isLocal`), after the member showed it is up by answering its status. */
export function answerLocal(ctx: LocalContext, method: string, request: unknown, done: (r: GateResult) => void): void {
  const answer = LOCAL[method];
  const admin = ADMIN[method];
  if (answer === undefined && admin === undefined) return done({ ok: false, error: notServedError(method) });
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
