/** A TaskManager's task slot: it holds subtask i of every vertex of one slot-sharing group. */
import type { StreamTask } from './stream-task.js';

export class TaskSlot {
  readonly tasks: StreamTask[] = [];

  /**
   * @param slot global slot number
   * @param index the slot's index within its TaskManager
   * @param group the slot-sharing group it serves
   */
  constructor(
    readonly slot: number,
    readonly index: number,
    readonly group: string,
  ) {}
}
