// Histories in shapes the line-by-line JSON mutations of history-cases.mjs do not reach: an
// etcd robustness report's client-N/watch.json mutated field by field down to its events, the
// report directory itself in odd shapes (no client files, a client that is a file, a watch file
// without operations, a link loop inside), Jepsen EDN and log histories mutated token by token
// (huge, negative, fractional numbers, ##NaN, tagged literals, sets, duplicate map keys,
// unbalanced brackets), and JSON lines with duplicate keys, unknown fields and control or
// unicode characters in keys and values. Any verdict is allowed (0, 1, 2); a refusal is exit 3
// with one line naming the file.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textMutations } from './file-kinds.mjs';
import { fieldMutations, FIELD_VALUES_UNICODE } from './field-walk.mjs';

/** One JSON line with one field replaced or removed, at any depth down to `depthMax` (the first element of each list). */
export const deepMutations = (line, depthMax = 6) => fieldMutations(line, { depthMax, removals: true, values: FIELD_VALUES_UNICODE });

/** Whole-line JSON shapes: a key twice (the second wins in JSON.parse), unknown fields, odd keys. */
export function jsonShapeMutations(line) {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return [];
  const body = trimmed.slice(1, -1);
  const firstKey = /^"([^"]*)"/.exec(body)?.[1] ?? 'x';
  return [
    ['the first key twice, the second a string', `{${body},"${firstKey}":"dup"}`],
    ['the first key twice, the second null', `{${body},"${firstKey}":null}`],
    ['an unknown field', `{${body},"surprise":{"a":[1,2,3]}}`],
    ['an unknown field set to zero', `{${body},"Surprise":0}`],
    ['a key with control characters', `{${body},"\\u0000\\u001b[2J":1}`],
    ['a key __proto__', `{${body},"__proto__":{"polluted":true}}`],
    ['a key constructor', `{${body},"constructor":{"prototype":{"x":1}}}`],
    ['an RTL-override and emoji key', `{${body},"\u202e🔥":"\u202e🔥"}`],
    ['a lone surrogate escaped in a value', `{${body},"s":"\\ud800"}`],
    ['a trailing comma', `{${body},}`],
    ['a comment', `{${body}} // trailing`],
  ];
}

/** Replaces the `n`-th match of `re` in `text` by `by`. */
function replaceNth(text, re, n, by) {
  let i = -1;
  return text.replace(re, (m) => (++i === n ? by : m));
}

/** EDN token mutations of one op map: numbers, keywords, strings, brackets and tagged literals. */
export function ednMutations(line) {
  const out = [];
  const numbers = [...line.matchAll(/(?<=[\s{[(])-?\d+(?=[\s,}\])])/g)].length;
  for (let n = 0; n < Math.min(numbers, 4); n++) {
    for (const v of ['-1', '1.5', '1e400', '##NaN', '##Inf', '1234567890123456789012345678901234567890', '0x10', '1N', '1M', '1/2', 'nil', '"7"']) {
      out.push([`number ${n} = ${v}`, replaceNth(line, /(?<=[\s{[(])-?\d+(?=[\s,}\])])/g, n, v)]);
    }
  }
  for (const [what, by] of [[':type :ok', ':type :frobnicated'], [':type :ok', ':type "ok"'], [':type :ok', ':type nil'], [':process 0', ':process :nemesis'], [':process 0', ':process "p"'], [':f ', ':f :\u202e✓é ']]) {
    if (line.includes(what.split(' ')[0])) out.push([`${what} -> ${by}`, line.replace(new RegExp(`${what.split(' ')[0]} \\S+`), by)]);
  }
  out.push(['a key twice', line.replace(/^\{/, '{:type :fail, ')]);
  out.push(['a set value', line.replace(/:value [^,}]+/, ':value #{1 2 3}')]);
  out.push(['a tagged literal', line.replace(/:value [^,}]+/, ':value #inst "2020-01-01"')]);
  out.push(['an unknown tag', line.replace(/:value [^,}]+/, ':value #frob/nicate [1]')]);
  out.push(['a string with control characters', line.replace(/:value [^,}]+/, ':value "\\u0000\\u001b[2J<b>x</b>"')]);
  out.push(['a symbol value', line.replace(/:value [^,}]+/, ':value some/symbol')]);
  out.push(['a char literal', line.replace(/:value [^,}]+/, ':value \\newline')]);
  out.push(['a discard form', line.replace(/^\{/, '{#_ :ignored ')]);
  out.push(['an unclosed map', line.replace(/\}\s*$/, '')]);
  out.push(['one closing bracket too many', `${line}}`]);
  out.push(['a metadata form', `^{:m 1} ${line}`]);
  out.push(['a list instead of a map', `(${line})`]);
  out.push(['an odd number of forms in the map', line.replace(/^\{/, '{:lonely ')]);
  out.push(['100,000 nested vectors as value', line.replace(/:value [^,}]+/, `:value ${'['.repeat(100_000)}${']'.repeat(100_000)}`)]);
  return out;
}

