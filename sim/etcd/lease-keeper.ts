// Keeps a lease alive the way clientv3's KeepAlive does: a renewal every interval (a third of
// the TTL by default), one at a time, until stopped or until the server says the lease is gone
// (TTL 0). Each renewal is a request in the history under the keeper's own process.
import type { EtcdClient } from './client.ts';

export class LeaseKeeper {
  private timer = 0;
  private stopped = false;
  renewals = 0;
  /** True once the server answered TTL 0: the lease no longer exists. */
  expired = false;

  constructor(
    private readonly client: EtcdClient,
    readonly leaseId: string,
    private readonly process: number | string,
    private readonly intervalUs: number,
  ) {
    if (!(intervalUs > 0)) throw new Error('LeaseKeeper: interval must be positive');
    this.timer = client.net.schedule(intervalUs, () => this.renew());
  }

  stop(): void {
    this.stopped = true;
    this.client.net.cancel(this.timer);
  }

  private renew(): void {
    if (this.stopped) return;
    this.client.call({ path: '/v3/lease/keepalive', body: { ID: this.leaseId } }, this.process, (r) => {
      this.renewals++;
      const ttl = (r.body as { TTL?: string } | undefined)?.TTL;
      if (r.type === 'ok' && (ttl === undefined || ttl === '0')) {
        this.expired = true;
        return;
      }
      if (!this.stopped) this.timer = this.client.net.schedule(this.intervalUs, () => this.renew());
    });
  }
}
