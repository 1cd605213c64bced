// What the shared client (sim/etcd/client.ts) records as an op's `tries`: the sends that may have
// been served. A write is sent again only after a refusal before proposal ("no leader", "too many
// requests": certainly not applied), so it records one try; the etcd model takes each earlier try
// of a write recorded as sent more than once as a write of unknown outcome (earlier-tries.ts), and
// a member that applied a write it answered "no leader" would have been explained away. A read or
// keep-alive sent again after a timeout keeps every try: each may still be served.
import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../../sim/etcd/client.ts';
import { EtcdClient } from '../../../sim/etcd/client.ts';
import type { ClientNet } from '../../../sim/etcd/client-net.ts';
import { HistoryLog } from '../../../sim/etcd/history-log.ts';

/** A network whose timers run only when the test says, and that remembers the last send. */
function manualNet(): ClientNet & { t: number; last: { to: string; id: number } | undefined; runTimers(): void } {
  const timers = new Map<number, () => void>();
  let next = 1;
  const net = {
    id: 'c0', t: 0, last: undefined as { to: string; id: number } | undefined,
    nowUs: () => net.t,
    schedule: (_delayUs: number, fn: () => void) => { timers.set(next, fn); return next++; },
    cancel: (timer: number) => void timers.delete(timer),
    send: (to: string, message: unknown) => { net.last = { to, id: (message as { id: number }).id }; },
    runTimers: () => { const due = [...timers.values()]; timers.clear(); for (const fn of due) fn(); },
  };
  return net;
}

function setup() {
  const net = manualNet();
  const history = new HistoryLog(() => net.t);
  const client = new EtcdClient(net, { members: ['n1', 'n2', 'n3'], history });
  const results: CallResult[] = [];
  const reply = (status: number, body: unknown): void => {
    const last = net.last!;
    client.receive(last.to, { kind: 'reply', id: last.id, status, body, member: last.to });
  };
  return { net, history, client, results, reply, done: (r: CallResult) => void results.push(r) };
}

describe('an op\'s tries, as the client records them', () => {
  it('a write refused before proposal and sent again records one try: the refused send had no effect', () => {
    const s = setup();
    s.client.call({ path: '/v3/kv/put', body: { key: 'aw==', value: 'dg==' } }, 1, s.done);
    s.reply(503, { error: 'etcdserver: no leader', message: 'etcdserver: no leader', code: 14 });
    s.net.runTimers();
    s.reply(200, { header: { revision: '2' } });
    expect(s.results.map((r) => r.type)).toEqual(['ok']);
    expect(s.history.ops.at(-1)?.tries).toBeUndefined();
  });

  it('a read sent again after a timeout records both tries: the first may still be served', () => {
    const s = setup();
    s.client.call({ path: '/v3/kv/range', body: { key: 'aw==' } }, 1, s.done);
    s.net.runTimers();
    s.reply(200, { header: { revision: '2' }, kvs: [] });
    expect(s.results.map((r) => r.type)).toEqual(['ok']);
    expect(s.history.ops.at(-1)?.tries).toBe(2);
  });
});
