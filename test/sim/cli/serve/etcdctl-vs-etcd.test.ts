// The real etcdctl against `detcd serve` and against a real etcd 3.4 started by the test: the same
// script of commands (put, get with prefixes and revisions, del, the interactive txn, watch from
// a revision with prev_kv, lease grant/keep-alive/timetolive/revoke, compaction, endpoint
// status, hashkv, alarm and member list) must print the same thing to both, exit codes too,
// through the step loop of the etcdctl differential tests (test/differential/etcdctl-runner.ts).
// Only what legitimately differs is normalised (test/differential/etcdctl-normalize.ts): cluster
// and member ids, names and URLs, raft terms and indexes, database sizes, lease ids (chosen by
// each server), HashKV values (detcd's hash is not bbolt's CRC) and remaining lease TTLs (each
// server's countdown is checked against its own timing here). In CI a missing etcd or etcdctl
// fails the test; elsewhere it says that it skipped.
import { expect, test } from 'vitest';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { suiteServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';
import { normalizeEtcdctl } from '../../../differential/etcdctl-normalize.ts';
import { describeStep, grantedLease, hostPort, identities, runStep, type CtlStep, type StepTarget } from '../../../differential/etcdctl-runner.ts';

/** `delayMs` lets a lease's remaining TTL count down. */
type Step = CtlStep & { readonly args: readonly string[] };

const LEASE_TTL_S = 60;

const TXN_SUCCESS = 'value("txn/a") = "1"\nmod("txn/b") > "0"\n\nput txn/c 3\nget txn --prefix\n\ndel txn/a\n\n';
const TXN_FAILURE = 'version("txn/a") = "7"\n\nput txn/x 1\n\nget txn/a\nput txn/d 4\n\n';

const SCRIPT: Step[] = [
  { args: ['put', 'foo', 'bar'] },
  { args: ['put', 'foo/a', '1'] },
  { args: ['put', 'foo/b', '2'] },
  { args: ['put', 'fop', '3'] },
  { args: ['put', 'foo/a', '4', '--prev-kv'] },
  { args: ['get', 'foo', '--prefix'] },
  { args: ['get', 'foo', '--prefix', '-w', 'json'] },
  { args: ['get', 'foo', '--prefix', '--keys-only', '--limit', '1', '--order', 'DESCEND'] },
  { args: ['get', 'foo/a', '--rev', '3'] },
  { args: ['get', 'foo/a', '--rev', '99'] },
  { args: ['get', 'f', 'fz', '--count-only', '-w', 'json'] },
  { args: ['del', 'foo/b'] },
  { args: ['del', 'nothing'] },
  { args: ['del', 'foo', '--prefix', '--prev-kv'] },
  { args: ['put', 'txn/a', '1'] },
  { args: ['put', 'txn/b', '2'] },
  { args: ['txn', '-i'], stdin: TXN_SUCCESS },
  { args: ['txn', '-i', '-w', 'json'], stdin: TXN_FAILURE },
  { args: ['put', 'w/a', '1'] },
  { args: ['put', 'w/b', '2'] },
  { args: ['put', 'w/a', '3'] },
  { args: ['del', 'w/b'] },
  // Past events up to the delete of w/b at revision 16 (the last write), then nothing more.
  { args: ['watch', 'w/', '--prefix', '--rev', '12', '--prev-kv'], until: /DELETE\nw\/b\n2\nw\/b\n\n/ },
  { args: ['watch', 'w/a', '--rev', '1', '-w', 'json'], until: /"mod_revision":15[^\n]*\n/ },
  { args: ['lease', 'grant', String(LEASE_TTL_S)] },
  { args: ['put', 'lk', 'v', '--lease', '{LEASE}'] },
  { args: ['lease', 'keep-alive', '--once', '{LEASE}'] },
  // The next keep-alive is due after TTL/3 = 20 s: one line, then nothing more.
  { args: ['lease', 'keep-alive', '{LEASE}'], until: /keepalived with TTL\(60\)\n/ },
  { args: ['lease', 'timetolive', '--keys', '{LEASE}'], delayMs: 2_000 },
  { args: ['lease', 'list'] },
  { args: ['lease', 'revoke', '{LEASE}'] },
  { args: ['lease', 'timetolive', '{LEASE}'] },
  { args: ['lease', 'revoke', '{LEASE}'] },
  { args: ['get', 'lk'] },
  { args: ['put', 'lk', 'v', '--lease', '{LEASE}'] },
  { args: ['compaction', '14'] },
  { args: ['get', 'w/a', '--rev', '13'] },
  { args: ['get', 'w/a', '--rev', '14', '-w', 'json'] },
  { args: ['compaction', '10'] },
  { args: ['endpoint', 'status', '-w', 'json'] },
  { args: ['endpoint', 'hashkv', '-w', 'json'] },
  { args: ['endpoint', 'health'] },
  { args: ['alarm', 'list', '-w', 'json'] },
  { args: ['member', 'list', '-w', 'json'] },
];

/** Remaining TTLs printed in `text` (human and JSON forms). */
function remainingTtls(text: string): number[] {
  return [...text.matchAll(/remaining\((\d+)s\)|"ttl":(\d+)/g)].map((m) => Number(m[1] ?? m[2]));
}

/**
 * A remaining TTL the server printed, with the wall-clock bounds of its age: the lease was last
 * refreshed (granted or kept alive) between two instants this test saw, and read between two
 * others. Each server is judged against its own timing, not the other's (a loaded machine makes
 * the two runs' timings differ by more than a second).
 */
interface TtlReading {
  ttl: number;
  ageMsMin: number;
  ageMsMax: number;
}

async function runScript(endpoint: string): Promise<{ outputs: string[]; ttls: TtlReading[] }> {
  const ids = await identities([endpoint]);
  const lease = { id: '0' };
  const target: StepTarget = { address: () => hostPort(endpoint), fill: (arg) => arg.replace('{LEASE}', lease.id) };
  const outputs: string[] = [];
  const ttls: TtlReading[] = [];
  let refreshed = { fromMs: 0, toMs: 0 };
  for (const step of SCRIPT) {
    // Waited here, not in the runner: the TTL's age is measured from the command's start.
    if (step.delayMs !== undefined) await new Promise((r) => setTimeout(r, step.delayMs));
    const startMs = Date.now();
    let matchMs: number | undefined;
    const { delayMs: _waited, ...now } = step;
    const r = await runStep(now, target, () => (matchMs = Date.now()));
    const endMs = Date.now();
    if (step.args[0] === 'lease' && step.args[1] === 'grant') lease.id = grantedLease(r.text) ?? lease.id;
    // A grant or keep-alive refreshes the lease after the command starts and before it prints.
    if (step.args[0] === 'lease' && (step.args[1] === 'grant' || step.args[1] === 'keep-alive')) refreshed = { fromMs: startMs, toMs: matchMs ?? endMs };
    for (const ttl of remainingTtls(r.text)) ttls.push({ ttl, ageMsMin: startMs - refreshed.toMs, ageMsMax: endMs - refreshed.fromMs });
    outputs.push(`$ ${describeStep(step)}\n${normalizeEtcdctl(r.text, ids)}${r.exit}`);
  }
  return { outputs, ttls };
}

/** The remaining TTL counts down from the last refresh, in whole seconds (one second of rounding either way). */
function expectCountdown(who: string, readings: readonly TtlReading[]): void {
  for (const { ttl, ageMsMin, ageMsMax } of readings) {
    const what = `${who}: remaining TTL ${ttl} s, ${ageMsMin}..${ageMsMax} ms after the last refresh of a ${LEASE_TTL_S} s lease`;
    expect(ttl, what).toBeLessThanOrEqual(LEASE_TTL_S - ageMsMin / 1000 + 1);
    expect(ttl, what).toBeGreaterThanOrEqual(LEASE_TTL_S - ageMsMax / 1000 - 1);
  }
}

describeWithRealEtcd('etcdctl prints the same against detcd serve as against etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 11 });

  test(`${SCRIPT.length} etcdctl commands, output for output`, async () => {
    const oracle = await runScript(servers.etcd.endpoint);
    const subject = await runScript(servers.serve.endpoint);
    if (process.env["DETCD_SHOW"] !== undefined) console.log(subject.outputs.join("\n"));
    for (let i = 0; i < SCRIPT.length; i++) expect(subject.outputs[i], `step ${i}`).toBe(oracle.outputs[i]);
    expect(subject.ttls.length).toBe(oracle.ttls.length);
    expect(oracle.ttls.length).toBeGreaterThan(0);
    // Read at least 2 s after the keep-alive (delayMs), so a TTL that does not count down fails.
    expect(Math.min(...subject.ttls.map((t) => t.ageMsMin))).toBeGreaterThanOrEqual(2_000);
    expectCountdown('etcd', oracle.ttls);
    expectCountdown('detcd', subject.ttls);
    // The script means something only if the commands did what they say on etcd itself.
    expect(oracle.outputs.join('\n')).toMatch(/SUCCESS/);
    expect(oracle.outputs.join('\n')).toMatch(/FAILURE|"succeeded":false|\{"header"/);
    expect(oracle.outputs.join('\n')).toMatch(/required revision has been compacted/);
    expect(oracle.outputs.join('\n')).toMatch(/keepalived with TTL\(60\)/);
  }, 120_000);
});
