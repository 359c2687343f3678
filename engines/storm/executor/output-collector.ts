/**
 * The output collectors (Storm's `BoltOutputCollectorImpl` and `SpoutOutputCollectorImpl`): route each
 * emitted value through the groupings of the task's subscribers, one tuple per target task, and keep the
 * acker informed.
 *
 * Anchoring (the XOR scheme): a spout tuple gets a random root id; every tuple sent gets a random edge id
 * per (anchor, target task). The spout sends `__ack_init(root, XOR of its edge ids)`. A bolt emitting
 * anchored to input `a` XORs the new edge id into `a`'s ack value and gives the new tuple `{root: edge}`
 * for each of `a`'s roots; acking `a` sends `__ack_ack(root, a.edge ^ a.ackVal)`. Each edge id is thereby
 * XORed into the root's ledger entry exactly twice (once when created, once when its tuple is acked), so
 * the entry returns to zero exactly when every tuple of the tree has been acked.
 */
import type { OutputCollector, SpoutOutputCollector } from '../topology/components.js';
import { AnchorSet } from './anchor-set.js';
import type { Executor } from './executor.js';
import type { TaskRouter } from './task-router.js';
import { ACK_ACK, ACK_FAIL, ACK_INIT, DATA, EOS, isAnchored, Tuple, WATERMARK } from './tuple.js';

/** Scratch space for drawn ids. */
const ID = new Int32Array(2);

/** Sending to ackers and control messages, shared by both collectors. */
abstract class CollectorBase {
  protected readonly ackers: readonly number[];

  constructor(
    readonly executor: Executor,
    readonly taskId: number,
    readonly router: TaskRouter,
  ) {
    this.ackers = executor.host.ackerTasks;
  }

  /** The acker task responsible for a root (fields grouping on the root id). */
  protected ackerFor(rootLo: number): number {
    const a = this.ackers;
    return a[(rootLo >>> 0) % a.length];
  }

  /** Sends a system message straight to `task` (Storm's emitDirect on a system stream). */
  sendControl(kind: number, task: number, hi: number, lo: number, valHi: number, valLo: number, value: unknown = null): void {
    const t = new Tuple(kind, task, this.taskId, 0, value, 0, 0, 0);
    t.rootHi = hi;
    t.rootLo = lo;
    t.edgeHi = valHi;
    t.edgeLo = valLo;
    this.executor.transfer(t);
  }

  emitWatermark(watermark: number): void {
    this.broadcastControl(WATERMARK, watermark);
  }

  /** End of stream to every downstream task (bounded input). */
  emitEndOfStream(): void {
    this.broadcastControl(EOS, Number.POSITIVE_INFINITY);
    this.executor.flushBatches();
  }

  private broadcastControl(kind: number, time: number): void {
    const b = this.router.broadcast;
    for (let i = 0; i < b.length; i++) this.executor.transfer(new Tuple(kind, b[i].task, this.taskId, b[i].input, null, time, 0, 0));
  }
}

export class BoltOutputCollector extends CollectorBase implements OutputCollector {
  /** (emitted tuple, anchor) pairs of multi-anchor emits: each cost an edge id and its XORs. */
  anchorPairs = 0;

