// The etcd cluster in the simulated world: a 3-member cluster with the real state machine
// under a closed-loop put/range load from 30 clients. Prints acknowledged requests per wall
// second and per simulated second, and world events per wall second.
import { makeEtcdStateMachine } from '../src/server/etcd-state-machine.ts';
import { EtcdCluster } from '../sim/etcd/cluster.ts';

const CLIENTS = 30;
const SIMULATED_US = 20_000_000;

export async function bench(): Promise<void> {
  const cluster = new EtcdCluster({ seed: 1, members: 3, makeStateMachine: makeEtcdStateMachine, recordHistory: false, settings: { snapshotCount: 10_000 } });
  cluster.start();
  cluster.runUntil(2_000_000);
  let ok = 0;
  let seq = 0;
  for (let c = 0; c < CLIENTS; c++) {
    const client = cluster.client(`c${c}`, { requestTimeoutUs: 2_000_000 });
    const loop = (): void => {
      const n = ++seq;
      const key = Buffer.from(`k${n % 100}`).toString('base64');
      const req = n % 3 === 0 ? { path: '/v3/kv/range', body: { key } } : { path: '/v3/kv/put', body: { key, value: Buffer.from(`v${n}`).toString('base64') } };
      client.call(req, c, (r) => {
        if (r.type === 'ok') ok++;
        loop();
      });
    };
    loop();
  }
  const startEvents = cluster.world.loop.steps;
  const t0 = performance.now();
  cluster.runUntil(2_000_000 + SIMULATED_US);
  const wallS = (performance.now() - t0) / 1_000;
  const events = cluster.world.loop.steps - startEvents;
  console.log(`etcd cluster (3 members, ${CLIENTS} clients, ${SIMULATED_US / 1e6} s simulated): ${ok} acknowledged requests in ${wallS.toFixed(2)} s wall`);
  console.log(`  ${Math.round(ok / wallS)} requests per wall second, ${Math.round(ok / (SIMULATED_US / 1e6))} per simulated second, ${Math.round(events / wallS)} world events per wall second`);
  await Promise.resolve();
}
