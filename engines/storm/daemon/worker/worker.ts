/**
 * A worker process (Storm's `Worker`/`WorkerState`): hosts executors, routes their tuples, and talks to the
 * other workers of the topology.
 *
 * - To a task in this worker a tuple goes by reference into that executor's receive queue.
 * - To a task elsewhere it goes into this worker's transfer queue (`topology.transfer.buffer.size`),
 *   unless the other worker has reported the target task as backpressured (`remoteBackPressureStatus`),
 *   in which case the sender keeps it in its pendingEmits. The {@link WorkerTransfer} task serializes
 *   the transfer queue into per-destination messages; the destination's {@link WorkerReceiver} decodes them.
 */
import { BoundedChannel } from '../../../runtime/index.js';
import type { ReceiveQueue } from '../../executor/receive-queue.js';
import type { Tuple } from '../../executor/tuple.js';
import type { WorkerSlot } from '../supervisor-info.js';
import { BackPressureTracker } from './backpressure-tracker.js';
import type { WorkerReceiver } from './worker-receiver.js';

export class Worker {
  /** Receive queue of each task of this worker, by task id; null for tasks elsewhere. */
  readonly localQueues: (ReceiveQueue | null)[];
  readonly transferQueue: BoundedChannel<Tuple>;
  /** 1 where another worker reported the task backpressured (Storm 2's remoteBackPressureStatus). */
  readonly remoteBackPressure: Uint8Array;
  readonly backPressure: BackPressureTracker;
  /** Every worker of the topology, by index (this one included); set once all exist. */
  peers: readonly Worker[] = [];
  /** Each worker's receive path, by index (standalone: a sender to another process for the others). */
  receivers: readonly Pick<WorkerReceiver, 'receive'>[] = [];
  private bpWaiters: (() => void)[] = [];
  /** Tuples (batches count as their tuples) sent to other workers. */
  remoteTuples = 0;

  /**
   * @param index this worker's index in `peers`
   * @param taskWorker the worker index of each task id
   */
  constructor(
    readonly index: number,
    readonly slot: WorkerSlot,
    readonly taskWorker: Int32Array,
    transferBufferSize: number,
  ) {
    this.localQueues = new Array<ReceiveQueue | null>(taskWorker.length).fill(null);
    this.transferQueue = new BoundedChannel<Tuple>(transferBufferSize);
    this.remoteBackPressure = new Uint8Array(taskWorker.length);
    this.backPressure = new BackPressureTracker(this);
  }

  /** Makes `task`'s executor queue reachable in this worker. */
  registerTask(task: number, queue: ReceiveQueue): void {
    this.localQueues[task] = queue;
  }

  /** Hands `t` over (local queue, or transfer queue); false when it must wait (the caller keeps it). */
  tryTransfer(t: Tuple): boolean {
    const q = this.localQueues[t.destTask];
    if (q !== null) return q.offer(t);
    if (this.remoteBackPressure[t.destTask] !== 0) return false;
    return this.transferQueue.offer(t);
  }

  /** Calls `wake` once `t` may be handed over (see {@link tryTransfer}). */
  awaitTransfer(t: Tuple, wake: () => void): void {
    const q = this.localQueues[t.destTask];
    if (q !== null) q.onWritable(wake);
    else if (this.remoteBackPressure[t.destTask] !== 0) this.bpWaiters.push(wake);
    else this.transferQueue.onWritable(wake);
  }

  /** Broadcasts this worker's BackPressureStatus for its `task` to every other worker. */
  announceBackPressure = (task: number, on: boolean): void => {
    for (const w of this.peers) if (w !== this) w.setRemoteBackPressure(task, on);
  };

  /** A BackPressureStatus from the worker hosting `task`: stop (true) or resume (false) sending to it. */
  setRemoteBackPressure(task: number, on: boolean): void {
    this.remoteBackPressure[task] = on ? 1 : 0;
    if (!on && this.bpWaiters.length !== 0) {
      const ws = this.bpWaiters;
      this.bpWaiters = [];
      for (const w of ws) w();
    }
  }
}
