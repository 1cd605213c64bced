// The step loop of the etcdctl differential tests (etcdctl-vs-etcd, etcdctl-flags-vs-etcd,
// snapshot-vs-etcd, three-members-vs-etcd): one step is an etcdctl command (placeholders
// filled, stdin given, a streaming command stopped a moment after its output shows what it
// must) or a raw unary gRPC call; what it printed — stdout, etcdctl's error lines, its exit
// code — comes back as text for the test's normaliser. The same script runs against a real etcd
// and against `detcd serve`, and `differences` lists the steps whose normalised outputs differ.
import { decodeResponse, RawClient, type Reply } from '../sim/cli/serve/grpc-diff/raw-client.ts';
import { errorLines, etcdctl } from '../sim/cli/serve/etcdctl.ts';
import type { Identities, MemberIdentity } from './etcdctl-normalize.ts';
import { runGrpcStep, type GrpcStep } from './grpc-steps.ts';
import { untilRefused } from './port-refused.ts';

/** After a streaming command printed what it must, how long it may still print more (it must not). */
const GRACE_MS = 500;
/** A streaming command that never prints what it must is stopped after this (the comparison then fails). */
const STREAM_MS_MAX = 20_000;

export interface CtlStep {
  readonly args?: readonly string[];
  readonly stdin?: string;
  /** A command that does not end by itself (watch, keep-alive, elect): stopped after its output shows this. */
  readonly until?: RegExp;
  /** Wait this long first. */
  readonly delayMs?: number;
  /** Wait first until the step's member refuses connections (a removed member's process has exited). */
  readonly afterExit?: boolean;
  /** etcdctl's --command-timeout (the runner's default: 5s). */
  readonly commandTimeout?: string;
  /** Instead of etcdctl: a raw gRPC step (keys and values etcdctl's argv cannot carry; streams). */
  readonly grpc?: GrpcStep;
  /** `-w protobuf`: etcdctl printed the bytes of this gRPC method's response ("KV.Range", or "ResponseHeader" alone); compared decoded. */
  readonly protobuf?: string;
  /** stdin stays open after `stdin` (watch -i reads its requests until it is stopped); needs `until`. */
  readonly stdinOpen?: boolean;
  /**
   * A command that runs in the background (make-mirror) while these steps run; then it is
   * stopped. The step's output: theirs, then what it printed.
   */
  readonly during?: readonly CtlStep[];
  /**
   * Run again (at most REPEATS_MAX times, REPEAT_MS apart) until the output matches: for what
   * another process (a `during` command) writes in its own time. The last output counts.
   */
  readonly repeatUntil?: RegExp;
}

const REPEATS_MAX = 100;
const REPEAT_MS = 200;

/** Where and with what a step runs on one of the two servers. */
export interface StepTarget {
  /** etcdctl's --endpoints for the step (for gRPC: one host:port). */
  address(step: CtlStep): string;
  /** An argument (or a gRPC request as JSON text) with its placeholders filled; ids in decimal for gRPC. */
  fill(text: string, decimal: boolean): string;
}

export interface StepOutput {
  /** etcdctl's stdout and error lines, or the gRPC reply as JSON. */
  readonly text: string;
  /** "[exit N]" for an etcdctl command that ended by itself, else "". */
  readonly exit: string;
  /** The gRPC reply, for a unary gRPC step or a `protobuf` one. */
  readonly reply?: Reply;
  /**
   * A `protobuf` step whose output holds a '%': etcdctl prints the bytes with fmt.Printf, which
   * rewrites what follows a '%' (etcd's random ids end in that byte one time in 128), so the
   * bytes are no longer the message and the step cannot be compared.
   */
  readonly printfRewrote?: boolean;
}

/** Runs one step; `onMatch`: called when a streaming command's output first shows `until`. */
export async function runStep(step: CtlStep, target: StepTarget, onMatch?: () => void): Promise<StepOutput> {
  if (step.delayMs !== undefined) await new Promise((r) => setTimeout(r, step.delayMs));
  if (step.afterExit === true) await untilRefused(target.address(step));
  if (step.during !== undefined) return runDuring(step, step.during, target);
  if (step.repeatUntil !== undefined) {
    const { repeatUntil, ...once } = step;
    let out = await runStep(once, target, onMatch);
    for (let i = 1; i < REPEATS_MAX && !repeatUntil.test(out.text); i++) {
      await new Promise((r) => setTimeout(r, REPEAT_MS));
      out = await runStep(once, target, onMatch);
    }
    return out;
  }
  if (step.grpc !== undefined) {
    const raw = new RawClient(target.address(step));
    try {
      const outcome = await runGrpcStep(raw, JSON.parse(target.fill(JSON.stringify(step.grpc), true)) as GrpcStep);
      return 'stream' in outcome ? { text: JSON.stringify(outcome), exit: '' } : { text: JSON.stringify(outcome), exit: '', reply: outcome };
    } finally {
      raw.close();
    }
  }
  const args = (step.args ?? []).map((a) => target.fill(a, false));
  const r = await etcdctl(target.address(step), args, {
    stdin: step.stdin,
    keepStdinOpen: step.stdinOpen,
    killWhen: step.until === undefined ? undefined : { pattern: step.until, graceMs: GRACE_MS, maxMs: STREAM_MS_MAX },
    onMatch,
    dialTimeout: '10s',
    commandTimeout: step.commandTimeout,
  });
  const exit = step.until === undefined ? `[exit ${r.code}]` : '';
  if (step.protobuf !== undefined && r.code === 0) {
    // txn -i prints its prompts first.
    const prompts = r.stdoutBytes.lastIndexOf(TXN_LAST_PROMPT);
    const bytes = prompts < 0 ? r.stdoutBytes : r.stdoutBytes.subarray(prompts + TXN_LAST_PROMPT.length);
    if (bytes.includes(PERCENT)) return { text: 'protobuf rewritten by Printf', exit, printfRewrote: true };
    try {
      const reply = step.protobuf === 'ResponseHeader' ? { ok: { header: responseHeader(bytes) } } : decodeResponse(step.protobuf, bytes);
      return { text: JSON.stringify(reply), exit, reply };
    } catch (err) {
      return { text: `not a ${step.protobuf} response (${String(err)}): ${bytes.toString('hex')}`, exit };
    }
  }
  return { text: `${r.stdout}${errorLines(r.stderr).join('\n')}`, exit };
}

