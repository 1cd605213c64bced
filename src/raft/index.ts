// The public API of the Raft core, listed by name.
export { RawNode } from './raw-node.ts';
export type { Ready, Status } from './raw-node.ts';
export { Raft } from './raft.ts';
export type { CampaignType } from './raft.ts';
export type { Config, RandomSource, UnsafeOptions } from './config.ts';
export { DEFAULT_MAX_INFLIGHT_MSGS, DEFAULT_MAX_SIZE_PER_MSG_BYTES, DEFAULT_MAX_PENDING_READS } from './config.ts';
export { MemoryStorage, limitSize } from './storage.ts';
export type { Storage, InitialState } from './storage.ts';
export type { ReadOnlyOption } from './read-only.ts';
export {
  ErrCompacted,
  ErrProposalDropped,
  ErrSnapOutOfDate,
  ErrSnapshotTemporarilyUnavailable,
  ErrStepLocalMsg,
  ErrStepPeerNotFound,
  ErrUnavailable,
} from './errors.ts';
export type { StepError, StorageError } from './errors.ts';
export {
  CAMPAIGN_TRANSFER,
  EMPTY_CONF_STATE,
  EMPTY_HARD_STATE,
  NONE,
  decodeConfChange,
  encodeConfChange,
  entryDataText,
  hardStateEqual,
  isEmptyHardState,
  message,
  sameEntryData,
} from './types.ts';
export type {
  ConfChange,
  ConfChangeSingle,
  ConfChangeTransition,
  ConfChangeType,
  ConfState,
  Entry,
  EntryData,
  EntryPayload,
  EntryType,
  HardState,
  Message,
  MessageType,
  NodeId,
  ReadState,
  Snapshot,
  SnapshotMetadata,
  SoftState,
  StateType,
} from './types.ts';
export { MajorityConfig } from './quorum/majority.ts';
export { JointConfig } from './quorum/joint.ts';
export { Inflights } from './tracker/inflights.ts';
export { Progress } from './tracker/progress.ts';
export type { ProgressState } from './tracker/progress.ts';
