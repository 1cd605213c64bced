// Which workers a sweep of `jobs` workers runs on, and with which V8 flags.
//
// With a worker on every core, the FoundationDB way: one single-threaded simulator per core. V8
// otherwise gives each busy isolate helper threads (parallel scavenges, concurrent marking and
// sweeping) that take CPU from the other workers' cores, and worker threads cannot have V8
// flags of their own (flags are per process). So each worker is a child process of its own,
// started with SINGLE_CORE_FLAGS: its garbage collection on its own thread, and a young
// generation large enough that short-lived garbage dies before it is copied (young-generation.ts).
// With spare cores (fewer jobs than cores) the helpers run on an idle core for free: worker
// threads with V8's defaults but the young generation (worker-pool.ts), as before. One job runs
// inline (sweep-engine.ts), never here.
// Flags change how fast code runs, never what it computes: the same trace hashes either way.
import { spawnSync } from 'node:child_process';
import type { PoolLanes } from './worker-pool.ts';
import { WORKER_HEAP_FLAGS, WORKER_INLINING_BUDGET, WORKER_INLINING_FLAG, WORKER_TIER_FLAGS } from './worker-jit.ts';
import { SEMI_SPACE_FLAG, SEMI_SPACE_MB } from './young-generation.ts';

/** V8 flags for a sweep worker that has a core to itself. */
export const SINGLE_CORE_FLAGS: readonly string[] = ['--single-threaded-gc', `${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`];

/** DETCD_SWEEP_WORKERS=threads|processes chooses the kind of workers whatever the core count (for measuring). */
export const SWEEP_WORKERS_ENV = 'DETCD_SWEEP_WORKERS';

/** node's flags of this process that its sweep workers keep: heap and stack sizes, the inlining budget. */
const INHERITED = /^--(max-old-space-size|max-semi-space-size|stack-size|max-inlined-bytecode-size)/;

export interface LanePolicyInput {
  jobs: number;
  cores: number;
  /** This process's node flags (process.execArgv). */
  execArgv: readonly string[];
  /** DETCD_SWEEP_WORKERS's value, if set. */
  choice: string | undefined;
  /** Whether node starts with these flags (nodeAccepts); injected by the tests. */
  accepts: (flags: readonly string[]) => boolean;
}

export interface LanePlan {
  lanes: PoolLanes;
  /** What the workers are, for the sweep's first line: "threads", "processes with --single-threaded-gc …". */
  describe: string;
}

/** Whether this node starts with `flags` (a flag it does not know is "bad option", exit 9); asked once per flag set. */
export function nodeAccepts(flags: readonly string[]): boolean {
  const key = flags.join(' ');
  let ok = accepted.get(key);
  if (ok === undefined) {
    // --version: node checks every flag, then prints and exits without starting V8 (≈5 ms).
    ok = spawnSync(process.execPath, [...flags, '--version'], { stdio: 'ignore' }).status === 0;
    accepted.set(key, ok);
  }
  return ok;
}
const accepted = new Map<string, boolean>();

/** The flags a child worker starts with: the single-core ones and the cold-start ones (tier, heap; those node has), this process's kept ones, the inlining budget. */
export function childFlags(execArgv: readonly string[], accepts: (flags: readonly string[]) => boolean): string[] {
  const kept = execArgv.filter((a) => INHERITED.test(a));
  const budget = kept.some((a) => a.startsWith(WORKER_INLINING_FLAG)) ? [] : [`${WORKER_INLINING_FLAG}=${WORKER_INLINING_BUDGET}`];
  // A semi-space size the user gave wins over ours.
  const mine = SINGLE_CORE_FLAGS.filter((f) => !kept.some((k) => k.split('=')[0] === f.split('=')[0]));
  const known = (flags: readonly string[]): string[] => (accepts(flags) ? [...flags] : flags.filter((f) => accepts([f])));
  return [...known(mine), ...known(WORKER_TIER_FLAGS), ...known(WORKER_HEAP_FLAGS), ...kept, ...budget];
}

export function planLanes(i: LanePolicyInput): LanePlan {
  const processes = i.choice === 'processes' || (i.choice !== 'threads' && i.jobs >= i.cores);
  if (!processes) return { lanes: { kind: 'thread' }, describe: 'threads' };
  const execArgv = childFlags(i.execArgv, i.accepts);
  const single = SINGLE_CORE_FLAGS.filter((f) => execArgv.includes(f));
  return { lanes: { kind: 'process', execArgv }, describe: `processes${single.length === 0 ? '' : ` with ${single.join(' ')}`}` };
}
