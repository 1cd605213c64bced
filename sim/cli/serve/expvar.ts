// GET /debug/vars as etcd 3.4 answers it: Go's expvar handler, the variables etcd publishes in
// name order, one per line — "cmdline" (the process's arguments), "file_descriptor_limit" (the
// soft RLIMIT_NOFILE, 0 when unknown), "memstats" (Go's runtime.MemStats) and "raft.status"
// (the member's raft.Status, its own MarshalJSON form). Tools that read it (expvarmon, dashboards)
// find every field where they look; what a Node process cannot say in Go's terms is 0:
//   - memstats carries the figures V8 has under Go's names (Sys the resident set, HeapSys the
//     heap reserved, HeapAlloc/Alloc/HeapInuse the heap used, OtherSys external memory); Go's
//     allocator counters, GC pauses and size classes are there, zero;
//   - raft.status is the member's raft node; a killed member's (no node) is raft's zero status.
import { readFileSync } from 'node:fs';
import { goJson } from './go-marshal.ts';
import type { Raft } from '../../../src/raft/raft.ts';
import type { StateType } from '../../../src/raft/types.ts';
import type { ProgressState } from '../../../src/raft/tracker/progress.ts';

/** Go's size classes (Go 1.19) that MemStats.BySize lists. */
const SIZE_CLASSES = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704,
  768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
  9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432,
];
/** MemStats' circular buffers of recent GC pauses. */
const PAUSES_KEPT = 256;

const RAFT_STATES: Record<StateType, string> = { follower: 'StateFollower', 'pre-candidate': 'StatePreCandidate', candidate: 'StateCandidate', leader: 'StateLeader' };
const PROGRESS_STATES: Record<ProgressState, string> = { probe: 'StateProbe', replicate: 'StateReplicate', snapshot: 'StateSnapshot' };

function memStats(): Record<string, unknown> {
  const m = process.memoryUsage();
  return {
    Alloc: m.heapUsed, TotalAlloc: 0, Sys: m.rss, Lookups: 0, Mallocs: 0, Frees: 0,
    HeapAlloc: m.heapUsed, HeapSys: m.heapTotal, HeapIdle: m.heapTotal - m.heapUsed, HeapInuse: m.heapUsed, HeapReleased: 0, HeapObjects: 0,
    StackInuse: 0, StackSys: 0, MSpanInuse: 0, MSpanSys: 0, MCacheInuse: 0, MCacheSys: 0, BuckHashSys: 0, GCSys: 0, OtherSys: m.external,
    NextGC: 0, LastGC: 0, PauseTotalNs: 0, PauseNs: new Array<number>(PAUSES_KEPT).fill(0), PauseEnd: new Array<number>(PAUSES_KEPT).fill(0),
    NumGC: 0, NumForcedGC: 0, GCCPUFraction: 0, EnableGC: true, DebugGC: false,
    BySize: SIZE_CLASSES.map((Size) => ({ Size, Mallocs: 0, Frees: 0 })),
  };
}

/** The soft limit on open files (Go's runtime.FDLimit), from /proc; 0 where there is none. */
function fileDescriptorLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.slice('Max open files'.length).trim().split(/\s+/)[0]);
    return Number.isSafeInteger(soft) ? soft : 0;
  } catch {
    return 0;
  }
}

/** raft.Status.MarshalJSON: ids in hex, the leader's progress by member (empty elsewhere). */
export function raftStatusJson(raft: Raft | undefined): string {
  if (raft === undefined) return '{"id":"0","term":0,"vote":"0","commit":0,"lead":"0","raftState":"StateFollower","applied":0,"progress":{},"leadtransferee":"0"}';
  const hex = (n: number): string => n.toString(16);
  const progress: string[] = [];
  if (raft.state === 'leader') raft.prs.visit((id, pr) => progress.push(`"${hex(id)}":{"match":${pr.match},"next":${pr.next},"state":"${PROGRESS_STATES[pr.state]}"}`));
  return `{"id":"${hex(raft.id)}","term":${raft.term},"vote":"${hex(raft.vote)}","commit":${raft.raftLog.committed},"lead":"${hex(raft.lead)}","raftState":"${RAFT_STATES[raft.state]}","applied":${raft.raftLog.applied},"progress":{${progress.join(',')}},"leadtransferee":"${hex(raft.leadTransferee)}"}`;
}

/** The whole /debug/vars body, as expvar's handler writes it. */
export function debugVars(raft: Raft | undefined): string {
  const vars: [string, string][] = [
    ['cmdline', goJson(process.argv)],
    ['file_descriptor_limit', String(fileDescriptorLimit())],
    ['memstats', goJson(memStats())],
    ['raft.status', raftStatusJson(raft)],
  ];
  return `{\n${vars.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(',\n')}\n}\n`;
}
