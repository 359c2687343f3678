export {
  computeDefaultMaxParallelism,
  roundUpToPowerOfTwo,
  assignToKeyGroup,
  computeOperatorIndexForKeyGroup,
  assignKeyToParallelOperator,
  computeKeyGroupRangeForOperatorIndex,
  keyGroupCount,
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  type KeyGroupRange,
} from './key-groups.js';
export {
  KeyGroupPartitionedState,
  type KeyGroupsSnapshot,
  type KeyedStateSnapshot,
  type SnapshotableState,
} from './keyed-state-backend.js';
export { FsCheckpointStorage, METADATA_FILE, checkpointDirName, readMetadata } from './checkpoint-storage.js';
export {
  OperatorStateFileWriter,
  readOperatorStateFile,
  STATE_FILE_FORMAT,
  STATE_FILE_VERSION,
  type OperatorStateFile,
  type OperatorStateFileHeader,
} from './operator-state-file.js';
