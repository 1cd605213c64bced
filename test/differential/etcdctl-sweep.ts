// The etcdctl sweep: every command family of etcdctl 3.4 crossed with its flags and output
// forms, as steps for the etcdctl step loop (etcdctl-runner.ts). Families that only read are
// crossed in full and sampled (`SweepOptions.sample`); families that write run whole, in a fixed
// order, so both servers — started empty, given the same steps — stay at the same revisions. The
// last family takes the cluster's quorum away (an added member that never starts) and asks what a
// client sees from a member without a leader. The CI test runs a sample
// (etcdctl-sweep.test.ts); bench/tools/etcdctl-sweep.mjs runs all of it, or other samples.
import type { CtlStep } from './etcdctl-runner.ts';
import { seededRandom } from '../../bench/tools/seeded-random.mjs';

export interface SweepOptions {
  /** Steps drawn from each read family's cross product; undefined: all of them. */
  readonly sample?: number | undefined;
  /** The draw's seed. */
  readonly seed: number;
}

const WRITERS = ['simple', 'json', 'fields', 'table'] as const;

/** Every combination, one option from each list (a list entry is the arguments it adds). */
function cross(...lists: readonly (readonly (readonly string[])[])[]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((a) => list.map((b) => [...a, ...b])), [[]]);
}

/** `n` of `all`, drawn without repeats, in their order; all when n is undefined or larger. */
function sample<T>(all: readonly T[], n: number | undefined, next: () => number): T[] {
  if (n === undefined || n >= all.length) return [...all];
  const picked = new Set<number>();
  while (picked.size < n) picked.add(Math.floor(next() * all.length));
  return [...picked].sort((a, b) => a - b).map((i) => all[i]!);
}

const steps = (argss: readonly string[][]): CtlStep[] => argss.map((args) => ({ args }));

/** Keys a/… b c with several versions, a lease with a key; revisions 2..11 on both servers. */
const SETUP: CtlStep[] = steps([
  ['put', 'a', '1'], ['put', 'a/1', 'x'], ['put', 'a/2', 'y'], ['put', 'ab', 'z'], ['put', 'b', '2'],
  ['put', 'a', '3'], ['put', 'c', ''], ['del', 'b'], ['put', 'a/1', 'xx'], ['put', 'd', '4'],
]).concat([{ args: ['lease', 'grant', '600'] }, { args: ['put', 'kl', 'v', '--lease={LEASE}'] }]);

/** get: every range shape, revision, limit, order, projection and consistency, in every form. */
function getFamily(): string[][] {
  return cross(
    [['get', 'a'], ['get', 'a', '--prefix'], ['get', 'a', '--from-key'], ['get', 'a', 'c'], ['get', '', '--prefix'], ['get', 'zz'], ['get', 'c', 'a']],
    [[], ['--rev=0'], ['--rev=3'], ['--rev=7'], ['--rev=99'], ['--rev=-2']],
    [[], ['--limit=1'], ['--limit=0']],
    [[], ['--sort-by=KEY', '--order=DESCEND'], ['--sort-by=VALUE'], ['--sort-by=VERSION', '--order=DESCEND'], ['--sort-by=CREATE'], ['--sort-by=MODIFY', '--order=ASCEND'], ['--order=DESCEND']],
    [[], ['--keys-only'], ['--count-only'], ['--print-value-only'], ['--keys-only', '--count-only']],
    [[], ['--consistency=s']],
    [...WRITERS.map((w) => ['-w', w]), ['--hex']],
  );
}

/** put: each flag alone and together, in every form (each step writes its own key). */
function putFamily(): string[][] {
  const flags = [[], ['--prev-kv'], ['--ignore-lease'], ['--prev-kv', '--ignore-lease'], ['--lease={LEASE}'], ['--lease=0'], ['--lease=1234'], ['--lease=zz']];
  const out: string[][] = [];
  let i = 0;
  for (const f of flags) {
    for (const w of WRITERS) {
      out.push(['put', `p/${i % 3}`, `v${i}`, ...f, '-w', w]);
      i++;
    }
  }
  // --ignore-value: of a key that exists, of one that does not, and with a value too.
  for (const w of WRITERS) out.push(['put', 'p/0', '--ignore-value', '--prev-kv', '-w', w], ['put', 'p/none', '--ignore-value', '-w', w]);
  out.push(['put', 'p/0', 'x', '--ignore-value'], ['put', '', 'v'], ['put', 'p/1'], ['put']);
  return out;
}

