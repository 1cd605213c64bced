// Finds and removes what an earlier real-etcd run left behind when its harness died without
// cleaning up (kill -9, a crash, a power cut): namespaces, veths, bridges, etcd processes and
// working folders whose names say detcd made them for a process that no longer runs. Anything
// whose owner still runs (another harness at work) or whose name is not ours is left alone.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerOfLink, ownerOfNetns, TOKEN_PREFIX } from './names.ts';
import { sh, tryRun } from './network.ts';

export const WORK_DIR_PREFIX = 'detcd-etcd-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What was removed, for a log line. */
export interface Removed {
  processes: number;
  namespaces: string[];
  links: string[];
  dirs: string[];
}

export function removeLeftovers(): Removed {
  const out: Removed = { processes: 0, namespaces: [], links: [], dirs: [] };
  out.processes = killOrphanEtcds();
  if (process.getuid?.() === 0) {
    for (const ns of listNetns()) {
      const owner = ownerOfNetns(ns);
      if (owner === undefined || alive(owner)) continue;
      for (const pid of nsPids(ns)) tryKill(pid);
      if (tryRun('ip', ['netns', 'del', ns])) out.namespaces.push(ns);
    }
    for (const link of listLinks()) {
      const owner = ownerOfLink(link);
      if (owner === undefined || alive(owner)) continue;
      if (tryRun('ip', ['link', 'del', link])) out.links.push(link);
    }
  }
  for (const name of safeReaddir(tmpdir())) {
    const m = new RegExp(`^${WORK_DIR_PREFIX}(\\d+)$`).exec(name);
    if (m === null || alive(Number(m[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
    out.dirs.push(name);
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function listNetns(): string[] {
  try {
    return sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((s) => s !== '');
  } catch {
    return [];
  }
}

function nsPids(ns: string): number[] {
  try {
    return sh('ip', ['netns', 'pids', ns]).split('\n').filter((s) => /^\d+$/.test(s)).map(Number);
  } catch {
    return [];
  }
}

function listLinks(): string[] {
  try {
    return sh('ip', ['-o', 'link', 'show']).split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '').filter((s) => s !== '');
  } catch {
    return [];
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** etcd processes started with a detcd cluster token whose harness is gone (loopback runs). */
function killOrphanEtcds(): number {
  let killed = 0;
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const m = new RegExp(`${TOKEN_PREFIX}(\\d+)`).exec(cmdline);
    if (m === null || alive(Number(m[1]))) continue;
    // A stopped (SIGSTOP) process must be continued to die promptly on some kernels; SIGKILL suffices on Linux.
    tryKill(Number(entry));
    killed++;
  }
  return killed;
}
