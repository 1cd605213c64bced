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
} as const;

export type StateMachineBug = keyof typeof STATE_MACHINE_BUGS;

export function isStateMachineBug(name: string): name is StateMachineBug {
  return Object.hasOwn(STATE_MACHINE_BUGS, name);
}
