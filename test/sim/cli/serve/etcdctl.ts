// Runs the real etcdctl (Debian's etcd-client, API v3) against an endpoint, asynchronously so an
// in-process `detcd serve` keeps answering meanwhile.
import { spawn, spawnSync } from 'node:child_process';

export interface EtcdctlResult {
  code: number | null;
  stdout: string;
  /** stdout as bytes (-w protobuf prints a message's bytes, which are not UTF-8). */
  stdoutBytes: Buffer;
  stderr: string;
}

/** etcdctl's path, or undefined when it is not installed. */
export function findEtcdctl(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v etcdctl'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path !== '' ? path : undefined;
}

export interface EtcdctlOptions {
  stdin?: string | undefined;
  /** Kill it when this settles (a watch that lasts as long as something else). */
  until?: Promise<unknown> | undefined;
  /** Kill it this long after its output first matches `pattern`, or after `maxMs` if it never does. */
  killWhen?: { pattern: RegExp; graceMs: number; maxMs: number } | undefined;
  /** Called when the output first matches `killWhen.pattern`. */
  onMatch?: (() => void) | undefined;
  /** etcdctl's own --command-timeout. */
  commandTimeout?: string | undefined;
  /** etcdctl's own --dial-timeout (its default is 2s). */
  dialTimeout?: string | undefined;
  /** Leave stdin open after `stdin` (watch -i reads requests until it is stopped). */
  keepStdinOpen?: boolean | undefined;
}

/** Runs `etcdctl --endpoints=<endpoints> <args>`; never rejects. */
export function etcdctl(endpoints: string, args: readonly string[], o: EtcdctlOptions = {}): Promise<EtcdctlResult> {
  return new Promise((resolve) => {
    const dial = o.dialTimeout === undefined ? [] : [`--dial-timeout=${o.dialTimeout}`];
    const child = spawn('etcdctl', [`--endpoints=${endpoints}`, `--command-timeout=${o.commandTimeout ?? '5s'}`, ...dial, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    const bytes: Buffer[] = [];
    let stderr = '';
    const timers: NodeJS.Timeout[] = [];
    let matched = false;
    child.stdout.on('data', (c: Buffer) => {
      bytes.push(c);
      stdout += c.toString();
      if (o.killWhen !== undefined && !matched && o.killWhen.pattern.test(stdout)) {
        matched = true;
        o.onMatch?.();
        timers.push(setTimeout(() => child.kill('SIGINT'), o.killWhen.graceMs));
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => undefined);
    if (o.keepStdinOpen === true) child.stdin.write(o.stdin ?? '');
    else child.stdin.end(o.stdin ?? '');
    void o.until?.then(() => child.kill('SIGINT'));
    if (o.killWhen !== undefined) timers.push(setTimeout(() => child.kill('SIGINT'), o.killWhen.maxMs));
    child.once('close', (code) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, stdout, stdoutBytes: Buffer.concat(bytes), stderr });
    });
  });
}

/** The error lines etcdctl prints (its client library's JSON warnings carry timestamps; dropped). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('Error') || l.startsWith('Failed'));
}
