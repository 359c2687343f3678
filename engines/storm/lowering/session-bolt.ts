/**
 * Session windows as a Storm programmer has to write them: Storm's windowed bolts only know windows of a
 * length and a sliding interval (by count or duration), so sessions are a bolt of their own, built the way
 * `WindowedBoltExecutor` builds windows: the watermark computed inside the bolt by Storm's
 * {@link WaterMarkEventGenerator} (per input stream, minus the lag, every watermark interval), late tuples
 * to the late tuple stream or counted, every tuple of a session held until the session closes, the
 * session's results anchored to all of its tuples, and those tuples acked when the session closes.
 *
 * Which tuples make up which session (merging sessions a tuple bridges) is the shared session state
 * (`KeyedWindows`), whose slots here are the session's tuples.
 */
import {
  MAX_WATERMARK,
  MIN_WATERMARK,
  type Key,
  type KeySelector,
  type MetricsRecorder,
  type TimeWindow,
  type WindowSpec,
} from '../../api/index.js';
import { KeyedWindows, type SlotOps } from '../../operators/index.js';
import { AnchorSet } from '../executor/anchor-set.js';
import type { Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';
import { ExpiredTupleAcks, LateTuples, WaterMarkEventGenerator, type WindowedBoltStats } from '../windowing/index.js';
import type { WindowFunction } from './window-functions.js';

export interface SessionBoltConfig {
  /** `withLag`: the bound on timestamp out-of-orderness (ms). */
  readonly lagMs: number;
  readonly watermarkIntervalMs: number;
  readonly lateTupleStream: string | null;
}

export class SessionBolt implements IBolt {
  readonly autoAck = false;
  private collector!: OutputCollector;
  private readonly sessions: KeyedWindows<Tuple[]>;
  private generator!: WaterMarkEventGenerator;
  private acks: ExpiredTupleAcks | null = null;
  private late!: LateTuples;
  private watermark = MIN_WATERMARK;
  private held = 0;
  private peakHeld = 0;
  private closed = 0;
  private expired = 0;
  private emitted = 0;
  private anchors: AnchorSet | null = null;

  /**
   * @param operator the dataflow operator it runs (late records are counted under it)
   * @param keys the key selector of each input side
   */
  constructor(
    spec: WindowSpec,
    private readonly fn: WindowFunction,
    private readonly keys: readonly KeySelector<any>[],
    readonly config: SessionBoltConfig,
    private readonly operator: string,
    private readonly metrics: MetricsRecorder,
  ) {
    const ops: SlotOps<Tuple[]> = {
      create: () => [],
      add: (tuples, t) => {
        tuples.push(t as Tuple);
        return tuples;
      },
      merge: (a, b) => {
        for (const t of b) a.push(t);
        return a;
      },
      fire: (tuples, _key: Key, window) => this.close(tuples, window),
    };
    this.sessions = new KeyedWindows(spec, ops);
  }

  prepare(context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    this.generator = new WaterMarkEventGenerator(
      (wm) => this.advance(wm),
      this.config.watermarkIntervalMs,
      this.config.lagMs,
      this.keys.length,
    );
    if (context.ackersEnabled) this.acks = new ExpiredTupleAcks(collector);
    this.late = new LateTuples(collector, this.config.lateTupleStream, this.operator, this.metrics);
    this.generator.start(context.timers);
  }

  execute(t: Tuple): void {
    const side = t.stream;
    if (
      !this.generator.track(side, t.eventTime) ||
      !this.sessions.add(this.keys[side](t.value), t, side, t.eventTime, t.emitTime, t.ingestTime, this.watermark)
    ) {
      this.late.handle(t);
      return;
    }
    if (++this.held > this.peakHeld) this.peakHeld = this.held;
  }

  private advance(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.sessions.advance(watermark, noEmit);
  }

  /** A session closed: its results, anchored to its tuples; then its tuples expire. */
  private close(tuples: Tuple[], window: TimeWindow): void {
    this.closed++;
    this.anchors = null;
    this.fn.apply(tuples, window, (value, eventTime, emitTime, ingestTime) => {
      if (this.anchors === null) this.anchors = new AnchorSet(tuples);
      this.emitted++;
      this.collector.emitAnchoredTo(this.anchors, value, eventTime, emitTime, ingestTime);
    });
    // The results' edge ids reach the tuples' ack values before the tuples are acked.
    (this.anchors as AnchorSet | null)?.settle();
    this.anchors = null;
    this.held -= tuples.length;
    this.expired += tuples.length;
    this.acks?.add(tuples);
  }

  onEndOfInput(): void {
    this.generator.stop();
    this.advance(MAX_WATERMARK);
  }

  hasDeferred(): boolean {
    return this.acks !== null && this.acks.hasDue;
  }

  flushDeferred(max: number): number {
    return this.acks === null ? 0 : this.acks.flush(max);
  }

  get lateRecordsDropped(): number {
    return this.late.stream === null ? this.late.count : 0;
  }

  get windowStats(): WindowedBoltStats {
    return {
      tuplesHeld: this.held,
      tuplesHeldPeak: this.peakHeld,
      awaitingAck: this.acks?.size ?? 0,
      windowsEvaluated: this.closed,
      activations: this.closed,
      expired: this.expired,
      late: this.late.count,
      resultsEmitted: this.emitted,
      watermarks: this.generator.generated,
      watermark: Number.isFinite(this.generator.watermark) ? this.generator.watermark : null,
    };
  }
}

const noEmit = (): void => {};
