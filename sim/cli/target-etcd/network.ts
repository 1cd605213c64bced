// The network between real etcd members. As root: one network namespace per member, a veth pair
// from each into a bridge the harness's clients sit on, and an nftables table per namespace
// whose rules carry the nemesis's partitions, one-way cuts, clogs and random loss. Without root
// (or without `ip`/`nft`) the members share loopback and network faults are refused before the
// run starts. Every name comes from names.ts, so leftovers can be found and removed later.
import { execFile, execFileSync } from 'node:child_process';
import type { RunNames } from './names.ts';
import { NFT_TABLE } from './names.ts';

export type NetworkMode = 'netns' | 'loopback';

/** Directed cut: messages from member `from` to member `to` are dropped (1-based indexes). */
export interface IndexCut {
  readonly from: number;
  readonly to: number;
}

export interface NetworkFaults {
  cuts: IndexCut[];
  /** Members whose every packet (peers and clients) is dropped. */
  clogged: Set<number>;
  /** Percent of peer packets dropped at random; 0 for none. */
  dropPercent: number;
}

const CLIENT_PORT_BASE = 23790;
const PEER_PORT_BASE = 23800;
const ETCD_CLIENT_PORT = 2379;
const ETCD_PEER_PORT = 2380;

/** Runs a command synchronously; throws with its stderr on failure. */
export function sh(cmd: string, args: readonly string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input, timeout: 10_000 });
}

