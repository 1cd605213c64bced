// Histories for `detcd check`: detcd's JSONL (register and etcd), Jepsen EDN and logs, etcd
// robustness operations.json and watches.jsonl / initial-state files, each mutated line by line
// (fields replaced by huge, negative, fractional, wrong-typed and deeply nested values) and as
// a whole, and replaced by odd kinds of path. Any verdict is allowed (0, 1, 2); a refusal is
// exit 3 with one line per file that could not be checked.
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textMutations } from './file-kinds.mjs';
import { fieldMutations } from './field-walk.mjs';

/** One line's JSON object with one field (top level, or two levels down, every list element) replaced. */
const lineMutations = (line) => fieldMutations(line, { depthMax: 2, everyElement: true });

/** Cases for one history file given as `check --model MODEL FILE [extra]`. */
function historyFileCases(label, model, text, fx, pick, random, inputPath, extra = []) {
  const cases = [];
  // A field given a value of another JSON type is bad input (exit 3): every field detcd reads is typed.
  const add = (name, content, bad) => {
    const file = inputPath(`history-${label}-${cases.length}${label === 'robustness' ? '-operations.json' : label === 'edn' ? '.edn' : label === 'log' ? '.log' : '.jsonl'}`);
    writeFileSync(file, content);
    cases.push({ kind: 'history', name: `check ${label}: ${name}`, argv: ['check', '--model', model, ...extra, file], outs: [], timeoutMs: 60_000, slowOk: true, mustName: file, bad });
  };
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const mid = lines[Math.floor(lines.length / 2)] ?? '';
  for (const [name, line, retyped] of pick(lineMutations(lines[0]).concat(lineMutations(mid)))) {
    add(`a line's ${name}`, lines.map((l) => (l === mid || l === lines[0] ? line : l)).join('\n'), retyped ? true : undefined);
  }
  for (const [name, bytes] of textMutations(text, random)) add(name, bytes);
  add('a 50 MB line', `${'x'.repeat(50 * 1024 * 1024)}\n`);
  // One more op of the file's own format whose value is hostile: the whole-file mutations above
  // leave every op well formed, so the format's value reader (EDN's, a log line's) never met a
  // deep or huge value inside an op (s22).
  const op = OP_LINES[label];
  if (op !== undefined) {
    for (const [name, value] of opValues(label)) add(`an op whose value is ${name}`, Buffer.concat([Buffer.from(`${text.trimEnd()}\n`), Buffer.isBuffer(value) ? op(value) : Buffer.from(op(value))]));
  }
  return cases;
}

/** An op line of each format with `value` (text, or bytes) as its value. */
const OP_LINES = {
  register: (v) => (Buffer.isBuffer(v) ? Buffer.concat([Buffer.from('{"process":99,"type":"invoke","f":"write","value":"'), v, Buffer.from('"}\n')]) : `{"process":99,"type":"invoke","f":"write","value":${v}}\n`),
  etcd: (v) => (Buffer.isBuffer(v) ? Buffer.concat([Buffer.from('{"process":99,"type":"invoke","f":"put","value":{"key":"'), v, Buffer.from('","value":"x"}}\n')]) : `{"process":99,"type":"invoke","f":"put","value":{"key":"k","value":${v}}}\n`),
  edn: (v) => (Buffer.isBuffer(v) ? Buffer.concat([Buffer.from('{:process 99, :type :invoke, :f :write, :value "'), v, Buffer.from('"}\n')]) : `{:process 99, :type :invoke, :f :write, :value ${v}}\n`),
  log: (v) => (Buffer.isBuffer(v) ? Buffer.concat([Buffer.from('INFO  jepsen.util - 99\t:invoke\t:write\t"'), v, Buffer.from('"\n')]) : `INFO  jepsen.util - 99\t:invoke\t:write\t${v}\n`),
};

