/**
 * The anchors of an emit anchored to several input tuples (Storm's `BoltOutputCollectorImpl.emit` with a
 * collection of anchors). Per emitted tuple Storm draws, for every anchored anchor, a fresh edge id, XORs
 * it into that anchor's ack value, and XORs it into the new tuple's id for every root the anchor belongs
 * to (`putXor` into its `anchorsToIds`): one id and one XOR per (result, anchor) pair and one per root of
 * each anchor. The new tuple then carries one id per distinct root.
 *
 * A windowed bolt anchors every result to every tuple of its window, so the same anchors serve many
 * emits: this indexes them once (their distinct roots, each anchor's roots as indices into them), and
 * {@link BoltOutputCollector.emitAnchoredTo} does the per-pair work with array indices instead of a map
 * lookup per root. The edge ids XORed into the anchors' ack values collect in an array here and reach the
 * tuples in {@link settle}, which must run before any anchor is acked (XOR is order-free, so the acks are
 * the same). The work per pair is Storm's; only the bookkeeping is cheaper.
 */
import { FIELD_A, TupleIdTable } from '../acker/tuple-id-table.js';
import { isAnchored, type Tuple } from './tuple.js';

export class AnchorSet {
  /** The anchored tuples among those given (an unanchored tuple belongs to no tree: Storm skips it). */
  readonly anchors: Tuple[] = [];
  /** The distinct roots over all anchors, in first-seen order. */
  rootHi: Int32Array;
  rootLo: Int32Array;
  roots = 0;
  /** Anchor `i`'s roots are `rootIndex[offsets[i] .. offsets[i + 1])`, indices into the root arrays. */
  readonly offsets: Int32Array;
  rootIndex: Int32Array;
  /** Scratch for one emit: the new tuple's id for each root (the XOR of its anchors' edge ids). */
  readonly idHi: Int32Array;
  readonly idLo: Int32Array;
  /** Scratch for one emit: the edge id drawn for each anchor. */
  readonly edgeHi: Int32Array;
  readonly edgeLo: Int32Array;
  /** What emits XORed into each anchor's ack value since the last {@link settle}. */
  readonly ackHi: Int32Array;
  readonly ackLo: Int32Array;
  private unsettled = false;

  constructor(tuples: readonly Tuple[]) {
    for (let i = 0; i < tuples.length; i++) if (isAnchored(tuples[i])) this.anchors.push(tuples[i]);
    const n = this.anchors.length;
    this.offsets = new Int32Array(n + 1);
    this.rootIndex = new Int32Array(Math.max(16, n));
    this.rootHi = new Int32Array(16);
    this.rootLo = new Int32Array(16);
    const seen = new TupleIdTable(Math.min(n * 2, 1 << 20));
    let k = 0;
    for (let i = 0; i < n; i++) {
      const a = this.anchors[i];
      k = this.addRoot(seen, a.rootHi, a.rootLo, k);
      const more = a.moreIds;
      if (more !== null) for (let m = 0; m < more.length; m += 4) k = this.addRoot(seen, more[m], more[m + 1], k);
      this.offsets[i + 1] = k;
    }
    this.idHi = new Int32Array(this.roots);
    this.idLo = new Int32Array(this.roots);
    this.edgeHi = new Int32Array(n);
    this.edgeLo = new Int32Array(n);
    this.ackHi = new Int32Array(n);
    this.ackLo = new Int32Array(n);
  }

  /** Marks that emits XORed edge ids into {@link ackHi}/{@link ackLo}. */
  touch(): void {
    this.unsettled = true;
  }

  /** XORs what the emits collected into the anchors' ack values, so that acking them sends the right values. */
  settle(): void {
    if (!this.unsettled) return;
    this.unsettled = false;
    const anchors = this.anchors;
    const ah = this.ackHi;
    const al = this.ackLo;
    for (let i = 0; i < anchors.length; i++) {
      anchors[i].ackHi ^= ah[i];
      anchors[i].ackLo ^= al[i];
    }
    ah.fill(0);
    al.fill(0);
  }

  /** Appends the root `hi:lo` to the current anchor's roots; returns the new length of {@link rootIndex}. */
  private addRoot(seen: TupleIdTable, hi: number, lo: number, k: number): number {
    let slot = seen.find(hi, lo);
    let index: number;
    if (slot >= 0) {
      index = seen.ints[TupleIdTable.base(slot) + FIELD_A];
    } else {
      index = this.roots++;
      slot = seen.insert(hi, lo);
      seen.ints[TupleIdTable.base(slot) + FIELD_A] = index;
      if (index === this.rootHi.length) {
        this.rootHi = grow(this.rootHi);
        this.rootLo = grow(this.rootLo);
      }
      this.rootHi[index] = hi;
      this.rootLo[index] = lo;
    }
    if (k === this.rootIndex.length) this.rootIndex = grow(this.rootIndex);
    this.rootIndex[k] = index;
    return k + 1;
  }

  /** Anchored tuples: the (result, anchor) pairs each emit pays for. */
  get size(): number {
    return this.anchors.length;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