/** True when this process may build namespaces: root, with `ip` and `nft` on the path. */
export function namespacesAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    sh('ip', ['-V']);
    sh('nft', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Runs `cmd` with `input` on stdin, without blocking the event loop; rejects with its stderr. */
export type ExecAsync = (cmd: string, args: readonly string[], input: string) => Promise<void>;

export const execAsync: ExecAsync = (cmd, args, input) => new Promise((resolve, reject) => {
  const child = execFile(cmd, args, { timeout: 10_000 }, (err, _stdout, stderr) => {
    if (err === null) resolve();
    else reject(new Error(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`));
  });
  // A program that exits without reading its input (ss, or nft failing early) closes the pipe:
  // the write's EPIPE is no failure of its own (the exit status says how the command went), and
  // unhandled it killed the harness (real swarm seeds 302, 307, 314: 'write EPIPE' at a heal's reset).
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(input);
});

export class RealNetwork {
  private readonly faults: NetworkFaults = { cuts: [], clogged: new Set(), dropPercent: 0 };
  /** Member pairs ("i-j", i < j) whose traffic the rules in force drop, in either direction. */
  private severed = new Set<string>();
  private built = false;
  private destroyed = false;
  /**
   * The rule sets asked for and in force, numbered: each fault change asks for one. The
   * members' rules are written by a queue that runs beside the harness (under load one
   * `ip netns exec nft` took ~0.1 s, and a change writes every member's table: done
   * synchronously, it froze the clients' timers ~0.5 s per change on 5 members). A change
   * asked while one is being written is written after it; several asked meanwhile are written
   * once, as the last of them (each table is replaced whole, so only the newest set matters).
   */
  private asked = 0;
  private inForce = 0;
  private writing: Promise<void> | undefined;
  private readonly waiting: { generation: number; resolve: () => void }[] = [];

  constructor(
    readonly mode: NetworkMode,
    readonly names: RunNames,
    readonly members: number,
    /** Where a rule set that could not be written is reported (the run fails with it). */
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly exec: ExecAsync = execAsync,
    /** Told each time a rule set is in force: the member pairs it severs and the members it clogs (quorum-time.ts). */
    private readonly onInForce: (severed: ReadonlySet<string>, clogged: ReadonlySet<number>) => void = () => undefined,
  ) {}

  clientUrl(i: number): string {
    return this.mode === 'netns' ? `http://${this.names.memberIp(i)}:${ETCD_CLIENT_PORT}` : `http://127.0.0.1:${CLIENT_PORT_BASE + i + 10 * (this.names.ownerPid % 100)}`;
  }

  peerUrl(i: number): string {
    return this.mode === 'netns' ? `http://${this.names.memberIp(i)}:${ETCD_PEER_PORT}` : `http://127.0.0.1:${PEER_PORT_BASE + i + 10 * (this.names.ownerPid % 100)}`;
  }

  /** The command prefix that runs a program inside member i's network. */
  spawnPrefix(i: number): string[] {
    return this.mode === 'netns' ? ['ip', 'netns', 'exec', this.names.netns(i)] : [];
  }

  /** Creates the bridge, the namespaces and their veth pairs (netns mode), idempotently removed by destroy(). */
  build(): void {
    if (this.mode === 'loopback') return;
    const n = this.names;
    this.built = true;
    sh('ip', ['link', 'add', n.bridge, 'type', 'bridge']);
    sh('ip', ['addr', 'add', `${n.hostIp}/24`, 'dev', n.bridge]);
    sh('ip', ['link', 'set', n.bridge, 'up']);
    for (let i = 1; i <= this.members; i++) {
      const ns = n.netns(i);
      sh('ip', ['netns', 'add', ns]);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['link', 'add', n.veth(i), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      sh('ip', ['link', 'set', n.veth(i), 'master', n.bridge]);
      sh('ip', ['link', 'set', n.veth(i), 'up']);
      sh('ip', ['-n', ns, 'addr', 'add', `${n.memberIp(i)}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    }
    // Before anything runs, the empty rule sets are written at once.
    for (let i = 1; i <= this.members; i++) sh('ip', ['netns', 'exec', this.names.netns(i), 'nft', '-f', '-'], this.rulesFor(i));
  }

  setCuts(cuts: readonly IndexCut[]): void {
    this.faults.cuts = [...cuts];
    this.apply();
  }

  setClogged(i: number, on: boolean): void {
    if (on) this.faults.clogged.add(i);
    else this.faults.clogged.delete(i);
    this.apply();
  }

  setDropPercent(p: number): void {
    if (!Number.isInteger(p) || p < 0 || p > 100) throw new Error(`RealNetwork: dropPercent ${p} out of 0..100`);
    this.faults.dropPercent = p;
    this.apply();
  }

  /** Removes every fault: an empty rule set in every namespace. */
  healAll(): void {
    this.faults.cuts = [];
    this.faults.clogged.clear();
    this.faults.dropPercent = 0;
    this.apply();
  }

  /** The nftables script for member i's namespace under the current faults. */
  rulesFor(i: number): string {
    return nftRules(this.names, i, this.faults);
  }

  /** Resolves once every rule set asked for so far is in force (or was superseded by one that is). */
  applied(): Promise<void> {
    const generation = this.asked;
    if (this.inForce >= generation) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ generation, resolve }));
  }

  /** Asks for the current faults' rule sets; they are written after those asked before. */
  private apply(): void {
    if (this.mode === 'loopback') {
      const any = this.faults.cuts.length > 0 || this.faults.clogged.size > 0 || this.faults.dropPercent > 0;
      if (any) throw new Error('RealNetwork: network faults need network namespaces (run as root with ip and nft)');
      return;
    }
    this.asked++;
    this.writing ??= this.writeQueued().catch((err: unknown) => {
      // Not expected (each write's failure is caught): report it and release every waiter.
      this.writing = undefined;
      this.onError(err);
      this.release(this.asked);
    });
  }

  /** Writes the newest rule sets until none is asked for that is not in force. */
  private async writeQueued(): Promise<void> {
    while (this.inForce < this.asked) {
      const generation = this.asked;
      const scripts = Array.from({ length: this.members }, (_, k) => this.rulesFor(k + 1));
      const severed = severedPairs(this.members, this.faults);
      const clogged = new Set(this.faults.clogged);
      // One namespace's failure must not leave the others unwritten: each is written, then each failure is reported.
      const results = await Promise.allSettled(scripts.map((script, k) => this.exec('ip', ['netns', 'exec', this.names.netns(k + 1), 'nft', '-f', '-'], script)));
      for (const r of results) if (r.status === 'rejected' && !this.destroyed) this.onError(r.reason);
      for (const pair of healedPairs(this.severed, severed)) this.resetPeerConnections(pair);
      this.severed = severed;
      this.onInForce(severed, clogged);
      this.release(generation);
    }
    this.writing = undefined;
  }

  private release(generation: number): void {
    this.inForce = generation;
    const done = this.waiting.filter((x) => x.generation <= generation);
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((x) => x.generation > generation));
    for (const w of done) w.resolve();
  }

  /**
   * A severed pair healed: reset the TCP connections between the two members, in both
   * namespaces. Packets dropped by the rules leave every peer connection retransmitting with
   * TCP's exponential backoff (200 ms, 400 ms, 800 ms…), so without this a partition of 0.8 s
   * kept a real 3-member cluster without a serving leader 2.5 s past the heal (kv-api seed 1:
   * the isolated leader stepped down 0.6 s after the heal for want of heartbeat answers, a new
   * election came at 2.5 s), and the run's traffic was mostly timeouts. etcd's peer streams
   * redial a reset connection within 100 ms: the heal takes effect as the scenario's schedule
   * says, as it does in the simulated network. What the partition dropped stays dropped.
   */
  private resetPeerConnections(pair: string): void {
    const [i, j] = pair.split('-').map(Number) as [number, number];
    // Not waited for: under load each `ip netns exec` takes about 0.1 s, and a 5-member heal
    // resets up to 20 pairs' ends, which a synchronous run would freeze the harness's clients
    // and timers for (their timeouts fired seconds late). A reset that fails (the namespace
    // already removed at the end of the run) leaves the connection to TCP's own backoff.
    for (const [here, there] of [[i, j], [j, i]] as const) void this.exec('ip', ['netns', 'exec', this.names.netns(here), 'ss', '-K', 'dst', this.names.memberIp(there)], '').catch(() => undefined);
  }

  /** Removes the namespaces, veths and bridge this run made. Safe to call twice (await applied() first: a rule set written meanwhile fails). */
  destroy(): void {
    this.destroyed = true;
    if (this.mode === 'loopback' || !this.built) return;
    this.built = false;
    for (let i = 1; i <= this.members; i++) {
      tryRun('ip', ['link', 'del', this.names.veth(i)]);
      tryRun('ip', ['netns', 'del', this.names.netns(i)]);
    }
    tryRun('ip', ['link', 'del', this.names.bridge]);
  }
}

export function tryRun(cmd: string, args: readonly string[]): boolean {
  try {
    sh(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/** The member pairs ("i-j", i < j) whose packets `faults` drop in at least one direction (random loss below 100 % aside). */
export function severedPairs(members: number, faults: NetworkFaults): Set<string> {
  const out = new Set<string>();
  const add = (a: number, b: number): void => void out.add(a < b ? `${a}-${b}` : `${b}-${a}`);
  for (const c of faults.cuts) if (c.from !== c.to) add(c.from, c.to);
  for (let i = 1; i <= members; i++) {
    for (let j = 1; j <= members; j++) if (i !== j && (faults.clogged.has(i) || faults.dropPercent >= 100)) add(i, j);
  }
  return out;
}

/** The pairs severed before and not any more: their connections are reset (RealNetwork.resetPeerConnections). */
export function healedPairs(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  return [...before].filter((pair) => !after.has(pair));
}

/** The nftables script for member i's namespace under `faults` (replaces the table atomically). */
export function nftRules(n: RunNames, i: number, faults: NetworkFaults): string {
  const lines = [`table inet ${NFT_TABLE}`, `delete table inet ${NFT_TABLE}`, `table inet ${NFT_TABLE} {`];
  const input: string[] = [];
  const output: string[] = [];
  if (faults.clogged.has(i)) {
    input.push('iifname != "lo" drop');
    output.push('oifname != "lo" drop');
  }
  for (const c of faults.cuts) if (c.to === i) input.push(`ip saddr ${n.memberIp(c.from)} drop`);
  // Random loss on peer traffic only (never the clients'), like the simulated lossy network.
  if (faults.dropPercent >= 100) input.push(`ip saddr != ${n.hostIp} iifname != "lo" drop`);
  else if (faults.dropPercent > 0) input.push(`ip saddr != ${n.hostIp} iifname != "lo" numgen random mod 100 < ${faults.dropPercent} drop`);
  for (const [hook, rules] of [['input', input], ['output', output]] as const) {
    lines.push(`  chain ${hook} {`, `    type filter hook ${hook} priority 0; policy accept;`);
    for (const r of rules) lines.push(`    ${r}`);
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
