/**
 * Storm's `WindowedBoltExecutor`: the bolt that wraps an `IWindowedBolt` with event-time windows of a
 * duration (`withWindow(Duration, Duration)`, `withTumblingWindow(Duration)`), a timestamp field and a lag.
 *
 * - Each input tuple's timestamp goes to the bolt's own {@link WaterMarkEventGenerator} (per input stream);
 *   a late one goes to the late tuple stream or is counted ({@link LateTuples}), and is acked. Every other
 *   tuple is held in the {@link WindowManager}: no watermark tuples travel between bolts.
 * - Every watermark interval the generator's watermark reaches the {@link WatermarkTimeTriggerPolicy}, which
 *   evaluates each window it closes: the wrapped bolt's `execute` gets a {@link TupleWindow}, and whatever it
 *   emits is anchored to every tuple of the window ({@link WindowedOutputCollector}).
 * - A tuple is acked when it expires: at the evaluation of the first window that no longer holds it (one
 *   sliding interval after the last that did), so its spout tuple's tree completes only then, and only once
 *   the results anchored to it are acked too.
 *
 * Storm refuses a window whose length plus sliding interval exceeds the message timeout (its tuples would
 * time out, be replayed and evaluated twice before they expire); the lowering checks that as Storm does.
 * At the end of a bounded input (not a Storm notion) the last watermark is +Infinity, every window with
 * tuples is evaluated, and what is still held expires.
 */
import { MAX_WATERMARK, type MetricsRecorder } from '../../api/index.js';
import type { Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';
import { WatermarkTimeEvictionPolicy } from './eviction-policy.js';
import { ExpiredTupleAcks } from './expired-tuple-acks.js';
import { LateTuples } from './late-tuples.js';
import { WatermarkTimeTriggerPolicy } from './trigger-policy.js';
import { TupleWindowImpl, type TupleWindow } from './tuple-window.js';
import { WaterMarkEventGenerator } from './watermark-event-generator.js';
import { WindowManager, type WindowLifecycleListener } from './window-manager.js';
import { WindowedOutputCollector } from './windowed-output-collector.js';

/** Storm's `IWindowedBolt`: user code that processes whole windows. */
export interface IWindowedBolt {
  prepare(context: TopologyContext, collector: WindowedOutputCollector): void;
  execute(window: TupleWindow): void;
}

/** A windowed bolt's settings (Storm's `BaseWindowedBolt` builder calls and topology config). */
export interface WindowedBoltConfig {
  /** Window length (ms). */
  readonly lengthMs: number;
  /** Sliding interval (ms); the length for a tumbling window. */
  readonly slideMs: number;
  /** `withLag`: the bound on timestamp out-of-orderness (ms). */
  readonly lagMs: number;
  /** `topology.bolts.watermark.event.interval.ms` (ms). */
  readonly watermarkIntervalMs: number;
  /** `withLateTupleStream`, or null: late tuples are counted and dropped. */
  readonly lateTupleStream: string | null;
}

/** The timestamp field: the tuple's event time. */
const timestampOf = (t: Tuple): number => t.eventTime;

export class WindowedBoltExecutor implements IBolt {
  readonly autoAck = false;
  private windowed!: WindowedOutputCollector;
  private manager!: WindowManager<Tuple>;
  private trigger!: WatermarkTimeTriggerPolicy;
  private generator!: WaterMarkEventGenerator;
  private acks: ExpiredTupleAcks | null = null;
  private late!: LateTuples;

  /**
   * @param operator the dataflow operator it runs (late records are counted under it)
   * @param inputStreams the bolt's input streams (subscriptions)
   */
  constructor(
    private readonly bolt: IWindowedBolt,
    readonly config: WindowedBoltConfig,
    private readonly operator: string,
    private readonly metrics: MetricsRecorder,
    private readonly inputStreams: number,
  ) {}

  prepare(context: TopologyContext, collector: OutputCollector): void {
    const c = this.config;
    this.windowed = new WindowedOutputCollector(collector);
    this.bolt.prepare(context, this.windowed);
    const eviction = new WatermarkTimeEvictionPolicy(c.lengthMs);
    this.manager = new WindowManager<Tuple>(this.listener, eviction, timestampOf);
    this.trigger = new WatermarkTimeTriggerPolicy(c.slideMs, this.manager, eviction);
    this.manager.setTriggerPolicy(this.trigger);
    this.generator = new WaterMarkEventGenerator((wm) => this.manager.addWatermark(wm), c.watermarkIntervalMs, c.lagMs, this.inputStreams);
    if (context.ackersEnabled) this.acks = new ExpiredTupleAcks(collector);
    this.late = new LateTuples(collector, c.lateTupleStream, this.operator, this.metrics);
    this.generator.start(context.timers);
  }

  private readonly listener: WindowLifecycleListener<Tuple> = {
    onExpiry: (tuples) => this.acks?.add(tuples),
    onActivation: (tuples, newTuples, expired, windowEnd) => {
      this.windowed.setContext(tuples);
      this.bolt.execute(new TupleWindowImpl(tuples, newTuples, expired, windowEnd - this.config.lengthMs, windowEnd));
      this.windowed.settle();
    },
  };

  execute(t: Tuple): void {
    if (this.generator.track(t.stream, timestampOf(t))) this.manager.add(t);
    else this.late.handle(t);
  }

  onEndOfInput(): void {
    this.generator.stop();
    this.manager.addWatermark(MAX_WATERMARK);
    this.manager.expireAll();
  }

  hasDeferred(): boolean {
    return this.acks !== null && this.acks.hasDue;
  }

  flushDeferred(max: number): number {
    return this.acks === null ? 0 : this.acks.flush(max);
  }

  /** Late tuples (for engineStats). */
  get lateRecordsDropped(): number {
    return this.late.stream === null ? this.late.count : 0;
  }

  /** What this bolt task holds and has done, for engineStats. */
  get windowStats(): WindowedBoltStats {
    return {
      tuplesHeld: this.manager.held,
      tuplesHeldPeak: this.manager.peakHeld,
      awaitingAck: this.acks?.size ?? 0,
      windowsEvaluated: this.trigger.evaluated,
      activations: this.manager.activations,
      expired: this.manager.expiredTotal,
      late: this.late.count,
      resultsEmitted: this.windowed.emitted,
      watermarks: this.generator.generated,
      watermark: Number.isFinite(this.generator.watermark) ? this.generator.watermark : null,
    };
  }
}

/** One windowed bolt task's counters. */
export interface WindowedBoltStats {
  /** Tuples held in the window manager now, and the most ever held. */
  tuplesHeld: number;
  tuplesHeldPeak: number;
  /** Expired tuples whose ack is still queued. */
  awaitingAck: number;
  /** Windows the trigger policy evaluated, and those that held tuples (the bolt's execute ran). */
  windowsEvaluated: number;
  activations: number;
  /** Tuples expired (acked) so far. */
  expired: number;
  late: number;
  resultsEmitted: number;
  /** Watermark events generated, and the last watermark (ms; null before the first). */
  watermarks: number;
  watermark: number | null;
}
