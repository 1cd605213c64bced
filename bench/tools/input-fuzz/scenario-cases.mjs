// Scenario files: every field of the schema (the defaults of a parsed scenario, and every field
// the shipped scenarios write) replaced by values of each wrong type and by the bounds the
// schema's own messages name, removed, and given an unknown sibling; and whole-file mutations
// (truncated, other encodings, deep nesting) and odd kinds of path. Mutations are judged in
// process first (parseScenario must throw one line naming the file and the field); a sample of
// them, and every valid boundary scenario, is then run through the command line.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textMutations } from './file-kinds.mjs';
import { typeChanged } from './field-walk.mjs';

const WRONG_VALUES = [null, -1, 0, 0.5, 1e300, 2 ** 53 + 2, 'x', '', true, [], {}, [[[[[[[[[[[]]]]]]]]]]], '<img src=x onerror=alert(1)>', 'a\nb'];

/** A range ({min, max}), which a scenario may also give as one number: a number in its place is no change of type. */
const isRange = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).sort().join() === 'max,min';

/** Every leaf (and every array and object) of `value`, as a path of keys. */
function paths(value, prefix = [], out = []) {
  if (prefix.length > 0) out.push(prefix);
  if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

function setAt(obj, path, value) {
  const copy = structuredClone(obj);
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k];
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(path.at(-1), 1);
    else delete at[path.at(-1)];
  } else at[path.at(-1)] = value;
  return copy;
}

function getAt(obj, path) {
  let at = obj;
  for (const k of path) at = at?.[k];
  return at;
}

/** The bounds a refusal names ("expected number to be >=1", "<=100"): the values just inside and outside. */
function boundsIn(message) {
  const out = [];
  for (const m of message.matchAll(/([<>]=?)\s*(-?\d+)/g)) {
    const n = Number(m[2]);
    out.push(n, m[1].startsWith('<') ? n + 1 : n - 1);
  }
  return out;
}

/**
 * In-process findings of every mutation (a refusal that is not a UsageError, more than one line,
 * or not naming the file and field), and the mutated scenarios to run through the command line.
 */
export function scenarioMutations(dist, fx) {
  const { parseScenario } = dist.parse;
  const { UsageError } = dist.usage;
  const file = 'F.json';
  const bases = [['tiny', JSON.parse(readFileSync(fx.tiny, 'utf8'))]];
  for (const name of readdirSync(fx.scenariosDir).filter((n) => n.endsWith('.json')).sort()) bases.push([name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(fx.scenariosDir, name), 'utf8'))]);
  const filled = JSON.parse(JSON.stringify(parseScenario(bases[0][1], file)));
  const findings = [];
  const refused = [];
  const boundary = [];
  let judged = 0;
  const seen = new Set();
  const judge = (label, raw, path) => {
    judged++;
    try {
      parseScenario(raw, file);
      return { valid: true };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof UsageError)) findings.push(['scenario: not a UsageError (exit 4)', `${label}: ${err?.constructor?.name}: ${message}`]);
      else if (message.includes('\n')) findings.push(['scenario: more than one line', `${label}: ${JSON.stringify(message)}`]);
      else if (!message.startsWith(`${file}: `)) findings.push(['scenario: message does not name the file', `${label}: ${message}`]);
      else if (path !== undefined && !path.some((k) => typeof k === 'string' && message.includes(k)) && path.length > 0) findings.push(['scenario: message does not name the field', `${label}: ${message}`]);
      return { valid: false, message };
    }
  };
  const sources = [['tiny (defaults filled)', filled], ...bases];
  for (const [baseName, base] of sources) {
    for (const path of paths(base)) {
      const key = `${baseName === 'tiny (defaults filled)' ? '' : baseName}:${path.map((k) => (typeof k === 'number' ? '[]' : k)).join('.')}`;
      const generic = path.map((k) => (typeof k === 'number' ? '[]' : k)).join('.');
      if (seen.has(generic) && baseName !== 'tiny (defaults filled)') continue;
      seen.add(generic);
      const original = getAt(base, path);
      const variants = WRONG_VALUES.map((v) => [`${generic} = ${JSON.stringify(v)}`, setAt(base, path, v), typeChanged(original, v) && !(isRange(original) && typeof v === 'number')]);
      variants.push([`${generic} removed`, setAt(base, path, undefined)]);
      if (original !== null && typeof original === 'object' && !Array.isArray(original)) variants.push([`${generic}.unknownField added`, setAt(base, [...path, 'unknownField'], 1)]);
      for (const [label, raw, retyped] of variants) {
        const r = judge(`${baseName}: ${label}`, raw, path);
        // A field of another JSON type is refused (a reader that coerces "5" to 5 or [] to "" hides a typo).
        if (r.valid && retyped === true) findings.push(['scenario: a field of another JSON type taken', `${baseName}: ${label}`]);
        if (!r.valid) refused.push({ label: `${baseName}: ${label}`, raw, message: r.message });
        if (!r.valid && typeof original === 'number' && label.endsWith('= -1')) {
          for (const b of boundsIn(r.message)) {
            const edge = setAt(base, path, b);
            const e = judge(`${baseName}: ${generic} = ${b}`, edge, path);
            if (e.valid) boundary.push({ label: `${baseName}: ${generic} = ${b}`, raw: edge });
          }
        }
      }
      void key;
    }
  }
  return { findings, refused, boundary, judged };
}

