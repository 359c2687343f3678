/**
 * `storm.windowing=incremental` only: the acks an incremental windowed bolt holds. Storm's `WindowedBoltExecutor` acks a tuple only when it expires from
 * the window, so the spout tuple's tree stays open (and its log offset uncommitted) until the watermark
 * has passed every window the tuple belongs to. Held acks are kept compactly, as
 * `[rootHi, rootLo, valueHi, valueLo]` int32 quadruples in fixed-size chunks, grouped by expiry time (ms).
 *
 * A watermark can expire a whole window's tuples at once; they become due, and the bolt's executor sends
 * them a budget at a time ({@link flush}), so that the burst waits for room in the acker's queue instead
 * of piling up in the executor's pending emits.
 */
import { MinHeap, RingQueue } from '../../../runtime/index.js';
import type { Tuple } from '../../executor/tuple.js';
import type { OutputCollector } from '../../topology/components.js';

/** Acks per chunk. */
const CHUNK_ACKS = 1024;

/** The acks of one expiry time: full chunks, then the one being filled. */
interface AckList {
  chunks: Int32Array[];
  /** Acks written into the last chunk. */
  last: number;
}

export class ExpiringAcks {
  private readonly byExpiry = new Map<number, AckList>();
  private readonly expiries = new MinHeap<number>();
  /** Lists whose acks are due, oldest first; (`chunk`, `index`) is the position in the first. */
  private readonly due = new RingQueue<AckList>();
  private chunk = 0;
  private index = 0;
  /** The list the last hold went to (consecutive tuples mostly share an expiry). */
  private lastExpiry = Number.NaN;
  private lastList: AckList | undefined;
  private readonly scratch: number[] = [];
  /** Acks currently held (due or not). */
  held = 0;

  constructor(private readonly collector: OutputCollector) {}

  /** Holds `input`'s ack until the watermark reaches `expiry` (an unanchored input has none). */
  hold(input: Tuple, expiry: number): void {
    if (input.rootHi === 0 && input.rootLo === 0) return;
    let list = expiry === this.lastExpiry ? this.lastList : this.byExpiry.get(expiry);
    if (list === undefined) {
      list = { chunks: [new Int32Array(CHUNK_ACKS * 4)], last: 0 };
      this.byExpiry.set(expiry, list);
      this.expiries.push(expiry, expiry);
    }
    this.lastExpiry = expiry;
    this.lastList = list;
    if (input.moreIds === null) {
      this.put(list, input.rootHi, input.rootLo, input.edgeHi ^ input.ackHi, input.edgeLo ^ input.ackLo);
      return;
    }
    const s = this.scratch;
    s.length = 0;
    this.collector.ackValues(input, s);
    for (let k = 0; k < s.length; k += 4) this.put(list, s[k], s[k + 1], s[k + 2], s[k + 3]);
  }

  private put(list: AckList, rh: number, rl: number, vh: number, vl: number): void {
    let c = list.chunks[list.chunks.length - 1];
    if (list.last === CHUNK_ACKS) {
      c = new Int32Array(CHUNK_ACKS * 4);
      list.chunks.push(c);
      list.last = 0;
    }
    const i = list.last++ << 2;
    c[i] = rh;
    c[i + 1] = rl;
    c[i + 2] = vh;
    c[i + 3] = vl;
    this.held++;
  }

  /** Makes every ack whose expiry is at or below `watermark` due. */
  release(watermark: number): void {
    while (this.expiries.size > 0 && this.expiries.peekKey() <= watermark) {
      const expiry = this.expiries.pop() as number;
      this.due.push(this.byExpiry.get(expiry) as AckList);
      this.byExpiry.delete(expiry);
      if (expiry === this.lastExpiry) {
        this.lastExpiry = Number.NaN;
        this.lastList = undefined;
      }
    }
  }

  /** True while due acks remain to be sent. */
  get hasDue(): boolean {
    return this.due.size !== 0;
  }

  /** Sends up to `max` due acks; returns how many it sent. */
  flush(max: number): number {
    const c = this.collector;
    let sent = 0;
    while (sent < max && this.due.size !== 0) {
      const list = this.due.peek() as AckList;
      const chunks = list.chunks;
      while (sent < max && this.chunk < chunks.length) {
        const data = chunks[this.chunk];
        const n = this.chunk === chunks.length - 1 ? list.last : CHUNK_ACKS;
        let i = this.index;
        for (; i < n && sent < max; i++, sent++) {
          const k = i << 2;
          c.sendAck(data[k], data[k + 1], data[k + 2], data[k + 3]);
        }
        this.index = i;
        if (i >= n) {
          this.chunk++;
          this.index = 0;
        }
      }
      if (this.chunk >= chunks.length) {
        this.due.shift();
        this.chunk = 0;
        this.index = 0;
      }
    }
    this.held -= sent;
    return sent;
  }
}
