// The channel a sweep worker talks to its pool on: the worker thread's parentPort, or, in a
// sweep child process (forked by the pool with DETCD_SWEEP_CHILD=1), the process's IPC channel
// shaped like a port. One object per thread (kept on globalThis): the boot module and the
// bundled worker each carry their own copy of this module and must see the same port.
import { parentPort } from 'node:worker_threads';

/** What the sweep worker needs of its channel. */
export interface SweepPort {
  onMessage(listener: (value: unknown) => void): void;
  postMessage(value: unknown): void;
}

/** The environment variable that marks a sweep child process (set by the pool when it forks one). */
export const SWEEP_CHILD_ENV = 'DETCD_SWEEP_CHILD';

const KEY = Symbol.for('detcd.sweepPort');

function threadPort(): SweepPort | null {
  const port = parentPort;
  if (port === null) return null;
  return {
    onMessage: (listener) => void port.on('message', listener),
    postMessage: (value) => port.postMessage(value),
  };
}

function childPort(): SweepPort | null {
  const send = process.send?.bind(process);
  if (send === undefined || process.env[SWEEP_CHILD_ENV] !== '1') return null;
  // Not inherited by what the run starts (real etcd members, their tools).
  delete process.env[SWEEP_CHILD_ENV];
  return {
    onMessage: (listener) => void process.on('message', listener),
    postMessage: (value) => {
      // A pool that is gone (the sweep was killed) closed the channel: the outcome has no one to
      // go to, and the child ends once its loop is empty (no EPIPE stack trace on the terminal).
      if (process.connected) send(value, undefined, undefined, () => {});
    },
  };
}

/** The pool's port in a worker thread or a sweep child process; null anywhere else. */
export function sweepPort(): SweepPort | null {
  const g = globalThis as { [KEY]?: SweepPort | null };
  if (g[KEY] === undefined) g[KEY] = threadPort() ?? childPort();
  return g[KEY] ?? null;
}