/** Jepsen log mutations of one op line (PROCESS \t :TYPE \t :F \t VALUE). */
export function logMutations(line) {
  const m = /^(.*jepsen\.util - )(\S+)\t(\S+)\t(\S+)\t(.*)$/.exec(line);
  if (m === null) return [];
  const [, head, process, type, f, value] = m;
  const out = [];
  const at = (p, t, ff, v) => `${head}${p}\t${t}\t${ff}\t${v}`;
  for (const p of ['-1', '1.5', '99999999999999999999999', ':nemesis', 'x', '']) out.push([`process ${JSON.stringify(p)}`, at(p, type, f, value)]);
  for (const t of [':frobnicated', 'ok', ':', '']) out.push([`type ${JSON.stringify(t)}`, at(process, t, f, value)]);
  for (const ff of [':\u202e✓é', ':', '', 'read']) out.push([`f ${JSON.stringify(ff)}`, at(process, type, ff, value)]);
  for (const v of ['1e400', '##NaN', '[1', '{:a}', '#{1 1}', '"\u0000"', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'x'.repeat(100_000), '[1 2 3 4 5]']) out.push([`value ${JSON.stringify(v.length > 20 ? `${v.slice(0, 10)}...(${v.length})` : v)}`, at(process, type, f, v)]);
  out.push(['fields separated by spaces', `${head}${process} ${type} ${f} ${value}`]);
  out.push(['a fifth field', `${at(process, type, f, value)}\textra`]);
  return out;
}

