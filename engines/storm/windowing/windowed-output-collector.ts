/**
 * Storm's `WindowedOutputCollector`: while a window is evaluated, every tuple the windowed bolt emits is
 * anchored to every tuple of that window, so each result joins the tree of every spout tuple the window
 * holds, and those trees complete only once the result is acked downstream and the window's tuples have
 * expired. The window's tuples are indexed once ({@link AnchorSet}), on its first emit.
 */
import { AnchorSet } from '../executor/anchor-set.js';
import type { Tuple } from '../executor/tuple.js';
import type { OutputCollector } from '../topology/components.js';

export class WindowedOutputCollector {
  private tuples: readonly Tuple[] = [];
  private anchors: AnchorSet | null = null;
  /** Tuples emitted by the windowed bolt. */
  emitted = 0;

  constructor(private readonly collector: OutputCollector) {}

  /** The window being evaluated: what the next emits are anchored to. */
  setContext(tuples: readonly Tuple[]): void {
    this.tuples = tuples;
    this.anchors = null;
  }

  /** The window's evaluation is over: its tuples' ack values take in what the results XORed. */
  settle(): void {
    this.anchors?.settle();
    this.anchors = null;
    this.tuples = [];
  }

  /** Emits `value` on `stream`, anchored to every tuple of the current window. */
  emit(value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void {
    if (this.anchors === null) this.anchors = new AnchorSet(this.tuples);
    this.emitted++;
    this.collector.emitAnchoredTo(this.anchors, value, eventTime, emitTime, ingestTime, stream);
  }
}
