// serve records a real client's watch stream for the watch checker, and its end too: a stream the
// client closed (or whose connection, member or ports went) is recorded closed at that moment, so
// the rule "complete" owes it nothing past what it delivered, while a stream left open that stops
// delivering is still convicted once the liveness phase caught up. Driven by hand through the
// gate (no sockets, no wall time): the member's messages are handed to the client as the world would.
import { describe, expect, it } from 'vitest';
import { MemberGate, ProcessCounter, type WatchHandle } from '../../../../sim/cli/serve/member-gate.ts';
import { EtcdClient } from '../../../../sim/etcd/client.ts';
import type { ClientNet } from '../../../../sim/etcd/client-net.ts';
import { HistoryLog } from '../../../../sim/etcd/history-log.ts';
import { checkWatch } from '../../../../sim/check/watch.ts';
import { b64, hdr, history, kv } from '../../check/history-builder.ts';

class Rig {
  nowUs = 0;
  readonly sent: { to: string; message: unknown }[] = [];
  readonly log = new HistoryLog(() => this.nowUs);
  private readonly net = (id: string): ClientNet => ({ id, nowUs: () => this.nowUs, schedule: () => 0, cancel: () => undefined, send: (to, message) => this.sent.push({ to, message }) });
  readonly recording = new EtcdClient(this.net('gate'), { members: ['n1'], history: this.log });
  readonly quiet = new EtcdClient(this.net('quiet'), { members: ['n1'] });
  readonly gate = new MemberGate('n1', this.recording, this.quiet, (fn) => {
    fn();
    return true;
  }, () => true, new ProcessCounter());
  readonly ended: string[] = [];

  /** Opens a stream watching the prefix "k" and has the member create it (stream ids count from 1). */
  open(stream: number): WatchHandle {
    const handle = this.gate.openWatch({ response: () => undefined, closed: (reason) => this.ended.push(reason) }, false);
    handle.send({ create_request: { key: b64('k'), range_end: b64('l') } });
    this.deliver(stream, { ...hdr(1), watch_id: '0', created: true });
    return handle;
  }

  deliver(stream: number, result: unknown): void {
    this.nowUs += 10;
    this.quiet.receive('n1', { kind: 'watch-response', stream, body: { result } });
  }
}

const event2 = { ...hdr(2), watch_id: '0', events: [{ kv: kv('k1', 'a', 2, 2, 1) }] };
// The put at revision 3 was acknowledged; the liveness phase then caught up to revision 3.
const ops = history([
  [9, 'invoke', 'kv/put', { key: b64('k1'), value: b64('b') }],
  [9, 'ok', 'kv/put', hdr(3)],
]).ops;
const judge = (rig: Rig) => checkWatch(rig.log.watches, ops, { caughtUpRevision: 3 });
const convicted = (rig: Rig) => judge(rig).violations.map((v) => [v.guarantee, v.process]);

describe('serve records the end of a real client\'s watch stream', () => {
  it('a stream the client closed is recorded closed and owed nothing; one left open that stopped is convicted', () => {
    const rig = new Rig();
    const closedByClient = rig.open(1);
    rig.open(2);
    rig.deliver(1, event2);
    rig.deliver(2, event2);
    rig.nowUs = 100;
    closedByClient.close();
    closedByClient.close();
    const closes = rig.log.watches.filter((w) => w.closed !== undefined);
    expect(closes.map((w) => [w.process, w.time, w.node])).toEqual([['client-watch-1', 100, 'n1']]);
    expect(rig.sent.filter((s) => (s.message as { kind?: string }).kind === 'watch-close').map((s) => (s.message as { stream: number }).stream)).toEqual([1]);
    expect(convicted(rig)).toEqual([['complete', 'client-watch-2']]);
  });

  it('streams still open when the ports close are recorded closed then, and none is convicted', () => {
    const rig = new Rig();
    rig.open(1);
    rig.open(2);
    rig.deliver(1, event2);
    rig.nowUs = 200;
    rig.gate.portsClosed();
    expect(rig.log.watches.filter((w) => w.closed !== undefined).map((w) => [w.process, w.time])).toEqual([['client-watch-1', 200], ['client-watch-2', 200]]);
    const r = judge(rig);
    expect(r.violations).toEqual([]);
    expect(r.summary).toMatch(/2 streams closed before the end/);
  });

  it('a stream the member ended (killed, or watch-closed) is recorded closed with its reason, and the client is told', () => {
    const rig = new Rig();
    rig.open(1);
    rig.open(2);
    rig.quiet.receive('n1', { kind: 'watch-closed', stream: 1, reason: 'unknown stream' });
    rig.gate.memberDown();
    expect(rig.log.watches.filter((w) => w.closed !== undefined).map((w) => w.closed)).toEqual(['unknown stream', expect.stringMatching(/member n1 was killed/)]);
    expect(rig.ended).toHaveLength(2);
    expect(judge(rig).violations).toEqual([]);
  });
});
