// `--target etcd` given what is not a working etcd (no root or network namespaces needed: each
// is refused before or as the members start): a missing path, a directory, a device, a file
// that does not run, a program that is no etcd, an "etcd" that ends at start or never answers
// --version. Each must be one line naming --etcd, exit 3, and no report directory left behind.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Executable scripts standing in for etcd, under `dir`. */
function fakes(dir) {
  mkdirSync(dir, { recursive: true });
  const script = (name, body) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const version = 'if [ "$1" = "--version" ]; then echo "etcd Version: 3.4.23"; exit 0; fi';
  const notExecutable = join(dir, 'not-executable');
  writeFileSync(notExecutable, 'etcd\n');
  return {
    'a program that is no etcd': script('echo', 'echo hello'),
    'an etcd that ends at start': script('ends', `${version}\necho "etcdmain: bad flag" >&2\nexit 1`),
    'an etcd killed at start': script('killed', `${version}\nkill -9 $$`),
    // Runs and never serves: refused once the first leader's wait (30 s) is over, naming the member.
    'an etcd that never serves': script('never-serves', `${version}\necho "fake etcd: waiting" >&2\nexec sleep 600`),
    '--version that fails': script('version-fails', 'echo "no" >&2\nexit 1'),
    'a file that does not run': notExecutable,
  };
}

export function etcdCases(fx, outFor, dir) {
  const values = { ...fakes(dir), 'a missing path': join(dir, 'missing'), 'a directory': dir, '/dev/null': '/dev/null', 'a name not on PATH': 'etcd-no-such-name', 'a newline in the path': `${dir}/a\nb` };
  const cases = [];
  for (const [what, etcd] of Object.entries(values)) {
    for (const command of ['run', 'sweep']) {
      const out = join(outFor(), 'new', 'report');
      const seeds = command === 'run' ? ['--seed', '1', '--quiet'] : ['--seeds', '1..2', '--jobs', '1'];
      // An etcd that ends at start is known only once started: the progress lines before the refusal are allowed.
      const started = what.endsWith('at start') || what.endsWith('never serves');
      cases.push({ kind: 'etcd', ...(started ? { allowLines: /^(removed leftovers of an earlier run|starting \d+ etcd|detcd sweep: \d+ runs over)/ } : {}), name: `${command} --target etcd --etcd ${what}`, argv: [command, '--target', 'etcd', '--etcd', etcd, '--scenario', fx.tiny, ...seeds, '--out', out], timeoutMs: what.endsWith('never serves') ? 180_000 : 60_000, bad: true, mustName: '--etcd', outs: [join(out, '..', '..')], out: join(out, '..', '..') });
    }
  }
  return cases;
}