/** del: each range shape with and without --prev-kv, in every form, each after the puts it removes (one group each). */
function delFamily(): CtlStep[][] {
  const shapes = [['q/{N}/a'], ['q/{N}/', '--prefix'], ['q/{N}/b', '--from-key'], ['q/{N}/a', 'q/{N}/c'], ['q/{N}/none'], ['q/{N}/c', 'q/{N}/a']];
  const out: CtlStep[][] = [];
  let n = 0;
  for (const shape of shapes) {
    for (const prev of [[], ['--prev-kv']]) {
      for (const w of WRITERS) {
        const tag = String(n++);
        out.push(steps([['put', `q/${tag}/a`, '1'], ['put', `q/${tag}/b`, '2'], ['put', `q/${tag}/c`, '3'], ['del', ...shape.map((s) => s.replace('{N}', tag)), ...prev, '-w', w]]));
      }
    }
  }
  out.push(...[['del'], ['del', 'a', 'b', 'c'], ['del', 'q', '--prefix', '--from-key']].map((a) => [{ args: a }]));
  return out;
}

/** txn -i: every compare target and operator, on a key that exists and one that does not, both branches. */
function txnFamily(): CtlStep[] {
  const compares = [
    'value("a") = "3"', 'value("a") != "3"', 'value("a") > "2"', 'value("a") < "2"',
    'version("a") = "2"', 'ver("a") > "5"', 'create("a") = "2"', 'c("a") < "2"', 'mod("a") = "7"', 'm("a") > "0"',
    'value("none") = ""', 'version("none") = "0"', 'mod("none") > "0"', 'value("a") = "3"\nversion("a") = "9"',
  ];
  const out: CtlStep[] = [];
  compares.forEach((cmp, i) => {
    const w = WRITERS[i % WRITERS.length]!;
    out.push({ args: ['txn', '-i', '-w', w], stdin: `${cmp}\n\nput t/${i} s\nget a\n\ndel t --prefix --prev-kv\nget t/ --prefix --keys-only\n\n` });
  });
  // Branches with no ops, a range in a branch, duplicate keys, a bad op and a bad compare.
  out.push(
    { args: ['txn', '-i'], stdin: '\n\n\n' },
    { args: ['txn', '-i', '-w', 'json'], stdin: 'value("a") = "3"\n\nget a c\nget a --prefix --limit=1\n\n\n' },
    { args: ['txn', '-i'], stdin: '\nput t/x 1\nput t/x 2\n\n\n' },
    { args: ['txn', '-i'], stdin: '\nfrob t/x\n\n\n' },
    { args: ['txn', '-i'], stdin: 'value("a") ~ "3"\n\n\n\n' },
    { args: ['txn'], stdin: 'value("a") = "3"\n\nput t/y 1\n\n\n' },
  );
  return out;
}

/** Watches from past revisions, each stopped once the last event in its range showed. */
function watchFamily(): CtlStep[] {
  const out: CtlStep[] = [];
  const ranges: { args: string[]; last: RegExp }[] = [
    { args: ['a'], last: /a\n3\n|"mod_revision":7|"Value" : "3"/ },
    { args: ['a', '--prefix'], last: /a\/1\nxx\n|"mod_revision":10|"Value" : "xx"/ },
    { args: ['a', 'b'], last: /a\/1\nxx\n|"mod_revision":10|"Value" : "xx"/ },
    { args: ['b'], last: /DELETE\nb\n|"type":"DELETE"|"Type" : "DELETE"/ },
  ];
  for (const r of ranges) {
    for (const w of ['simple', 'json', 'fields'] as const) {
      for (const prev of [[], ['--prev-kv']]) out.push({ args: ['watch', ...r.args, '--rev=2', ...prev, '-w', w], until: r.last });
    }
  }
  return out;
}

/** lease: grant, list, time-to-live (with keys), keep-alive once and revoke, of a lease that exists and one that does not. */
function leaseFamily(): string[][] {
  const out: string[][] = [];
  for (const w of WRITERS) {
    out.push(
      ['lease', 'list', '-w', w], ['lease', 'timetolive', '{LEASE}', '--keys', '-w', w], ['lease', 'timetolive', '1234', '-w', w],
      ['lease', 'keep-alive', '--once', '{LEASE}', '-w', w], ['lease', 'keep-alive', '--once', '1234', '-w', w], ['lease', 'revoke', '1234', '-w', w],
    );
  }
  out.push(['lease', 'grant', '0'], ['lease', 'grant', '-1'], ['lease', 'grant', 'x'], ['lease', 'grant', '9000000001'], ['lease', 'revoke'], ['lease', 'timetolive', 'zz']);
  return out;
}

