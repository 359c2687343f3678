/**
 * What travels on a network channel: buffers of serialized stream elements, and events.
 *
 * A data buffer holds records and watermarks written by the codec one after another, as Flink's
 * `StreamElementSerializer` writes them into the record stream: a watermark is an in-band frame (it does
 * not flush the buffer it is written into), marked by a NaN emitTime where records always carry a finite
 * one. Events (checkpoint barriers, end of partition) are serialized on their own, outside the buffer pool
 * (Flink's `EventSerializer` uses unpooled memory), and need no credit to be sent.
 */
import type { FlinkBufferStats } from '../flink-stats.js';

/** Event tags. */
export const CHECKPOINT_BARRIER = 1;
export const END_OF_PARTITION = 2;

export type TaskEvent =
  | { readonly kind: typeof CHECKPOINT_BARRIER; readonly checkpointId: number; readonly timestamp: number }
  | { readonly kind: typeof END_OF_PARTITION };

/** The emitTime of a watermark frame: records always carry a finite emitTime. */
export const WATERMARK_TAG_TIME = Number.NaN;

/** Whether a deserialized frame (by its emitTime) is a watermark rather than a record. */
export function isWatermarkFrame(emitTime: number): boolean {
  return emitTime !== emitTime;
}

/** A buffer or an event, as a subpartition queues it and an input channel receives it. */
export class NetworkBuffer {
  /**
   * @param bytes the serialized content
   * @param isBuffer true for data (needs a credit, holds stream elements), false for an event
   * @param elements stream elements in a data buffer (records and watermarks)
   */
  constructor(
    public bytes: Uint8Array,
    readonly isBuffer: boolean,
    readonly elements: number,
  ) {}
}

const EVENT_BYTES = 17;

/** Serializes an event: `[u8 tag][f64 checkpointId][f64 timestamp]`, little endian. */
export function serializeEvent(event: TaskEvent): NetworkBuffer {
  const bytes = new Uint8Array(EVENT_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = event.kind;
  if (event.kind === CHECKPOINT_BARRIER) {
    view.setFloat64(1, event.checkpointId, true);
    view.setFloat64(9, event.timestamp, true);
  }
  return new NetworkBuffer(bytes, false, 0);
}

/** Reads an event written by {@link serializeEvent}. */
export function deserializeEvent(buffer: NetworkBuffer): TaskEvent {
  const bytes = buffer.bytes;
  if (bytes.length !== EVENT_BYTES) throw new Error(`corrupt event buffer of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bytes[0]) {
    case CHECKPOINT_BARRIER:
      return { kind: CHECKPOINT_BARRIER, checkpointId: view.getFloat64(1, true), timestamp: view.getFloat64(9, true) };
    case END_OF_PARTITION:
      return { kind: END_OF_PARTITION };
    default:
      throw new Error(`corrupt event buffer: tag ${bytes[0]}`);
  }
}

/** Network counters of one job (engineStats.buffers). */
export class BufferStats {
  /** Data buffers handed to a consumer channel. */
  sent = 0;
  /** Sum of (bytes / bufferSize) over sent data buffers. */
  fillSum = 0;
  flushedFull = 0;
  /** By the output flusher, or after every element when the buffer timeout is 0. */
  flushedByTimeout = 0;
  /** Because a barrier or end of partition was written behind it. */
  flushedByEvent = 0;
  events = 0;
  /** Bytes of sent data buffers. */
  bytesSent = 0;
  /** Most buffers any result partition held beyond its pool (a task cannot stop inside a record). */
  maxOverdraft = 0;
  /** Data buffers copied across TaskManagers (remote channels). */
  remoteBuffers = 0;

  toJSON(): FlinkBufferStats {
    return {
      sent: this.sent,
      avgFillRatio: this.sent === 0 ? 0 : Math.round((this.fillSum / this.sent) * 10000) / 10000,
      flushedByTimeout: this.flushedByTimeout,
      flushedFull: this.flushedFull,
      flushedByEvent: this.flushedByEvent,
      events: this.events,
      bytesSent: this.bytesSent,
      remoteBuffers: this.remoteBuffers,
      maxOverdraftBuffers: this.maxOverdraft,
    };
  }
}
