// One line of a history, in Jepsen's shape (see ../shared/design.md, "History").
//
// For the etcd API, `f` names the v3 gateway path without the /v3/ prefix ("kv/put",
// "kv/range", "kv/deleterange", "kv/txn", "kv/compaction", "lease/grant", "lease/revoke",
// "lease/keepalive", "lease/timetolive", "lease/leases"). The invoke's `value` is the request
// and the completion's `value` is the response, both exactly in etcd's gateway JSON form
// (base64 keys and values, 64-bit integers as strings). A completion's `error` is etcd's
// error message ("etcdserver: ...") or, for `info`, the reason the outcome is unknown
// ("timeout", "connection lost").

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

export interface Op {
  /** Position in the history, 0-based, dense. */
  index: number;
  /** Simulated microseconds since the start of the run (or real µs for imported histories). */
  time: number;
  /** The client process; a process has at most one op outstanding. */
  process: number | string;
  type: OpType;
  f: string;
  value: unknown;
  error?: string;
  /** Which member served it, when known. */
  node?: string;
  /**
   * How many times the client sent the request, when more than once (a read or keep-alive sent
   * again after a timeout): the other tries may still be served after this completion.
   */
  tries?: number;
  /** Jepsen's `:key` for independent-key workloads (the kv histories), when present. */
  key?: unknown;
}

/** One watch response as a watch client saw it, in etcd's gateway JSON form. */
export interface WatchRecord {
  /** The watch client (one stream per client; the stream may hold several watches, told apart by watch_id). */
  process: number | string;
  /** Simulated µs when the client received the response. */
  time: number;
  /** The member the stream was connected to. */
  node?: string;
  /** The create request of a watch (re)opened on this stream, on its first record (its Created response). */
  request?: unknown;
  /** etcd's WatchResponse: header, watch_id, created, canceled, compact_revision, events… */
  response: unknown;
  /**
   * Set on the record that ends a stream (its `response` is then empty, {}): the stream was closed
   * at `time` and why (the client closed it or its connection ended, the member dropped it). Its
   * watch delivers nothing after that, and is owed nothing past what it delivered before.
   */
  closed?: string;
}