/** Hostile values in the format's own syntax: nesting past its bound and past the stack, a 10 MB string, invalid UTF-8 inside a string. */
function opValues(label) {
  const json = label === 'register' || label === 'etcd';
  const nested = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
  return [
    ['5,000 nested lists', nested(5_000)],
    ['100,000 nested lists', nested(100_000)],
    ['100,000 nested maps', json ? `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` : `${'{:a '.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['a 10 MB string', `"${'x'.repeat(10 * 1024 * 1024)}"`],
    ['a string of invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0xff, 0xfe, 0x62])],
    ['a number past 2^64', '123456789012345678901234567890'],
  ];
}

/** Every history case, and odd paths for each file argument of check. */
export function historyCases(fx, pick, random, inputPath) {
  const cases = [];
  cases.push(...historyFileCases('register', 'register', readFileSync(fx.registerHistory, 'utf8'), fx, pick, random, inputPath));
  cases.push(...historyFileCases('etcd', 'etcd', readFileSync(fx.etcdHistory, 'utf8'), fx, pick, random, inputPath, ['--no-watches']));
  cases.push(...historyFileCases('edn', 'register', readFileSync(fx.registerEdn, 'utf8'), fx, pick, random, inputPath));
  cases.push(...historyFileCases('log', 'register', fx.jepsenLog, fx, pick, random, inputPath));
  cases.push(...historyFileCases('robustness', 'etcd', readFileSync(fx.robustnessClient, 'utf8'), fx, pick, random, inputPath));
  const watchesText = readFileSync(join(fx.etcdRun, 'watches.jsonl'), 'utf8');
  const wl = watchesText.split('\n').filter((l) => l !== '');
  for (const [name, line, retyped] of pick(lineMutations(wl[0] ?? '{}'))) {
    const file = inputPath(`watches-${cases.length}.jsonl`);
    writeFileSync(file, [line, ...wl.slice(1)].join('\n'));
    cases.push({ kind: 'history', name: `check --watches: a line's ${name}`, argv: ['check', '--model', 'etcd', '--watches', file, fx.etcdHistory], outs: [], timeoutMs: 60_000, slowOk: true, bad: retyped ? true : undefined, mustName: retyped ? file : undefined });
  }
  for (const [name, bytes] of textMutations(watchesText, random)) {
    const file = inputPath(`watches-${cases.length}.jsonl`);
    writeFileSync(file, bytes);
    cases.push({ kind: 'history', name: `check --watches: ${name}`, argv: ['check', '--model', 'etcd', '--watches', file, fx.etcdHistory], outs: [], timeoutMs: 60_000, slowOk: true });
  }
  const dump = JSON.stringify({ header: { cluster_id: 1, member_id: 2, revision: 5, raft_term: 2 }, kvs: [{ key: 'YQ==', create_revision: 2, mod_revision: 3, version: 2, value: 'MQ==' }], count: 1 });
  for (const [name, bytes, retyped] of textMutations(dump, random).concat(lineMutations(dump).map(([n, l, t]) => [n, Buffer.from(l), t]))) {
    const file = inputPath(`dump-${cases.length}.json`);
    writeFileSync(file, bytes);
    cases.push({ kind: 'history', name: `check --initial-state: ${name}`, argv: ['check', '--model', 'etcd', '--no-watches', '--initial-state', file, fx.etcdHistory], outs: [], timeoutMs: 60_000, slowOk: true, bad: retyped === true ? true : undefined, mustName: retyped === true ? file : undefined });
  }
  for (const [kind, path] of Object.entries(fx.kinds)) {
    // A file past what detcd reads of one file leaves the history unchecked: unknown, naming the file, not bad input (one size rule).
    const tooBig = kind === 'a 3 GiB sparse file';
    cases.push({ kind: 'history', name: `check FILE is ${kind}`, argv: ['check', '--model', 'register', path], bad: kind === 'a link to /dev/null' || kind === 'an empty file' || kind === '100 MB of spaces' || tooBig ? undefined : true, outs: [], timeoutMs: 30_000, mustName: path });
    const watchesBad = kind === 'a link to /dev/null' || kind === 'an empty file' || kind === '100 MB of spaces' || tooBig ? undefined : true;
    cases.push({ kind: 'history', name: `check --watches is ${kind}`, argv: ['check', '--model', 'etcd', '--watches', path, fx.etcdHistory], bad: watchesBad, outs: [], timeoutMs: 30_000, mustName: path });
    cases.push({ kind: 'history', name: `check --initial-state is ${kind}`, argv: ['check', '--model', 'etcd', '--no-watches', '--initial-state', path, fx.etcdHistory], bad: tooBig ? undefined : true, outs: [], timeoutMs: 30_000, mustName: path });
  }
  // A robustness report directory whose client file is replaced by an odd path.
  for (const [kind, path] of Object.entries(fx.kinds)) {
    const dir = inputPath(`robustness-${cases.length}`);
    cpSync(fx.robustnessDir, dir, { recursive: true });
    mkdirSync(join(dir, 'client-999'));
    symlinkSync(path, join(dir, 'client-999', 'operations.json'));
    cases.push({ kind: 'history', name: `check a robustness report with a client file that is ${kind}`, argv: ['check', '--model', 'etcd', dir], outs: [], timeoutMs: 30_000, slowOk: true });
  }
  cases.push({ kind: 'history', name: 'check two bad files: one line each', argv: ['check', '--model', 'register', fx.kinds['a directory'], fx.kinds['a missing file']], bad: true, badFiles: 2, outs: [], timeoutMs: 30_000 });
  return cases;
}
