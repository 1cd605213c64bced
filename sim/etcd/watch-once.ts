// A watch create as one request and answer of the history (f "watch/create"), for workloads that
// judge who may watch what: the auth workload's users open watches with their tokens and the auth
// checker judges the answer as it judges a read (etcd 3.4's isWatchPermitted: read permission on
// the watched range, decided by the member serving the stream from its own auth store). The create
// goes to the client's current member on a new stream, and its first response answers it: created
// is ok, created and canceled a failure with the cancel reason ("permission denied", "invalid auth
// token"); a stream the member closes, or no answer within the timeout, leaves the outcome unknown
// (info). The stream is closed at once either way: events are not what this op is about.
import type { CallResult, EtcdClient, EtcdRequest } from './client.ts';
import type { WatchResponseJson } from './watch-stream.ts';

export const WATCH_CREATE_F = 'watch/create';

export function watchOnce(client: EtcdClient, request: EtcdRequest, process: number | string, timeoutUs: number, done: (r: CallResult) => void): void {
  client.history?.invoke(process, WATCH_CREATE_F, request.body);
  const member = client.member;
  let finished = false;
  let timer = 0;
  const stream = client.openStream((from, m) => {
    if (m.kind === 'watch-closed') return finish({ type: 'info', error: m.reason, node: from });
    if (m.kind !== 'watch-response') return;
    const r = (m.body as { result?: WatchResponseJson }).result ?? {};
    if (r.canceled === true) return finish({ type: 'fail', body: r, error: r.cancel_reason ?? 'canceled', node: from });
    if (r.created === true) return finish({ type: 'ok', body: r, node: from });
  });
  const finish = (r: CallResult): void => {
    if (finished) return;
    finished = true;
    client.net.cancel(timer);
    client.closeStream(stream);
    client.sendStream(member, { kind: 'watch-close', stream });
    client.history?.complete(process, r.type, WATCH_CREATE_F, r.type === 'info' ? null : (r.body ?? null), r.error, r.node);
    done(r);
  };
  timer = client.net.schedule(timeoutUs, () => finish({ type: 'info', error: 'timeout' }));
  client.sendStream(member, { kind: 'watch-send', stream, body: { create_request: request.body }, open: true, ...(request.token === undefined ? {} : { token: request.token }) });
}
