// One real etcd member: its process, data directory and log. The nemesis kills it with SIGKILL
// (it loses whatever was not fsynced, as a power cut would) and restarts it from the same data
// directory, or pauses it with SIGSTOP and resumes it with SIGCONT.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EtcdMemberSpec {
  readonly name: string;
  /** 1-based member index. */
  readonly index: number;
  readonly binary: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly initialCluster: string;
  readonly token: string;
  readonly heartbeatMs: number;
  readonly electionMs: number;
  readonly snapshotCount: number;
  readonly preVote: boolean;
  /** --experimental-watch-progress-notify-interval, in ms (left to etcd's default when absent). */
  readonly progressNotifyIntervalMs?: number;
  /** Command prefix that enters the member's network namespace, if any. */
  readonly prefix: readonly string[];
}

export type MemberState = 'up' | 'paused' | 'down';

/** Characters of a member's last log line shown in a refusal. */
const LOG_LINE_SHOWN_MAX = 300;

export class EtcdMember {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  state: MemberState = 'down';
  starts = 0;
  /** How the process last ended when nobody killed it ("exit status 1", "signal SIGSEGV"): an etcd that would not start. */
  endedOnItsOwn: string | undefined;
  private killing = false;

  constructor(readonly spec: EtcdMemberSpec) {
    mkdirSync(spec.dataDir, { recursive: true });
  }

  args(): string[] {
    const s = this.spec;
    return [
      '--name', s.name,
      '--data-dir', s.dataDir,
      '--listen-client-urls', s.clientUrl,
      '--advertise-client-urls', s.clientUrl,
      '--listen-peer-urls', s.peerUrl,
      '--initial-advertise-peer-urls', s.peerUrl,
      '--initial-cluster', s.initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', s.token,
      '--heartbeat-interval', String(s.heartbeatMs),
      '--election-timeout', String(s.electionMs),
      '--snapshot-count', String(s.snapshotCount),
      `--pre-vote=${s.preVote}`,
      ...(s.progressNotifyIntervalMs !== undefined ? ['--experimental-watch-progress-notify-interval', `${s.progressNotifyIntervalMs}ms`] : []),
      '--logger', 'zap',
      '--log-outputs', 'stderr',
    ];
  }

  start(): void {
    if (this.child !== undefined) throw new Error(`etcd member ${this.spec.name}: start while running`);
    const log = openSync(this.spec.logFile, 'a');
    const argv = [...this.spec.prefix, this.spec.binary, ...this.args()];
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.state = 'up';
    this.starts++;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.killing) this.endedOnItsOwn = signal === null ? `exit status ${String(code)}` : `signal ${signal}`;
        this.killing = false;
        if (this.child === child) {
          this.child = undefined;
          this.state = 'down';
        }
        resolve();
      });
      child.once('error', (err) => {
        this.endedOnItsOwn = `could not start: ${err.message}`;
        resolve();
      });
    });
  }

  /** SIGKILL: no chance to fsync or close anything. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.killing = true;
    child.kill('SIGKILL');
    await this.exited;
  }

  pause(): void {
    if (this.state !== 'up' || this.child === undefined) return;
    this.child.kill('SIGSTOP');
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused' || this.child === undefined) return;
    this.child.kill('SIGCONT');
    this.state = 'up';
  }

  /** The last line the process wrote to its log (etcd's reason for exiting), cut short. */
  lastLogLine(): string {
    try {
      const lines = readFileSync(this.spec.logFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const last = lines.at(-1) ?? '';
      return last.length > LOG_LINE_SHOWN_MAX ? `${last.slice(0, LOG_LINE_SHOWN_MAX)}…` : last;
    } catch {
      return '';
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }
}

/** Where member `name`'s data and log live under the run's working folder. */
export function memberPaths(workDir: string, name: string): { dataDir: string; logFile: string } {
  return { dataDir: join(workDir, name), logFile: join(workDir, `${name}.log`) };
}