/** What the cluster says of itself, in every form. */
function clusterFamily(): string[][] {
  const commands = [['member', 'list'], ['member', 'list', '--hex'], ['endpoint', 'status'], ['endpoint', 'health'], ['endpoint', 'hashkv'], ['endpoint', 'hashkv', '--rev=5'], ['alarm', 'list'], ['endpoint', 'status', '--cluster'], ['version']];
  return cross(commands, WRITERS.map((w) => ['-w', w]));
}

/** The auth store's commands (authentication stays off), in every form. */
function authFamily(): string[][] {
  const out: string[][] = [['user', 'add', 'su:pw'], ['role', 'add', 'sr'], ['role', 'grant-permission', 'sr', 'readwrite', 'a', '--prefix'], ['role', 'grant-permission', 'sr', 'read', 'b', 'c'], ['user', 'grant-role', 'su', 'sr']];
  for (const w of WRITERS) {
    out.push(['user', 'list', '-w', w], ['user', 'get', 'su', '-w', w], ['user', 'get', 'su', '--detail', '-w', w], ['role', 'list', '-w', w], ['role', 'get', 'sr', '-w', w], ['user', 'get', 'nobody', '-w', w]);
  }
  out.push(['role', 'revoke-permission', 'sr', 'a', '--prefix'], ['role', 'revoke-permission', 'sr', 'zz'], ['user', 'revoke-role', 'su', 'sr'], ['user', 'revoke-role', 'su', 'sr'], ['user', 'passwd', 'nobody', '--interactive=false'], ['role', 'delete', 'sr'], ['user', 'delete', 'su'], ['auth', 'enable'], ['auth', 'disable']);
  return out;
}

/** Compaction, then reads and watches at, before and after the compact revision, in every form. */
function compactionFamily(): CtlStep[] {
  const out: CtlStep[] = steps([['compaction', '6', '-w', 'json'], ['compaction', '6'], ['compaction', '5'], ['compaction', '9999']]);
  for (const w of WRITERS) out.push(...steps([['get', 'a', '--rev=5', '-w', w], ['get', 'a', '--rev=6', '-w', w], ['endpoint', 'hashkv', '--rev=6', '-w', w], ['endpoint', 'hashkv', '--rev=7', '-w', w]]));
  out.push({ args: ['watch', 'a', '--rev=3'], until: /compacted/ }, { args: ['watch', 'a', '--rev=-1', '-w', 'json'], until: /compact/ });
  out.push(...steps([['compaction', '8', '--physical'], ['get', 'a', '--rev=7']]));
  return out;
}

/**
 * A member added through the API never starts: the one-member cluster has lost its quorum, and
 * once its leader stepped down (CheckQuorum), what clients see from a member without a leader.
 */
const LEADERLESS: CtlStep[] = [
  { args: ['member', 'add', 'never', '--peer-urls=http://127.0.0.1:1'] },
  { args: ['endpoint', 'status'], repeatUntil: /no leader/ },
  { args: ['endpoint', 'status', '-w', 'json'] },
  { args: ['get', 'a', '--consistency=s', '-w', 'json'] },
  { args: ['member', 'remove', '1234'] },
  { args: ['member', 'add', 'l', '--peer-urls=http://127.0.0.1:2', '--learner'] },
  { args: ['move-leader', '1234'] },
  // Writes and reads wait for a leader until the client's deadline (etcd 3.4: raft takes no
  // proposal without a leader). Not asked: lease timetolive and list, which etcdctl sends without
  // a deadline and clientv3 retries on "no leader" for ever, against etcd as against serve.
  ...[['put', 'x', 'y'], ['del', 'a'], ['get', 'a'], ['lease', 'grant', '10'], ['compaction', '100']].map((args): CtlStep => ({ args, commandTimeout: '2s' })),
];

const one = (all: readonly (CtlStep | string[])[]): CtlStep[][] => all.map((s) => [Array.isArray(s) ? { args: s } : s]);

/**
 * Every step of the sweep, in order: setup, then each family (its sample: whole groups, so a
 * del keeps the puts it removes), the auth commands and compaction whole (each step builds on
 * the one before), and the leaderless end.
 */
export function sweepSteps(options: SweepOptions): CtlStep[] {
  const next = seededRandom(options.seed);
  const pick = (groups: CtlStep[][]): CtlStep[] => sample(groups, options.sample, next).flat();
  return [
    ...SETUP,
    ...pick(one(getFamily())),
    ...pick(one(clusterFamily())),
    ...pick(one(watchFamily())),
    ...pick(one(putFamily())),
    ...pick(delFamily()),
    ...pick(one(txnFamily())),
    ...pick(one(leaseFamily())),
    ...steps(authFamily()),
    ...compactionFamily(),
    ...LEADERLESS,
  ];
}
