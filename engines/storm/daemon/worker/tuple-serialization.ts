/**
 * How tuples cross workers: each tuple becomes one record of the runtime codec (the frame carries its three
 * times), its value an envelope `[kind, destTask, srcTask, stream, rootHi, rootLo, edgeHi, edgeLo,
 * moreIds, value, batchLeft]`: the task id and the message id travel with the values, as Storm's
 * `KryoTupleSerializer` writes them. A batch is written as its tuples, each saying how many more of the
 * batch follow, so that a batch may span two network messages; the receiver re-forms it.
 */
import type { RecordSerializer } from '../../../runtime/index.js';
import { BATCH, Tuple } from '../../executor/tuple.js';

/**
 * Writes tuple `t`, or the tuples of batch `t` from index `from`; returns how many tuples of it were
 * written before the buffer filled (the caller flushes and continues from there), or -1 when all were.
 */
export function writeTuple(out: RecordSerializer, t: Tuple, from = 0): number {
  if (t.kind !== BATCH) return writeOne(out, t, 0) ? -1 : 0;
  const batch = t.value as Tuple[];
  const n = batch.length;
  for (let i = from; i < n; i++) {
    if (!writeOne(out, batch[i], n - 1 - i)) return i;
  }
  return -1;
}

function writeOne(out: RecordSerializer, t: Tuple, batchLeft: number): boolean {
  const more = t.moreIds === null ? null : Array.from(t.moreIds);
  return out.write(
    [t.kind, t.destTask, t.srcTask, t.stream, t.rootHi, t.rootLo, t.edgeHi, t.edgeLo, more, t.value, batchLeft],
    t.eventTime,
    t.emitTime,
    t.ingestTime,
  );
}

/** Rebuilds tuples from the records of one sending worker, re-forming batches; `deliver` gets each. */
export class TupleDecoder {
  private batch: Tuple[] | null = null;

  constructor(private readonly deliver: (t: Tuple) => void) {}

  /** The record visitor for deserializeRecords. */
  readonly visit = (value: unknown, eventTime: number, emitTime: number, ingestTime: number): void => {
    const e = value as unknown[];
    const t = new Tuple(e[0] as number, e[1] as number, e[2] as number, e[3] as number, e[9], eventTime, emitTime, ingestTime);
    t.rootHi = e[4] as number;
    t.rootLo = e[5] as number;
    t.edgeHi = e[6] as number;
    t.edgeLo = e[7] as number;
    const more = e[8] as number[] | null;
    t.moreIds = more === null ? null : Int32Array.from(more);
    const left = e[10] as number;
    if (this.batch === null && left === 0) {
      this.deliver(t);
      return;
    }
    (this.batch ??= []).push(t);
    if (left === 0) {
      const bt = new Tuple(BATCH, t.destTask, t.srcTask, 0, this.batch, 0, 0, 0);
      this.batch = null;
      this.deliver(bt);
    }
  };
}
