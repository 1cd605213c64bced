// The gRPC differential test: the same script of raw gRPC requests (grpc-diff/grpc-script.ts:
// edge fields of Range/Put/DeleteRange/Txn/Compact, leases, watch streams, maintenance) goes to
// a real etcd 3.4 started by the test and to `detcd serve`; every reply must be equal field for
// field after grpc-diff/normalize-reply.ts (ids, raft terms and indexes, db sizes, hashes,
// remaining TTLs — never revisions), and every error must carry etcd's gRPC status code and
// message text. Responses are decoded from their bytes, so a field etcd sends that serve does
// not (or the proto does not know) shows as unknown bytes. A second script (grpc-diff/auth-script.ts)
// turns authentication on in fresh servers and sends tokens as gRPC metadata "token" and
// "authorization", bogus, missing and not-yet-applied ones, and the gateway's Authorization
// header. Without etcd the test says it skipped (and fails under CI).
import { expect, test } from 'vitest';
import { startEtcd } from '../../../differential/etcd-process.ts';
import { firstDifference } from '../../../differential/normalize.ts';
import { exchange, watchHeldOpen, watchText } from '../../../differential/http.ts';

/** A watch's answer is complete once it has been quiet this long (or ended), at most WATCH_MAX_MS. */
const WATCH_QUIET_MS = 500;
const WATCH_MAX_MS = 5_000;
import { GATEWAY_SCRIPT, GATEWAY_WATCHES, runScript, SCRIPT, type Outcome, type Step } from './grpc-diff/grpc-script.ts';
import { byWatch, normalizeReply } from './grpc-diff/normalize-reply.ts';
import { RawClient } from './grpc-diff/raw-client.ts';
import { AUTH_SCRIPT, runAuthScript } from './grpc-diff/auth-script.ts';
import { suiteServers, withServers } from '../../../differential/etcd-and-serve.ts';
import { describeWithRealEtcd } from '../../../differential/real-etcd-suite.ts';

async function scriptAgainst(endpoint: string): Promise<unknown[]> {
  const client = new RawClient(endpoint.replace('http://', ''));
  try {
    return (await runScript(client)).map((o, i) => comparable(SCRIPT[i]!, o));
  } finally {
    client.close();
  }
}

/** An outcome as compared: normalised, a watch stream's replies watch by watch. */
function comparable(step: Step, outcome: Outcome): unknown {
  const o = normalizeReply(outcome) as Outcome;
  return 'stream' in o && 'stream' in step && step.stream === 'Watch.Watch' ? { ...o, stream: byWatch(o.stream) } : o;
}

