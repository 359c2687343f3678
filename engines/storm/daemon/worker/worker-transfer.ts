/**
 * The worker's transfer thread (Storm's `WorkerTransfer`): drains the transfer queue, serializes each tuple
 * into the message being built for its destination worker (the runtime codec: task id, message id and
 * values as bytes), and sends a message when it is full (`storm.messaging.netty.transfer.batch.size`) or
 * when the queue has been drained. The bytes are what the other worker receives: nothing crosses a
 * worker boundary by reference.
 */
import { RecordSerializer, type Runnable, type TaskResult } from '../../../runtime/index.js';
import type { Tuple } from '../../executor/tuple.js';
import { BATCH } from '../../executor/tuple.js';
import { writeTuple } from './tuple-serialization.js';
import type { Worker } from './worker.js';

interface Connection {
  readonly dest: number;
  readonly out: RecordSerializer;
}

export class WorkerTransfer implements Runnable {
  wake: () => void = () => {};
  private readonly connections: (Connection | undefined)[] = [];
  messages = 0;
  bytes = 0;

  constructor(
    private readonly worker: Worker,
    private readonly messageBytes: number,
  ) {}

  run(budget: number): TaskResult {
    const q = this.worker.transferQueue;
    const taskWorker = this.worker.taskWorker;
    let n = 0;
    while (n < budget) {
      const t = q.poll();
      if (t === undefined) break;
      const conn = this.connection(taskWorker[t.destTask]);
      let from = writeTuple(conn.out, t);
      while (from >= 0) {
        this.send(conn);
        from = writeTuple(conn.out, t, from);
      }
      const count = t.kind === BATCH ? (t.value as Tuple[]).length : 1;
      this.worker.remoteTuples += count;
      n += count;
    }
    for (const c of this.connections) if (c !== undefined && !c.out.isEmpty) this.send(c);
    if (q.isEmpty) {
      q.onReadable(this.wake);
      return 'park';
    }
    return 'yield';
  }

  private connection(dest: number): Connection {
    let c = this.connections[dest];
    if (c === undefined) {
      c = { dest, out: new RecordSerializer(this.messageBytes) };
      this.connections[dest] = c;
    }
    return c;
  }

  private send(c: Connection): void {
    const bytes = c.out.finish();
    this.messages++;
    this.bytes += bytes.byteLength;
    this.worker.receivers[c.dest].receive(this.worker.index, bytes);
  }
}
