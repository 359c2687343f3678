/**
 * A supervisor: one per node, owning that node's worker slots; it launches a worker for each slot that
 * the assignment gives the topology (Storm's `Supervisor` and its `Slot` state machine, minus the
 * download and process management a real cluster needs).
 */
import type { SupervisorInfo, WorkerSlot } from './supervisor-info.js';
import { Worker } from './worker/worker.js';

export class Supervisor {
  /** Workers launched here, by slot id. */
  readonly workers = new Map<string, Worker>();

  constructor(readonly info: SupervisorInfo) {}

  /** Launches the worker of `slot` (one of this supervisor's), as worker `index` of the topology. */
  launchWorker(index: number, slot: WorkerSlot, taskWorker: Int32Array, transferBufferSize: number): Worker {
    if (slot.supervisor !== this.info.id) throw new Error(`slot ${slot.id} does not belong to ${this.info.id}`);
    if (this.workers.has(slot.id)) throw new Error(`slot ${slot.id} already runs a worker`);
    const w = new Worker(index, slot, taskWorker, transferBufferSize);
    this.workers.set(slot.id, w);
    return w;
  }
}
