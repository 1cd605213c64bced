// One gate for every test that runs the real etcd 3.4 or etcdctl: with the binaries on PATH the
// suite is registered as usual; without them it is one test that FAILS under CI (.ci/run installs
// etcd-server and etcd-client, so a missing binary there is a broken CI, not a reason to skip)
// and elsewhere one skipped test whose name says what is missing and how to install it.
import { describe, test } from 'vitest';
import { findEtcdctl } from '../sim/cli/serve/etcdctl.ts';
import { findEtcd } from './etcd-process.ts';

/** The real binaries a suite needs. */
export type RealTool = 'etcd' | 'etcdctl';

/** Their paths, found on PATH. */
export interface RealTools {
  readonly etcd: string;
  readonly etcdctl: string;
}

const PACKAGE: Record<RealTool, string> = { etcd: 'etcd-server', etcdctl: 'etcd-client' };

function find(tool: RealTool): string | undefined {
  return tool === 'etcd' ? findEtcd() : findEtcdctl();
}

/**
 * `describe(title, body)` when every tool in `needs` is installed; `body` gets their paths (a
 * tool not needed is given as its bare name). Otherwise the failing (CI) or skipped test above.
 */
export function describeWithRealEtcd(title: string, needs: readonly RealTool[], body: (tools: RealTools) => void): void {
  const found = new Map(needs.map((t) => [t, find(t)]));
  const missing = needs.filter((t) => found.get(t) === undefined);
  if (missing.length === 0) {
    const tools: RealTools = { etcd: found.get('etcd') ?? 'etcd', etcdctl: found.get('etcdctl') ?? 'etcdctl' };
    describe(title, () => body(tools));
    return;
  }
  const install = `apt-get install ${missing.map((t) => PACKAGE[t]).join(' ')}`;
  if (process.env['CI'] !== undefined) {
    test(`${title}: needs ${missing.join(' and ')} (${install}) in CI`, () => {
      throw new Error(`${missing.join(' and ')} not installed: .ci/run must ${install}`);
    });
    return;
  }
  test.skip(`${title}: SKIPPED because ${missing.join(' and ')} is not installed (${install})`, () => {});
}
