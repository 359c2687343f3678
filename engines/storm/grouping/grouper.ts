/** A grouping instantiated for one producer task and one subscription: picks the target task per tuple. */
export interface Grouper {
  /** Every target task gets each tuple (all grouping): {@link targets} is the list, `choose` is not used. */
  readonly all: boolean;
  /** The target task ids this grouper chooses among, ascending. */
  readonly targets: readonly number[];
  /** The target task id for `value`. */
  choose(value: unknown): number;
}
