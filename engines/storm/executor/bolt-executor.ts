/**
 * A bolt executor (Storm's `BoltExecutor`): one scheduler task that drains its receive queue and runs each
 * tuple through the bolt instance of the tuple's target task.
 *
 * Besides data it handles the system streams: end of stream (once every input channel has ended, the bolt
 * finishes and the marker is forwarded), whatever a system bolt consumes (the acker's messages, the
 * topology master's triggers), and, with `storm.windowing=incremental` only, watermark tuples (the minimum
 * over the task's input channels is passed to the bolt and forwarded downstream; Storm's windowed bolts
 * compute their watermarks themselves and none travel). Every `statsSampleEvery`-th tuple is timed for the
 * execute latency.
 */
import { MAX_WATERMARK } from '../../api/index.js';
import { WatermarkValve } from '../../operators/index.js';
import type { TaskResult } from '../../runtime/index.js';
import type { IBolt } from '../topology/components.js';
import type { BoltOutputCollector } from './output-collector.js';
import { BATCH, DATA, EOS, WATERMARK, type Tuple } from './tuple.js';
import { Executor } from './executor.js';

/** One task of a bolt executor: its bolt instance, collector and input-channel bookkeeping. */
export class BoltTask {
  private readonly valve: WatermarkValve;
  private ended = 0;
  finished = false;

  /**
   * @param channelBase per input index, the first channel number of that input's producer tasks
   * @param producerFirstTask per input index, the producer component's first task id
   * @param channels the number of input channels (producer tasks over all inputs)
   * @param watermarkTuples whether watermark tuples flow (storm.windowing=incremental)
   */
  constructor(
    readonly taskId: number,
    readonly bolt: IBolt,
    readonly collector: BoltOutputCollector,
    private readonly channelBase: readonly number[],
    private readonly producerFirstTask: readonly number[],
    readonly channels: number,
    private readonly watermarkTuples: boolean,
    private readonly onFinished: () => void,
  ) {
    this.valve = new WatermarkValve(Math.max(1, channels));
  }

  private channelOf(t: Tuple): number {
    return this.channelBase[t.stream] + (t.srcTask - this.producerFirstTask[t.stream]);
  }

  onWatermark(t: Tuple): void {
    if (this.bolt.generatesWatermarks) return; // a timestamps bolt's own watermarks replace its inputs'
    this.advance(this.valve.update(this.channelOf(t), t.eventTime));
  }

  onEndOfStream(t: Tuple): void {
    const ch = this.channelOf(t);
    // An ended channel no longer holds the watermark back.
    if (this.watermarkTuples && !this.bolt.generatesWatermarks) this.advance(this.valve.update(ch, MAX_WATERMARK));
    if (++this.ended < this.channels || this.finished) return;
    this.finished = true;
    this.bolt.onEndOfInput?.();
    this.collector.emitEndOfStream();
    this.onFinished();
  }

  private advance(wm: number | undefined): void {
    if (wm === undefined) return;
    this.bolt.onWatermark?.(wm);
    this.collector.emitWatermark(wm);
  }
}

export class BoltExecutor extends Executor {
  /** Tasks by `taskId - startTask`. */
  tasks: BoltTask[] = [];
  private autoAck: boolean[] = [];
  /** Tasks whose bolt defers work to be paced here (windowed bolts). */
  private deferring: BoltTask[] = [];

  /** Installs the tasks (after construction, once collectors exist). */
  setTasks(tasks: BoltTask[]): void {
    this.tasks = tasks;
    this.autoAck = tasks.map((t) => t.bolt.autoAck === true);
    this.deferring = tasks.filter((t) => typeof t.bolt.flushDeferred === 'function');
  }

  run(budget: number): TaskResult {
    if (!this.mailbox.isEmpty) this.mailbox.runAll();
    if (this.pendingEmits.size !== 0 && !this.flushPending()) return 'park';
    let n = 0;
    if (this.deferring.length !== 0) {
      n = this.flushDeferred(budget);
      if (this.pendingEmits.size !== 0 && !this.flushPending()) return 'park';
      if (n >= budget) return 'yield';
    }
    const q = this.queue;
    while (n < budget) {
      const t = q.poll();
      if (t === undefined) {
        if (this.hasDeferred()) return 'yield';
        q.onReadable(this.wake);
        return 'park';
      }
      n += this.process(t);
      if (this.pendingEmits.size !== 0 && !this.flushPending()) return 'park';
    }
    return 'yield';
  }

  /** Sends up to `max` items of the bolts' deferred work; returns how many. */
  private flushDeferred(max: number): number {
    let n = 0;
    for (const task of this.deferring) {
      if (n >= max) break;
      if (task.bolt.hasDeferred?.()) n += (task.bolt.flushDeferred as (m: number) => number)(max - n);
    }
    return n;
  }

  private hasDeferred(): boolean {
    for (const task of this.deferring) if (task.bolt.hasDeferred?.()) return true;
    return false;
  }

  private process(t: Tuple): number {
    switch (t.kind) {
      case DATA:
        this.execute(t);
        return 1;
      case BATCH: {
        const b = t.value as Tuple[];
        let n = 0;
        for (let i = 0; i < b.length; i++) n += this.process(b[i]);
        return n;
      }
      case WATERMARK:
        this.tasks[t.destTask - this.details.startTask].onWatermark(t);
        return 1;
      case EOS:
        this.tasks[t.destTask - this.details.startTask].onEndOfStream(t);
        return 1;
      default:
        // System streams consumed by system bolts (acker, topology master).
        this.execute(t);
        return 1;
    }
  }

  private execute(t: Tuple): void {
    const i = t.destTask - this.details.startTask;
    const task = this.tasks[i];
    if (--this.sampleCountdown <= 0) {
      this.sampleCountdown = this.sampleEvery;
      const clock = this.host.clock;
      const t0 = clock.now();
      task.bolt.execute(t);
      this.latencySumMs += clock.now() - t0;
      this.latencySamples++;
    } else {
      task.bolt.execute(t);
    }
    if (this.autoAck[i]) task.collector.ack(t);
    this.executed++;
  }
}
