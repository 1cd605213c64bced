// A request to a killed member (its port refuses connections) and one whose connection broke
// under it. clientv3 sends an RPC only on a connected endpoint, so a refused connection costs it
// nothing: the request goes to the next endpoint at once; a connection that breaks after the
// request was written leaves its outcome unknown (gRPC Unavailable). The shared client
// (sim/etcd/client.ts) learns both from its transport (real sockets, gateway-net.ts); the
// simulated network never reports either, so simulated runs are unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { gatewayClientNet, transportFailure } from '../../../sim/cli/target-etcd/gateway-net.ts';
import { RealClock } from '../../../sim/cli/target-etcd/real-clock.ts';
import type { CallResult } from '../../../sim/etcd/client.ts';
import { EtcdClient } from '../../../sim/etcd/client.ts';
import type { ClientNet, TransportFailure } from '../../../sim/etcd/client-net.ts';
import { HistoryLog } from '../../../sim/etcd/history-log.ts';

/** A client network on a hand-driven clock: what the client sent, to whom, when. */
class ManualNet implements ClientNet {
  readonly id = 'c0';
  t = 0;
  private nextTimer = 1;
  private readonly timers = new Map<number, { atUs: number; fn: () => void }>();
  readonly sent: { to: string; id: number; atUs: number }[] = [];
  nowUs(): number {
    return this.t;
  }
  schedule(delayUs: number, fn: () => void): number {
    const id = this.nextTimer++;
    this.timers.set(id, { atUs: this.t + delayUs, fn });
    return id;
  }
  cancel(timer: number): void {
    this.timers.delete(timer);
  }
  send(to: string, message: unknown): void {
    this.sent.push({ to, id: (message as { id: number }).id, atUs: this.t });
  }
  /** Runs every timer due up to `us` from now, in time order. */
  advance(us: number): void {
    const end = this.t + us;
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.atUs <= end).sort((a, b) => a[1].atUs - b[1].atUs || a[0] - b[0])[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.t = due[1].atUs;
      due[1].fn();
    }
    this.t = end;
  }
}

const MEMBERS = ['n1', 'n2', 'n3'];
const TIMEOUT_US = 1_000_000;
const RETRY_DELAY_US = 100_000;
const put = { path: '/v3/kv/put', body: { key: 'aw==', value: 'dg==' } };
const range = { path: '/v3/kv/range', body: { key: 'aw==' } };

function setup(members = MEMBERS) {
  const net = new ManualNet();
  const history = new HistoryLog(() => net.t);
  const client = new EtcdClient(net, { members, requestTimeoutUs: TIMEOUT_US, retryDelayUs: RETRY_DELAY_US, history });
  const results: CallResult[] = [];
  const refuse = (): void => client.receive('transport', { kind: 'transport-failure', id: net.sent.at(-1)!.id, sent: false, reason: 'connection refused (ECONNREFUSED)' } satisfies TransportFailure);
  const lose = (): void => client.receive('transport', { kind: 'transport-failure', id: net.sent.at(-1)!.id, sent: true, reason: 'connection lost (ECONNRESET)' } satisfies TransportFailure);
  const answer = (): void => {
    const last = net.sent.at(-1)!;
    client.receive(last.to, { kind: 'reply', id: last.id, status: 200, body: { header: { revision: '2' } }, member: last.to });
  };
  return { net, history, client, results, refuse, lose, answer, done: (r: CallResult) => void results.push(r) };
}

