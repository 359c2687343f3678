/**
 * Records a time series every second: records in and out, log backlog, event-time latency percentiles of
 * that second, heap used, RSS and CPU. It also tracks the heap peak over the run.
 */
import type { Cancellable, Clock } from '../../engines/api/index.js';
import type { Phase, TimeseriesSample } from '../../reports/schema.js';
import type { EventLog } from '../driver/event-log.js';
import type { MeasuredSinks } from './sinks.js';

export class Sampler {
  readonly samples: TimeseriesSample[] = [];
  heapPeakBytes = 0;
  private timer: Cancellable | undefined;
  private last = { time: 0, consumed: 0, records: 0, cpu: process.cpuUsage() };
  private start = 0;

  constructor(
    private readonly clock: Clock,
    private readonly log: EventLog,
    private readonly sinks: MeasuredSinks,
    private readonly phase: () => Phase,
    private readonly onSample?: (s: TimeseriesSample) => void,
    readonly intervalMs = 1000,
  ) {}

  begin(): void {
    this.start = this.clock.now();
    this.last = { time: this.start, consumed: this.log.consumedCount, records: this.sinks.records, cpu: process.cpuUsage() };
    this.timer = this.clock.schedule(this.start + this.intervalMs, this.tick);
  }

  /** Takes a last (partial-interval) sample and stops. */
  end(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.take();
  }

  private readonly tick = (): void => {
    this.take();
    this.timer = this.clock.schedule(this.last.time + this.intervalMs, this.tick);
  };

  private take(): void {
    const now = this.clock.now();
    const seconds = (now - this.last.time) / 1000;
    if (seconds <= 0) return;
    const consumed = this.log.consumedCount;
    const records = this.sinks.records;
    const cpu = process.cpuUsage(this.last.cpu);
    const mem = process.memoryUsage();
    const interval = this.sinks.intervalEventTime;
    this.heapPeakBytes = Math.max(this.heapPeakBytes, mem.heapUsed);
    const sample: TimeseriesSample = {
      t: round((now - this.start) / 1000, 3),
      phase: this.phase(),
      inputEventsPerSec: round((consumed - this.last.consumed) / seconds, 1),
      outputRecordsPerSec: round((records - this.last.records) / seconds, 1),
      backlog: this.log.backlog,
      latency: interval.count === 0 ? null : { p50: interval.quantile(0.5), p99: interval.quantile(0.99), max: interval.max },
      heapUsedBytes: mem.heapUsed,
      rssBytes: mem.rss,
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / (now - this.last.time)) * 100, 1),
    };
    interval.reset();
    this.samples.push(sample);
    this.last = { time: now, consumed, records, cpu: process.cpuUsage() };
    this.onSample?.(sample);
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
