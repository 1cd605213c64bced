// `detcd serve` as a library: a simulated cluster advanced in real time (the world's clock
// follows the wall clock), one loopback endpoint per member serving etcd's gRPC API and its JSON
// gateway. With a scenario, its nemesis runs in real time, every client request is recorded,
// and `finish()` heals, checks the history and returns the run's results (serve-finish.ts).
// The tests start it in-process.
import { HarnessAuth } from '../../etcd/harness-auth.ts';
import type { MemberConfig } from '../../../src/server/member-config.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { EtcdClient } from '../../etcd/client.ts';
import { worldClientNet } from '../../etcd/client-net.ts';
import type { HistoryLog } from '../../etcd/history-log.ts';
import type { EtcdCluster } from '../../etcd/cluster.ts';
import { WatchStream } from '../../etcd/watch-stream.ts';
import { Nemesis } from '../../nemesis/nemesis.ts';
import { expandSchedule } from '../../nemesis/schedule.ts';
import { drawSwarm } from '../../nemesis/swarm.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import { observeRun, scenarioCluster } from '../../run/scenario-cluster.ts';
import type { RunObservers } from '../../run/scenario-cluster.ts';
import { nemesisWorld } from '../../run/nemesis-world.ts';
import { runStopOf, type RunStop } from '../../run/run-stop.ts';
import { makeEtcdStateMachine } from '../../run/state-machine.ts';
import { scheduleNeeds } from '../../scenario/fault.ts';
import type { TimedFault } from '../../scenario/fault.ts';
import { defineScenario } from '../../scenario/parse.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { Prng } from '../../world/prng.ts';
import { FaultLog } from './fault-log.ts';
import { ClusterAdmin } from './cluster-admin.ts';
import { HttpBridge } from './http-bridge.ts';
import { MemberGate, ProcessCounter } from './member-gate.ts';
import { startMemberEndpoint, type MemberEndpoint } from './member-endpoint.ts';

export interface ServeOptions {
  /** The first member's port (the others follow it); 0: any free ports. */
  port: number;
  nodes: number;
  seed: number;
  /** Faults to apply in real time, and a history to record and check. */
  scenario?: Scenario | undefined;
  /** How the scenario was named on the command line (for the report). */
  scenarioRef?: string | undefined;
  /** Seconds of serving the nemesis schedule covers (default: an hour). */
  durationSeconds?: number | undefined;
  bug?: PlantedBug | undefined;
  /** The replicated state machine: the etcd applier by default, or a test's. */
  makeStateMachine?: (config: MemberConfig) => StateMachinePort;
  /** Where fault starts and heals are printed (default: nowhere). */
  log?: (line: string) => void;
}

export interface ServeHandle {
  /** The first member's URL. */
  readonly endpoint: string;
  readonly endpoints: readonly MemberEndpoint[];
  readonly port: number;
  readonly scenario: Scenario;
  /** Set when the simulation stopped on a broken invariant; the run is over. */
  readonly fatal: RunStop | undefined;
  /** Resolves when the simulation stops on its own (a broken invariant). */
  readonly stopped: Promise<void>;
  /** The recorded history, with a scenario; undefined otherwise. */
  readonly history: HistoryLog | undefined;
  readonly internals: ServeInternals;
  /** Closes the ports and stops the clock. */
  close(): Promise<void>;
}

/** What serve-finish.ts needs to heal, check and report. */
export interface ServeInternals {
  readonly cluster: EtcdCluster;
  /** The Raft and cluster invariants and the leader timeline, watched from the start. */
  readonly observers: RunObservers;
  readonly nemesis: Nemesis;
  readonly schedule: readonly TimedFault[];
  readonly drawn: Record<string, unknown>;
  readonly probes: readonly EtcdClient[];
  /** The robustness watchers (with a scenario). */
  readonly watchers: readonly WatchStream[];
  /** The probes' and watchers' login once a user turns authentication on. */
  readonly harnessAuth: HarnessAuth;
  readonly seed: number;
  readonly bug: PlantedBug | undefined;
  readonly wallStartMs: number;
}

/** How often the simulation catches up with the wall clock. */
const DRIVE_INTERVAL_MS = 1;
/** Longest the cluster may take to elect its first leader before serve gives up. */
const FIRST_LEADER_TIMEOUT_MS = 30_000;
/** A gateway's simulated client waits this long: the member's own request timeout answers first. */
const GATE_TIMEOUT_US = 15_000_000;
/** Default span of the nemesis schedule when no duration is given. */
const SCHEDULE_SECONDS_DEFAULT = 3_600;

