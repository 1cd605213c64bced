// The real etcdctl, flag by flag (etcdctl-diff/etcdctl-script.ts: put/get/del with every flag
// and output form, interactive txns over every compare target, watch, lease, lock, compaction,
// member/endpoint/defrag/alarm/move-leader and the auth commands, binary, empty, 1 MiB and too
// large values) against a real etcd 3.4 started by the test and against `detcd serve`: output
// and exit code must be equal after normalizeCtl (ids, names, URLs, raft terms and indexes,
// sizes, lease ids, hashes, remaining TTLs, timings — never revisions). Without etcd or
// etcdctl the test says it skipped (and fails under CI).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { startEtcd, type EtcdProcess } from '../../../differential/etcd-process.ts';
import { CTL_SCRIPT, normalizeCtl } from './etcdctl-diff/etcdctl-script.ts';
import { errorLines, etcdctl } from './etcdctl.ts';
import { normalizeReply } from './grpc-diff/normalize-reply.ts';
import { RawClient } from './grpc-diff/raw-client.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';

/** After a streaming command printed what it must, how long it may still print more (it must not). */
const GRACE_MS = 500;
/** A streaming command that never prints what it must is stopped after this (the comparison then fails). */
const STREAM_MS_MAX = 20_000;

async function runScript(address: string): Promise<string[]> {
  let lease = '0';
  const outputs: string[] = [];
  const raw = new RawClient(address);
  try {
    for (const step of CTL_SCRIPT) {
      if (step.grpc !== undefined) {
        outputs.push(`$ grpc ${step.grpc.call}\n${JSON.stringify(normalizeReply(await raw.unary(step.grpc.call, step.grpc.req)))}`);
        continue;
      }
      const args = step.args.map((a) => a.replace('{LEASE}', lease));
      const r = await etcdctl(address, args, {
        stdin: step.stdin,
        killWhen: step.until === undefined ? undefined : { pattern: step.until, graceMs: GRACE_MS, maxMs: STREAM_MS_MAX },
        dialTimeout: '10s',
      });
      const granted = /"ID":(\d+)/.exec(r.stdout);
      if (step.args[0] === 'lease' && step.args[1] === 'grant' && granted !== null) lease = BigInt(granted[1]!).toString(16);
      const exit = step.until === undefined ? `[exit ${r.code}]` : '';
      outputs.push(`$ etcdctl ${step.args.join(' ')}\n${normalizeCtl(r.stdout)}${errorLines(r.stderr).map(normalizeCtl).join('\n')}${exit}`);
    }
  } finally {
    raw.close();
  }
  return outputs;
}

describeWithRealEtcd('etcdctl, flag by flag, prints the same against detcd serve as against etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  let etcd: EtcdProcess | undefined;
  let detcd: ServeHandle | undefined;
  beforeAll(async () => {
    [etcd, detcd] = await Promise.all([startEtcd(tools.etcd), startServe({ port: 0, nodes: 1, seed: 5 })]);
  }, 60_000);
  afterAll(async () => {
    await etcd?.stop();
    await detcd?.close();
  });

  test(`${CTL_SCRIPT.length} commands, output for output`, async () => {
    const oracle = await runScript(etcd!.endpoint.replace('http://', ''));
    const subject = await runScript(detcd!.endpoint.replace('http://', ''));
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    const differences = CTL_SCRIPT.flatMap((_s, i) => (oracle[i] === subject[i] ? [] : [`step ${i}\n--- etcd\n${oracle[i]}\n--- detcd\n${subject[i]}`]));
    expect(differences.join('\n')).toBe('');
    // The script means something only if the commands did what they say on etcd itself.
    const all = oracle.join('\n');
    for (const shown of ['SUCCESS', 'FAILURE', 'duplicate key given in txn request', 'required revision has been compacted', 'request is too large', 'locked', 'lease not found', 'PUT\na\n1']) expect(all).toContain(shown);
  }, 240_000);
});