  emit(anchor: Tuple | null, value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void {
    const edges = this.router.edges(stream);
    for (let i = 0; i < edges.length; i++) {
      const g = edges[i].grouper;
      const input = edges[i].inputIndex;
      if (g.all) {
        const ts = g.targets;
        for (let j = 0; j < ts.length; j++) this.send(ts[j], input, anchor, value, eventTime, emitTime, ingestTime);
      } else {
        this.send(g.choose(value), input, anchor, value, eventTime, emitTime, ingestTime);
      }
    }
  }

  emitAnchored(anchors: readonly Tuple[], value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void {
    if (anchors.length === 1) {
      this.emit(anchors[0], value, eventTime, emitTime, ingestTime, stream);
      return;
    }
    const set = new AnchorSet(anchors);
    this.emitAnchoredTo(set, value, eventTime, emitTime, ingestTime, stream);
    set.settle();
  }

  /**
   * Emits anchored to every tuple of `anchors` (indexed once, reused by every emit of a window): per target
   * task, an edge id per anchor, XORed into the anchor's ack value and into the new tuple's id of each of
   * the anchor's roots. Call `anchors.settle()` before acking any of them.
   */
  emitAnchoredTo(anchors: AnchorSet, value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void {
    const edges = this.router.edges(stream);
    for (let i = 0; i < edges.length; i++) {
      const g = edges[i].grouper;
      const input = edges[i].inputIndex;
      if (g.all) {
        const ts = g.targets;
        for (let j = 0; j < ts.length; j++) this.sendAnchoredTo(ts[j], input, anchors, value, eventTime, emitTime, ingestTime);
      } else {
        this.sendAnchoredTo(g.choose(value), input, anchors, value, eventTime, emitTime, ingestTime);
      }
    }
  }

  emitDirect(
    taskId: number,
    anchor: Tuple | null,
    value: unknown,
    eventTime: number,
    emitTime: number,
    ingestTime: number,
    stream?: string,
  ): void {
    const edges = this.router.edges(stream);
    let sent = false;
    for (const e of edges) {
      if (!e.direct) throw new Error(`emitDirect on stream '${stream ?? 'default'}', which is not declared direct`);
      if (!e.grouper.targets.includes(taskId)) continue;
      this.send(taskId, e.inputIndex, anchor, value, eventTime, emitTime, ingestTime);
      sent = true;
    }
    if (!sent && edges.length > 0)
      throw new Error(`emitDirect to task ${taskId}, which does not subscribe to stream '${stream ?? 'default'}'`);
  }

  private send(
    task: number,
    input: number,
    anchor: Tuple | null,
    value: unknown,
    eventTime: number,
    emitTime: number,
    ingestTime: number,
  ): void {
    const t = new Tuple(DATA, task, this.taskId, input, value, eventTime, emitTime, ingestTime);
    if (anchor !== null && (anchor.rootHi !== 0 || anchor.rootLo !== 0)) {
      this.executor.ids.draw(ID);
      const eh = ID[0];
      const el = ID[1];
      anchor.ackHi ^= eh;
      anchor.ackLo ^= el;
      t.rootHi = anchor.rootHi;
      t.rootLo = anchor.rootLo;
      t.edgeHi = eh;
      t.edgeLo = el;
      const more = anchor.moreIds;
      if (more !== null) {
        const m = new Int32Array(more.length);
        for (let k = 0; k < more.length; k += 4) {
          m[k] = more[k];
          m[k + 1] = more[k + 1];
          m[k + 2] = eh;
          m[k + 3] = el;
        }
        t.moreIds = m;
      }
    }
    this.executor.transfer(t);
  }

  /** One edge id per anchor; the new tuple's id for a root is the XOR of the edge ids of the anchors holding it. */
  private sendAnchoredTo(
    task: number,
    input: number,
    set: AnchorSet,
    value: unknown,
    eventTime: number,
    emitTime: number,
    ingestTime: number,
  ): void {
    const t = new Tuple(DATA, task, this.taskId, input, value, eventTime, emitTime, ingestTime);
    const roots = set.roots;
    if (roots > 0) {
      const idHi = set.idHi;
      const idLo = set.idLo;
      idHi.fill(0);
      idLo.fill(0);
      const anchors = set.anchors;
      const n = anchors.length;
      const edgeHi = set.edgeHi;
      const edgeLo = set.edgeLo;
      this.executor.ids.fill(edgeHi, edgeLo, n);
      const offsets = set.offsets;
      const rootIndex = set.rootIndex;
      const ackHi = set.ackHi;
      const ackLo = set.ackLo;
      set.touch();
      for (let i = 0; i < n; i++) {
        const eh = edgeHi[i];
        const el = edgeLo[i];
        ackHi[i] ^= eh;
        ackLo[i] ^= el;
        for (let k = offsets[i], end = offsets[i + 1]; k < end; k++) {
          const r = rootIndex[k];
          idHi[r] ^= eh;
          idLo[r] ^= el;
        }
      }
      this.anchorPairs += anchors.length;
      t.rootHi = set.rootHi[0];
      t.rootLo = set.rootLo[0];
      t.edgeHi = idHi[0];
      t.edgeLo = idLo[0];
      if (roots > 1) {
        const more = new Int32Array((roots - 1) * 4);
        for (let r = 1, m = 0; r < roots; r++, m += 4) {
          more[m] = set.rootHi[r];
          more[m + 1] = set.rootLo[r];
          more[m + 2] = idHi[r];
          more[m + 3] = idLo[r];
        }
        t.moreIds = more;
      }
    }
    this.executor.transfer(t);
  }

  ack(input: Tuple): void {
    if (input.rootHi === 0 && input.rootLo === 0) return;
    const ah = input.ackHi;
    const al = input.ackLo;
    this.sendControl(ACK_ACK, this.ackerFor(input.rootLo), input.rootHi, input.rootLo, input.edgeHi ^ ah, input.edgeLo ^ al);
    const more = input.moreIds;
    if (more !== null) {
      for (let k = 0; k < more.length; k += 4)
        this.sendControl(ACK_ACK, this.ackerFor(more[k + 1]), more[k], more[k + 1], more[k + 2] ^ ah, more[k + 3] ^ al);
    }
  }

  fail(input: Tuple): void {
    forEachRoot(input, (rh, rl) => this.sendControl(ACK_FAIL, this.ackerFor(rl), rh, rl, 0, 0));
  }

  ackValues(input: Tuple, out: number[]): void {
    if (!isAnchored(input)) return;
    out.push(input.rootHi, input.rootLo, input.edgeHi ^ input.ackHi, input.edgeLo ^ input.ackLo);
    const more = input.moreIds;
    if (more !== null) {
      for (let k = 0; k < more.length; k += 4) out.push(more[k], more[k + 1], more[k + 2] ^ input.ackHi, more[k + 3] ^ input.ackLo);
    }
  }

  sendAck(rootHi: number, rootLo: number, valueHi: number, valueLo: number): void {
    this.sendControl(ACK_ACK, this.ackerFor(rootLo), rootHi, rootLo, valueHi, valueLo);
  }
}

function forEachRoot(t: Tuple, visit: (hi: number, lo: number) => void): void {
  if (!isAnchored(t)) return;
  visit(t.rootHi, t.rootLo);
  const more = t.moreIds;
  if (more !== null) for (let k = 0; k < more.length; k += 4) visit(more[k], more[k + 1]);
}

/** What the spout collector needs from its executor's task: the pending map. */
export interface SpoutPendingSink {
  /** Records a tracked spout tuple: its root id, message id and (if sampled) start time. */
  track(rootHi: number, rootLo: number, source: number, sequence: number): void;
  /** Acks a message at once (no ackers, or no subscriber got the tuple). */
  ackNow(source: number, sequence: number): void;
  readonly pendingCount: number;
}

export class SpoutOutputCollectorImpl extends CollectorBase implements SpoutOutputCollector {
  private readonly tracking: boolean;

  constructor(
    executor: Executor,
    taskId: number,
    router: TaskRouter,
    private readonly pending: SpoutPendingSink,
  ) {
    super(executor, taskId, router);
    this.tracking = this.ackers.length > 0;
  }

  get pendingCount(): number {
    return this.pending.pendingCount;
  }

  emit(value: unknown, eventTime: number, emitTime: number, ingestTime: number, source: number, sequence: number, stream?: string): void {
    if (!this.tracking) {
      this.emitUnanchored(value, eventTime, emitTime, ingestTime, stream);
      this.pending.ackNow(source, sequence);
      return;
    }
    const ids = this.executor.ids;
    ids.draw(ID);
    const rh = ID[0];
    const rl = ID[1];
    let xh = 0;
    let xl = 0;
    let sent = 0;
    const edges = this.router.edges(stream);
    for (let i = 0; i < edges.length; i++) {
      const g = edges[i].grouper;
      const input = edges[i].inputIndex;
      if (g.all) {
        const ts = g.targets;
        for (let j = 0; j < ts.length; j++) {
          const t = this.rooted(ts[j], input, rh, rl, value, eventTime, emitTime, ingestTime);
          xh ^= t.edgeHi;
          xl ^= t.edgeLo;
          sent++;
          this.executor.transfer(t);
        }
      } else {
        const t = this.rooted(g.choose(value), input, rh, rl, value, eventTime, emitTime, ingestTime);
        xh ^= t.edgeHi;
        xl ^= t.edgeLo;
        sent++;
        this.executor.transfer(t);
      }
    }
    if (sent === 0) {
      this.pending.ackNow(source, sequence);
      return;
    }
    this.pending.track(rh, rl, source, sequence);
    this.sendControl(ACK_INIT, this.ackerFor(rl), rh, rl, xh, xl);
  }

  private rooted(
    task: number,
    input: number,
    rh: number,
    rl: number,
    value: unknown,
    eventTime: number,
    emitTime: number,
    ingestTime: number,
  ): Tuple {
    const t = new Tuple(DATA, task, this.taskId, input, value, eventTime, emitTime, ingestTime);
    this.executor.ids.draw(ID);
    t.rootHi = rh;
    t.rootLo = rl;
    t.edgeHi = ID[0];
    t.edgeLo = ID[1];
    return t;
  }

  emitUnanchored(value: unknown, eventTime: number, emitTime: number, ingestTime: number, stream?: string): void {
    const edges = this.router.edges(stream);
    for (let i = 0; i < edges.length; i++) {
      const g = edges[i].grouper;
      const input = edges[i].inputIndex;
      if (g.all) {
        const ts = g.targets;
        for (let j = 0; j < ts.length; j++)
          this.executor.transfer(new Tuple(DATA, ts[j], this.taskId, input, value, eventTime, emitTime, ingestTime));
      } else {
        this.executor.transfer(new Tuple(DATA, g.choose(value), this.taskId, input, value, eventTime, emitTime, ingestTime));
      }
    }
  }
}
