// Report directories handed back to detcd: replay and shrink read a run's results.json,
// scenario.json and checkpoints.json; sweep --merge reads shards' sweep.json. Each file is
// mutated field by field and as a whole, and each --out is pointed at what a user owns.
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textMutations } from './file-kinds.mjs';

const WRONG = [null, -1, 1.5, 2 ** 31, 1e300, 'x', '', true, [], {}, '../../../../etc/passwd', 'a\nb', '<script>alert(1)</script>'];

/** Fields whose change replay reports as a difference (exit 4, documented) rather than as bad input. */
const COMPARED = /^(valid|traceHash|checkers|stats|coverage|replay|target|faults|events|error|allowedViolations)/;

/** Whether `bytes` are JSON as detcd reads them (UTF-8, a BOM skipped). */
function parses(bytes) {
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether replay and shrink refuse a results.json whose `key` is `v` (undefined: removed) as bad
 * input (sim/cli/harness/results-file.ts): a field they read, missing or of the wrong shape.
 * Fields they do not read (options, faults, leaders, coverage, shrink) are left alone.
 */
function refusedField(key, v) {
  switch (key) {
    case 'version': case 'seed': case 'stats': case 'traceHash': return true;
    case 'scenario': return typeof v !== 'string' || v === '';
    case 'valid': return v !== true && v !== false && v !== 'unknown';
    case 'checkers': return !isPlainObject(v) || Object.values(v).some((c) => !isPlainObject(c));
    case 'replay': return typeof v !== 'string';
    case 'target': return v !== undefined && !(isPlainObject(v) && v.kind === 'simulation');
    case 'error': return v !== undefined && typeof v !== 'string';
    default: return false;
  }
}

function mutateTop(obj) {
  const out = [];
  for (const key of Object.keys(obj)) {
    for (const v of WRONG) out.push([`${key} = ${JSON.stringify(v)}`, { ...obj, [key]: v }, key, refusedField(key, v)]);
    const { [key]: _, ...rest } = obj;
    out.push([`${key} removed`, rest, key, refusedField(key, undefined)]);
  }
  return out;
}

/** Cases for replay and shrink on copies of a run directory with one file mutated or replaced. */
export function runDirCases(fx, pick, random, outFor) {
  const cases = [];
  const results = JSON.parse(readFileSync(join(fx.okRun, 'results.json'), 'utf8'));
  const copyRun = (label, edit) => {
    const out = outFor();
    const dir = join(out, 'run');
    cpSync(fx.okRun, dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const add = (label, edit, extra = {}) => {
    for (const command of ['replay', 'shrink']) {
      const dir = copyRun(label, edit);
      const out = join(dir, '..');
      cases.push({ kind: 'run-dir', name: `${command}: ${label}`, argv: [command, dir], outs: command === 'shrink' ? [join(dir, 'shrunk.json')] : [], out, timeoutMs: 90_000, slowOk: true, allowExit4: extra.compared === true ? /the replay differs/ : undefined, ...extra });
    }
  };
  for (const [label, value, key, refused] of pick(mutateTop(results))) {
    // A field of the wrong shape is bad input (exit 3), never a replay difference (exit 4).
    add(`results.json ${label}`, (dir) => writeFileSync(join(dir, 'results.json'), JSON.stringify(value)), { compared: !refused && COMPARED.test(key), bad: refused ? true : undefined });
  }
  for (const [label, bytes] of textMutations(readFileSync(join(fx.okRun, 'results.json'), 'utf8'), random)) {
    // CRLF, a UTF-8 BOM (read past in every file since 0706df0), and a bad byte inside a string (read as U+FFFD) still make valid JSON.
    const stillJson = label === 'CRLF line ends' || label === 'an invalid UTF-8 byte inside' || label === 'a UTF-8 BOM first';
    add(`results.json ${label}`, (dir) => writeFileSync(join(dir, 'results.json'), bytes), { bad: stillJson ? undefined : true, compared: stillJson });
  }
  for (const [kind, path] of Object.entries(fx.kinds)) {
    add(`results.json is ${kind}`, (dir) => {
      rmSync(join(dir, 'results.json'));
      symlinkSync(path, join(dir, 'results.json'));
    }, { bad: true, timeoutMs: 30_000 });
  }
  for (const file of ['scenario.json', 'checkpoints.json']) {
    const text = readFileSync(join(fx.okRun, file), 'utf8');
    for (const [label, bytes] of pick(textMutations(text, random))) {
      // Whether the mutation left valid JSON (a cut at 99 % of a short file may take only its newline).
      const stillJson = label === 'CRLF line ends' || label === 'an invalid UTF-8 byte inside' || parses(bytes);
      add(`${file} ${label}`, (dir) => writeFileSync(join(dir, file), bytes), { bad: stillJson ? undefined : true, compared: stillJson });
    }
    for (const [kind, path] of pick(Object.entries(fx.kinds))) {
      add(`${file} is ${kind}`, (dir) => {
        rmSync(join(dir, file));
        symlinkSync(path, join(dir, file));
      // A path under a file (ENOTDIR) is absent, as a missing file or a dangling link is: an optional file left out.
      }, { bad: kind === 'a missing file' || kind === 'a dangling link' || kind === 'a path under a file' ? undefined : true, timeoutMs: 30_000 });
    }
  }
  return cases;
}

/** Cases for sweep --merge with one shard's sweep.json mutated or replaced, merged with its sibling shard. */
export function mergeCases(fx, pick, random, outFor) {
  const cases = [];
  const [first, second] = fx.okShards;
  const sweep = JSON.parse(readFileSync(join(first, 'sweep.json'), 'utf8'));
  const add = (label, edit, bad) => {
    const out = outFor();
    const shard = join(out, 'shard');
    cpSync(first, shard, { recursive: true });
    edit(shard);
    const merged = join(out, 'merged');
    cases.push({ kind: 'merge', name: `sweep --merge: ${label}`, argv: ['sweep', '--merge', shard, second, '--out', merged], bad, outs: [merged], out, timeoutMs: 30_000, mustName: bad === true ? 'sweep.json' : undefined });
  };
  for (const [label, value] of pick(mutateTop(sweep))) add(`sweep.json ${label}`, (d) => writeFileSync(join(d, 'sweep.json'), JSON.stringify(value)));
  const run0 = sweep.runs[0];
  for (const key of Object.keys(run0)) {
    for (const v of pick(WRONG)) add(`runs[0].${key} = ${JSON.stringify(v)}`, (d) => writeFileSync(join(d, 'sweep.json'), JSON.stringify({ ...sweep, runs: [{ ...run0, [key]: v }, ...sweep.runs.slice(1)] })));
  }
  add('runs[0].report = "javascript:alert(1)"', (d) => writeFileSync(join(d, 'sweep.json'), JSON.stringify({ ...sweep, runs: [{ ...run0, report: 'javascript:alert(1)' }] })));
  // CRLF, a BOM, and a bad byte inside a string (read as U+FFFD) still make a valid sweep.json.
  for (const [label, bytes] of textMutations(JSON.stringify(sweep), random)) add(`sweep.json ${label}`, (d) => writeFileSync(join(d, 'sweep.json'), bytes), label === 'CRLF line ends' || label === 'a UTF-8 BOM first' || label === 'an invalid UTF-8 byte inside' ? undefined : true);
  // Shards that do not make one sweep, or a merge that would write into what it reads.
  const whole = (label, argv, extra) => {
    const out = outFor();
    const merged = join(out, 'merged');
    cases.push({ kind: 'merge', name: `sweep --merge: ${label}`, argv: ['sweep', '--merge', ...argv(out), ...(extra?.noOut ? [] : ['--out', merged])], outs: extra?.outs?.(out) ?? [merged], out, timeoutMs: 30_000, bad: extra?.bad ?? true, mustMatch: extra?.mustMatch });
  };
  const copyOf = (dir, out, name, edit = () => {}) => {
    const to = join(out, name);
    cpSync(dir, to, { recursive: true });
    edit(to);
    return to;
  };
  whole('one shard of two (the other missing)', () => [first], { mustMatch: /missing/ });
  whole('the same shard twice', () => [first, first], { mustMatch: /both shard 1\/2/ });
  whole('a whole sweep and a shard of it', () => [fx.okSweep, second], { mustMatch: /another sweep/ });
  whole('a shard of another detcd version', (out) => [copyOf(first, out, 's1', (d) => writeFileSync(join(d, 'sweep.json'), JSON.stringify({ ...sweep, plan: { ...sweep.plan, detcd: 'detcd 0.0.0' } }))), second], { mustMatch: /detcd version/ });
  whole('a killed shard (runs, no sweep.json)', (out) => [copyOf(first, out, 's1', (d) => rmSync(join(d, 'sweep.json'))), second], { mustMatch: /sweep\.json/ });
  whole('--out naming one of the shards', (out) => [copyOf(first, out, 's1'), second, '--out', join(out, 's1')], { noOut: true, outs: () => [], mustMatch: /one of the shards/ });
  whole('--out inside one of the shards', (out) => [copyOf(first, out, 's1'), second, '--out', join(out, 's1', 'merged')], { noOut: true, outs: (out) => [join(out, 's1', 'merged')], bad: false });
  for (const [kind, path] of Object.entries(fx.kinds)) {
    add(`sweep.json is ${kind}`, (d) => {
      rmSync(join(d, 'sweep.json'));
      symlinkSync(path, join(d, 'sweep.json'));
    }, true);
  }
  return cases;
}

/** --out of every writing command pointed at what a user owns or at odd paths: refused, nothing touched. */
export function outCases(fx, outFor) {
  const cases = [];
  const targets = {
    "a user's file": fx.userFile,
    "a user's directory with files": fx.userDir,
    "a user's directory of subdirectories": fx.userSubdirsOnly,
    "a link to a user's directory": fx.userDirLink,
    ...Object.fromEntries(Object.entries(fx.kinds).filter(([k]) => k !== 'a missing file' && k !== 'a directory')),
  };
  for (const [what, target] of Object.entries(targets)) {
    const out = outFor();
    const commands = {
      run: ['run', '--scenario', fx.tiny, '--seed', '1', '--quiet', '--out', target],
      sweep: ['sweep', '--scenario', fx.tiny, '--seeds', '1..1', '--jobs', '1', '--rerun-percent', '0', '--out', target],
      'sweep --report-all': ['sweep', '--scenario', fx.tiny, '--seeds', '1..1', '--jobs', '1', '--report-all', '--out', target],
      'sweep --merge': ['sweep', '--merge', fx.okSweep, '--out', target],
      campaign: ['campaign', '--seeds', '1', '--jobs', '1', '--out', target],
      serve: ['serve', '--scenario', fx.tiny, '--port', '0', '--duration', '1', '--out', target],
      shrink: ['shrink', fx.failingRunCopy(out), '--runs', '1', '--out', target],
    };
    for (const [command, argv] of Object.entries(commands)) {
      const writesDirInto = command !== 'shrink' && (what === "a user's directory of subdirectories");
      cases.push({ kind: 'out', name: `${command} --out ${what}`, argv, bad: writesDirInto ? undefined : true, outs: [], out, timeoutMs: command === 'campaign' ? 20_000 : 60_000, slowOk: command === 'campaign', mustName: target });
    }
  }
  return cases;
}
