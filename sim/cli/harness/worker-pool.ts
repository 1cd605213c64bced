// A fixed set of workers, each started once and reused for every task of a sweep: worker
// threads of this process, or child processes of their own (node started per worker, with its
// own V8 flags and heap; see lane-policy.ts for which a sweep uses). A task goes to an idle
// worker, optionally not to a given one (the determinism re-run must run in another worker than
// the original). Tasks wait in arrival order; a worker that turns idle takes the first waiting
// task it may take. Each worker runs one task at a time.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { SWEEP_CHILD_ENV } from './sweep-port.ts';
import { useWorkerJit } from './worker-jit.ts';
import { semiSpaceGiven, YOUNG_GENERATION_MB } from './young-generation.ts';

export interface PoolReply<R> {
  id: number;
  result?: R;
  error?: string;
}

/** How the workers run: threads of this process, or child processes started with `execArgv` (node's and V8's flags). */
export type PoolLanes = { kind: 'thread' } | { kind: 'process'; execArgv: readonly string[] };

interface Waiting {
  avoid: number | undefined;
  take: (worker: number) => void;
}

interface InFlight<R> {
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

/** One worker as the pool sees it, a thread or a process. */
interface Lane {
  post(message: unknown): void;
  stop(): Promise<void>;
}

export class WorkerPool<T, R> {
  readonly size: number;
  private readonly lanes: Lane[] = [];
  private readonly idle: boolean[] = [];
  private readonly inFlight = new Map<number, InFlight<R>>();
  private readonly waiting: Waiting[] = [];
  private nextId = 0;
  private broken: Error | undefined;
  private closing = false;

  constructor(file: string, size: number, lanes: PoolLanes = { kind: 'thread' }) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool: size must be a positive integer, got ${size}`);
    this.size = size;
    // Cold isolates compile less before they are fast (worker-jit.ts); a child process is given its own flags.
    if (lanes.kind === 'thread') {
      useWorkerJit();
    }
    for (let i = 0; i < size; i++) this.lanes.push(lanes.kind === 'thread' ? this.thread(file, i) : this.child(file, i, lanes.execArgv));
    for (let i = 0; i < size; i++) this.idle.push(true);
  }

  /** Runs `task` on an idle worker other than `avoid` (when the pool has another); resolves with the result and the worker. */
  async run(task: T, avoid?: number): Promise<{ result: R; worker: number }> {
    const worker = await this.acquire(this.size > 1 ? avoid : undefined);
    try {
      const result = await this.send(worker, task);
      return { result, worker };
    } finally {
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.lanes.map((l) => l.stop()));
  }

  private thread(file: string, i: number): Lane {
    // A thread's heap is set up from its resourceLimits (young-generation.ts); a size given to node is the thread's too.
    const w = new Worker(file, semiSpaceGiven(process.execArgv, process.env['NODE_OPTIONS']) ? {} : { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    w.on('message', (m: PoolReply<R>) => this.settle(m));
    w.on('error', (err) => this.fail(err));
    w.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`sweep worker ${i} exited with code ${code}`));
    });
    return { post: (m) => w.postMessage(m), stop: async () => void (await w.terminate()) };
  }

  private child(file: string, i: number, execArgv: readonly string[]): Lane {
    // 'advanced': the structured clone worker threads use, so a task arrives as it would in a thread.
    const c: ChildProcess = fork(file, [], { execArgv: [...execArgv], serialization: 'advanced', env: { ...process.env, [SWEEP_CHILD_ENV]: '1' } });
    const exited = new Promise<void>((done) => c.once('exit', () => done()));
    c.on('message', (m: PoolReply<R>) => this.settle(m));
    c.on('error', (err) => this.fail(err));
    c.on('exit', (code, signal) => {
      if (!this.closing) this.fail(new Error(`sweep worker ${i} (process ${c.pid}) exited with ${signal ?? `code ${code}`}`));
    });
    return {
      post: (m) => c.send(m as object),
      stop: async () => {
        // The child ends when its channel closes (nothing else keeps it); a kill if it does not.
        if (c.exitCode === null && c.signalCode === null) {
          if (c.connected) c.disconnect();
          const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
      },
    };
  }

  private acquire(avoid: number | undefined): Promise<number> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const free = this.idle.findIndex((idle, i) => idle && i !== avoid);
    if (free >= 0) {
      this.idle[free] = false;
      return Promise.resolve(free);
    }
    return new Promise((take) => this.waiting.push({ avoid, take }));
  }

  private release(worker: number): void {
    const next = this.waiting.findIndex((w) => w.avoid !== worker);
    if (next < 0) {
      this.idle[worker] = true;
      return;
    }
    const [w] = this.waiting.splice(next, 1);
    w!.take(worker);
  }

  private send(worker: number, task: T): Promise<R> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      this.lanes[worker]!.post({ id, task });
    });
  }

  private settle(m: PoolReply<R>): void {
    const f = this.inFlight.get(m.id);
    if (f === undefined) return;
    this.inFlight.delete(m.id);
    if (m.error !== undefined) f.reject(new Error(m.error));
    else f.resolve(m.result as R);
  }

  /** A worker died: every task in flight fails, and so does every later one. */
  private fail(err: Error): void {
    this.broken ??= err;
    for (const f of this.inFlight.values()) f.reject(err);
    this.inFlight.clear();
  }
}
