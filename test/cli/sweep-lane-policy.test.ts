// Which workers a sweep gets (sim/cli/harness/lane-policy.ts): threads with V8's defaults while
// cores are spare, processes with one core's flags each once every core has a worker, the
// user's choice over both, and a node without a flag starting its workers without it.
import { describe, expect, it } from 'vitest';
import { childFlags, nodeAccepts, planLanes, SINGLE_CORE_FLAGS } from '../../sim/cli/harness/lane-policy.ts';
import type { LanePolicyInput } from '../../sim/cli/harness/lane-policy.ts';
import { WORKER_HEAP_FLAGS, WORKER_INLINING_BUDGET, WORKER_INLINING_FLAG, WORKER_TIER_FLAGS } from '../../sim/cli/harness/worker-jit.ts';

const BUDGET = `${WORKER_INLINING_FLAG}=${WORKER_INLINING_BUDGET}`;
const all = (): boolean => true;

function input(over: Partial<LanePolicyInput>): LanePolicyInput {
  return { jobs: 2, cores: 2, execArgv: [], choice: undefined, accepts: all, ...over };
}

describe('the sweep\'s workers', () => {
  it('are processes with one core\'s flags once every core has a worker, threads with V8\'s defaults while cores are spare', () => {
    for (const [jobs, cores] of [[2, 2], [4, 2], [8, 8]] as const) {
      const plan = planLanes(input({ jobs, cores }));
      expect(plan.lanes).toEqual({ kind: 'process', execArgv: [...SINGLE_CORE_FLAGS, ...WORKER_TIER_FLAGS, ...WORKER_HEAP_FLAGS, BUDGET] });
      expect(plan.describe).toBe(`processes with ${SINGLE_CORE_FLAGS.join(' ')}`);
    }
    for (const [jobs, cores] of [[2, 4], [7, 8]] as const) {
      expect(planLanes(input({ jobs, cores }))).toEqual({ lanes: { kind: 'thread' }, describe: 'threads' });
    }
    expect(SINGLE_CORE_FLAGS).toContain('--single-threaded-gc');
  });

  it('are what DETCD_SWEEP_WORKERS says, whatever the cores; another value leaves the choice to the cores', () => {
    expect(planLanes(input({ jobs: 2, cores: 2, choice: 'threads' })).lanes).toEqual({ kind: 'thread' });
    expect(planLanes(input({ jobs: 2, cores: 16, choice: 'processes' })).lanes.kind).toBe('process');
    expect(planLanes(input({ jobs: 2, cores: 16, choice: 'fibers' })).lanes.kind).toBe('thread');
    expect(planLanes(input({ jobs: 2, cores: 2, choice: '' })).lanes.kind).toBe('process');
  });

  it('start without a flag this node does not have, and say so', () => {
    const none = planLanes(input({ accepts: () => false }));
    expect(none.lanes).toEqual({ kind: 'process', execArgv: [BUDGET] });
    expect(none.describe).toBe('processes');
    // Only the garbage collector's flag missing: the other one stays.
    const noGc = (flags: readonly string[]): boolean => !flags.includes('--single-threaded-gc');
    const some = planLanes(input({ accepts: noGc }));
    expect(some.lanes).toEqual({ kind: 'process', execArgv: [...SINGLE_CORE_FLAGS.filter((f) => f !== '--single-threaded-gc'), ...WORKER_TIER_FLAGS, ...WORKER_HEAP_FLAGS, BUDGET] });
    expect(some.describe).not.toContain('--single-threaded-gc');
  });

  it('keep the heap, stack and inlining flags node was started with (the user\'s win over ours), never a loader', () => {
    const execArgv = ['--require', '/x/tsx/preflight.cjs', '--import', 'file:///x/tsx/loader.mjs', '--max-old-space-size=4096', '--max-semi-space-size=8', `${WORKER_INLINING_FLAG}=920`, '--enable-source-maps'];
    const flags = childFlags(execArgv, all);
    expect(flags).toEqual([...SINGLE_CORE_FLAGS.filter((f) => !f.startsWith('--max-semi-space-size')), ...WORKER_TIER_FLAGS, ...WORKER_HEAP_FLAGS, '--max-old-space-size=4096', '--max-semi-space-size=8', `${WORKER_INLINING_FLAG}=920`]);
    expect(flags.some((f) => f.includes('tsx') || f === '--import' || f === '--require')).toBe(false);
  });

  it('start with Sparkplug from the first call (a cold worker\'s early runs), unless this node lacks the flag', () => {
    expect(WORKER_TIER_FLAGS).toEqual(['--always-sparkplug']);
    expect(childFlags([], all)).toContain('--always-sparkplug');
    const noSparkplug = (flags: readonly string[]): boolean => !flags.includes('--always-sparkplug');
    expect(childFlags([], noSparkplug)).toEqual([...SINGLE_CORE_FLAGS, ...WORKER_HEAP_FLAGS, BUDGET]);
    // Threads share this process's flags: they get none of ours but the inlining budget (worker-jit.ts).
    expect(planLanes(input({ jobs: 2, cores: 4 })).lanes).toEqual({ kind: 'thread' });
  });

  it('start without allocation-site pretenuring (its first decisions threw a cold worker\'s optimized code away), unless this node lacks the flag', () => {
    expect(WORKER_HEAP_FLAGS).toEqual(['--no-allocation-site-pretenuring']);
    expect(childFlags([], all)).toContain('--no-allocation-site-pretenuring');
    const noPretenuringFlag = (flags: readonly string[]): boolean => !flags.includes('--no-allocation-site-pretenuring');
    expect(childFlags([], noPretenuringFlag)).toEqual([...SINGLE_CORE_FLAGS, ...WORKER_TIER_FLAGS, BUDGET]);
    expect(nodeAccepts(['--no-allocation-site-pretenuring'])).toBe(true);
  });

  it('are started with flags only after node said it knows them (a real node, asked with --version)', () => {
    expect(nodeAccepts(['--single-threaded-gc'])).toBe(true);
    expect(nodeAccepts(['--max-semi-space-size=32'])).toBe(true);
    expect(nodeAccepts(['--always-sparkplug'])).toBe(true);
    expect(nodeAccepts(['--single-threaded-gc', '--no-such-v8-flag-in-any-node'])).toBe(false);
    expect(nodeAccepts(['--no-such-v8-flag-in-any-node'])).toBe(false);
  });
});
