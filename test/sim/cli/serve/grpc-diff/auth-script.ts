// Requests that carry a token, to a fresh real etcd 3.4 and a fresh `detcd serve`: users and a
// role made, authentication turned on, then every kind of request sent with gRPC metadata
// "token" (as clientv3 sends it), "authorization" (the gateway's name, which etcd also reads),
// a bogus token, no token, and over the JSON gateway with its Authorization header. Tokens are
// named by the user whose login (a step with `login`) gave them; replies are compared after
// normalize-reply.ts (a token reads "<token>").
import * as grpc from '@grpc/grpc-js';
import type { RawClient, Reply } from './raw-client.ts';
import { b } from './grpc-script.ts';

/** Whose token a request carries, and under which metadata key; 'bogus' is a token no member issued. */
export interface TokenUse {
  readonly user: 'root' | 'u' | 'bogus' | 'future';
  readonly key?: 'token' | 'authorization';
}

export type AuthStep = { readonly name: string } & (
  | { readonly call: string; readonly req: object; readonly as?: TokenUse; readonly login?: 'root' | 'u' }
  /** A watch created with the token: its first replies (created, or created and canceled; events). */
  | { readonly watch: object; readonly as?: TokenUse; readonly put?: object }
  /**
   * A watch created with a token issued at the raft index `ahead` entries past the one the
   * server has applied (etcd's isWatchPermitted waits for it); `ahead` puts as root then bring
   * the index: its replies before the first put, after each put but the last, and after the last.
   */
  | { readonly watchAhead: object; readonly ahead: number; readonly put: object }
  /** Over the JSON gateway, the token in the Authorization header. */
  | { readonly gateway: string; readonly body: object; readonly as?: TokenUse }
);

export type AuthOutcome = Reply | { readonly watch: unknown[] } | { readonly gateway: { status: number; body: unknown } } | { readonly watchAhead: { readonly beforeIndex: number[]; readonly watch: unknown[] } };

const root: TokenUse = { user: 'root' };
const u: TokenUse = { user: 'u' };

