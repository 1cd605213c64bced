// The forms a planted history is judged in. `run`: the run's own checkers, in process (what
// `detcd run` decides). The others are the files users bring to `detcd check`, written from the
// planted history and judged by the command itself (its `check` function, in process, output
// captured): `jsonl` (history.jsonl with its watches.jsonl beside it), `edn` (history.edn, Jepsen's
// EDN of the same ops), `robustness` (etcd's robustness-test report: client-N/operations.json and
// watch.json, written by bench/tools/robustness-export.mjs), and for register runs Jepsen's own
// register ops (read, write, cas: Jepsen's etcd test) as `jepsen-edn` and `jepsen-log`, and as
// jepsen.etcd.register records them today, [key [version value]] (`jepsen-versioned`, EDN).
// A form that cannot carry the anomaly (the export drops the field it changed, or refuses the
// request) says so: judged only where the file differs from the unplanted run's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerOps } from './register-form.mjs';

export const FORMS = ['run', 'jsonl', 'edn', 'robustness', 'jepsen-edn', 'jepsen-log', 'jepsen-versioned'];

const jsonLines = (ops) => ops.map((o) => JSON.stringify(o)).join('\n') + '\n';

/** Files of one form of a run, as { name: text }, or { refused } when the form cannot hold it. */
function filesOf(form, root, run, lib) {
  switch (form) {
    case 'jsonl':
      // A real run's report: its leader timeline beside the history (detcd check judges its leases as the run did).
      return { 'history.jsonl': jsonLines(run.history), ...(run.watches.length > 0 ? { 'watches.jsonl': jsonLines(run.watches) } : {}), ...(run.leaderTimeline === undefined ? {} : { 'leader-timeline.jsonl': run.leaderTimeline }) };
    case 'edn':
      return { 'history.edn': run.history.map((op) => lib.opToEdn(op)).join('\n') + '\n' };
    case 'robustness':
      return robustnessFiles(root, run);
    case 'jepsen-edn':
    case 'jepsen-versioned':
    case 'jepsen-log': {
      const ops = registerOps(run.history, form === 'jepsen-versioned');
      if (ops === undefined) return { refused: 'not a register run' };
      return form === 'jepsen-log' ? { 'jepsen.log': ops.map(jepsenLogLine).join('\n') + '\n' } : { 'history.edn': ops.map((op) => lib.opToEdn(op)).join('\n') + '\n' };
    }
  }
  throw new Error(`unknown form ${form}`);
}

/** One op as Jepsen's log prints it (jepsen.util's log-op): `INFO  jepsen.util - 3 :ok :cas [1 2]`. */
function jepsenLogLine(op) {
  const v = (x) => (x === null || x === undefined ? 'nil' : Array.isArray(x) ? `[${x.map(v).join(' ')}]` : String(x));
  return `INFO  jepsen.util - ${op.process}\t:${op.type}\t:${op.f}\t${v(op.value)}${op.error === undefined ? '' : `\t${op.error}`}`;
}

function robustnessFiles(root, run) {
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-export-'));
  try {
    writeFileSync(join(dir, 'history.jsonl'), jsonLines(run.history));
    if (run.watches.length > 0) writeFileSync(join(dir, 'watches.jsonl'), jsonLines(run.watches));
    const r = spawnSync(process.execPath, [join(resolve(root), 'bench/tools/robustness-export.mjs'), join(dir, 'history.jsonl'), join(dir, 'out')], { encoding: 'utf8' });
    if (r.status !== 0) return { refused: (r.stderr.split('\n')[0] ?? '').replace(`${dir}/`, '') };
    const out = {};
    for (const client of spawnSync('ls', [join(dir, 'out')], { encoding: 'utf8' }).stdout.split('\n').filter((c) => c !== '')) {
      for (const f of ['operations.json', 'watch.json']) {
        try {
          out[`${client}/${f}`] = readFileSync(join(dir, 'out', client, f), 'utf8');
        } catch {
          // A client has operations or a watch, not both.
        }
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sameFiles(a, b) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** `detcd check` on the files of one form, in process; its one JSON verdict line. */
async function checkFiles(form, files, lib) {
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-check-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const target = form === 'robustness' ? dir : join(dir, Object.keys(files).find((n) => n.startsWith('history') || n === 'jepsen.log'));
    const model = form.startsWith('jepsen-') ? 'register' : 'etcd';
    const lines = [];
    const saved = [console.log, console.error];
    console.log = (line) => lines.push(String(line));
    console.error = (line) => lines.push(String(line));
    let code;
    try {
      code = await lib.check(['--model', model, '--json', '--timeout-ms', '60000', target]);
    } finally {
      [console.log, console.error] = saved;
    }
    const verdict = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((o) => o !== undefined && 'valid' in o);
    const valid = verdict?.valid ?? (code === 3 ? 'refused' : 'unknown');
    return { valid: valid === null ? 'refused' : valid, summary: verdict?.watch?.summary ?? verdict?.error ?? lines.find((l) => !l.startsWith('{')) ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A judge for one form over one base run: undefined when the base run cannot be judged in it
 * (refused, or not valid as written); else judge(planted) → { valid, summary } or { notCarried }.
 */
export async function formJudge(form, root, base, lib) {
  const baseFiles = filesOf(form, root, base, lib);
  if ('refused' in baseFiles) return { skip: baseFiles.refused };
  const baseVerdict = await checkFiles(form, baseFiles, lib);
  if (baseVerdict.valid !== true) return { skip: `not valid as written: ${baseVerdict.valid} ${baseVerdict.summary}`.slice(0, 200) };
  return {
    judge: async (planted) => {
      const files = filesOf(form, root, planted, lib);
      if ('refused' in files) return { notCarried: files.refused };
      if (sameFiles(files, baseFiles)) return { notCarried: 'the form does not record what the anomaly changed' };
      return checkFiles(form, files, lib);
    },
  };
}
