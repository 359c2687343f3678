/**
 * Storm's `FieldsGrouping`: `targetTasks[floorMod(hash(selected fields), numTasks)]`, so that every tuple
 * with a given key reaches the same task. The hash is the project's shared key hash (engines/runtime), the
 * same one the other engines partition by.
 */
import { hashKey } from '../../runtime/index.js';
import type { FieldsSelector } from '../topology/components.js';
import type { Grouper } from './grouper.js';

export class FieldsGrouping implements Grouper {
  readonly all = false;
  private readonly key: FieldsSelector['key'];

  constructor(
    readonly targets: readonly number[],
    selector: FieldsSelector,
  ) {
    if (targets.length === 0) throw new Error('a fields grouping needs at least one target task');
    this.key = selector.key;
  }

  choose(value: unknown): number {
    const t = this.targets;
    return t[hashKey(this.key(value)) % t.length];
  }
}
