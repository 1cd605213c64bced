// The three-member differential test: the same etcdctl commands and raw gRPC calls
// (cluster-diff/cluster-script.ts: member list, status and health of every member, writes and
// reads through different members, a watch, a lease, a lock and an election through followers,
// MoveLeader, and the member API with its refusals) go to a real three-member etcd 3.4 started
// by the test and to `detcd serve --nodes 3`, addressed to members by their role (the leader,
// the followers); outputs and exit codes must be equal after cluster-diff/cluster-normalize.ts
// (ids, names and URLs become roles; terms, indexes, sizes, hashes, lease ids, TTLs and timings
// become placeholders — revisions are kept). Without etcd or etcdctl the test says it skipped
// (and fails under CI).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { startEtcdCluster, type EtcdClusterProcess } from '../../../differential/etcd-cluster.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { CLUSTER_SCRIPT, ROLES, type ClusterStep, type Role } from './cluster-diff/cluster-script.ts';
import { normalizeCluster, sortedForm, type Identities, type MemberIdentity } from './cluster-diff/cluster-normalize.ts';
import { errorLines, etcdctl } from './etcdctl.ts';
import { RawClient } from './grpc-diff/raw-client.ts';

/** After a streaming command printed what it must, how long it may still print more (it must not). */
const GRACE_MS = 500;
/** A streaming command that never prints what it must is stopped after this (the comparison then fails). */
const STREAM_MS_MAX = 20_000;
/** Each cluster's members must agree on one leader within this long (both are idle then). */
const LEADER_AGREED_MS_MAX = 30_000;

