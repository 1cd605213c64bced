// GET /metrics on a member's port, as etcd serves Prometheus's text format there: the figures a
// client reads from it — `etcdctl check datascale` reads process_resident_memory_bytes before and
// after its writes, dashboards and alerts the leader gauges and the raft proposal counters — taken
// from the member's Status answer at the moment of the request. Every member of a serve shares one
// process, so the process figures are that process's.
import type { ServerResponse } from 'node:http';
import type { GateResult } from './member-gate.ts';

/** What the member's Status answer (gateway JSON) gives the metrics. */
interface StatusBody {
  readonly header?: { readonly member_id?: string };
  readonly leader?: string;
  readonly version?: string;
  readonly dbSize?: string;
  readonly raftIndex?: string;
  readonly raftAppliedIndex?: string;
}

/** A number as Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus's Go client writes: exponent form from 1e6 up. */
export function goFloat(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(v);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly value: number;
  readonly labels?: string;
}

/** The exposition text (etcd's names, HELP and TYPE lines), one member's status. */
export function metricsText(st: StatusBody, rssBytes: number): string {
  const leader = st.leader ?? '0';
  const metrics: Metric[] = [
    { name: 'etcd_cluster_version', help: 'Which version is running. 1 for \'cluster_version\' label with current cluster version', type: 'gauge', value: 1, labels: 'cluster_version="3.4"' },
    { name: 'etcd_mvcc_db_total_size_in_bytes', help: 'Total size of the underlying database physically allocated in bytes.', type: 'gauge', value: Number(st.dbSize ?? 0) },
    { name: 'etcd_server_has_leader', help: 'Whether or not a leader exists. 1 is existence, 0 is not.', type: 'gauge', value: leader === '0' ? 0 : 1 },
    { name: 'etcd_server_is_leader', help: 'Whether or not this member is a leader. 1 if is, 0 otherwise.', type: 'gauge', value: leader !== '0' && leader === st.header?.member_id ? 1 : 0 },
    { name: 'etcd_server_proposals_applied_total', help: 'The total number of consensus proposals applied.', type: 'gauge', value: Number(st.raftAppliedIndex ?? 0) },
    { name: 'etcd_server_proposals_committed_total', help: 'The total number of consensus proposals committed.', type: 'gauge', value: Number(st.raftIndex ?? 0) },
    { name: 'etcd_server_version', help: 'Which version is running. 1 for \'server_version\' label with current version.', type: 'gauge', value: 1, labels: `server_version="${st.version ?? '3.4.23'}"` },
    { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', value: rssBytes },
  ];
  return metrics.map((m) => `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n${m.name}${m.labels === undefined ? '' : `{${m.labels}}`} ${goFloat(m.value)}\n`).join('');
}

/** Answers /metrics from the member's Status (a down member's port refuses before this). */
export function writeMetrics(res: ServerResponse, status: GateResult, rssBytes: number): void {
  if (!status.ok) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${status.error.message}\n`);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(metricsText(status.body as StatusBody, rssBytes));
}