const PERCENT = 0x25;

/** etcdserverpb.ResponseHeader's four varint fields, in the gateway's JSON form. */
function responseHeader(bytes: Buffer): Record<string, string> {
  const names = ['', 'cluster_id', 'member_id', 'revision', 'raft_term'];
  const out: Record<string, string> = {};
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; at < bytes.length; shift += 7n) {
      const b = bytes[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    throw new Error('truncated varint');
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    if ((tag & 7) !== 0 || names[tag >> 3] === undefined) throw new Error(`not a ResponseHeader field: tag ${tag}`);
    out[names[tag >> 3]!] = String(varint());
  }
  return out;
}
const TXN_LAST_PROMPT = Buffer.from('failure requests (get, put, del):\n');

/** A background command (`step`) while `steps` run; then stopped. */
async function runDuring(step: CtlStep, steps: readonly CtlStep[], target: StepTarget): Promise<StepOutput> {
  let stop = (): void => undefined;
  const stopped = new Promise<void>((r) => (stop = r));
  const background = etcdctl(target.address(step), (step.args ?? []).map((a) => target.fill(a, false)), { until: stopped, dialTimeout: '10s', commandTimeout: step.commandTimeout });
  const texts: string[] = [];
  try {
    for (const s of steps) {
      const out = await runStep(s, target);
      texts.push(`$ ${describeStep(s)}\n${out.text}${out.exit}`);
    }
  } finally {
    stop();
  }
  const r = await background;
  return { text: `${texts.join('\n')}\n(background) ${r.stdout}${errorLines(r.stderr).join('\n')}`, exit: '' };
}

/** The lease a `lease grant` printed (simple: hex; JSON: "ID" in decimal), as etcdctl's hex. */
export function grantedLease(text: string): string | undefined {
  const simple = /^lease ([0-9a-f]+) granted/m.exec(text);
  if (simple !== null) return simple[1];
  const json = /"ID":(\d+)/.exec(text);
  return json === null ? undefined : BigInt(json[1]!).toString(16);
}

/** The command line a step shows in a difference. */
export function describeStep(step: CtlStep): string {
  if (step.grpc === undefined) return `etcdctl ${(step.args ?? []).join(' ')}`;
  return 'call' in step.grpc ? `grpc ${step.grpc.call} ${JSON.stringify(step.grpc.req)}` : `grpc ${JSON.stringify(step.grpc)}`;
}

/** Every step whose output differs, etcd's and detcd's side by side; "" when none does. */
export function differences(oracle: readonly string[], subject: readonly string[]): string {
  return oracle.flatMap((o, i) => (o === subject[i] ? [] : [`step ${i}\n--- etcd\n${o}\n--- detcd\n${subject[i]}`])).join('\n');
}

/** Each cluster's members must agree on one leader within this long (both are idle then). */
const LEADER_AGREED_MS_MAX = 30_000;

export const hostPort = (url: string): string => url.replace(/^https?:\/\//, '');

interface MemberJson {
  ID: string;
  name?: string;
  peerURLs: string[];
  clientURLs?: string[];
}

async function leaderOf(endpoint: string): Promise<string> {
  const c = new RawClient(hostPort(endpoint));
  try {
    const r = await c.unary('Maintenance.Status', {});
    return 'ok' in r && typeof r.ok['leader'] === 'string' ? r.ok['leader'] : '0';
  } finally {
    c.close();
  }
}

/**
 * The members by role, once every member names the same leader: L (the leader), then F1, F2, ...
 * (the followers in name order).
 */
export async function identities(endpoints: readonly string[]): Promise<Identities> {
  const deadline = Date.now() + LEADER_AGREED_MS_MAX;
  let leader: string | undefined;
  for (;;) {
    const leaders = await Promise.all(endpoints.map(leaderOf));
    leader = leaders[0];
    if (leader !== '0' && leaders.every((l) => l === leader)) break;
    if (Date.now() > deadline) throw new Error(`the members never agreed on a leader: ${leaders.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const raw = new RawClient(hostPort(endpoints[0]!));
  try {
    const list = await raw.unary('Cluster.MemberList', {});
    if (!('ok' in list)) throw new Error(`MemberList failed: ${JSON.stringify(list)}`);
    const members = (list.ok['members'] as MemberJson[]).map((m): MemberIdentity => ({ id: m.ID, name: m.name ?? '', peerURL: m.peerURLs[0]!, client: hostPort(m.clientURLs?.[0] ?? '') }));
    const followers = members.filter((m) => m.id !== leader).sort((a, b) => (a.name < b.name ? -1 : 1));
    const roles = new Map<string, MemberIdentity>([['L', members.find((m) => m.id === leader)!], ...followers.map((f, i): [string, MemberIdentity] => [`F${i + 1}`, f])]);
    return { roles, added: [] };
  } finally {
    raw.close();
  }
}