export const AUTH_SCRIPT: AuthStep[] = [
  { name: 'add root', call: 'Auth.UserAdd', req: { name: 'root', password: 'r' } },
  { name: 'grant root the root role', call: 'Auth.UserGrantRole', req: { user: 'root', role: 'root' } },
  { name: 'add u', call: 'Auth.UserAdd', req: { name: 'u', password: 'p' } },
  { name: 'add role rw', call: 'Auth.RoleAdd', req: { name: 'rw' } },
  { name: 'rw may read and write [k, l)', call: 'Auth.RoleGrantPermission', req: { name: 'rw', perm: { permType: 'READWRITE', key: b('k'), range_end: b('l') } } },
  { name: 'rw may read a', call: 'Auth.RoleGrantPermission', req: { name: 'rw', perm: { permType: 'READ', key: b('a') } } },
  { name: 'grant u rw', call: 'Auth.UserGrantRole', req: { user: 'u', role: 'rw' } },
  { name: 'put a before auth', call: 'KV.Put', req: { key: b('a'), value: b('1') } },
  { name: 'enable auth', call: 'Auth.AuthEnable', req: {} },
  { name: 'login root', call: 'Auth.Authenticate', req: { name: 'root', password: 'r' }, login: 'root' },
  { name: 'login u', call: 'Auth.Authenticate', req: { name: 'u', password: 'p' }, login: 'u' },
  { name: 'login u, wrong password', call: 'Auth.Authenticate', req: { name: 'u', password: 'x' } },
  { name: 'login with a bogus token', call: 'Auth.Authenticate', req: { name: 'u', password: 'p' }, as: { user: 'bogus' } },
  { name: 'login, wrong password and a bogus token', call: 'Auth.Authenticate', req: { name: 'u', password: 'x' }, as: { user: 'bogus' } },
  { name: 'put without a token', call: 'KV.Put', req: { key: b('k1'), value: b('v') } },
  { name: 'put with a bogus token', call: 'KV.Put', req: { key: b('k1'), value: b('v') }, as: { user: 'bogus' } },
  { name: 'put with a token of an index not yet applied, short deadline', call: 'KV.Put', req: { key: b('k1'), value: b('v') }, as: { user: 'future' } },
  { name: 'u puts k1', call: 'KV.Put', req: { key: b('k1'), value: b('v') }, as: u },
  { name: 'u puts k1 (authorization key)', call: 'KV.Put', req: { key: b('k1'), value: b('w'), prev_kv: true }, as: { user: 'u', key: 'authorization' } },
  { name: 'u puts a (read only)', call: 'KV.Put', req: { key: b('a'), value: b('2') }, as: u },
  { name: 'u reads a', call: 'KV.Range', req: { key: b('a') }, as: u },
  { name: 'u reads a serializable', call: 'KV.Range', req: { key: b('a'), serializable: true }, as: u },
  { name: 'u reads everything', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0') }, as: u },
  { name: 'u reads [k, l)', call: 'KV.Range', req: { key: b('k'), range_end: b('l') }, as: u },
  // A range_end sent present but empty (grpc-js clients send one): etcd 3.4 reads from the key on
  // and checks the permission of the key alone; through raft (a writing txn) it is the key alone.
  { name: 'u reads a with an empty range_end sent: a checked, read from a on', call: 'KV.Range', req: { key: b('a'), range_end: '', keys_only: true }, as: u },
  { name: 'u reads b with an empty range_end sent: b checked', call: 'KV.Range', req: { key: b('b'), range_end: '', keys_only: true }, as: u },
  { name: 'u, read-only txn: compare and range of a with empty range_ends sent', call: 'KV.Txn', req: { compare: [{ target: 'VERSION', result: 'GREATER', key: b('a'), version: '0', range_end: '' }], success: [{ request_range: { key: b('a'), range_end: '', keys_only: true } }], failure: [{ request_range: { key: b('k'), range_end: b('l'), count_only: true } }] }, as: u },
  { name: 'u, read-only txn: a range of b with an empty range_end sent', call: 'KV.Txn', req: { success: [{ request_range: { key: b('a') } }, { request_range: { key: b('b'), range_end: '', count_only: true } }] }, as: u },
  { name: 'u, writing txn: a range of a with an empty range_end sent', call: 'KV.Txn', req: { success: [{ request_put: { key: b('k2'), value: b('t') } }, { request_range: { key: b('a'), range_end: '', keys_only: true } }] }, as: u },
  { name: 'u deletes [k, l)', call: 'KV.DeleteRange', req: { key: b('k'), range_end: b('l'), prev_kv: true }, as: u },
  { name: 'u txn reading a, writing k2', call: 'KV.Txn', req: { success: [{ request_range: { key: b('a') } }, { request_put: { key: b('k2'), value: b('t') } }] }, as: u },
  { name: 'u txn writing a', call: 'KV.Txn', req: { success: [{ request_put: { key: b('a'), value: b('t') } }] }, as: u },
  { name: 'u txn comparing z', call: 'KV.Txn', req: { compare: [{ target: 'VERSION', result: 'EQUAL', key: b('z'), version: '0' }], success: [{ request_put: { key: b('k3'), value: b('t') } }] }, as: u },
  { name: 'u compacts', call: 'KV.Compact', req: { revision: '2' }, as: u },
  { name: 'u grants a lease', call: 'Lease.LeaseGrant', req: { ID: '9001', TTL: '100' }, as: u },
  { name: 'u revokes it', call: 'Lease.LeaseRevoke', req: { ID: '9001' }, as: u },
  { name: 'u lists users', call: 'Auth.UserList', req: {}, as: u },
  { name: 'u gets itself', call: 'Auth.UserGet', req: { name: 'u' }, as: u },
  { name: 'u gets root', call: 'Auth.UserGet', req: { name: 'root' }, as: u },
  { name: 'u gets its role', call: 'Auth.RoleGet', req: { role: 'rw' }, as: u },
  { name: 'u hashes', call: 'Maintenance.HashKV', req: {}, as: u },
  { name: 'u asks status', call: 'Maintenance.Status', req: {}, as: u },
  { name: 'root reads everything', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), keys_only: true }, as: root },
  { name: 'root hashes (authorization key)', call: 'Maintenance.HashKV', req: {}, as: { user: 'root', key: 'authorization' } },
  { name: 'root lists users', call: 'Auth.UserList', req: {}, as: root },
  { name: 'u watches k', watch: { key: b('k'), range_end: b('l') }, as: u, put: { key: b('k9'), value: b('w') } },
  { name: 'u watches everything', watch: { key: b('\0'), range_end: b('\0') }, as: u },
  { name: 'watch with a bogus token', watch: { key: b('k') }, as: { user: 'bogus' } },
  { name: 'watch without a token', watch: { key: b('k') } },
  { name: 'watch with a token of an index two entries ahead: held until applied, then refused', watchAhead: { key: b('k') }, ahead: 2, put: { key: b('k8'), value: b('x') } },
  { name: 'u hashes (Hash)', call: 'Maintenance.Hash', req: {}, as: u },
  { name: 'Hash without a token', call: 'Maintenance.Hash', req: {} },
  { name: 'Hash with a bogus token', call: 'Maintenance.Hash', req: {}, as: { user: 'bogus' } },
  { name: 'root hashes (Hash)', call: 'Maintenance.Hash', req: {}, as: root },
  { name: 'gateway: u reads a', gateway: '/v3/kv/range', body: { key: b('a') }, as: u },
  { name: 'gateway: u puts a', gateway: '/v3/kv/put', body: { key: b('a'), value: b('g') }, as: u },
  { name: 'gateway: u puts k5', gateway: '/v3/kv/put', body: { key: b('k5'), value: b('g') }, as: u },
  { name: 'gateway: no header', gateway: '/v3/kv/range', body: { key: b('a') } },
  { name: 'gateway: a bogus token', gateway: '/v3/kv/range', body: { key: b('a') }, as: { user: 'bogus' } },
  { name: 'gateway: root lists roles', gateway: '/v3/auth/role/list', body: {}, as: root },
  { name: 'gateway: u lists roles', gateway: '/v3/auth/role/list', body: {}, as: u },
  { name: 'gateway: login', gateway: '/v3/auth/authenticate', body: { name: 'u', password: 'p' } },
  { name: 'u changes its password: its tokens go', call: 'Auth.UserChangePassword', req: { name: 'u', password: 'q' }, as: root },
  { name: 'u with its old token', call: 'KV.Range', req: { key: b('a') }, as: u },
  { name: 'root disables auth', call: 'Auth.AuthDisable', req: {}, as: root },
  { name: 'root token after disable', call: 'KV.Range', req: { key: b('a') }, as: root },
  { name: 'no token after disable', call: 'KV.Range', req: { key: b('a'), keys_only: true } },
];

