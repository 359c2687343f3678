/**
 * What spout and bolt executors share (Storm's `Executor`): one task on the shared scheduler per executor
 * (an executor thread), its receive queue, its mailbox for timers (tick tuples), and the send side:
 *
 * - `transfer` hands a tuple to the worker: into the target executor's queue when it is in the same worker
 *   (by reference), into the worker's transfer queue otherwise (serialized there).
 * - A tuple that cannot be handed over (full queue, or a remote task under backpressure) goes to
 *   `pendingEmits`, and so does everything after it, to keep order; the executor stops consuming input
 *   (a spout stops calling `nextTuple`) and parks until the blocking queue has room (Storm 2 backpressure).
 * - With a batch size above 1 (JStorm's `task.batch.tuple`, Storm's `topology.producer.batch.size`)
 *   tuples are collected per target task and handed over as one queue slot when the batch is full or the
 *   flush interval has passed.
 */
import type { Clock, MetricsRecorder } from '../../api/index.js';
import { Mailbox, RingQueue, TimerService, type Runnable, type TaskResult } from '../../runtime/index.js';
import { MessageIdGenerator } from '../acker/message-id.js';
import type { StormConfig, StormTestHooks } from '../config.js';
import type { Worker } from '../daemon/worker/worker.js';
import type { ExecutorDetails } from '../scheduler/scheduler.js';
import { ReceiveQueue } from './receive-queue.js';
import { BATCH, EOS, Tuple, WATERMARK } from './tuple.js';

/** What executors report to the running topology. */
export interface ExecutorHost {
  readonly config: StormConfig;
  readonly clock: Clock;
  readonly metrics: MetricsRecorder;
  readonly hooks: StormTestHooks;
  /** Acker task ids (empty when acking is off). */
  readonly ackerTasks: readonly number[];
  /** A spout executor has emitted everything and seen every tree complete. */
  spoutExecutorFinished(): void;
  /** A bolt task has seen end of stream on every input. */
  boltTaskFinished(): void;
}

export abstract class Executor implements Runnable {
  readonly queue: ReceiveQueue;
  readonly mailbox = new Mailbox();
  readonly timers: TimerService;
  readonly ids: MessageIdGenerator;
  /** The scheduler task's wake; set when spawned. */
  wake: () => void = () => {};
  protected readonly pendingEmits = new RingQueue<Tuple>();
  private pendingHwm = 0;

  private readonly batchSize: number;
  private readonly batches: (Tuple[] | null)[];
  private readonly openBatches: number[] = [];
  private flushArmed = false;
  batchesSent = 0;

  /** Tuples executed (bolts) or emitted (spouts). */
  executed = 0;
  /** Sampled execute latency: sum (ms) and count. */
  latencySumMs = 0;
  latencySamples = 0;
  protected sampleCountdown: number;
  protected readonly sampleEvery: number;

  constructor(
    readonly details: ExecutorDetails,
    readonly worker: Worker,
    readonly host: ExecutorHost,
    topologyTasks: number,
  ) {
    const config = host.config;
    this.queue = new ReceiveQueue(config.receiveBufferSize);
    this.timers = new TimerService(host.clock, this.mailbox);
    this.ids = new MessageIdGenerator(details.startTask * 0x9e3779b1 + 17);
    this.batchSize = config.batchSize;
    this.batches = new Array<Tuple[] | null>(topologyTasks + 1).fill(null);
    this.sampleEvery = config.statsSampleEvery;
    this.sampleCountdown = details.startTask % this.sampleEvery;
  }

  abstract run(budget: number): TaskResult;

  /** Hands `t` (with `destTask` set) towards its target: batched, queued locally, or transferred. */
  transfer(t: Tuple): void {
    if (this.batchSize === 1) {
      this.send(t);
      return;
    }
    const d = t.destTask;
    let b = this.batches[d];
    if (b === null) {
      b = [];
      this.batches[d] = b;
      this.openBatches.push(d);
      if (!this.flushArmed) {
        this.flushArmed = true;
        this.timers.register(this.host.clock.now() + this.host.config.batchFlushIntervalMs, this.onFlushTimer);
      }
    }
    b.push(t);
    // Control tuples close the batch at once: watermarks and end of stream must not wait for a timer.
    if (b.length >= this.batchSize || t.kind === WATERMARK || t.kind === EOS) this.flushBatch(d);
  }

  /** Hands over every partial batch. */
  flushBatches(): void {
    const open = this.openBatches;
    for (let i = 0; i < open.length; i++) this.flushBatch(open[i]);
    open.length = 0;
  }

  private readonly onFlushTimer = (): void => {
    this.flushArmed = false;
    this.flushBatches();
  };

  private flushBatch(d: number): void {
    const b = this.batches[d];
    if (b === null) return;
    this.batches[d] = null;
    if (b.length === 1) {
      this.send(b[0]);
      return;
    }
    const bt = new Tuple(BATCH, d, this.details.startTask, 0, b, 0, 0, 0);
    this.batchesSent++;
    this.send(bt);
  }

  private send(t: Tuple): void {
    const pe = this.pendingEmits;
    if (pe.size !== 0 || !this.worker.tryTransfer(t)) {
      pe.push(t);
      if (pe.size > this.pendingHwm) this.pendingHwm = pe.size;
    }
  }

  /**
   * Hands over pending emits in order; true when none is left. Otherwise registers a wake for when the
   * blocking target can take one, and returns false (the caller parks).
   */
  protected flushPending(): boolean {
    const pe = this.pendingEmits;
    const worker = this.worker;
    while (pe.size !== 0) {
      const t = pe.peek() as Tuple;
      if (!worker.tryTransfer(t)) {
        worker.awaitTransfer(t, this.wake);
        return false;
      }
      pe.shift();
    }
    return true;
  }

  /** True while emits are held back by backpressure. */
  get backpressured(): boolean {
    return this.pendingEmits.size !== 0;
  }

  /** The most tuples ever held in pendingEmits. */
  get pendingEmitsHighWaterMark(): number {
    return this.pendingHwm;
  }

  /** Average sampled execute latency (ms). */
  get executeLatencyMs(): number {
    return this.latencySamples === 0 ? 0 : this.latencySumMs / this.latencySamples;
  }

  /** Stops this executor's timers (end of the topology). */
  shutdown(): void {
    this.timers.shutdown();
  }
}
