// etcdctl's user, role and auth commands, and what KV, lease, lock, watch and maintenance
// commands answer with authentication enabled (no user, a wrong password, a user with some
// permissions, root), against a real etcd 3.4 started by the test and against `detcd serve`,
// through the shared step loop (test/differential/etcdctl-runner.ts): output and exit code must
// be equal after normalizeCtl. Without etcd or etcdctl the test says it skipped (fails under CI).
import { expect, test } from 'vitest';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { describeStep, differences, hostPort, identities, runStep, type CtlStep, type StepTarget } from '../../../differential/etcdctl-runner.ts';
import { normalizeCtl } from './etcdctl-diff/etcdctl-script.ts';
import { suiteServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';

const ROOT = '--user=root:r';
const U = '--user=u:p';
const V = '--user=v:q';
const cmd = (line: string): CtlStep => ({ args: line.split(' ').map((a) => (a === '""' ? '' : a)) });

/** What each step is: one etcdctl command line (words split on spaces, "" an empty argument). */
const AUTH_SCRIPT: CtlStep[] = [
  ...[
    'user list', 'role list', 'user add', 'user add root --new-user-password=r', 'user add root --new-user-password=r',
    'user add u --new-user-password=p', 'user add np --no-password', 'role add', 'role add r', 'role add r', 'role get r', 'role get root',
    'role grant-permission r readwrite k --prefix', 'role grant-permission r read a z', 'role grant-permission r write w',
    'role grant-permission r write b', 'role grant-permission r read a', 'role grant-permission r read k --prefix',
    'role grant-permission nosuch read k', 'role get r', 'user grant-role u r', 'user grant-role u r', 'user grant-role u nosuch',
    'user grant-role nosuch r', 'user get u', 'user get u --detail', 'user get root', 'user get nosuch', 'user list', 'role list',
    'auth enable', 'user get root --detail', 'role list', 'auth enable', 'get k',
    `${U} get k`, `${U} put k1 v`, `${U} get k1`, `${U} put x v`, `${U} get a`, `${U} get a c`, `${U} get k --prefix`,
    `${U} put w 1`, `${U} put w 1 --prev-kv`, `${U} del k1`, `${U} del w`, `${U} user list`, `${U} role list`, `${U} user get u`,
    `${U} user get root`, `${U} role get r`, `${U} role get root`, `${U} compaction 1`, `${U} endpoint hashkv`, `${U} alarm list`,
    `${U} defrag`, `${U} auth disable`, `${U} lock zz echo held`, `${U} lock k/lk echo held`,
    `${ROOT} put x v`, `${ROOT} user list`, `${ROOT} role list`, `${ROOT} user delete root`, `${ROOT} role delete root`,
    `${ROOT} user revoke-role root root`, `${ROOT} user revoke-role u nosuch`, `${ROOT} role revoke-permission r nosuch`,
    `${ROOT} role revoke-permission r w`, `${ROOT} role revoke-permission r a z`, `${ROOT} role get r`,
    `${ROOT} user add v --new-user-password=q`, `${ROOT} role add rv`, `${ROOT} role grant-permission rv readwrite t1 t5`,
    `${ROOT} user grant-role v rv`, `${V} put t3 x`, `${V} get t1 t4`, `${V} get t1 t6`, `${V} del t1 t5 --prev-kv`, `${V} del t1 t6`,
    `${ROOT} role delete rv`, `${ROOT} user get v`, `${V} put t3 y`, `${ROOT} user delete v`, `${ROOT} user add np2 --no-password`,
    `${ROOT} user grant-role root r`, `${ROOT} user get root`, `${ROOT} user revoke-role root r`, `${ROOT} role add root`,
    `${ROOT} user add ""`, `${ROOT} role add ""`, `${ROOT} auth enable`, `${ROOT} endpoint hashkv -w json`,
  ].map(cmd),
  { args: [U, 'watch', 'zz'], until: /canceled/ },
  { args: [U, 'watch', 'k'], stdin: '', until: /^$/ },
  ...[`${ROOT} auth disable`, 'get x', 'user delete root', 'role get root', 'user list', 'auth disable'].map(cmd),
];

async function runScript(endpoint: string): Promise<string[]> {
  const ids = await identities([endpoint]);
  const target: StepTarget = { address: () => hostPort(endpoint), fill: (arg) => arg };
  const outputs: string[] = [];
  for (const step of AUTH_SCRIPT) {
    const out = await runStep(step, target);
    outputs.push(`$ ${describeStep(step)}\n${normalizeCtl(out.text, ids).replace(/"hash":\d+/g, '"hash":N')}${out.exit}`);
  }
  return outputs;
}

describeWithRealEtcd('etcdctl user, role and auth commands print the same against detcd serve as against etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 9 });

  test(`${AUTH_SCRIPT.length} commands, output for output`, async () => {
    const [oracle, subject] = await Promise.all([runScript(servers.etcd.endpoint), runScript(servers.serve.endpoint)]);
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    expect(differences(oracle, subject)).toBe('');
    // The script means something only if etcd itself did what it says.
    const all = oracle.join('\n');
    for (const shown of ['Authentication Enabled', 'user name is empty', 'permission denied', 'invalid auth management', 'auth: permission denied', 'watch is canceled by the server', 'held', 'Authentication Disabled', 'User root deleted']) expect(all).toContain(shown);
  }, 240_000);
});
