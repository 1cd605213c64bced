// The client side of a run: one etcd client per workload worker (each starting at its own
// member, moving on when that member stops answering), a client for periodic jobs, and one watch
// client per member (all keys, prev_kv, progress requests every 100 ms unless the scenario turns
// them off: etcd's robustness watchers) that resumes after disconnects. Everything records into one history.
import { EtcdClient } from '../etcd/client.ts';
import type { ClientNet } from '../etcd/client-net.ts';
import { worldClientNet } from '../etcd/client-net.ts';
import type { HistoryLog } from '../etcd/history-log.ts';
import type { RunWatcher } from '../etcd/watch-stream.ts';
import { WatchStream } from '../etcd/watch-stream.ts';
import { WatchIdsStream } from '../etcd/watch-ids-stream.ts';
import type { Scenario } from '../scenario/schema.ts';
import { b64 } from '../workload/etcd-request.ts';
import type { World } from '../world/world.ts';
import { watchShapes } from './watch-shapes.ts';
import { withFields } from '../../src/object/with-fields.ts';

export const WORKER_CLIENT_PREFIX = 'c';
export const JOB_CLIENT = 'jobs';
export const WATCH_CLIENT_PREFIX = 'w-';
/** Watch processes are named, apart from the numbered workload processes. */
export const watchProcess = (member: string): string => `watch-${member}`;
const WATCH_PROGRESS_REQUEST_US = 100_000;
/** `clients.watchShapes`: member i's shaped watch opens (from now) this long times i + 1 into the run. */
const SHAPED_WATCH_OPEN_US = 500_000;
/** `clients.watchIds`: member i's stream of several watches opens this long times i + 1 into the run. */
const WATCH_IDS_OPEN_US = 300_000;

/** Every client endpoint a run registers, in a stable order. */
export function clientEndpoints(scenario: Scenario, members: readonly string[]): string[] {
  const out = Array.from({ length: scenario.clients.count }, (_, i) => `${WORKER_CLIENT_PREFIX}${i}`);
  out.push(JOB_CLIENT);
  if (scenario.clients.watchers) for (const m of members) out.push(`${WATCH_CLIENT_PREFIX}${m}`);
  return out;
}

/** `members` rotated so that it starts at index `i`. */
function rotated(members: readonly string[], i: number): string[] {
  const k = i % members.length;
  return [...members.slice(k), ...members.slice(0, k)];
}

/** How a client gets its network: the simulated world's, or real sockets (the real-etcd target). */
export type ClientNetFactory = (id: string, onMessage: (from: string, message: unknown) => void) => ClientNet;

export const worldNets = (world: World): ClientNetFactory => (id, onMessage) => worldClientNet(world, id, onMessage);

export function makeClient(world: World | ClientNetFactory, id: string, members: readonly string[], scenario: Scenario, history: HistoryLog): EtcdClient {
  const holder: { client?: EtcdClient } = {};
  const netFor = typeof world === 'function' ? world : worldNets(world);
  const net = netFor(id, (from, message) => holder.client?.receive(from, message));
  const client = new EtcdClient(net, {
    members,
    requestTimeoutUs: scenario.clients.requestTimeoutMs * 1000,
    followLeader: scenario.clients.connect === 'cluster',
    roundRobin: scenario.clients.connect === 'round-robin',
    history,
  });
  holder.client = client;
  return client;
}

export interface RunClients {
  workers: EtcdClient[];
  jobs: EtcdClient;
  watchers: RunWatcher[];
}

/**
 * Watchers ask for progress notifications when `clients.watchProgressRequests` is on and the
 * target allows it: `targetAllowsProgressRequests` false for a real etcd with etcd#15220, which
 * answers them ahead of the events they cover (see target-etcd/known-bugs.ts).
 */
export function startClients(world: World | ClientNetFactory, members: readonly string[], scenario: Scenario, history: HistoryLog, targetAllowsProgressRequests = true): RunClients {
  const watchProgressRequests = targetAllowsProgressRequests && scenario.clients.watchProgressRequests;
  const workers = Array.from({ length: scenario.clients.count }, (_, i) => makeClient(world, `${WORKER_CLIENT_PREFIX}${i}`, rotated(members, i), scenario, history));
  const jobs = makeClient(world, JOB_CLIENT, members, withFields(scenario, { clients: withFields(scenario.clients, { connect: 'cluster' as const }) }), history);
  const watchers: RunWatcher[] = [];
  if (scenario.clients.watchers) {
    members.forEach((m, i) => {
      const client = makeClient(world, `${WATCH_CLIENT_PREFIX}${m}`, rotated(members, i), scenario, history);
      watchers.push(
        new WatchStream(client, {
          process: watchProcess(m),
          create: { key: b64('\0'), range_end: b64('\0'), prev_kv: true, progress_notify: true },
          member: m,
          progressRequestIntervalUs: watchProgressRequests ? WATCH_PROGRESS_REQUEST_US : 0,
          requireLeader: true,
          resumeAtCompactRevision: scenario.clients.watchResumeAtCompactRevision,
          rotateEveryUs: scenario.clients.watchRotateMs * 1000,
        }),
      );
      // `clients.watchIds`: one more stream on this member holding several watches, ids chosen and numbered.
      if (scenario.clients.watchIds) {
        client.net.schedule(WATCH_IDS_OPEN_US * (i + 1), () => watchers.push(new WatchIdsStream(client, { process: `${watchProcess(m)}/ids`, member: m })));
      }
      // Without progress requests a ranged or filtered watch learns no revision it has no event
      // for, and the liveness phase would wait for it to catch up: no shapes then (real etcd).
      if (!scenario.clients.watchShapes || !watchProgressRequests) return;
      const shapes = watchShapes(scenario.workload.keys);
      const shape = shapes[i % shapes.length]!;
      // Opened "from now" a while into the run, after the first writes: a watch without a start
      // revision must start right after the revision it was created at.
      client.net.schedule(SHAPED_WATCH_OPEN_US * (i + 1), () => watchers.push(
        new WatchStream(client, {
          process: `${watchProcess(m)}/${shape.name}`,
          create: shape.create,
          member: m,
          progressRequestIntervalUs: watchProgressRequests ? WATCH_PROGRESS_REQUEST_US : 0,
          requireLeader: true,
          resumeAtCompactRevision: scenario.clients.watchResumeAtCompactRevision,
          rotateEveryUs: scenario.clients.watchRotateMs * 1000,
        }),
      ));
    });
  }
  return { workers, jobs, watchers };
}
