// Runs the real etcdctl (Debian's etcd-client, API v3) against an endpoint, asynchronously so an
// in-process `detcd serve` keeps answering meanwhile.
import { spawn, spawnSync } from 'node:child_process';

export interface EtcdctlResult {
  code: number | null;
  stdout: string;
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
  /** Kill it after this long (streaming commands: watch, keep-alive). */
  killAfterMs?: number | undefined;
  /** Kill it when this settles (a watch that lasts as long as something else). */
  until?: Promise<unknown> | undefined;
  /** etcdctl's own --command-timeout. */
  commandTimeout?: string | undefined;
}

/** Runs `etcdctl --endpoints=<endpoints> <args>`; never rejects. */
export function etcdctl(endpoints: string, args: readonly string[], o: EtcdctlOptions = {}): Promise<EtcdctlResult> {
  return new Promise((resolve) => {
    const child = spawn('etcdctl', [`--endpoints=${endpoints}`, `--command-timeout=${o.commandTimeout ?? '5s'}`, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
    void o.until?.then(() => child.kill('SIGINT'));
    const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), o.killAfterMs);
    child.once('close', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The error lines etcdctl prints (its client library's JSON warnings carry timestamps; dropped). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('Error') || l.startsWith('Failed'));
}
