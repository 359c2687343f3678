/**
 * Task threads: a TaskManager runs each slot on its own `worker_threads` Worker, so that tasks of
 * different slots use different cores. A worker cannot outlive its process, so the daemon's exit rules
 * cover its threads too; an uncaught error in a thread is reported as the thread's failure.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

export interface TaskThreadSpec {
  /** e.g. `taskmanager-1 slot 2`. */
  readonly name: string;
  /** Compiled entry module (absolute path). */
  readonly modulePath: string;
  readonly workerData: unknown;
  /** MessagePorts and buffers moved into the thread with its data. */
  readonly transferList?: readonly TransferListItem[];
}

export class TaskThread {
  readonly worker: Worker;
  /** Resolves with the exit code, or rejects with the thread's uncaught error. */
  readonly exited: Promise<number>;

  constructor(spec: TaskThreadSpec) {
    this.worker = new Worker(spec.modulePath, {
      name: spec.name,
      workerData: spec.workerData,
      transferList: spec.transferList ? [...spec.transferList] : [],
    });
    this.exited = new Promise((resolve, reject) => {
      this.worker.once('error', (err) => reject(new Error(`${spec.name}: ${err.message}`)));
      this.worker.once('exit', (code) => resolve(code));
    });
    this.exited.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