/** The quiet cluster plain `detcd serve` runs: a fast loopback network and disks, no faults. */
export function quietScenario(nodes: number): Scenario {
  return defineScenario({
    name: 'serve',
    description: 'detcd serve without faults',
    cluster: { members: nodes, etcd: { snapshotCount: 100_000, snapshotCatchUpEntries: 5_000 } },
    network: { latencyUsMin: 100, latencyUsMax: 100, fsyncUsMin: 50, fsyncUsMax: 100 },
    nemesis: { packages: [] },
  });
}

const gateId = (m: string): string => `serve-${m}`;
const quietId = (m: string): string => `serve-quiet-${m}`;
const probeId = (m: string): string => `serve-probe-${m}`;
const watchId = (m: string): string => `serve-watch-${m}`;
const AUTH_CLIENT_ID = 'serve-auth';
/** etcd's robustness watchers ask for progress this often. */
const WATCH_PROGRESS_REQUEST_US = 100_000;

/** `members` rotated to start at index `i`. */
function rotated(members: readonly string[], i: number): string[] {
  return [...members.slice(i), ...members.slice(0, i)];
}

/**
 * With a scenario, one watcher per member on every key (prev_kv, progress, require-leader) that
 * resumes elsewhere after disconnects, as `detcd run` has: what they receive is checked by the
 * watch checker, beside the clients' own requests.
 */
function startWatchers(cluster: EtcdCluster, names: readonly string[], history: HistoryLog, timeoutUs: number, authToken: (member: string) => string | undefined): WatchStream[] {
  return names.map((m, i) => {
    const holder: { client?: EtcdClient } = {};
    const net = worldClientNet(cluster.world, watchId(m), (from, message) => holder.client?.receive(from, message));
    holder.client = new EtcdClient(net, { members: rotated(names, i), requestTimeoutUs: timeoutUs, history, authToken });
    return new WatchStream(holder.client, {
      process: `watch-${m}`,
      create: { key: 'AA==', range_end: 'AA==', prev_kv: true, progress_notify: true },
      member: m,
      progressRequestIntervalUs: WATCH_PROGRESS_REQUEST_US,
      requireLeader: true,
    });
  });
}

function clientFor(cluster: EtcdCluster, id: string, member: string, history: HistoryLog | undefined, timeoutUs: number, authToken?: (member: string) => string | undefined): EtcdClient {
  const holder: { client?: EtcdClient } = {};
  const net = worldClientNet(cluster.world, id, (from, message) => holder.client?.receive(from, message));
  holder.client = new EtcdClient(net, { members: [member], requestTimeoutUs: timeoutUs, retriesMax: 0, followLeader: false, history, authToken });
  return holder.client;
}

/** The harness's own login client: any member, no history (its logins are not the user's requests). */
function harnessAuthFor(cluster: EtcdCluster, names: readonly string[], timeoutUs: number): HarnessAuth {
  const holder: { client?: EtcdClient } = {};
  const net = worldClientNet(cluster.world, AUTH_CLIENT_ID, (from, message) => holder.client?.receive(from, message));
  holder.client = new EtcdClient(net, { members: names, requestTimeoutUs: timeoutUs, retriesMax: names.length, followLeader: true, history: undefined });
  return new HarnessAuth(cluster, holder.client);
}

