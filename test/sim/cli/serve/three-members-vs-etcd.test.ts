// The three-member differential test: the same etcdctl commands and raw gRPC calls
// (cluster-diff/cluster-script.ts: member list, status and health of every member, writes and
// reads through different members, a watch, a lease, a lock and an election through followers,
// MoveLeader, the member API with its refusals, and a started member removed) go to a real
// three-member etcd 3.4 started by the test and to `detcd serve --nodes 3`, addressed to members
// by their role (the leader, the followers), through the step loop of the etcdctl differential
// tests (test/differential/etcdctl-runner.ts); outputs and exit codes must be equal after
// test/differential/etcdctl-normalize.ts (ids, names and URLs become roles; terms, indexes,
// sizes, hashes, lease ids, TTLs and timings become placeholders — revisions are kept). Without
// etcd or etcdctl the test says it skipped (and fails under CI).
import { expect, test } from 'vitest';
import { startEtcdCluster } from '../../../differential/etcd-process.ts';
import { suiteServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { normalizeEtcdctl, sortedForm, type Identities } from '../../../differential/etcdctl-normalize.ts';
import { describeStep, differences, grantedLease, identities, runStep, type StepTarget } from '../../../differential/etcdctl-runner.ts';
import { CLUSTER_SCRIPT, ROLES, type ClusterStep } from './cluster-diff/cluster-script.ts';

function target(ids: Identities, lease: { id: string }): StepTarget {
  const idOf = (role: string): string => (role === 'ADDED' ? (ids.added.at(-1) ?? '0') : ids.roles.get(role)!.id);
  return {
    address: (step) => {
      const s = step as ClusterStep;
      const roles = s.at === 'ALL' ? ROLES : [s.at];
      return roles.map((r) => `${s.withScheme === true ? 'http://' : ''}${ids.roles.get(r)!.client}`).join(',');
    },
    fill: (arg, decimal) => arg
      .replace(/\{ID:(L|F1|F2|ADDED)\}/g, (_w, r: string) => (decimal ? idOf(r) : BigInt(idOf(r)).toString(16)))
      .replace('{PEER:F1}', ids.roles.get('F1')!.peerURL)
      .replace('{LEASE}', lease.id),
  };
}

async function runScript(endpoints: readonly string[]): Promise<string[]> {
  const ids = await identities(endpoints);
  const lease = { id: '0' };
  const outputs: string[] = [];
  for (const step of CLUSTER_SCRIPT) {
    const { text, exit } = await runStep(step, target(ids, lease));
    lease.id = grantedLease(text) ?? lease.id;
    const added = /Member +([0-9a-f]+) added/.exec(text) ?? /"member":\{"ID":"?(\d+)/.exec(text);
    if (added !== null) ids.added.push(added[0].startsWith('Member') ? BigInt(`0x${added[1]!}`).toString() : added[1]!);
    // Given every endpoint, etcdctl asks whichever its balancer picks: who answered is not
    // compared (except in per-endpoint answers, a JSON array).
    const anyMember = step.at === 'ALL' && !text.startsWith('[');
    const normalized = normalizeEtcdctl(text, ids);
    const shown = anyMember ? normalized.replace(/"member_id":"<\w+>"/g, '"member_id":"<asked>"') : normalized;
    outputs.push(`$ @${step.at} ${describeStep(step)}\n${step.sorted === true ? sortedForm(shown.trim()) : shown}${exit === '' ? '' : `\n${exit}`}`);
  }
  return outputs;
}

describeWithRealEtcd('a three-member detcd serve answers etcdctl and gRPC like a three-member etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  const servers = suiteServers(() => startEtcdCluster(tools.etcd, 3), { port: 0, nodes: 3, seed: 33 });

  test(`${CLUSTER_SCRIPT.length} commands addressed by role, output for output`, async () => {
    const oracle = await runScript(servers.etcd.endpoints);
    const subject = await runScript(servers.serve.endpoints.map((e) => e.url));
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    expect(differences(oracle, subject)).toBe('');
    // The script means something only if the commands did what they say on etcd itself.
    const all = oracle.join('\n');
    for (const shown of ['Leadership transferred from <L> to <F1>', 'Leadership transferred from <F1> to <L>', 'unstarted', 'unhealthy cluster', 'too many learner members', 'in sync with leader', 'Peer URLs already exists', 'member not found', 'locked', '"code":9', '"code":3', 'Member <F2> removed from cluster <cluster>', 'ECONNREFUSED']) expect(all).toContain(shown);
  }, 300_000);
});
