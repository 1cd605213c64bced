// Watch scenarios of the golden watch transcript, run in order against one fresh etcd. Each has
// writes before the stream opens, the stream's requests (sent at once), and writes made while
// the stream is open. Revisions run on from one scenario to the next.
const b = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

export interface WatchScenario {
  readonly name: string;
  readonly before: readonly [string, unknown][];
  readonly stream: readonly unknown[];
  readonly after: readonly [string, unknown][];
}

const wPrefix = { key: b('w'), range_end: b('x') };

export const WATCH_SCENARIOS: readonly WatchScenario[] = [
  {
    name: 'compacted start revision is cancelled with the compact revision',
    before: [
      ['/v3/kv/put', { key: b('w1'), value: b('x') }],
      ['/v3/kv/put', { key: b('w1'), value: b('y') }],
      ['/v3/kv/deleterange', { key: b('w1') }],
      ['/v3/kv/put', { key: b('other'), value: b('z') }],
      ['/v3/kv/compaction', { revision: 3 }],
    ],
    stream: [{ create_request: { ...wPrefix, start_revision: 1 } }],
    after: [],
  },
  {
    name: 'history from the compact revision, with prev_kv',
    before: [],
    stream: [{ create_request: { ...wPrefix, start_revision: 3, prev_kv: true } }],
    after: [],
  },
  { name: 'negative start revision', before: [], stream: [{ create_request: { ...wPrefix, start_revision: -3 } }], after: [] },
  { name: 'empty range', before: [], stream: [{ create_request: { key: b('w'), range_end: b('a') } }], after: [] },
  {
    name: 'watch ids, duplicates, progress request, cancel',
    before: [],
    stream: [
      { create_request: { key: b('w'), watch_id: 7 } },
      { create_request: { key: b('w'), watch_id: 7 } },
      { create_request: { key: b('w') } },
      { create_request: { key: b('w') } },
      { progress_request: {} },
      { cancel_request: { watch_id: 7 } },
      { cancel_request: { watch_id: 99 } },
    ],
    after: [],
  },
  { name: 'empty key watches "\\0"', before: [], stream: [{ create_request: {} }], after: [['/v3/kv/put', { key: b('w0'), value: b('v') }]] },
  { name: 'NOPUT filter from history', before: [], stream: [{ create_request: { ...wPrefix, start_revision: 3, filters: ['NOPUT'] } }], after: [] },
  {
    name: 'NODELETE filter live, an emptied response is not sent',
    before: [['/v3/kv/put', { key: b('w5'), value: b('1') }]],
    stream: [{ create_request: { ...wPrefix, filters: ['NODELETE'] } }],
    after: [['/v3/kv/deleterange', { key: b('w5') }], ['/v3/kv/put', { key: b('w5'), value: b('2') }]],
  },
  {
    name: 'one txn gives one response with every event in op order',
    before: [],
    stream: [{ create_request: { ...wPrefix, prev_kv: true } }],
    after: [
      ['/v3/kv/txn', { success: [
        { request_put: { key: b('w2'), value: b('a') } },
        { request_put: { key: b('w1'), value: b('b') } },
        { request_delete_range: { key: b('w5') } },
        { request_put: { key: b('nope'), value: b('c') } },
      ] }],
      ['/v3/kv/put', { key: b('w2'), value: b('a2') }],
    ],
  },
  {
    name: 'lease revoke deletes every key in one revision',
    before: [
      ['/v3/lease/grant', { ID: 500, TTL: 1000 }],
      ['/v3/kv/put', { key: b('w9'), value: b('1'), lease: '500' }],
      ['/v3/kv/put', { key: b('w8'), value: b('1'), lease: '500' }],
    ],
    stream: [{ create_request: { key: b('w'), range_end: b('\0') } }],
    after: [['/v3/lease/revoke', { ID: 500 }], ['/v3/lease/revoke', { ID: 500 }]],
  },
  {
    name: 'a future start revision stays silent until it is reached',
    before: [],
    stream: [{ create_request: { ...wPrefix, start_revision: 20 } }],
    after: [
      ['/v3/kv/put', { key: b('w1'), value: b('f1') }],
      ['/v3/kv/put', { key: b('w1'), value: b('f2') }],
      ['/v3/kv/put', { key: b('w1'), value: b('f3') }],
    ],
  },
  {
    name: 'resume from the next revision, progress request when synced',
    before: [],
    stream: [{ create_request: { ...wPrefix, start_revision: 21 } }, { progress_request: {} }],
    after: [['/v3/kv/put', { key: b('w3'), value: b('r') }]],
  },
  {
    name: 'catch-up from history in one response, then live',
    before: [],
    stream: [{ create_request: { ...wPrefix, start_revision: 5, prev_kv: true } }],
    after: [['/v3/kv/put', { key: b('w3'), value: b('s') }]],
  },
  {
    name: 'a delete at exactly the compact revision (#19179)',
    before: [
      ['/v3/kv/put', { key: b('t19'), value: b('x') }],
      ['/v3/kv/deleterange', { key: b('t19') }],
      ['/v3/kv/compaction', { revision: 21, physical: true }],
    ],
    stream: [{ create_request: { key: b('t19'), start_revision: 21 } }],
    after: [],
  },
];
