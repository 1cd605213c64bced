// The differential test: random request sequences go to a real single-member etcd 3.4 (the
// oracle) and to `detcd serve`; every response must be identical field for field, apart from
// cluster and member ids and raft terms. In CI a missing etcd fails the test; elsewhere the
// test says that it skipped.
import { expect, test } from 'vitest';
import { Prng } from '../../sim/world/prng.ts';
import { startEtcd } from './etcd-process.ts';
import { next, type DiffRequest, type GenContext } from './generator.ts';
import { postJson, postText, watchFor } from './http.ts';
import { firstDifference, normalize } from './normalize.ts';
import { suiteServers } from './etcd-and-serve.ts';
import { describeWithRealEtcd } from './real-etcd-suite.ts';

const SEQUENCES = Number(process.env['DETCD_DIFF_SEQUENCES'] ?? 12);
const REQUESTS_PER_SEQUENCE = Number(process.env['DETCD_DIFF_REQUESTS'] ?? 40);
const SEED = Number(process.env['DETCD_DIFF_SEED'] ?? 20261123);
const WATCH_QUIET_MS = 250;
const WATCH_MAX_MS = 10_000;
/** A watch whose two streams differ is read again, quiet for this long: a late batch of events is not a difference. */
const WATCH_RETRY_QUIET_MS = 2_000;

async function send(endpoint: string, req: DiffRequest): Promise<unknown> {
  if (req.kind === 'watch') return watchFor(endpoint, req.create, WATCH_QUIET_MS, WATCH_MAX_MS);
  if (req.kind === 'raw') {
    const reply = await postText(endpoint, req.path, req.text);
    return { status: reply.status, body: reply.body };
  }
  const reply = await postJson(endpoint, req.path, req.body);
  return { status: reply.status, body: reply.body };
}

/**
 * A lease's remaining TTL is whole seconds of wall time left, truncated; the two servers read
 * their clocks a moment apart, so at a second boundary they may differ by one. That is the only
 * tolerance: the difference is counted and reported.
 */
function alignRemainingTtl(req: DiffRequest, expected: unknown, actual: unknown): boolean {
  if (req.kind !== 'unary' || !req.path.endsWith('/timetolive')) return false;
  const e = (expected as { body?: { TTL?: string } }).body;
  const a = (actual as { body?: { TTL?: string } }).body;
  if (e?.TTL === undefined || a?.TTL === undefined || e.TTL === a.TTL) return false;
  if (Math.abs(Number(e.TTL) - Number(a.TTL)) !== 1 || Number(e.TTL) < 0 || Number(a.TTL) < 0) return false;
  a.TTL = e.TTL;
  return true;
}

function headerRevision(reply: unknown): number | undefined {
  const body = (reply as { body?: { header?: { revision?: string } } }).body;
  const rev = body?.header?.revision;
  return rev === undefined ? undefined : Number(rev);
}

describeWithRealEtcd('detcd serve answers exactly like a single-member etcd 3.4', ['etcd'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: SEED });

  test(`${SEQUENCES} random sequences of ${REQUESTS_PER_SEQUENCE} requests get identical responses (seed ${SEED})`, async () => {
    const oracle = servers.etcd.endpoint;
    const subject = servers.serve.endpoint;
    let compared = 0;
    let watches = 0;
    let watchesReread = 0;
    let ttlAligned = 0;
    let malformed = 0;
    let revision = 1;
    for (let s = 0; s < SEQUENCES; s++) {
      const g: GenContext = { prng: new Prng(SEED).fork(`sequence-${s}`), prefix: `s${s}/`, revision, leases: [], nextLeaseId: 1_000 * (s + 1) };
      for (let i = 0; i < REQUESTS_PER_SEQUENCE; i++) {
        const req = next(g);
        let [expected, actual] = await Promise.all([send(oracle, req), send(subject, req)]);
        if (alignRemainingTtl(req, expected, actual)) ttlAligned++;
        let diff = firstDifference(normalize(expected), normalize(actual));
        if (diff !== undefined && req.kind === 'watch') {
          // A watch from a past revision changes nothing: reading it again with a longer quiet
          // period tells a real difference from events that came late on a loaded machine.
          [expected, actual] = await Promise.all([oracle, subject].map((e) => watchFor(e, req.create, WATCH_RETRY_QUIET_MS, WATCH_MAX_MS)));
          diff = firstDifference(normalize(expected), normalize(actual));
          watchesReread++;
        }
        if (diff !== undefined) {
          const replay = `DETCD_DIFF_SEED=${SEED} npx vitest run test/differential`;
          expect.fail(`sequence ${s} request ${i} ${JSON.stringify(req)}\n  etcd:  ${JSON.stringify(expected)}\n  detcd: ${JSON.stringify(actual)}\n  first difference ${diff}\n  replay: ${replay}`);
        }
        compared++;
        if (req.kind === 'watch') watches++;
        if (req.kind === 'raw') malformed++;
        g.revision = headerRevision(expected) ?? g.revision;
      }
      revision = g.revision;
    }
    console.log(`differential: compared ${SEQUENCES} sequences, ${compared} requests (${watches} watches, ${malformed} raw or malformed bodies) against etcd, all identical (remaining lease TTLs one second apart at a boundary: ${ttlAligned}; watches read again after a late batch: ${watchesReread})`);
    expect(compared).toBe(SEQUENCES * REQUESTS_PER_SEQUENCE);
  });
});