/** A token no member issued, and one issued at a raft index no member reaches (etcd waits for it). */
const BOGUS_TOKEN = 'bogusbogusbogusb.1';
const FUTURE_TOKEN = 'futurefuturefutu.99999999';
/** The deadline of a request whose token waits for an index that never comes. */
const FUTURE_DEADLINE_MS = 1_000;
const WATCH_WAIT_MS = 3_000;
/** How long a watch whose token waits for its index is given to answer anyway (it must not). */
const HELD_WATCH_QUIET_MS = 500;
/** The random half of a token issued ahead of the server's applied index. */
const AHEAD_TOKEN_PREFIX = 'aheadaheadaheada';

function metadataFor(use: TokenUse | undefined, tokens: Map<string, string>): grpc.Metadata {
  const md = new grpc.Metadata();
  if (use === undefined) return md;
  const token = use.user === 'bogus' ? BOGUS_TOKEN : use.user === 'future' ? FUTURE_TOKEN : tokens.get(use.user) ?? 'no-login';
  md.set(use.key ?? 'token', token);
  return md;
}

async function gatewayCall(endpoint: string, path: string, body: object, token: string | undefined): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body), headers: token === undefined ? {} : { Authorization: token } });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: compared as text.
  }
  return { status: res.status, body: parsed };
}

