/**
 * The input side of a trial's measurement window: how many events the engine took, and whether it kept up.
 * Opened when warm-up ends, closed when the driver stops sending, measured after the drain.
 *
 * At a paced rate the input is counted by the events' intended send times: the events due in the window,
 * however late the engine read them. Counting by read time would make a micro-batch engine's figure depend
 * on where its batch boundaries fall against the window's ends (it reads in bursts). What was read while the
 * window was open, the backlog and how far the reading trailed the schedule when it closed are kept beside
 * it: they tell an engine that kept up from one that fell behind and read the rest during the drain.
 * At rate max there is no schedule: the events read after the window opened, over the time to the last read.
 * A driver that could not keep to its schedule (driver-bound) is measured as at rate max over the open window.
 * A socket input has no schedule either (the sender sets the pace): it is measured as at rate max.
 */
import type { Clock } from '../../engines/api/index.js';
import type { EventLog } from '../driver/event-log.js';
import { OpenLoopDriver } from '../driver/open-loop-driver.js';
import type { SocketDriver } from '../driver/socket-input.js';

export interface InputMeasurement {
  /** Events counted for the input throughput (see the file comment). */
  events: number;
  /** The window's length (ms): by schedule at a paced rate, to the last read at rate max. */
  durationMs: number;
  inputEventsPerSec: number;
  /** Events first read while the window was open, per second of it. */
  readEventsPerSec: number;
  /** Events sent but not yet read when the window closed. */
  backlogAtEnd: number;
  /** When the window closed, how far the reading trailed the schedule: now minus the oldest unread event's intended time (ms; 0 when none). */
  lagAtEndMs: number;
}

interface Snapshot {
  time: number;
  consumed: number;
  backlog: number;
  lagMs: number;
}

export class InputWindow {
  private opened: Snapshot | undefined;
  private closed: Snapshot | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly driver: OpenLoopDriver | SocketDriver,
    private readonly clock: Clock,
  ) {
    driver.onFinish(() => this.close());
  }

  open(): void {
    this.opened = this.snapshot();
  }

  /** Called when the driver stops sending. */
  close(): void {
    if (this.opened !== undefined && this.closed === undefined) this.closed = this.snapshot();
  }

  /** After the drain. */
  measure(): InputMeasurement {
    const opened = this.opened ?? this.snapshot();
    const closed = this.closed ?? this.snapshot();
    const openMs = closed.time - opened.time;
    const readInWindow = closed.consumed - opened.consumed;
    const atEnd = {
      readEventsPerSec: openMs > 0 ? (readInWindow / openMs) * 1000 : 0,
      backlogAtEnd: closed.backlog,
      lagAtEndMs: closed.lagMs,
    };
    if (!(this.driver instanceof OpenLoopDriver) || this.driver.plan.rate === 'max') {
      const events = this.log.consumedCount - opened.consumed;
      const durationMs = this.log.lastFirstReadTime - opened.time;
      return { events, durationMs, inputEventsPerSec: durationMs > 0 ? (events / durationMs) * 1000 : 0, ...atEnd };
    }
    if (this.driver.driverBound) {
      // The schedule was not kept, so intended times say nothing: what the engine read of what was sent.
      return { events: readInWindow, durationMs: openMs, inputEventsPerSec: atEnd.readEventsPerSec, ...atEnd };
    }
    const { first, end } = this.driver.measuredIndexes();
    const events = this.driver.readAmong(first, end);
    const durationMs = (end - first) * this.driver.periodMs;
    return { events, durationMs, inputEventsPerSec: durationMs > 0 ? (events / durationMs) * 1000 : 0, ...atEnd };
  }

  private snapshot(): Snapshot {
    const now = this.clock.now();
    const oldest = this.log.oldestUnreadTimestamp();
    return {
      time: now,
      consumed: this.log.consumedCount,
      backlog: this.log.backlog,
      lagMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
    };
  }
}
