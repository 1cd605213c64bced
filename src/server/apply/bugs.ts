// Real etcd bugs that can be planted back into the state machine, so that the harness can show
// its checkers catch them. Each is off unless named; each names the etcd issue it reproduces.

export const STATE_MACHINE_BUGS = {
  /** Compaction drops a tombstone made at exactly the compact revision: a watch from there misses the delete (#19179, as in 3.4.23). */
  'compaction-drops-delete': 'etcd #19179',
  /** Synced watchers do not record what they were sent: after a snapshot restore they replay events (#15271). */
  'watch-replay-after-restore': 'etcd #15271',
  /** A progress request is answered even while a watch of the stream is unsynced (#15220, as in 3.4.23). */
  'progress-while-unsynced': 'etcd #15220',
  /** A watch waiting for a future start revision gets progress notifications (#20221, as in 3.4.23). */
  'progress-before-start': 'etcd #20221',
  /** A resync after a restore lowers a future watch's next revision: it gets events before its start (#20221). */
  'future-watch-rev-lowered': 'etcd #20221',
  /** Catching up an unsynced watch skips the compact revision itself: a delete made there is lost (#18089). */
  'watch-skips-compact-revision': 'etcd #18089',
  /** A compacted watcher whose cancel did not fit its starved stream is synced on, losing events (#17529). */
  'compacted-watcher-starved': 'etcd #17529',
  /** A synced watcher that became a victim keeps its old next revision: the resync sends the events again (#17247). */
  'victim-replay': 'etcd #17247',
  /** Members that did not propose a txn drop its ranges and their revision checks: a compacted range fails it on one member only (#18667). */
  'txn-ranges-stripped': 'etcd #18667',
  /** Restore takes the revision from the last revision in the log, not the saved one: it goes backwards after compacting a delete (#17780). */
  'restore-rev-from-log': 'etcd #17780',
} as const;

export type StateMachineBug = keyof typeof STATE_MACHINE_BUGS;

export function isStateMachineBug(name: string): name is StateMachineBug {
  return Object.hasOwn(STATE_MACHINE_BUGS, name);
}