async function waitForLeader(cluster: EtcdCluster): Promise<boolean> {
  const deadline = performance.now() + FIRST_LEADER_TIMEOUT_MS;
  while (cluster.leader() === undefined) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const recording = options.scenario !== undefined;
  const base = options.scenario ?? quietScenario(options.nodes);
  const durationMs = (options.durationSeconds ?? SCHEDULE_SECONDS_DEFAULT) * 1000;
  const input: Scenario = { ...base, cluster: { ...base.cluster, members: options.nodes }, workload: { ...base.workload, durationMs } };
  const root = new Prng(options.seed);
  const { scenario, options: drawn } = drawSwarm(input, root.fork('swarm'));
  const schedule = expandSchedule(scenario, root.fork('nemesis-schedule'));
  const names = Array.from({ length: scenario.cluster.members }, (_, i) => `n${i + 1}`);
  const clientIds = [...names.flatMap((m) => [gateId(m), quietId(m), probeId(m), watchId(m)]), AUTH_CLIENT_ID];
  const cluster = scenarioCluster({
    scenario, seed: options.seed, bug: options.bug, clients: clientIds,
    ...scheduleNeeds(schedule),
    traceLog: false,
    // Real clients see what etcd 3.4 does on a member without a leader: their requests wait.
    proposalsWaitForLeader: true,
  }, options.makeStateMachine ?? makeEtcdStateMachine);
  const observers = observeRun(cluster);
  const world = cluster.world;
  const history = recording ? cluster.history : undefined;
  const harnessAuth = harnessAuthFor(cluster, names, scenario.clients.requestTimeoutMs * 1000);
  const watchers = history === undefined || !scenario.clients.watchers ? [] : startWatchers(cluster, names, history, scenario.clients.requestTimeoutMs * 1000, harnessAuth.tokenFor);
  const nemesis = new Nemesis(nemesisWorld(cluster, scenario, () => undefined), root.fork('nemesis'));
  const faults = new FaultLog(nemesis, options.log ?? (() => undefined));

  const gates: MemberGate[] = [];
  const endpoints: MemberEndpoint[] = [];
  const removed = (m: string): boolean => cluster.hosts.get(m)?.member.removed === true;
  const serving = (m: string): boolean => world.isUp(m) && !removed(m);
  const wasUp = new Map<string, boolean>();
  const wasReady = new Map<string, boolean>();
  /**
   * etcd serves its client port once its server is ready (a leader known, itself published),
   * once per process: ready from the first leader this member knows since it started (or
   * restarted) until it goes down.
   */
  const ready = (m: string, up: boolean): boolean => up && (wasReady.get(m) === true || (cluster.hosts.get(m)?.member.leader ?? 0) !== 0);
  const wallStart = performance.now();
  let fatal: RunStop | undefined;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const drive = (): void => {
    if (fatal !== undefined) return;
    try {
      world.run({ untilUs: Math.max(world.loop.now(), Math.floor((performance.now() - wallStart) * 1_000)) });
      faults.poll(world.loop.now());
      if (recording) harnessAuth.refresh();
      for (const g of gates) {
        const up = serving(g.member);
        const endpoint = endpoints.find((e) => e.member === g.member);
        if (wasUp.get(g.member) === true && !up) g.memberDown();
        // A killed etcd's port refuses connections until it restarts (a removed one, for good below).
        if (wasUp.get(g.member) !== up && !removed(g.member)) endpoint?.setRunning(up);
        wasUp.set(g.member, up);
        const nowReady = ready(g.member, up);
        if (endpoint !== undefined && nowReady !== (wasReady.get(g.member) === true)) {
          endpoint.setReady(nowReady);
          wasReady.set(g.member, nowReady);
        }
        // A member that applied its own removal stops for good, as etcd's process exits
        // ("the member has been permanently removed from the cluster"): its port is closed
        // and refuses connections, as a real removed member's does.
        if (removed(g.member)) void endpoint?.close();
      }
    } catch (err) {
      // A broken invariant ends the run (the checkers report it); anything else is a harness bug.
      clearInterval(timer);
      stop();
      fatal = runStopOf(err, world.loop.now());
      if (fatal === undefined) throw err;
      options.log?.(`detcd serve: the simulation stopped: ${fatal.message}`);
    }
  };
  const run = (fn: () => void): boolean => {
    if (fatal !== undefined) return false;
    drive();
    fn();
    drive();
    return true;
  };
  const timer = setInterval(drive, DRIVE_INTERVAL_MS);

  const processes = new ProcessCounter();
  const admin = new ClusterAdmin(cluster, (m) => endpoints.find((e) => e.member === m)?.url);
  try {
    for (const [i, m] of names.entries()) {
      const gate = new MemberGate(m, clientFor(cluster, gateId(m), m, history, GATE_TIMEOUT_US), clientFor(cluster, quietId(m), m, undefined, GATE_TIMEOUT_US), run, () => serving(m), processes);
      gates.push(gate);
      const port = options.port === 0 ? 0 : options.port + i;
      endpoints.push(await startMemberEndpoint({ gate, admin }, port, new HttpBridge(gate, admin)));
    }
  } catch (err) {
    // A taken port fails here, before any wait: the command line says so at once.
    clearInterval(timer);
    for (const e of endpoints) await e.close();
    throw err;
  }
  // Like etcd's robustness tests, faults start once the new cluster has a leader (the ports are
  // open meanwhile, as etcd's are, holding their connections until the member is ready).
  if (!(await waitForLeader(cluster))) {
    clearInterval(timer);
    for (const e of endpoints) await e.close();
    throw new Error('detcd serve: no leader elected');
  }
  nemesis.schedule(schedule, world.loop.now());
  const probes = names.map((m) => clientFor(cluster, probeId(m), m, history, scenario.clients.requestTimeoutMs * 1000, harnessAuth.tokenFor));
  const first = endpoints[0] as MemberEndpoint;
  return {
    endpoint: first.url,
    endpoints,
    port: first.port,
    scenario,
    get fatal() {
      return fatal;
    },
    stopped,
    history,
    internals: { cluster, observers, nemesis, schedule, drawn, probes, watchers, harnessAuth, seed: options.seed, bug: options.bug, wallStartMs: wallStart },
    close: async () => {
      clearInterval(timer);
      // Streams end with the ports: recorded closed here, before the sockets' own events.
      for (const g of gates) g.portsClosed();
      for (const e of endpoints) await e.close();
      stop();
    },
  };
}