const hostPort = (url: string): string => url.replace(/^https?:\/\//, '');

interface MemberJson {
  ID: string;
  name?: string;
  peerURLs: string[];
  clientURLs?: string[];
}

/** The leader every member names (waiting until they agree), and each member's identity by role. */
async function identities(endpoints: readonly string[]): Promise<Identities> {
  const raw = new RawClient(hostPort(endpoints[0]!));
  const deadline = Date.now() + LEADER_AGREED_MS_MAX;
  try {
    let leader: string | undefined;
    for (;;) {
      const leaders = await Promise.all(endpoints.map(async (e) => {
        const c = new RawClient(hostPort(e));
        const r = await c.unary('Maintenance.Status', {});
        c.close();
        return 'ok' in r && typeof r.ok['leader'] === 'string' ? r.ok['leader'] : '0';
      }));
      leader = leaders[0];
      if (leader !== '0' && leaders.every((l) => l === leader)) break;
      if (Date.now() > deadline) throw new Error(`the members never agreed on a leader: ${leaders.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const list = await raw.unary('Cluster.MemberList', {});
    if (!('ok' in list)) throw new Error(`MemberList failed: ${JSON.stringify(list)}`);
    const members = (list.ok['members'] as MemberJson[]).map((m): MemberIdentity => ({ id: m.ID, name: m.name ?? '', peerURL: m.peerURLs[0]!, client: hostPort(m.clientURLs?.[0] ?? '') }));
    const followers = members.filter((m) => m.id !== leader).sort((a, b) => (a.name < b.name ? -1 : 1));
    const roles = new Map<Role, MemberIdentity>([['L', members.find((m) => m.id === leader)!], ['F1', followers[0]!], ['F2', followers[1]!]]);
    return { roles, added: [] };
  } finally {
    raw.close();
  }
}

function fill(arg: string, ids: Identities, lease: string, decimal: boolean): string {
  return arg
    .replace(/\{ID:(L|F1|F2)\}/g, (_w, r: Role) => {
      const id = ids.roles.get(r)!.id;
      return decimal ? id : BigInt(id).toString(16);
    })
    .replace('{ID:ADDED}', () => {
      const id = ids.added.at(-1) ?? '0';
      return decimal ? id : BigInt(id).toString(16);
    })
    .replace('{PEER:F1}', ids.roles.get('F1')!.peerURL)
    .replace('{LEASE}', lease);
}

function address(step: ClusterStep, ids: Identities): string {
  const roles = step.at === 'ALL' ? ROLES : [step.at];
  return roles.map((r) => `${step.withScheme === true ? 'http://' : ''}${ids.roles.get(r)!.client}`).join(',');
}

/** What a step printed (etcdctl's stdout and error lines, or the gRPC reply) and, for etcdctl, its exit code. */
async function runStep(step: ClusterStep, ids: Identities, lease: string): Promise<{ text: string; exit: string }> {
  if (step.delayMs !== undefined) await new Promise((r) => setTimeout(r, step.delayMs));
  if (step.grpc !== undefined) {
    const raw = new RawClient(address(step, ids));
    try {
      const req = JSON.parse(fill(JSON.stringify(step.grpc.req), ids, lease, true)) as object;
      return { text: JSON.stringify(await raw.unary(step.grpc.call, req)), exit: '' };
    } finally {
      raw.close();
    }
  }
  const args = step.args!.map((a) => fill(a, ids, lease, false));
  const r = await etcdctl(address(step, ids), args, {
    stdin: step.stdin,
    killWhen: step.until === undefined ? undefined : { pattern: step.until, graceMs: GRACE_MS, maxMs: STREAM_MS_MAX },
    dialTimeout: '10s',
  });
  return { text: `${r.stdout}${errorLines(r.stderr).join('\n')}`, exit: step.until === undefined ? `\n[exit ${r.code}]` : '' };
}

async function runScript(endpoints: readonly string[]): Promise<string[]> {
  const ids = await identities(endpoints);
  let lease = '0';
  const outputs: string[] = [];
  for (const step of CLUSTER_SCRIPT) {
    const { text, exit } = await runStep(step, ids, lease);
    const granted = /^lease ([0-9a-f]+) granted/m.exec(text);
    if (granted !== null) lease = granted[1]!;
    const added = /Member +([0-9a-f]+) added/.exec(text) ?? /"member":\{"ID":"?(\d+)/.exec(text);
    if (added !== null) ids.added.push(added[0].startsWith('Member') ? BigInt(`0x${added[1]!}`).toString() : added[1]!);
    // Given every endpoint, etcdctl asks whichever its balancer picks: who answered is not
    // compared (except in per-endpoint answers, a JSON array).
    const anyMember = step.at === 'ALL' && !text.startsWith('[');
    const normalized = anyMember ? normalizeCluster(text, ids).replace(/"member_id":"<\w+>"/g, '"member_id":"<asked>"') : normalizeCluster(text, ids);
    const what = step.grpc === undefined ? `etcdctl @${step.at} ${step.args!.join(' ')}` : `grpc @${step.at} ${step.grpc.call} ${JSON.stringify(step.grpc.req)}`;
    outputs.push(`$ ${what}\n${step.sorted === true ? sortedForm(normalized.trim()) : normalized}${exit}`);
  }
  return outputs;
}

describeWithRealEtcd('a three-member detcd serve answers etcdctl and gRPC like a three-member etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  let etcd: EtcdClusterProcess | undefined;
  let detcd: ServeHandle | undefined;
  beforeAll(async () => {
    [etcd, detcd] = await Promise.all([startEtcdCluster(tools.etcd, 3), startServe({ port: 0, nodes: 3, seed: 33 })]);
  }, 90_000);
  afterAll(async () => {
    await etcd?.stop();
    await detcd?.close();
  });

  test(`${CLUSTER_SCRIPT.length} commands addressed by role, output for output`, async () => {
    const oracle = await runScript(etcd!.endpoints);
    const subject = await runScript(detcd!.endpoints.map((e) => e.url));
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    const differences = CLUSTER_SCRIPT.flatMap((_s, i) => (oracle[i] === subject[i] ? [] : [`step ${i}\n--- etcd\n${oracle[i]}\n--- detcd\n${subject[i]}`]));
    expect(differences.join('\n')).toBe('');
    // The script means something only if the commands did what they say on etcd itself.
    const all = oracle.join('\n');
    for (const shown of ['Leadership transferred from <L> to <F1>', 'Leadership transferred from <F1> to <L>', 'unstarted', 'unhealthy cluster', 'too many learner members', 'in sync with leader', 'Peer URLs already exists', 'member not found', 'locked', '"code":9', '"code":3']) expect(all).toContain(shown);
  }, 300_000);
});
