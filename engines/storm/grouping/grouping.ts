/**
 * Stream groupings as declared on a subscription (Storm's `Grouping` thrift union): how the tuples of a
 * stream are divided among the consuming component's tasks.
 */
import type { FieldsSelector } from '../topology/components.js';

export type GroupingSpec =
  /** Round robin over a shuffled list of the target tasks (`ShuffleGrouping`, load-aware messaging off). */
  | { readonly type: 'shuffle' }
  /** Targets in the producer's worker if any, else shuffle (`localOrShuffleGrouping`). */
  | { readonly type: 'localOrShuffle' }
  /** `targetTasks[floorMod(hash(key), n)]`. */
  | { readonly type: 'fields'; readonly selector: FieldsSelector }
  /** Two candidate tasks from the key's hash; the one that has received fewer tuples (`PartialKeyGrouping`). */
  | { readonly type: 'partialKey'; readonly selector: FieldsSelector }
  /** Every target task. */
  | { readonly type: 'all' }
  /** The lowest target task id. */
  | { readonly type: 'global' }
  /** The producer picks the task (`emitDirect`); only on streams declared direct. */
  | { readonly type: 'direct' };

export type GroupingType = GroupingSpec['type'];

/** `fields(word)`, `shuffle`... as explain prints it. */
export function describeGrouping(g: GroupingSpec): string {
  switch (g.type) {
    case 'fields':
    case 'partialKey':
      return `${g.type}(${g.selector.fields})`;
    default:
      return g.type;
  }
}
