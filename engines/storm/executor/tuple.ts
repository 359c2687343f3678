/**
 * The unit that moves between executors: Storm's `TupleImpl` plus the system streams it rides on.
 *
 * One class for every kind of message (data, watermarks, end of stream, the acker's `__ack_init`,
 * `__ack_ack`, `__ack_fail` and their answers to the spout, batches, JStorm's flow-control messages), so
 * that receive queues and the code that drains them stay monomorphic.
 *
 * A data tuple's message id is Storm's `MessageId`: a map from root id (the spout tuple's 64-bit id) to
 * this tuple's 64-bit edge id. Ids are kept as two signed 32-bit halves (hi, lo): the first anchor inline,
 * any further ones in `moreIds` as `[rootHi, rootLo, edgeHi, edgeLo]` quadruples (an Int32Array: a result of
 * a window may carry thousands).
 */

/** A user data tuple on some stream. */
export const DATA = 0;
/** A watermark (value in `eventTime`, ms): sent to every task of every downstream subscription. */
export const WATERMARK = 1;
/** End of stream from one upstream task: it will send no more data (bounded input). */
export const EOS = 2;
/** `__ack_init`: root id (root), XOR of the spout tuple's edge ids (edge); the spout task is `srcTask`. */
export const ACK_INIT = 3;
/** `__ack_ack`: root id (root), edge id XOR the acked tuple's ack value (edge). */
export const ACK_ACK = 4;
/** `__ack_fail`: root id (root). */
export const ACK_FAIL = 5;
/** The acker's `__ack_ack` to the spout (direct): the tree of root is complete. */
export const SPOUT_ACK = 6;
/** The acker's `__ack_fail` to the spout (direct): the tree of root failed. */
export const SPOUT_FAIL = 7;
/** Several tuples for one task in one queue slot (JStorm's `task.batch.tuple`, Storm's producer batch). */
export const BATCH = 8;
/** JStorm: a task reports to the topology master that it is blocked (value = [blocked 0|1, execute ms]). */
export const BP_TRIGGER = 9;
/** JStorm: the topology master tells a spout its per-tuple delay (value = ms, 0 = release). */
export const FLOW_CTRL = 10;

export const KIND_NAMES = [
  'data',
  'watermark',
  'eos',
  '__ack_init',
  '__ack_ack',
  '__ack_fail',
  'spout_ack',
  'spout_fail',
  'batch',
  'bp_trigger',
  'flow_ctrl',
] as const;

export class Tuple {
  /** The first root id this tuple is anchored to; 0:0 = unanchored (at-most-once). */
  rootHi = 0;
  rootLo = 0;
  /** This tuple's edge id for the inline root (for acker messages: the XOR value). */
  edgeHi = 0;
  edgeLo = 0;
  /** XOR of the edge ids of the tuples anchored to this one (Storm's `_outAckVal`). */
  ackHi = 0;
  ackLo = 0;
  /** Further `[rootHi, rootLo, edgeHi, edgeLo]` anchors, when anchored to more than one root. */
  moreIds: Int32Array | null = null;

  /**
   * @param kind one of the kind constants above
   * @param destTask the task id it is delivered to
   * @param srcTask the task id that sent it
   * @param stream the index of the consumer's subscription it arrives on (its input side)
   * @param value the payload (user value, a control payload, or a BATCH's tuples)
   * @param eventTime event time (ms); a watermark's value
   * @param emitTime the driver's intended send time of the newest input it derives from (ms)
   * @param ingestTime when a spout read the newest input it derives from (ms)
   */
  constructor(
    public kind: number,
    public destTask: number,
    public srcTask: number,
    public stream: number,
    public value: unknown,
    public eventTime: number,
    public emitTime: number,
    public ingestTime: number,
  ) {}
}

/** True when `t` is anchored to at least one root (tracked by the ackers). */
export function isAnchored(t: Tuple): boolean {
  return t.rootHi !== 0 || t.rootLo !== 0;
}

/** The number of roots `t` is anchored to. */
export function rootCount(t: Tuple): number {
  if (t.rootHi === 0 && t.rootLo === 0) return 0;
  return t.moreIds === null ? 1 : 1 + t.moreIds.length / 4;
}

// Time fields hold numbers that are mostly not small integers. Storing `null` once makes V8 keep these
// fields tagged rather than as mutable double boxes, so that copying a time from one tuple to the next
// copies a pointer instead of allocating a new box per tuple and hop.
new Tuple(0, 0, 0, 0, null, null as unknown as number, null as unknown as number, null as unknown as number);
