// A fixed set of worker threads, each started once and reused for every task of a sweep. A task
// goes to an idle worker, optionally not to a given one (the determinism re-run must run in
// another worker than the original). Tasks wait in arrival order; a worker that turns idle takes
// the first waiting task it may take. Each worker runs one task at a time.
import { Worker } from 'node:worker_threads';
import { lowerInliningBudget } from './worker-jit.ts';

export interface PoolReply<R> {
  id: number;
  result?: R;
  error?: string;
}

interface Waiting {
  avoid: number | undefined;
  take: (worker: number) => void;
}

interface InFlight<R> {
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

export class WorkerPool<T, R> {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: boolean[] = [];
  private readonly inFlight = new Map<number, InFlight<R>>();
  private readonly waiting: Waiting[] = [];
  private nextId = 0;
  private broken: Error | undefined;

  constructor(file: string, size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool: size must be a positive integer, got ${size}`);
    this.size = size;
    // Cold isolates compile less before they are fast (worker-jit.ts).
    lowerInliningBudget();
    for (let i = 0; i < size; i++) {
      const w = new Worker(file);
      w.on('message', (m: PoolReply<R>) => this.settle(m));
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`sweep worker ${i} exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(true);
    }
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
    await Promise.all(this.workers.map((w) => w.terminate()));
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
      this.workers[worker]!.postMessage({ id, task });
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
