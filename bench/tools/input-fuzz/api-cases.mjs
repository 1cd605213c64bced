// The input fuzzer's api kind: the package's public functions (detcd/harness, property, check,
// world, report) called by a program with a wrong value in each argument and in each field inside
// one (api-probe.mjs, api-seeds.mjs). A call must return, or throw a one-line UsageError (or the
// named HistoryParseError / PathError) naming the function: a TypeError or RangeError from inside,
// a message of several lines, or a call that does not end within CASE_MS is a finding.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** A call that gives no answer within this long hangs (each runs alone in the probe process). */
const CASE_MS = 30_000;

/** Runs the probe from case `from` on; resolves with its lines and, if it hung, the case it hung on. */
function probe(root, sandbox, from) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'api-probe.mjs'), root, sandbox, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let open;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => child.kill('SIGKILL'), CASE_MS);
    };
    arm();
    createInterface({ input: child.stdout }).on('line', (l) => {
      const o = JSON.parse(l);
      lines.push(o);
      if (o.start !== undefined) open = o;
      if (o.end !== undefined) open = undefined;
      arm();
    });
    child.stderr.resume();
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ lines, hung: signal === 'SIGKILL' ? open : undefined, crashed: signal === null && code !== 0 ? { code, open } : undefined });
    });
  });
}

/** [class, detail] findings of every public function's wrong-argument cases. */
export async function apiFindings(root, sandbox) {
  const findings = [];
  let from = 0;
  let total = Infinity;
  while (from < total) {
    const r = await probe(root, sandbox, from);
    for (const o of r.lines) {
      if (o.total !== undefined) total = o.total;
      if (o.end === undefined) continue;
      if (o.kind === 'threw') findings.push([`api: ${o.error} from inside`, `${o.label}: ${o.message.split('\n')[0]} (${o.stack})`]);
      else if (o.kind === 'refused' && o.lines > 1) findings.push(['api: a refusal of several lines', `${o.label}: ${o.message.slice(0, 200)}`]);
    }
    const last = r.lines.filter((o) => o.end !== undefined).at(-1)?.end ?? from - 1;
    if (r.hung !== undefined) findings.push(['api: hang', `${r.hung.label}: no answer within ${CASE_MS / 1000} s`]);
    else if (r.crashed !== undefined) findings.push(['api: the process died', `${r.crashed.open?.label ?? '?'}: exit ${r.crashed.code}`]);
    else if (last + 1 >= total) break;
    from = Math.max(last + 2, from + 1);
    process.stderr.write(`api: ${from}/${total}\n`);
  }
  return findings;
}
