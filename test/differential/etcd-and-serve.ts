// The pair every differential suite compares: a real etcd (one member or a cluster, from
// etcd-process.ts) and a `detcd serve`, started together and stopped together, for a whole
// suite (`suiteServers`) or for one test's body (`withServers`: a test that turns
// authentication on would leave a suite's servers refusing the others).
import { afterAll, beforeAll } from 'vitest';
import { startServe, type ServeHandle, type ServeOptions } from '../../sim/cli/serve/serve-cluster.ts';

interface Stoppable {
  stop(): Promise<void>;
}

export interface Servers<E extends Stoppable> {
  readonly etcd: E;
  readonly serve: ServeHandle;
}

/** A cluster's start takes longer than the default hook timeout on a loaded machine. */
const START_TIMEOUT_MS = 90_000;

/** Both at once; if one fails to start, the other is stopped before the failure is thrown. */
async function startServers<E extends Stoppable>(startEtcd: () => Promise<E>, serve: ServeOptions): Promise<Servers<E>> {
  const [etcd, detcd] = await Promise.allSettled([startEtcd(), startServe(serve)]);
  if (etcd.status === 'fulfilled' && detcd.status === 'fulfilled') return { etcd: etcd.value, serve: detcd.value };
  await Promise.all([etcd.status === 'fulfilled' ? etcd.value.stop() : undefined, detcd.status === 'fulfilled' ? detcd.value.close() : undefined]);
  throw etcd.status === 'rejected' ? etcd.reason : (detcd as PromiseRejectedResult).reason;
}

async function stopServers<E extends Stoppable>(s: Servers<E>): Promise<void> {
  await Promise.all([s.etcd.stop(), s.serve.close()]);
}

/** The suite's pair: started before its tests, stopped after them; read in a test, not before. */
export function suiteServers<E extends Stoppable>(startEtcd: () => Promise<E>, serve: ServeOptions): Servers<E> {
  let started: Servers<E> | undefined;
  beforeAll(async () => {
    started = await startServers(startEtcd, serve);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    if (started !== undefined) await stopServers(started);
  });
  const running = (): Servers<E> => {
    if (started === undefined) throw new Error('the servers are started by beforeAll: read them in a test');
    return started;
  };
  return {
    get etcd() { return running().etcd; },
    get serve() { return running().serve; },
  };
}

/** A fresh pair for `body`, stopped after it whatever it did. */
export async function withServers<E extends Stoppable, T>(startEtcd: () => Promise<E>, serve: ServeOptions, body: (s: Servers<E>) => Promise<T>): Promise<T> {
  const s = await startServers(startEtcd, serve);
  try {
    return await body(s);
  } finally {
    await stopServers(s);
  }
}