/** Cases for the odd shapes of robustness reports and the token-level histories. */
export function historyShapeCases(fx, pick, random, inputPath) {
  const cases = [];
  const check = (name, argv, extra = {}) => cases.push({ kind: 'history', name, argv: ['check', ...argv], outs: [], timeoutMs: 90_000, slowOk: true, ...extra });

  // client-N/watch.json of a robustness report: each field of a watch line, down to its events.
  const watchDir = fx.robustnessWatchDir;
  const client = readdirSync(watchDir).find((c) => { try { return readFileSync(join(watchDir, c, 'watch.json'), 'utf8').length > 0; } catch { return false; } });
  const watchText = readFileSync(join(watchDir, client, 'watch.json'), 'utf8');
  const watchLines = watchText.split('\n').filter((l) => l.trim() !== '');
  const copyWatchDir = (edit) => {
    const dir = inputPath('robustness-watch');
    cpSync(watchDir, dir, { recursive: true });
    edit(dir);
    return dir;
  };
  // A field given a value of another JSON type is bad input (exit 3): every field detcd reads is typed.
  for (const [label, line, retyped] of pick(deepMutations(watchLines[0]).concat(jsonShapeMutations(watchLines[0])))) {
    const dir = copyWatchDir((d) => writeFileSync(join(d, client, 'watch.json'), [line, ...watchLines.slice(1)].join('\n')));
    check(`robustness watch.json: ${label}`, ['--model', 'etcd', dir], { mustName: 'watch.json', bad: retyped === true ? true : undefined });
  }
  for (const [label, bytes] of textMutations(watchText, random)) {
    const dir = copyWatchDir((d) => writeFileSync(join(d, client, 'watch.json'), bytes));
    check(`robustness watch.json: ${label}`, ['--model', 'etcd', dir]);
  }
  for (const [kind, path] of Object.entries(fx.kinds)) {
    const dir = copyWatchDir((d) => {
      rmSync(join(d, client, 'watch.json'));
      symlinkSync(path, join(d, client, 'watch.json'));
    });
    check(`robustness watch.json is ${kind}`, ['--model', 'etcd', dir], { timeoutMs: 30_000 });
  }

  // The report directory in odd shapes.
  const shapes = {
    'an empty directory': () => {},
    'a client directory with nothing in it': (d) => mkdirSync(join(d, 'client-1')),
    'a client that is a file': (d) => writeFileSync(join(d, 'client-1'), '{}'),
    'a watch.json without operations.json': (d) => {
      mkdirSync(join(d, 'client-1'));
      writeFileSync(join(d, 'client-1', 'watch.json'), watchLines[0]);
    },
    'client directories named oddly': (d) => {
      for (const n of ['client-', 'client-x', 'client--1', 'client-99999999999999999999999', 'client-1\u202e', 'CLIENT-1']) {
        mkdirSync(join(d, n));
        writeFileSync(join(d, n, 'operations.json'), readFileSync(fx.robustnessClient));
      }
    },
    'a link loop as a client': (d) => symlinkSync(join(d, 'client-1'), join(d, 'client-1')),
    'a client linking to its parent': (d) => symlinkSync(d, join(d, 'client-1')),
    'operations.json that is a directory': (d) => mkdirSync(join(d, 'client-1', 'operations.json'), { recursive: true }),
    'the same client file twice (a link)': (d) => {
      mkdirSync(join(d, 'client-1'));
      writeFileSync(join(d, 'client-1', 'operations.json'), readFileSync(fx.robustnessClient));
      symlinkSync(join(d, 'client-1'), join(d, 'client-2'));
    },
  };
  for (const [label, make] of Object.entries(shapes)) {
    const dir = inputPath('robustness-shape');
    mkdirSync(dir);
    make(dir);
    check(`a robustness report with ${label}`, ['--model', 'etcd', dir], { timeoutMs: 30_000 });
  }

  // Jepsen EDN and log histories, token by token; JSONL with odd JSON shapes.
  const ednLines = readFileSync(fx.registerEdn, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const ednOk = ednLines.findIndex((l) => l.includes(':type :ok'));
  for (const [label, line] of pick(ednMutations(ednLines[ednOk]))) {
    const file = inputPath('history.edn');
    writeFileSync(file, ednLines.map((l, i) => (i === ednOk ? line : l)).join('\n'));
    check(`check edn: ${label}`, ['--model', 'etcd', '--no-watches', file], { mustName: file });
  }
  const logLines = fx.jepsenLog.split('\n').filter((l) => l.trim() !== '');
  for (const [label, line] of pick(logMutations(logLines[1]))) {
    const file = inputPath('history.log');
    writeFileSync(file, logLines.map((l, i) => (i === 1 ? line : l)).join('\n'));
    check(`check log: ${label}`, ['--model', 'register', file], { mustName: file });
  }
  // Histories other tools wrote (s23): Porcupine's Jepsen etcd logs and Jepsen's kv EDN, token by token.
  const anchors = join(import.meta.dirname, '../../../../shared/anchors/porcupine');
  if (existsSync(anchors)) {
    for (const [name, model, mutate, ext] of [['jepsen/etcd_000.log', 'register', logMutations, 'log'], ['kv/c01-ok.txt', 'kv', ednMutations, 'edn']]) {
      const lines = readFileSync(join(anchors, name), 'utf8').split('\n');
      const at = lines.findIndex((l, i) => i > lines.length / 3 && /:ok/.test(l));
      for (const [label, line] of pick(mutate(lines[at]))) {
        const file = inputPath(`anchor.${ext}`);
        writeFileSync(file, lines.map((l, i) => (i === at ? line : l)).join('\n'));
        check(`check ${name} line ${at + 1}: ${label}`, ['--model', model, file], { mustName: file });
      }
    }
  }
  for (const [model, source] of [['etcd', fx.etcdHistory], ['etcd', fx.registerHistory]]) {
    const lines = readFileSync(source, 'utf8').split('\n').filter((l) => l.trim() !== '');
    for (const at of [0, lines.length >> 1]) {
      for (const [label, line] of pick(jsonShapeMutations(lines[at]))) {
        const file = inputPath('history.jsonl');
        writeFileSync(file, lines.map((l, i) => (i === at ? line : l)).join('\n'));
        check(`check jsonl line ${at}: ${label}`, ['--model', model, '--no-watches', file], { mustName: file });
      }
    }
  }
  const opsLines = readFileSync(fx.robustnessClient, 'utf8').split('\n').filter((l) => l.trim() !== '');
  for (const [label, line, retyped] of pick(deepMutations(opsLines[0]).filter(([l]) => l.split('.').length > 2).concat(jsonShapeMutations(opsLines[0])))) {
    const file = inputPath('operations.json');
    writeFileSync(file, [line, ...opsLines.slice(1)].join('\n'));
    check(`check robustness operations (deep): ${label}`, ['--model', 'etcd', file], { mustName: file, bad: retyped === true ? true : undefined });
  }
  return cases;
}
