// An option given where it does nothing is refused (exit 3, one line naming it), never silently
// ignored: a user who writes `bugs --bug X` without --verify, or `sweep --merge --seeds 5`,
// expects it to act. And a number option reads decimal digits only (not Number()'s ' 7' or 0x10).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const dir = scratchDir('detcd-ignored-options-');
const history = join(dir, 'h.jsonl');
writeFileSync(history, '{"index":0,"time":0,"process":0,"type":"invoke","f":"read","value":null}\n{"index":1,"time":1,"process":0,"type":"ok","f":"read","value":null}\n');

describe('options that do nothing where they are given are refused', () => {
  it('bugs: --bug, --seeds and --shrink-runs go with --verify (the list alone ignored them, even --bug nope)', async () => {
    await refused(['bugs', '--bug', 'nope'], /detcd bugs: --bug goes with --verify/);
    await refused(['bugs', '--seeds', '3'], /detcd bugs: --seeds goes with --verify/);
    await refused(['bugs', '--shrink-runs', 'NaN'], /detcd bugs: --shrink-runs goes with --verify/);
  });

  it('sweep --merge: the options of a sweep that runs are refused, naming the option', async () => {
    for (const [option, value] of [['--seeds', '1..3'], ['--scenario', 'abc'], ['--jobs', '2'], ['--shard', '1/2'], ['--bug', 'figure8'], ['--rerun-percent', '5'], ['--target', 'etcd']]) {
      await refused(['sweep', '--merge', dir, option!, value!], new RegExp(`detcd sweep: ${option} does nothing with --merge`));
    }
    await refused(['sweep', '--merge', dir, '--report-all'], /detcd sweep: --report-all does nothing with --merge/);
  });

  it('run and sweep: --no-mitigations needs --target etcd, as --etcd does', async () => {
    await refused(['run', '--scenario', 'swarm', '--seed', '1', '--no-mitigations', '--out', join(dir, 'r')], /run: --no-mitigations needs --target etcd/);
    await refused(['sweep', '--scenario', 'swarm', '--seeds', '1', '--no-mitigations', '--out', join(dir, 's')], /sweep: --no-mitigations needs --target etcd/);
  });

  it('serve: --out needs --scenario (without one serve writes no report)', async () => {
    await refused(['serve', '--port', '0', '--duration', '1', '--out', join(dir, 'serve-out')], /serve: --out needs --scenario/);
  });

  it('check: --watches FILE with --no-watches is refused, in either order', async () => {
    await refused(['check', '--model', 'etcd', '--watches', history, '--no-watches', history], /--watches FILE and --no-watches say opposite things/);
    await refused(['check', '--model', 'etcd', '--no-watches', '--watches', history, history], /--watches FILE and --no-watches say opposite things/);
  });
});

describe('number options read decimal digits only', () => {
  it("check --timeout-ms and --initial-revision refuse ' 7', 0x10, 1e3 and 1.5 (Number() read them)", async () => {
    for (const v of [' 7', '0x10', '1e3', '1.5', '0', '-3', '']) {
      await refused(['check', '--model', 'etcd', '--timeout-ms', v, history], /detcd check: --timeout-ms( must be a whole number ≥ 1|: the value is empty)/);
      await refused(['check', '--model', 'etcd', '--initial-revision', v, history], /detcd check: --initial-revision( must be a whole number ≥ 1|: the value is empty)/);
    }
  });

  it('check --timeout-ms and --initial-revision past 2^53 - 1 say the bound', async () => {
    for (const option of ['--timeout-ms', '--initial-revision']) {
      await refused(['check', '--model', 'etcd', option, '9223372036854775807', history], new RegExp(`^detcd check: ${option} must be a whole number ≥ 1 and at most 9007199254740991 \\(2\\^53 - 1, the largest read exactly\\), got '9223372036854775807'$`));
    }
  });

  it('check names --model and --format in their refusals', async () => {
    await refused(['check', '--model', 'abc', history], /detcd check: --model: unknown model 'abc'/);
    await refused(['check', '--model', 'register', '--format', '0x10', history], /detcd check: --format: unknown format '0x10'/);
  });
});
