/** Spouts and bolts for hand-built test topologies. */
import type { IBolt, ISpout, OutputCollector, SpoutOutputCollector, TopologyContext, Tuple } from '../../../../engines/storm/index.js';

/**
 * Emits `values` in order (task i of n emits the values whose index % n == i) with message ids
 * `(0, index)`; replays what fails; counts acks and fails.
 */
export class ListSpout implements ISpout {
  private collector!: SpoutOutputCollector;
  private context!: TopologyContext;
  private next = 0;
  private readonly retries: number[] = [];
  readonly acked: number[] = [];
  readonly failed: { index: number; timedOut: boolean }[] = [];
  replayed = 0;
  /** Called after every emit with the spout's pending count (for max-spout-pending checks). */
  onEmit: ((pending: number) => void) | undefined;

  constructor(
    private readonly values: readonly unknown[],
    private readonly anchored = true,
  ) {}

  open(context: TopologyContext, collector: SpoutOutputCollector): void {
    this.context = context;
    this.collector = collector;
    this.next = context.taskIndex;
  }

  nextTuple(): boolean {
    let index: number;
    if (this.retries.length > 0) {
      index = this.retries.shift() as number;
      this.replayed++;
    } else {
      if (this.next >= this.values.length) return false;
      index = this.next;
      this.next += this.context.componentTasks.length;
    }
    const now = this.context.clock.now();
    if (this.anchored) this.collector.emit(this.values[index], index, index, now, 0, index);
    else this.collector.emitUnanchored(this.values[index], index, index, now);
    this.onEmit?.(this.collector.pendingCount);
    return true;
  }

  ack(_source: number, sequence: number): void {
    this.acked.push(sequence);
  }

  fail(_source: number, sequence: number, timedOut: boolean): void {
    this.failed.push({ index: sequence, timedOut });
    this.retries.push(sequence);
  }

  waitForData(_wake: () => void): void {}

  isExhausted(): boolean {
    return this.next >= this.values.length && this.retries.length === 0;
  }
}

export interface Received {
  component: string;
  task: number;
  value: unknown;
  input: number;
  srcTask: number;
}

/**
 * Records every tuple it executes into `log`; emits `emit(value)` (anchored) for each, and acks, unless
 * `fail(value)` says to fail it.
 */
export class RecordingBolt implements IBolt {
  readonly autoAck = false;
  private collector!: OutputCollector;
  private context!: TopologyContext;

  constructor(
    private readonly log: Received[],
    private readonly opts: {
      emit?: (value: any, collector: OutputCollector, input: Tuple) => void;
      fail?: (value: any) => boolean;
      onExecute?: () => void;
    } = {},
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.context = context;
    this.collector = collector;
  }

  execute(t: Tuple): void {
    this.opts.onExecute?.();
    this.log.push({ component: this.context.componentId, task: this.context.taskId, value: t.value, input: t.stream, srcTask: t.srcTask });
    this.opts.emit?.(t.value, this.collector, t);
    if (this.opts.fail?.(t.value)) this.collector.fail(t);
    else this.collector.ack(t);
  }
}

/** Holds every input (emitting it onward, anchored) and acks the held ones every `everyMs` of clock time. */
export class AckOnTickBolt implements IBolt {
  readonly autoAck = false;
  private collector!: OutputCollector;
  private held: Tuple[] = [];
  executed = 0;

  constructor(
    private readonly everyMs: number,
    private readonly forward = false,
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    context.timers.periodic(this.everyMs, () => {
      for (const t of this.held) this.collector.ack(t);
      this.held = [];
    });
  }

  execute(t: Tuple): void {
    this.executed++;
    if (this.forward) this.collector.emit(t, t.value, t.eventTime, t.emitTime, t.ingestTime);
    this.held.push(t);
  }
}

/** Holds its inputs unacked until the test calls {@link release}. */
export class HoldingBolt implements IBolt {
  readonly autoAck = false;
  collector!: OutputCollector;
  readonly held: Tuple[] = [];

  prepare(_context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(t: Tuple): void {
    this.held.push(t);
  }

  release(): void {
    for (const t of this.held.splice(0)) this.collector.ack(t);
  }
}
