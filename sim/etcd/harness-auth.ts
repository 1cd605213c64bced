// The harness's own clients — serve's liveness probes and robustness watchers with a scenario,
// a simulated run's liveness probes after the auth workload — speak for the harness, not for a user. Once a user turns authentication on they would be refused
// ("user name is empty"), and the liveness phase would blame the cluster for it. Like etcd's
// robustness tests, which log in as root, the harness logs in as root, with the password the user
// gave root (read from the replicated auth store: the simulation keeps it as given), and sends the
// token to members whose authentication is on. Tokens are each member's memory: when an up member
// that has applied the login no longer holds the token (restarted, or 5 idle minutes), the harness
// logs in again.
import type { EtcdCluster } from './cluster.ts';
import type { EtcdClient } from './client.ts';
import { EtcdStateMachine } from '../../src/server/etcd-state-machine.ts';
import { simpleTokenIndex } from '../../src/auth/simple-tokens.ts';

/** Simulated time between two logins while one is needed (a refused one, or a member that lags). */
const LOGIN_RETRY_US = 1_000_000;
/** How far settle() runs the world ahead between two looks. */
const SETTLE_STEP_US = 50_000;

export class HarnessAuth {
  private token: string | undefined;
  private loggingIn = false;
  private lastLoginUs = -Infinity;

  constructor(private readonly cluster: EtcdCluster, private readonly client: EtcdClient) {}

  /** The token for a request to `member` (tokenFor), after a new login where some member needs one. */
  readonly probeTokenFor = (member: string): string | undefined => {
    this.refresh();
    return this.tokenFor(member);
  };

  /**
   * The token for a request to `member`: only while that member's authentication is on. etcd 3.4
   * looks up any token a request carries, also with authentication off (AuthInfoFromCtx has no
   * IsAuthEnabled check until etcd#16240, backported in July 2023, after 3.4.23), and AuthDisable
   * drops every token: a token sent to a member whose authentication is off is refused "invalid
   * auth token" (3.4.23 over its gateway, checked by hand), so a probe holding the token of a login
   * before the workload's last AuthDisable was never served (auth-round-robin seed 10).
   */
  readonly tokenFor = (member: string): string | undefined => (this.machineOf(member)?.applier.auth.isEnabled === true ? this.token : undefined);

  /** Logs in (asynchronously, in simulated time) when a member needs a token it does not hold. */
  refresh(): void {
    if (this.loggingIn || !this.needed()) return;
    const now = this.cluster.world.loop.now();
    if (now - this.lastLoginUs < LOGIN_RETRY_US) return;
    const password = this.rootPassword();
    if (password === undefined) return;
    this.loggingIn = true;
    this.lastLoginUs = now;
    this.client.call({ path: '/v3/auth/authenticate', body: { name: 'root', password } }, 'serve-auth', (r) => {
      this.loggingIn = false;
      const token = r.type === 'ok' ? (r.body as { token?: unknown }).token : undefined;
      if (typeof token === 'string') this.token = token;
    });
  }

  /** Runs the world until every member that needs the token holds it, at most `budgetUs` (before the liveness phase). */
  settle(budgetUs: number): void {
    const world = this.cluster.world;
    const deadlineUs = world.loop.now() + budgetUs;
    while (this.needed() && world.loop.now() < deadlineUs) {
      this.refresh();
      world.run({ untilUs: Math.min(deadlineUs, world.loop.now() + SETTLE_STEP_US) });
    }
  }

  /** Some up member has authentication on and has applied the login, but does not hold its token (or there is none yet). */
  private needed(): boolean {
    for (const m of this.cluster.members()) {
      const sm = this.machineOf(m);
      if (sm?.applier.auth.isEnabled !== true) continue;
      if (this.token === undefined) return true;
      const applied = this.cluster.hosts.get(m)?.member.applied ?? 0;
      if (applied >= (simpleTokenIndex(this.token) ?? 0) && !sm.holdsToken(this.token)) return true;
    }
    return false;
  }

  private rootPassword(): string | undefined {
    for (const m of this.cluster.members()) {
      const root = this.machineOf(m)?.applier.auth.snapshot().users.find((u) => u.name === 'root');
      if (root !== undefined) return root.noPassword ? undefined : root.password;
    }
    return undefined;
  }

  private machineOf(member: string): EtcdStateMachine | undefined {
    if (!this.cluster.world.isUp(member)) return undefined;
    const sm = this.cluster.hosts.get(member)?.member.stateMachine;
    return sm instanceof EtcdStateMachine ? sm : undefined;
  }
}
