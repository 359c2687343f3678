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
  type SnapshotableState,
} from './keyed-state-backend.js';