/** A JSON value's shape: the type of every leaf, an array as the distinct shapes of its items. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return [...new Set(v.map((x) => JSON.stringify(shape(x))))];
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

describeWithRealEtcd('raw gRPC requests get the same replies from detcd serve as from etcd 3.4', ['etcd'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 7 });

  test(`${SCRIPT.length} requests, reply for reply`, async () => {
    const started = Date.now();
    const oracle = await scriptAgainst(servers.etcd.endpoint);
    const half = Date.now();
    const subject = await scriptAgainst(servers.serve.endpoint);
    if (process.env['DETCD_SHOW'] !== undefined) console.log(`etcd ${half - started} ms, detcd ${Date.now() - half} ms`);
    const differences: string[] = [];
    const known: string[] = [];
    SCRIPT.forEach((step, i) => {
      const d = firstDifference(oracle[i], subject[i]);
      const shown = `step ${i} "${step.name}": ${d}\n  etcd:  ${JSON.stringify(oracle[i])}\n  detcd: ${JSON.stringify(subject[i])}`;
      if (d !== undefined) (step.knownDifference === undefined ? differences : known).push(step.knownDifference === undefined ? shown : `${shown}\n  why: ${step.knownDifference}`);
    });
    if (known.length > 0) console.log(`known differences from etcd 3.4 (on purpose):\n${known.join('\n')}`);
    if (process.env['DETCD_SHOW'] !== undefined) SCRIPT.forEach((s, i) => console.log(`${i} ${s.name}\n  ${JSON.stringify(oracle[i])}`));
    expect(differences.join('\n')).toBe('');
  }, 180_000);

  test(`with authentication on: ${AUTH_SCRIPT.length} requests with gRPC tokens, the gateway's Authorization header, bad and missing tokens`, async () => {
    // Fresh servers: authentication turned on would leave the shared ones refusing.
    const outcomes: unknown[][] = [];
    await withServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 8 }, async (fresh) => {
      for (const endpoint of [fresh.etcd.endpoint, fresh.serve.endpoint]) {
        const client = new RawClient(endpoint.replace('http://', ''));
        try {
          outcomes.push((await runAuthScript(client, endpoint)).map((o) => normalizeReply(o)));
        } finally {
          client.close();
        }
      }
    });
    const [oracle, subject] = outcomes as [unknown[], unknown[]];
    if (process.env['DETCD_SHOW'] !== undefined) AUTH_SCRIPT.forEach((s, i) => console.log(`${i} ${s.name}\n  ${JSON.stringify(oracle[i])}`));
    const differences = AUTH_SCRIPT.flatMap((step, i) => {
      const d = firstDifference(oracle[i], subject[i]);
      return d === undefined ? [] : [`step ${i} "${step.name}": ${d}\n  etcd:  ${JSON.stringify(oracle[i])}\n  detcd: ${JSON.stringify(subject[i])}`];
    });
    expect(differences.join('\n')).toBe('');
    // The script means something only if etcd refused and allowed what it says.
    const all = JSON.stringify(oracle);
    for (const shown of ['user name is empty', 'invalid auth token', 'permission denied', 'auth: permission denied', 'authentication failed', '<token>', 'PermissionDenied']) expect(all).toContain(shown);
  }, 120_000);

  test(`${GATEWAY_SCRIPT.length} JSON gateway requests, answer for answer, HTTP headers and trailers too`, async () => {
    const differences: string[] = [];
    for (const step of GATEWAY_SCRIPT) {
      const text = 'text' in step ? step.text : JSON.stringify(step.body);
      const method = step.method ?? 'POST';
      const [e, d] = await Promise.all([servers.etcd.endpoint, servers.serve.endpoint].map((endpoint) => exchange(endpoint, method, step.path, text)));
      const [oracle, subject] = [normalizeReply(e), normalizeReply(d)];
      if (JSON.stringify(oracle) !== JSON.stringify(subject)) differences.push(`${method} ${step.path} ${text}\n  etcd:  ${JSON.stringify(oracle)}\n  detcd: ${JSON.stringify(subject)}`);
    }
    expect(differences.join('\n')).toBe('');
  });

  test(`${GATEWAY_WATCHES.length} JSON gateway watch bodies, malformed ones too`, async () => {
    const differences: string[] = [];
    for (const text of GATEWAY_WATCHES) {
      const [e, d] = await Promise.all([servers.etcd.endpoint, servers.serve.endpoint].map((endpoint) => watchText(endpoint, text, WATCH_QUIET_MS, WATCH_MAX_MS)));
      const [oracle, subject] = [normalizeReply(e), normalizeReply(d)];
      if (JSON.stringify(oracle) !== JSON.stringify(subject)) differences.push(`/v3/watch ${text}\n  etcd:  ${JSON.stringify(oracle)}\n  detcd: ${JSON.stringify(subject)}`);
    }
    expect(differences.join('\n')).toBe('');
  }, 60_000);

  test('a gateway watch answers nothing while its request body is open (Go\'s HTTP/1.1 server), unless the client asked Expect: 100-continue', async () => {
    const text = JSON.stringify({ create_request: { key: 'aGVsZA==' } }) + JSON.stringify({ cancel_request: { watch_id: '0' } });
    for (const expectContinue of [false, true]) {
      const [e, d] = await Promise.all([servers.etcd.endpoint, servers.serve.endpoint].map((endpoint) => watchHeldOpen(endpoint, text, 1_000, 1_000, expectContinue)));
      const [oracle, subject] = [normalizeReply(e), normalizeReply(d)];
      expect(JSON.stringify(subject), `Expect: 100-continue ${expectContinue}`).toBe(JSON.stringify(oracle));
      expect(e!.answeredWhileOpen).toBe(expectContinue);
    }
  });

  test('GET /debug/vars: expvar\'s variables, memstats\' fields and size classes, the member\'s raft status, shaped as etcd 3.4 gives them', async () => {
    const [e, d] = await Promise.all([exchange(servers.etcd.endpoint, 'GET', '/debug/vars', undefined), exchange(servers.serve.endpoint, 'GET', '/debug/vars', undefined)]);
    expect(d.status).toBe(200);
    expect(d.headers).toEqual(e.headers);
    // Progress is keyed by member id: checked below.
    const withoutProgress = (v: unknown): unknown => shape({ ...(v as object), 'raft.status': { ...(v as Vars)['raft.status'], progress: {} } });
    expect(withoutProgress(d.body)).toEqual(withoutProgress(e.body));
    type Vars = { memstats: { BySize: { Size: number }[] }; 'raft.status': { id: string; lead: string; vote: string; raftState: string; progress: Record<string, { state: string }> } };
    const [oracle, subject] = [e.body as Vars, d.body as Vars];
    expect(subject.memstats.BySize.map((c) => c.Size)).toEqual(oracle.memstats.BySize.map((c) => c.Size));
    // One member each, leading: its own progress alone, replicating.
    for (const raft of [oracle, subject].map((v) => v['raft.status'])) {
      expect(raft).toMatchObject({ lead: raft.id, vote: raft.id, raftState: 'StateLeader', leadtransferee: '0' });
      expect(Object.keys(raft.progress)).toEqual([raft.id]);
      expect(raft.progress[raft.id]?.state).toBe('StateReplicate');
    }
  });

  test('GET /metrics: every family serve exposes, etcd exposes with the same HELP and TYPE; leader gauges and versions equal', async () => {
    const [e, d] = await Promise.all([fetch(`${servers.etcd.endpoint}/metrics`), fetch(`${servers.serve.endpoint}/metrics`)]);
    expect(d.headers.get('content-type')).toBe(e.headers.get('content-type'));
    const [etcdText, serveText] = await Promise.all([e.text(), d.text()]);
    const etcdLines = new Set(etcdText.split('\n'));
    const families = serveText.split('\n').filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2]!);
    // check datascale reads this one; dashboards the others.
    expect(families).toContain('process_resident_memory_bytes');
    for (const line of serveText.split('\n')) {
      if (line.startsWith('#')) expect(etcdLines, line).toContain(line);
      else if (/^(etcd_server_(has|is)_leader|etcd_(server|cluster)_version)/.test(line)) expect(etcdLines, line).toContain(line);
      else if (line !== '') expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? \d(\.\d+)?(e\+\d\d)?$|^[a-z_]+ \d+$/);
    }
  });
});
