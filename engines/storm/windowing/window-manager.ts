/**
 * Storm's `WindowManager`: holds every event (tuple) of the bolt's windows in arrival order, and on each
 * trigger scans them with the eviction policy: expired events are removed and reported (the bolt acks
 * them), the events of the window are handed to the listener with those new since the previous window
 * and those expired since then. Every 100 added events (`EXPIRE_EVENTS_THRESHOLD`) it also expires from
 * the front what the last reference time already excludes, so that the queue does not grow between
 * watermarks. Watermark events are not held; they drive the trigger policy.
 *
 * What this costs is Storm's: every tuple of every open window stays referenced (with the set of the
 * previous window's tuples), each evaluation scans the held events, and a sliding window re-reads all of
 * its tuples at every slide.
 */
import { EXPIRE, PROCESS, STOP, type WatermarkTimeEvictionPolicy } from './eviction-policy.js';
import type { TriggerTarget, WatermarkTimeTriggerPolicy } from './trigger-policy.js';

/** Storm's `WindowManager.EXPIRE_EVENTS_THRESHOLD`. */
export const EXPIRE_EVENTS_THRESHOLD = 100;

/** Storm's `WindowLifecycleListener`. */
export interface WindowLifecycleListener<T> {
  /** Events that left every window (Storm acks their tuples here). */
  onExpiry(events: readonly T[]): void;
  /**
   * A window is evaluated: its events, those added since the previous window, those expired since then,
   * and the window's (inclusive) end.
   */
  onActivation(events: readonly T[], newEvents: readonly T[], expired: readonly T[], windowEnd: number): void;
}

export class WindowManager<T> implements TriggerTarget {
  /** Held events in arrival order: `queue[head ..]`. */
  private queue: T[] = [];
  private head = 0;
  private expiredEvents: T[] = [];
  private prevWindowEvents = new Set<T>();
  private eventsSinceLastExpiry = 0;
  private trigger!: WatermarkTimeTriggerPolicy;
  /** Windows evaluated with events in them. */
  activations = 0;
  /** Events expired (and reported) so far. */
  expiredTotal = 0;
  /** The most events ever held at once. */
  peakHeld = 0;

  /** @param timestampOf an event's timestamp (ms): the tuple's timestamp field */
  constructor(
    private readonly listener: WindowLifecycleListener<T>,
    private readonly eviction: WatermarkTimeEvictionPolicy,
    private readonly timestampOf: (event: T) => number,
  ) {}

  setTriggerPolicy(trigger: WatermarkTimeTriggerPolicy): void {
    this.trigger = trigger;
  }

  /** Holds an event; every {@link EXPIRE_EVENTS_THRESHOLD} events, expires what is already out. */
  add(event: T): void {
    this.queue.push(event);
    const held = this.queue.length - this.head;
    if (held > this.peakHeld) this.peakHeld = held;
    this.compactWindow();
  }

  /** A watermark event: the trigger policy evaluates the windows it closes. */
  addWatermark(watermark: number): void {
    this.trigger.onWatermark(watermark);
    this.compactWindow();
  }

  onTrigger(): boolean {
    const windowEvents = this.scanEvents(true);
    const expired = this.expiredEvents;
    this.expiredEvents = [];
    const prev = this.prevWindowEvents;
    const newEvents: T[] = [];
    for (let i = 0; i < windowEvents.length; i++) if (!prev.has(windowEvents[i])) newEvents.push(windowEvents[i]);
    prev.clear();
    if (windowEvents.length === 0) return false;
    for (let i = 0; i < windowEvents.length; i++) prev.add(windowEvents[i]);
    this.activations++;
    this.listener.onActivation(windowEvents, newEvents, expired, this.eviction.referenceTime);
    return true;
  }

  private compactWindow(): void {
    if (++this.eventsSinceLastExpiry >= EXPIRE_EVENTS_THRESHOLD) this.scanEvents(false);
  }

  /**
   * Scans the held events with the eviction policy, removing and reporting the expired ones. A full scan
   * goes on until a STOP and returns the events to process; otherwise it stops at the first event that
   * does not expire.
   */
  private scanEvents(fullScan: boolean): T[] {
    const q = this.queue;
    const ts = this.timestampOf;
    const eviction = this.eviction;
    const toExpire: T[] = [];
    const toProcess: T[] = [];
    // Expired events at the front are dropped by moving the head; later ones by compacting behind it.
    let i = this.head;
    while (i < q.length && eviction.evict(ts(q[i])) === EXPIRE) toExpire.push(q[i++]);
    this.head = i;
    let w = i;
    if (fullScan) {
      for (; i < q.length; i++) {
        const e = q[i];
        const action = eviction.evict(ts(e));
        if (action === EXPIRE) {
          toExpire.push(e);
          continue;
        }
        if (w !== i) q[w] = e;
        w++;
        if (action === STOP) {
          i++;
          break;
        }
        if (action === PROCESS) toProcess.push(e);
      }
      if (w !== i) {
        q.copyWithin(w, i);
        q.length -= i - w;
      }
    }
    if (this.head > 4096 && this.head * 2 > q.length) {
      q.copyWithin(0, this.head);
      q.length -= this.head;
      this.head = 0;
    }
    this.eventsSinceLastExpiry = 0;
    if (toExpire.length > 0) {
      for (let k = 0; k < toExpire.length; k++) this.expiredEvents.push(toExpire[k]);
      this.expiredTotal += toExpire.length;
      this.listener.onExpiry(toExpire);
    }
    return toProcess;
  }

  /** The earliest held timestamp in `(after, upTo]`, Infinity if none (a scan of every held event). */
  earliestEventTs(after: number, upTo: number): number {
    const q = this.queue;
    const ts = this.timestampOf;
    let min = Number.POSITIVE_INFINITY;
    for (let i = this.head; i < q.length; i++) {
      const t = ts(q[i]);
      if (t > after && t <= upTo && t < min) min = t;
    }
    return min;
  }

  eventCount(referenceTime: number): number {
    const q = this.queue;
    const ts = this.timestampOf;
    let n = 0;
    for (let i = this.head; i < q.length; i++) if (ts(q[i]) <= referenceTime) n++;
    return n;
  }

  /**
   * End of a bounded input (no Storm counterpart: a topology never ends): after the last watermark has
   * evaluated every window, what is still held leaves, as it would at the next window.
   */
  expireAll(): void {
    const rest = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.prevWindowEvents.clear();
    this.expiredEvents = [];
    if (rest.length === 0) return;
    this.expiredTotal += rest.length;
    this.listener.onExpiry(rest);
  }

  /** Events held now. */
  get held(): number {
    return this.queue.length - this.head;
  }
}
