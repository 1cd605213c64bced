// What the harness knows of the real members' Raft state: each member's Maintenance.Status,
// polled over the gateway every POLL_MS. The nemesis resolves "leader" and "follower" targets
// from it, the report's leader lane is built from the leaders it saw, and the liveness phase
// waits on it. A member that did not answer its last poll is unknown (down, paused or cut off).
import type http from 'node:http';
import type { RealClock } from './real-clock.ts';
import { postJson } from './post-json.ts';
import type { StatusSample } from '../../check/renewal-proof.ts';
import type { LeaderClaim } from './quorum-time.ts';

export interface PolledStatus {
  readonly isLeader: boolean;
  /** etcd's Status raftTerm: the term of the last entry the member applied (EtcdServer.Term, set in apply), not raft's current term. */
  readonly term: number;
  readonly revision: number;
  /** The member's id in hex, as etcd prints it. */
  readonly memberId: string;
  readonly leaderId: string;
  readonly atUs: number;
}

const POLL_MS = 100;
const STATUS_TIMEOUT_MS = 500;
/** Answers kept for the leader timeline: ~10 minutes of polls of 5 members; later ones are not kept. */
const SAMPLES_MAX = 30_000;

export class StatusPoller {
  private readonly latest = new Map<string, PolledStatus | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private readonly idToName = new Map<string, string>();
  /** Every (leader, term) the poller saw take over, in order. */
  readonly leaders: { node: string | null; term: number; startUs: number }[] = [];
  /**
   * Every answer, with when its request left and when it came back: the evidence of which terms
   * each member's lessor can have been promoted in (sim/check/renewal-proof.ts). Bounded by SAMPLES_MAX.
   */
  readonly samples: StatusSample[] = [];
  samplesTruncated = false;
  /** Each member's answers on whether it leads, kept where they change (quorum-time.ts); bounded by SAMPLES_MAX. */
  readonly claims: LeaderClaim[] = [];
  claimsTruncated = false;
  private readonly lastClaim = new Map<string, boolean>();
  /** The members that answered a poll at least once (one that never did is named when no leader comes). */
  private readonly answeredOnce = new Set<string>();

  constructor(
    private readonly urls: ReadonlyMap<string, string>,
    private readonly clock: RealClock,
    private readonly agent: http.Agent,
  ) {}

  start(): void {
    const tick = (): void => {
      void this.pollOnce().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, POLL_MS);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  status(member: string): PolledStatus | undefined {
    return this.latest.get(member);
  }

  /** Whether `member` ever answered a status poll. */
  answered(member: string): boolean {
    return this.answeredOnce.has(member);
  }

  /** The member that believes it leads in the highest term, by the last polls. */
  leader(): string | undefined {
    let best: { name: string; term: number } | undefined;
    for (const [name, s] of this.latest) if (s?.isLeader === true && (best === undefined || s.term > best.term)) best = { name, term: s.term };
    return best?.name;
  }

  async pollOnce(): Promise<void> {
    await Promise.all([...this.urls].map(async ([name, url]) => {
      const sentUs = this.clock.nowUs();
      const body = await postJson(url, '/v3/maintenance/status', {}, STATUS_TIMEOUT_MS, this.agent);
      this.latest.set(name, body === undefined ? undefined : parseStatus(body, this.clock.nowUs()));
      const s = this.latest.get(name);
      if (s !== undefined) {
        this.answeredOnce.add(name);
        this.noteClaim(name, s);
        this.idToName.set(s.memberId, name);
        this.keep({ member: name, sentUs, atUs: s.atUs, appliedTerm: s.term });
      }
    }));
    this.noteLeader();
  }

  private noteClaim(member: string, s: PolledStatus): void {
    if (this.lastClaim.get(member) === s.isLeader) return;
    this.lastClaim.set(member, s.isLeader);
    if (this.claims.length < SAMPLES_MAX) this.claims.push({ member, atUs: s.atUs, leads: s.isLeader });
    else this.claimsTruncated = true;
  }

  private keep(sample: StatusSample): void {
    if (this.samples.length < SAMPLES_MAX) this.samples.push(sample);
    else this.samplesTruncated = true;
  }

  private noteLeader(): void {
    const name = this.leader();
    if (name === undefined) return;
    const term = this.latest.get(name)?.term ?? 0;
    const last = this.leaders[this.leaders.length - 1];
    if (last !== undefined && last.node === name && last.term === term) return;
    this.leaders.push({ node: name, term, startUs: this.clock.nowUs() });
  }
}

function parseStatus(body: unknown, atUs: number): PolledStatus | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as { header?: { member_id?: string; revision?: string; raft_term?: string }; leader?: string; raftTerm?: string };
  const memberId = b.header?.member_id;
  if (memberId === undefined) return undefined;
  const leaderId = b.leader ?? '0';
  return {
    isLeader: leaderId === memberId,
    term: Number(b.raftTerm ?? b.header?.raft_term ?? 0),
    revision: Number(b.header?.revision ?? 0),
    memberId,
    leaderId,
    atUs,
  };
}
