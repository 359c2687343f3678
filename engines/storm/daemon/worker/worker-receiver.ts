/**
 * A worker's receive path (Storm's Netty server thread and `WorkerState.transferLocalBatch`): decodes the
 * messages other workers sent and delivers each tuple to its executor's receive queue, or to the queue's
 * overflow when it is full, which flags the task in the {@link BackPressureTracker}.
 */
import type { Clock } from '../../../api/index.js';
import { deserializeRecords, Mailbox, RingQueue, TimerService, type Runnable, type TaskResult } from '../../../runtime/index.js';
import { BATCH, type Tuple } from '../../executor/tuple.js';
import { TupleDecoder } from './tuple-serialization.js';
import type { Worker } from './worker.js';

export class WorkerReceiver implements Runnable {
  wake: () => void = () => {};
  readonly mailbox = new Mailbox();
  readonly timers: TimerService;
  private readonly incoming = new RingQueue<{ from: number; bytes: Uint8Array }>();
  /** One decoder per sending worker: a batch may span two messages of one sender. */
  private readonly decoders: TupleDecoder[] = [];
  private delivered = 0;
  tuples = 0;

  constructor(
    private readonly worker: Worker,
    clock: Clock,
  ) {
    this.timers = new TimerService(clock, this.mailbox);
  }

  /** A message from worker `from` arrives. */
  receive(from: number, bytes: Uint8Array): void {
    this.incoming.push({ from, bytes });
    this.wake();
  }

  run(budget: number): TaskResult {
    if (!this.mailbox.isEmpty) this.mailbox.runAll();
    let n = 0;
    while (n < budget) {
      const m = this.incoming.shift();
      if (m === undefined) return 'park';
      this.delivered = 0;
      deserializeRecords(m.bytes, this.decoder(m.from).visit);
      n += this.delivered;
    }
    return this.incoming.size === 0 ? 'park' : 'yield';
  }

  private decoder(from: number): TupleDecoder {
    let d = this.decoders[from];
    if (d === undefined) {
      d = new TupleDecoder(this.dispatch);
      this.decoders[from] = d;
    }
    return d;
  }

  private readonly dispatch = (t: Tuple): void => {
    const count = t.kind === BATCH ? (t.value as Tuple[]).length : 1;
    this.delivered += count;
    this.tuples += count;
    const q = this.worker.localQueues[t.destTask];
    if (q === null) throw new Error(`worker ${this.worker.slot.id} received a tuple for task ${t.destTask}, which it does not host`);
    if (!q.deliverRemote(t)) this.worker.backPressure.recordBackPressure(t.destTask);
  };
}