/** Command-line cases: a sample of refused mutations, valid boundary scenarios, whole-file mutations, odd paths. */
export function scenarioCases(fx, mutations, pick, random, outFor, inputPath) {
  const cases = [];
  const commandFor = (i) => ['run', 'run', 'run', 'sweep', 'serve', 'stdin'][i % 6];
  const asCase = (name, content, bad, i, extra = {}) => {
    const out = outFor();
    const file = inputPath(`scenario-${cases.length}.json`);
    writeFileSync(file, content);
    const how = commandFor(i);
    const argv = how === 'run' ? ['run', '--scenario', file, '--seed', '1', '--out', out, '--quiet']
      : how === 'sweep' ? ['sweep', '--scenario', file, '--seeds', '1..1', '--jobs', '1', '--rerun-percent', '0', '--out', out]
      : how === 'serve' ? ['serve', '--scenario', file, '--port', '0', '--duration', '1', '--out', out]
      : ['run', '--scenario', '-', '--seed', '1', '--out', out, '--quiet'];
    cases.push({ kind: 'scenario', name: `${how}: ${name}`, argv, stdin: how === 'stdin' ? content : undefined, bad, outs: [out], out, timeoutMs: 90_000, slowOk: bad !== true, mustName: bad === true && how !== 'stdin' ? file : undefined, ...extra });
  };
  pick(mutations.refused).forEach((m, i) => asCase(m.label, JSON.stringify(m.raw, null, 1), true, i));
  pick(mutations.boundary).forEach((m, i) => {
    const raw = structuredClone(m.raw);
    // A bound of the run's length would take an hour: keep the boundary, shorten the rest.
    if (!/durationMs|rateOps|count/.test(m.label)) raw.workload = { ...raw.workload, durationMs: Math.min(raw.workload?.durationMs ?? 300, 300) };
    asCase(`valid boundary ${m.label}`, JSON.stringify(raw), undefined, 0);
  });
  const tinyText = readFileSync(fx.tiny, 'utf8');
  textMutations(tinyText, random).forEach(([name, bytes], i) => asCase(`tiny scenario, ${name}`, bytes, name === 'CRLF line ends' || name === 'a UTF-8 BOM first' ? undefined : true, i));
  // A field given twice (JSON keeps the last value without a word): refused naming the field, at the top and nested.
  asCase('tiny scenario, name given twice', tinyText.replace('{', '{"name": "other",'), true, 0, { mustMatch: /: name: given twice/ });
  asCase('tiny scenario, workload.durationMs given twice', tinyText.replace('"workload": {', '"workload": {"durationMs": 60000,'), true, 1, { mustMatch: /: workload\.durationMs: given twice/ });
  for (const [kind, path] of Object.entries(fx.kinds)) {
    for (const how of ['run', 'sweep', 'serve']) {
      const out = outFor();
      const argv = how === 'run' ? ['run', '--scenario', path, '--seed', '1', '--out', out, '--quiet'] : how === 'sweep' ? ['sweep', '--scenario', path, '--seeds', '1..1', '--jobs', '1', '--out', out] : ['serve', '--scenario', path, '--port', '0', '--duration', '1', '--out', out];
      cases.push({ kind: 'scenario', name: `${how}: --scenario is ${kind}`, argv, bad: true, outs: [out], out, timeoutMs: 30_000, mustName: path });
    }
  }
  return cases;
}
