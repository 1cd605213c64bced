// The etcd3 npm client (1.1, the Node application's view) against a real etcd 3.4 and against
// `detcd serve`, call for call: etcd3-diff/etcd3-script.ts runs get/put/delete with their options,
// txns, leases (grant, keep-alive, time-to-live, revoke), watches (prefix, history, filters), locks,
// elections (campaign, proclaim, observe, resign), STM with a conflict, a namespace, and the
// maintenance and cluster calls; every line — results and the client's own error classes and
// messages — must be equal once lease ids are named by first appearance. Without etcd the test
// says it skipped (and fails under CI).
import { expect, test } from 'vitest';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { suiteServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { etcd3Script, normalizeTranscript, type Transcript } from './etcd3-diff/etcd3-script.ts';

async function transcriptOf(endpoint: string): Promise<Transcript> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return normalizeTranscript(await etcd3Script(client));
  } finally {
    client.close();
  }
}

describeWithRealEtcd('the etcd3 npm client gets the same answers from detcd serve as from etcd 3.4', ['etcd'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 3 });

  test('every call of the script, line for line', async () => {
    const oracle = await transcriptOf(servers.etcd.endpoint);
    const subject = await transcriptOf(servers.serve.endpoint);
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    const differences = oracle.flatMap((line, i) => (line === subject[i] ? [] : [`step ${i}\n  etcd:  ${line}\n  detcd: ${subject[i]}`]));
    expect(differences.join('\n')).toBe('');
    expect(subject.length).toBe(oracle.length);
    // The script means something only if etcd answered what it says (a step that timed out on both would pass).
    const all = oracle.join('\n');
    for (const shown of ['nothing within', 'thrown ']) expect(all).not.toContain(shown);
    for (const shown of ['EtcdLeaseInvalidError', 'GRPCOutOfRangeError', 'required revision has been compacted', '"leader":"w1"', 'duplicate key given in txn request']) expect(all).toContain(shown);
  }, 180_000);
});