/** Runs AUTH_SCRIPT against one server (its gRPC client and its gateway URL); every outcome is a value. */
export async function runAuthScript(client: RawClient, endpoint: string): Promise<AuthOutcome[]> {
  const tokens = new Map<string, string>();
  const out: AuthOutcome[] = [];
  for (const step of AUTH_SCRIPT) {
    const md = metadataFor('as' in step ? step.as : undefined, tokens);
    if ('call' in step) {
      const r = await client.unary(step.call, step.req, step.as?.user === 'future' ? FUTURE_DEADLINE_MS : 10_000, md);
      if (step.login !== undefined && 'ok' in r) tokens.set(step.login, String(r.ok['token']));
      // The client's own deadline text carries its timings and the server's port. A future token's
      // wait ends at the same instant on both sides: the server's 'invalid auth token' (etcd's
      // isValidSimpleToken when its context ends) races the client's own deadline, so either may
      // arrive first on either server (seen on etcd 3.4.23 under load): both are the deadline.
      const atDeadline = 'code' in r && (r.code === (grpc.status.DEADLINE_EXCEEDED as number)
        || (step.as?.user === 'future' && r.code === (grpc.status.UNAUTHENTICATED as number) && r.details === 'etcdserver: invalid auth token'));
      out.push(atDeadline ? { code: grpc.status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' } : r);
    } else if ('gateway' in step) {
      const token = step.as === undefined ? undefined : md.get(step.as.key ?? 'token')[0]?.toString();
      out.push({ gateway: await gatewayCall(endpoint, step.gateway, step.body, token) });
    } else if ('watchAhead' in step) {
      out.push({ watchAhead: await watchAhead(client, step, tokens) });
    } else {
      const stream = client.stream('Watch.Watch', md);
      stream.send({ create_request: step.watch });
      await stream.until((r) => r.length >= 1, WATCH_WAIT_MS);
      if (step.put !== undefined) {
        await client.unary('KV.Put', step.put, 10_000, md);
        await stream.until((r) => r.length >= 2, WATCH_WAIT_MS);
      }
      stream.close();
      out.push({ watch: stream.replies });
    }
  }
  return out;
}

/** A watch step whose token is issued `ahead` raft entries past what the server applied (see AuthStep). */
async function watchAhead(client: RawClient, step: Extract<AuthStep, { watchAhead: object }>, tokens: Map<string, string>): Promise<{ beforeIndex: number[]; watch: unknown[] }> {
  const status = await client.unary('Maintenance.Status', {});
  if (!('ok' in status)) throw new Error(`Status failed: ${JSON.stringify(status)}`);
  const md = new grpc.Metadata();
  md.set('token', `${AHEAD_TOKEN_PREFIX}.${Number(status.ok['raftAppliedIndex']) + step.ahead}`);
  const stream = client.stream('Watch.Watch', md);
  const rootMd = metadataFor(root, tokens);
  const beforeIndex: number[] = [];
  try {
    stream.send({ create_request: step.watchAhead });
    for (let i = 0; i < step.ahead; i++) {
      await new Promise((r) => setTimeout(r, HELD_WATCH_QUIET_MS));
      beforeIndex.push(stream.replies.length);
      await client.unary('KV.Put', step.put, 10_000, rootMd);
    }
    await stream.until((r) => r.length >= 1, WATCH_WAIT_MS);
  } finally {
    stream.close();
  }
  return { beforeIndex, watch: stream.replies };
}
