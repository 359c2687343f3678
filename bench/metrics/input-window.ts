/**
 * The input side of a trial's measurement window: how many events the engine took and over how long.
 * Opened when warm-up ends, closed when the driver stops sending; read after the drain.
 */
import type { Clock } from '../../engines/api/index.js';
import type { EventLog } from '../driver/event-log.js';
import type { OpenLoopDriver } from '../driver/open-loop-driver.js';

export interface InputMeasurement {
  /** Events counted for the input throughput. */
  events: number;
  /** The window's length (ms). */
  durationMs: number;
  inputEventsPerSec: number;
}

export class InputWindow {
  private opened = { time: Number.NaN, consumed: 0 };

  constructor(
    private readonly log: EventLog,
    private readonly driver: OpenLoopDriver,
    private readonly clock: Clock,
  ) {}

  get isOpen(): boolean {
    return Number.isFinite(this.opened.time);
  }

  open(): void {
    this.opened = { time: this.clock.now(), consumed: this.log.consumedCount };
  }

  /** The driver has stopped sending. */
  close(): void {}

  /** After the drain: events read since the window opened over the time to the last first read. */
  measure(): InputMeasurement {
    const events = this.log.consumedCount - this.opened.consumed;
    const durationMs = this.log.lastFirstReadTime - this.opened.time;
    return { events, durationMs, inputEventsPerSec: durationMs > 0 ? (events / durationMs) * 1000 : 0 };
  }
}
