// The methods `detcd serve` answers beside the simulated member, the same way over gRPC and the
// JSON gateway (one table, so the two faces cannot drift apart). Each first asks the member for
// its status (a down member refuses at once, and the answer carries its header), then answers
// as etcd 3.4 answers on a cluster like this one:
//   - MemberList: the cluster's members;
//   - Alarm GET and DEACTIVATE: no alarm is ever raised (no space quota, no corruption check),
//     so both answer an empty message, without a header, as etcd does; ACTIVATE is not served;
//   - Defragment: nothing to defragment (no bbolt file); etcd's answer is an empty message;
//   - MoveLeader: etcd's checks ("not leader" on a follower, "bad leader transferee" for a
//     target that is not a member) and a move to the leader itself; a real transfer to
//     another member is not served;
//   - Auth: an empty auth store with authentication disabled — lists are empty, AuthDisable
//     succeeds, every name is "not found", Authenticate says authentication is not enabled and
//     AuthEnable that the root user does not exist (etcd's codes and messages); adding a user
//     or role (the only way out of that state) is not served, so the store stays empty.
// What is not in the table is not served: UNIMPLEMENTED naming the method.
import type { MemberInfo } from './grpc-services.ts';
import type { GateError, GateResult, MemberGate } from './member-gate.ts';

const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;
const UNIMPLEMENTED = 12;

export interface LocalContext {
  readonly gate: MemberGate;
  readonly members: () => readonly MemberInfo[];
}

/** The member's own Status answer (gateway JSON). */
interface Status {
  readonly header?: Record<string, unknown>;
  readonly leader?: string;
}

/** What a method answers, given the member's status header (revision included) and status. */
type Answer = (request: Record<string, unknown>, header: Record<string, unknown>, members: () => readonly MemberInfo[], status: Status) => { body: object } | { error: GateError };

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
  'Cluster.MemberList': (_r, header, members) => {
    // etcd's MemberList does not read the store: its header has no revision.
    const { revision: _revision, ...clusterHeader } = header;
    return { body: { header: clusterHeader, members: members() } };
  },
  'Maintenance.Alarm': (request) => {
    const action = request['action'] ?? 'GET';
    if (action === 'GET' || action === 0 || action === 'DEACTIVATE' || action === 2) return { body: {} };
    return { error: notServedError(`Maintenance.Alarm ${JSON.stringify(action)}`, 'members raise no alarms') };
  },
  'Maintenance.Defragment': empty,
  'Maintenance.MoveLeader': (request, header, members, status) => {
    // etcd: only the leader moves leadership; the target must be a voting member; moving it to
    // the leader itself is done at once. A transfer to another member is not served.
    if (status.leader === undefined || String(header['member_id']) !== status.leader) return fail(FAILED_PRECONDITION, 'etcdserver: not leader');
    const raw = request['targetID'];
    const target = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '0';
    if (!members().some((m) => m.ID === target)) return fail(FAILED_PRECONDITION, 'etcdserver: bad leader transferee');
    if (target === status.leader) return { body: {} };
    return { error: notServedError('Maintenance.MoveLeader to another member', 'the simulated members do not transfer leadership on request') };
  },
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

/** The gateway paths of the methods answered here (etcd's grpc-gateway routes). */
export const LOCAL_PATHS: Record<string, string> = {
  '/v3/cluster/member/list': 'Cluster.MemberList',
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
  return Object.hasOwn(LOCAL, method);
}

/** Answers a local method (`isLocal`), after the member showed it is up by answering its status. */
export function answerLocal(ctx: LocalContext, method: string, request: unknown, done: (r: GateResult) => void): void {
  const answer = LOCAL[method];
  if (answer === undefined) return done({ ok: false, error: notServedError(method) });
  const req = request !== null && typeof request === 'object' ? (request as Record<string, unknown>) : {};
  ctx.gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const status = r.body as Status;
    const a = answer(req, status.header ?? {}, ctx.members, status);
    done('body' in a ? { ok: true, body: a.body } : { ok: false, error: a.error });
  });
}
