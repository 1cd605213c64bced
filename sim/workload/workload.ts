// A workload: an endless generator of invocations and the client side that turns each one into
// etcd requests (one or several, in sequence) through a worker's connection. The etcd client
// records every request in the history; a workload only decides what to ask and what its
// outcome means. Run length and rate are applied by the run (timeLimit, stagger).
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import type { EtcdRequest } from './etcd-request.ts';
import type { Prng } from '../world/prng.ts';
import type { Scenario } from '../scenario/schema.ts';

export interface CallResult {
  readonly type: 'ok' | 'fail' | 'info';
  /** The response body (ok) or the error body (fail). */
  readonly body?: unknown;
  readonly error?: string;
}

/** Sends one request as history process `process`; `done` gets its outcome exactly once. */
export type ClientCall = (request: EtcdRequest, process: number, done: (result: CallResult) => void) => void;

/** Timers on the simulated clock, for workloads that wait (lock holders, keep-alives). */
export interface WorkloadClock {
  nowUs(): number;
  after(delayUs: number, fn: () => void): void;
}

export interface WorkloadEnv {
  readonly scenario: Scenario;
  readonly prng: Prng;
  readonly clock: WorkloadClock;
}

export interface Workload {
  /** Endless generator of this workload's invocations. */
  generator(): Gen;
  /** Carries out one invocation; `done` is called once with its outcome. */
  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void;
}

/** The outcome of a single-request invocation is the request's. */
export function single(request: EtcdRequest, op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void, onOk?: (body: unknown) => void): void {
  call(request, op.process, (r) => {
    if (r.type === 'ok' && onOk !== undefined) onOk(r.body);
    done(r.type);
  });
}

/** A globally unique value for a write: unique put values let the checker order writes. */
export function uniqueValue(op: Dispatched): string {
  return `v${op.seq}-p${op.process}`;
}

/** A unique value padded to at least `bytes` (the scenario's valueBytes), still unique by its prefix. */
export function paddedValue(op: Dispatched, bytes: number): string {
  const v = uniqueValue(op);
  return v.length >= bytes ? v : `${v}-${'x'.repeat(bytes - v.length - 1)}`;
}