describe('a request to a killed member', () => {
  it('a send the member refused goes to the next member at once, in the same try: a write is not lost to a timeout', () => {
    const s = setup();
    s.client.call(put, 0, s.done);
    s.refuse();
    expect(s.net.sent.map((x) => [x.to, x.atUs])).toEqual([['n1', 0], ['n2', 0]]);
    s.answer();
    expect(s.results).toEqual([{ type: 'ok', body: { header: { revision: '2' } }, node: 'n2' }]);
    expect(s.history.ops.at(-1)?.tries).toBeUndefined();
    // Later calls start at the member that answered.
    s.client.call(put, 0, s.done);
    expect(s.net.sent.at(-1)?.to).toBe('n2');
  });

  it('every member refusing: a round of refusals waits the retry delay, and a write refused until its timeout failed (certainly not applied)', () => {
    const s = setup();
    s.client.call(put, 0, s.done);
    while (s.results.length === 0) {
      const sends = s.net.sent.length;
      s.refuse();
      // No new send: the client waits out the retry delay before its next round.
      if (s.net.sent.length === sends && s.results.length === 0) s.net.advance(RETRY_DELAY_US);
    }
    expect(s.results).toEqual([{ type: 'fail', error: 'client: connection refused (ECONNREFUSED)' }]);
    expect(s.history.ops.at(-1)).toMatchObject({ type: 'fail', error: 'client: connection refused (ECONNREFUSED)' });
    // Three members a round, a round every 100 ms, within the 1 s timeout: bounded.
    const sends = s.net.sent.map((x) => x.atUs);
    expect(sends.length).toBeLessThanOrEqual(MEMBERS.length * (TIMEOUT_US / RETRY_DELAY_US + 1));
    expect(sends.slice(0, 7)).toEqual([0, 0, 0, RETRY_DELAY_US, RETRY_DELAY_US, RETRY_DELAY_US, 2 * RETRY_DELAY_US]);
    expect(Math.max(...sends)).toBeLessThan(TIMEOUT_US);
  });

  it('a one-member cluster: the restarted member answers the same try once it serves again', () => {
    const s = setup(['n1']);
    s.client.call(range, 0, s.done);
    s.refuse();
    s.net.advance(RETRY_DELAY_US);
    s.refuse();
    s.net.advance(RETRY_DELAY_US);
    s.answer();
    expect(s.results.map((r) => r.type)).toEqual(['ok']);
    expect(s.net.sent.map((x) => x.atUs)).toEqual([0, RETRY_DELAY_US, 2 * RETRY_DELAY_US]);
  });

  it('a refusal after a send that may have arrived: the outcome of a write stays unknown at its timeout', () => {
    const s = setup();
    s.client.call(put, 0, s.done);
    s.refuse();
    s.net.advance(TIMEOUT_US);
    expect(s.results).toEqual([{ type: 'info', error: 'timeout' }]);
  });
});

describe('a connection that broke after the request was written', () => {
  it('a write is unknown at once (not at its timeout); a read goes to the next member at once', () => {
    const s = setup();
    s.client.call(put, 0, s.done);
    s.lose();
    expect(s.results).toEqual([{ type: 'info', error: 'connection lost (ECONNRESET)' }]);
    s.client.call(range, 1, s.done);
    const before = s.net.sent.length;
    s.lose();
    expect(s.net.sent.slice(before).map((x) => [x.to, x.atUs])).toEqual([['n3', 0]]);
    s.answer();
    expect(s.results.at(-1)?.type).toBe('ok');
    expect(s.history.ops.at(-1)?.tries).toBe(2);
  });

  it('a transport report for a try that already ended changes nothing', () => {
    const s = setup();
    s.client.call(put, 0, s.done);
    const first = s.net.sent[0]!.id;
    s.net.advance(TIMEOUT_US);
    s.client.receive('transport', { kind: 'transport-failure', id: first, sent: false, reason: 'connection refused (ECONNREFUSED)' });
    expect(s.results).toEqual([{ type: 'info', error: 'timeout' }]);
    expect(s.net.sent).toHaveLength(1);
  });
});

describe('what real sockets report (gateway-net.ts)', () => {
  it('connection errors before the request left are "not sent"; any other break is "sent"', () => {
    for (const code of ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']) expect(transportFailure(4, { code })).toMatchObject({ id: 4, sent: false });
    for (const err of [{ code: 'ECONNRESET' }, { code: 'EPIPE' }, new Error('socket hang up'), undefined]) expect(transportFailure(4, err)).toMatchObject({ id: 4, sent: true });
  });

  it('a port nobody listens on refuses; a member that drops the connection after reading the request breaks it', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const srv = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    const dropper = http.createServer((req) => req.on('data', () => req.socket.destroy()));
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const dropperPort = (dropper.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true });
    const clock = new RealClock();
    try {
      const urls: Record<string, string> = { n1: `http://127.0.0.1:${closedPort}`, n2: `http://127.0.0.1:${dropperPort}` };
      const got = await Promise.all(['n1', 'n2'].map((member, k) => new Promise<unknown>((resolve) => {
        const net = gatewayClientNet('c0', { url: (m) => urls[m], agent, requestAbortMs: 60_000 }, clock, (_from, m) => resolve(m));
        net.send(member, { kind: 'request', id: 10 + k, path: '/v3/kv/put', body: put.body });
      })));
      expect(got[0]).toMatchObject({ kind: 'transport-failure', id: 10, sent: false });
      expect(got[1]).toMatchObject({ kind: 'transport-failure', id: 11, sent: true });
    } finally {
      clock.stop();
      agent.destroy();
      dropper.close();
    }
  });
});
