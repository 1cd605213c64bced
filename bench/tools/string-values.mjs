// How fast the history readers take long string values (a measurement): parseHistory on a Jepsen
// EDN history and a jepsen.log whose values are megabytes of text (plain, with an escape every 40
// or every 4 characters, spaces, line breaks), and the EDN writer (ednString) on the same text,
// in milliseconds per megabyte (medians). Given two builds, each case is timed in both, one after
// the other, and each order runs in its own process (the build loaded second ran a few per cent
// faster even against itself: ab-builds.mjs); the ratio B/A is the geometric mean of the orders.
//
//   node bench/tools/string-values.mjs ROOT_A [ROOT_B|-] [ROUNDS] [MB]
//
// ROOT: a package root with dist/ ('-': one build only). ROUNDS: timed rounds per case (default 5). MB: the value's
// size (default 1). A reader slower than linear shows as a figure that grows with MB.
// STRING_VALUES_SKIP=REGEX leaves out the cases it matches: builds before s23 never finish
// 'jepsen-log spaces' (its op-line expression was quadratic in a run of spaces).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [rootA, rootBArg, roundsArg, mbArg] = process.argv.slice(2);
const rootB = rootBArg === '-' ? undefined : rootBArg;
if (rootA === undefined) {
  console.error('usage: node bench/tools/string-values.mjs ROOT_A [ROOT_B] [ROUNDS] [MB] (each ROOT has dist/)');
  process.exit(3);
}
const ROUNDS = Number(roundsArg ?? 5);
const MB = Number(mbArg ?? 1);
const CHARS = MB * 1_000_000;

/** Clojure's pr-str of a string (its escapes: \" \\ \n \t \r \f \b). */
function prStr(s) {
  return `"${s.replace(/["\\\n\t\r\f\b]/g, (c) => ({ '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\b': '\\b' })[c])}"`;
}

const values = {
  plain: 'x'.repeat(CHARS),
  'escape every 40': `${'a'.repeat(39)}"`.repeat(CHARS / 40),
  'escape every 4': 'ab"c'.repeat(CHARS / 4),
  'line breaks': 'abc\n'.repeat(CHARS / 4),
  spaces: ' '.repeat(CHARS),
};

/** The cases: [name, format or 'write', input]. */
function cases() {
  const out = [];
  for (const [name, v] of Object.entries(values)) {
    out.push([`jepsen-edn ${name}`, 'jepsen-edn', `{:process 0, :type :invoke, :f :write, :value ${prStr(v)}}\n{:process 0, :type :ok, :f :write, :value ${prStr(v)}}\n`]);
    out.push([`jepsen-log ${name}`, 'jepsen-log', `INFO  jepsen.util - 0\t:invoke\t:write\t${prStr(v)}\nINFO  jepsen.util - 0\t:ok\t:write\t${prStr(v)}\n`]);
    out.push([`edn write ${name}`, 'write', v]);
  }
  const skip = process.env.STRING_VALUES_SKIP === undefined ? undefined : new RegExp(process.env.STRING_VALUES_SKIP);
  return out.filter(([name]) => skip === undefined || !skip.test(name));
}

async function load(root) {
  const check = await import(pathToFileURL(join(root, 'dist/sim/check/index.js')).href);
  const edn = await import(pathToFileURL(join(root, 'dist/sim/report/edn.js')).href);
  return (format, input) => (format === 'write' ? edn.ednString(input) : check.parseHistory(input, format));
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** One order: every case timed in each build, in the order given; ms per MB of value. */
async function oneOrder(roots) {
  const builds = [];
  for (const r of roots) builds.push(await load(r));
  const result = {};
  for (const [name, format, input] of cases()) {
    const times = roots.map(() => []);
    for (const b of builds) b(format, input); // warm
    for (let k = 0; k < ROUNDS; k++) {
      builds.forEach((b, i) => {
        const t0 = performance.now();
        b(format, input);
        times[i].push((performance.now() - t0) / MB);
      });
    }
    result[name] = times.map(median);
  }
  return result;
}

if (process.env.STRING_VALUES_ONE_ORDER === '1') {
  console.log(JSON.stringify(await oneOrder(process.argv.slice(6))));
} else if (rootB === undefined) {
  for (const [name, [ms]] of Object.entries(await oneOrder([rootA]))) console.log(`${name}: ${ms.toFixed(1)} ms/MB`);
} else {
  const order = (first, second) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), rootA, rootB, String(ROUNDS), String(MB), first, second], { encoding: 'utf8', env: { ...process.env, STRING_VALUES_ONE_ORDER: '1' }, maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      console.error(`string-values: the order ${first} first failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
      process.exit(4);
    }
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const ab = order(rootA, rootB);
  const ba = order(rootB, rootA);
  console.log(`value ${MB} MB, ${ROUNDS} rounds a case, medians in ms per MB (A = ${rootA}, B = ${rootB})`);
  for (const name of Object.keys(ab)) {
    const a = Math.sqrt(ab[name][0] * ba[name][1]);
    const b = Math.sqrt(ab[name][1] * ba[name][0]);
    console.log(`${name.padEnd(28)} A ${a.toFixed(1).padStart(9)}  B ${b.toFixed(1).padStart(9)}  B/A ${Math.sqrt((ab[name][1] / ab[name][0]) * (ba[name][0] / ba[name][1])).toFixed(3)}`);
  }
}
