// FoundationDB's BUGGIFY inside the member: named places where the code may take a rarer, legal
// path (a Ready handled later, a proposal dropped or sent twice, a snapshot taken early, a
// watch sync cut short...), so that a simulation reaches what a quiet run never does. The
// member never decides by itself: it asks the port its host injects, which answers false
// outside a simulation that enabled buggify. Every site must stay within what etcd may do:
// the correct build stays correct with every site firing.
// Also the rare events a member reports so that a run can say which ones it reached.

export const PRODUCT_BUGGIFY_SITES = {
  'member.ready-delayed': 'the next Ready is handled on a later pump, not at once',
  'member.ready-messages-reordered': "a Ready's messages are sent in reverse order",
  'member.proposal-dropped': 'a proposal is dropped before raft (the client times out)',
  'member.proposal-duplicated': 'a proposal goes to raft twice (applied once: same request id)',
  'member.snapshot-early': 'a snapshot is taken before snapshotCount entries were applied',
  'member.snapshot-report-late': 'a sent snapshot is reported to raft one election timeout later',
  'member.read-index-retry-early': 'a ReadIndex round is retried at the next tick, under a new context',
  'member.lease-checkpoint-skipped': "the leader skips this tick's lease checkpoints",
  'watch.sync-batch-cut': 'a sync of unsynced watchers catches up one watcher only',
  'watch.stream-full': 'a watch stream refuses a response as if its buffer were full (the watcher becomes a victim)',
  'watch.victims-skipped': 'victim watchers are not retried this tick',
  'watch.progress-skipped': 'a progress-notify tick sends nothing',
  'mvcc.compaction-deferred': "a compaction leaves deleting what it compacted to the next one (etcd deletes in background batches: a snapshot or crash in between holds them)",
} as const;

export type ProductBuggifySite = keyof typeof PRODUCT_BUGGIFY_SITES;

/** Asks whether the fault at `site` should happen now; always false outside a buggified simulation. */
export type BuggifyPort = (site: ProductBuggifySite) => boolean;

export const NO_BUGGIFY: BuggifyPort = () => false;

export const MEMBER_EVENTS = {
  'snapshot-sent': 'a leader sent a snapshot to a follower (MsgSnap)',
  'snapshot-installed': 'a member replaced its state with a snapshot it received',
  'snapshot-taken': 'a member took a snapshot of its state machine',
  'conf-change-applied': 'a membership change applied',
  'read-index-retry': 'a ReadIndex round was sent again',
  'read-index-leader-changed': 'a ReadIndex round failed on a leader change',
  'lease-expired': 'a leader proposed the revoke of an expired lease',
  'watch-compacted': 'a watch was cancelled because its revision was compacted',
  'watch-victim': 'a watcher could not be sent to and became a victim',
  'leader-transfer': 'a leader handed over leadership (sent MsgTimeoutNow to a caught-up transferee)',
} as const;

export type MemberEvent = keyof typeof MEMBER_EVENTS;

/** Told about each rare event as it happens (a simulation counts them; production ignores them). */
export type MemberEventSink = (event: MemberEvent) => void;
