/**
 * A spout executor (Storm's `SpoutExecutor`): one scheduler task that first consumes what arrived for its
 * spout tasks (the ackers' `__ack_ack`/`__ack_fail`, JStorm's flow control), then calls `nextTuple` while
 *
 * - nothing is held in pendingEmits (Storm 2 backpressure: a full downstream queue stops the spout),
 * - fewer than `topology.max.spout.pending` tuples of the task are unacked (when acking is on),
 * - and, in JStorm, the topology master's per-tuple delay is served (the spout sleeps that long per tuple).
 *
 * Each task's pending map is a {@link RotatingMap} of 2 buckets rotated every message timeout: a tree
 * not completed by the time its bucket expires fails with a timeout, and the spout replays it.
 * Complete latency (emit to fully acked) is measured on sampled tuples, as Storm's UI reports it.
 *
 * A bounded input ends when a spout is exhausted: it sends end of stream downstream, then waits for its
 * last trees to complete (replaying failures) before it finishes.
 */
import type { TaskResult } from '../../runtime/index.js';
import { RotatingMap } from '../acker/rotating-map.js';
import { FIELD_A, FIELD_C, FIELD_D, type TupleIdTable } from '../acker/tuple-id-table.js';
import { LatencyStats } from '../metrics/latency-stats.js';
import type { ISpout } from '../topology/components.js';
import { Executor } from './executor.js';
import type { SpoutOutputCollectorImpl, SpoutPendingSink } from './output-collector.js';
import { BATCH, FLOW_CTRL, SPOUT_ACK, SPOUT_FAIL, type Tuple } from './tuple.js';

const TWO_32 = 4294967296;

/** Pending-map fields: a = message source (partition), c/d = sequence (offset) low/high, f = start time or NaN. */
function sourceAt(table: TupleIdTable, slot: number): number {
  return table.ints[(slot << 3) + FIELD_A];
}

function sequenceAt(table: TupleIdTable, slot: number): number {
  return (table.ints[(slot << 3) + FIELD_C] >>> 0) + table.ints[(slot << 3) + FIELD_D] * TWO_32;
}

/** One spout task: its instance, collector and pending map. */
export class SpoutTask implements SpoutPendingSink {
  spout!: ISpout;
  collector!: SpoutOutputCollectorImpl;
  /** Root id -> (source, sequence, sampled start time). */
  readonly pending = new RotatingMap(2);
  eosSent = false;
  finished = false;

  constructor(
    readonly taskId: number,
    private readonly executor: SpoutExecutor,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  track(rootHi: number, rootLo: number, source: number, sequence: number): void {
    const table = this.pending.newest;
    const slot = this.pending.insert(rootHi, rootLo);
    const b = slot << 3;
    table.ints[b + FIELD_A] = source;
    table.ints[b + FIELD_C] = sequence | 0;
    table.ints[b + FIELD_D] = Math.floor(sequence / TWO_32);
    table.floats[(slot << 2) + 3] = this.executor.sampleStart();
  }

  ackNow(source: number, sequence: number): void {
    this.executor.acked++;
    this.spout.ack(source, sequence);
  }
}

export class SpoutExecutor extends Executor {
  tasks: SpoutTask[] = [];
  private next = 0;
  acked = 0;
  failed = 0;
  timedOut = 0;
  readonly completeLatency = new LatencyStats();
  private done = false;
  /** JStorm flow control: ms to sleep per emitted tuple (0 = not throttled), and the sleep owed. */
  throttleMs = 0;
  private releaseStepMs = 0;
  private sleepOwedMs = 0;
  private sleeping = false;
  throttledTuples = 0;

  /** Start time for a tracked tuple: now for every n-th (sampled), NaN otherwise. */
  sampleStart(): number {
    if (--this.sampleCountdown > 0) return Number.NaN;
    this.sampleCountdown = this.sampleEvery;
    return this.host.clock.now();
  }

  /** Starts the pending maps' timeout rotation (every message timeout, as Storm forces the spout's tick). */
  startTimeouts(): void {
    if (this.host.ackerTasks.length === 0) return;
    this.timers.periodic(this.host.config.messageTimeoutMs, () => {
      for (const task of this.tasks) task.pending.rotate(this.expire(task));
    });
  }

  private expire(task: SpoutTask): (table: TupleIdTable, slot: number) => void {
    return (table, slot) => {
      this.failed++;
      this.timedOut++;
      task.spout.fail(sourceAt(table, slot), sequenceAt(table, slot), true);
    };
  }

  run(budget: number): TaskResult {
    if (this.done) return 'done';
    if (!this.mailbox.isEmpty) this.mailbox.runAll();
    const q = this.queue;
    // Acks and fails first, even under backpressure (as Storm's SpoutExecutor consumes its receive queue
    // before deciding whether to call nextTuple): the acker may itself be blocked on this queue, and the
    // bolts on the acker, so a spout that stopped draining its acks would close a cycle.
    for (let i = 0; i < budget; i++) {
      const t = q.poll();
      if (t === undefined) break;
      this.consume(t);
    }
    if (this.pendingEmits.size !== 0 && !this.flushPending()) return this.parkBackpressured();
    if (this.sleeping) {
      q.onReadable(this.wake);
      return 'park';
    }
    const tasks = this.tasks;
    const maxPending = this.host.ackerTasks.length > 0 ? this.host.config.maxSpoutPending : Infinity;
    let n = 0;
    let idle = 0;
    while (n < budget && idle < tasks.length) {
      const task = tasks[this.next];
      if (task.finished || task.pending.size >= maxPending || !task.spout.nextTuple()) {
        idle++;
        this.next = this.next + 1 === tasks.length ? 0 : this.next + 1;
        continue;
      }
      idle = 0;
      n++;
      this.executed++;
      if (this.throttleMs > 0 && this.serveThrottle()) return 'park';
      if (this.pendingEmits.size !== 0 && !this.flushPending()) return this.parkBackpressured();
    }
    if (n >= budget) return 'yield';
    // Nothing to emit now: finish tasks that are done, else wait for data, acks or room.
    let waiting = false;
    for (const task of tasks) {
      if (task.finished) continue;
      if (task.spout.isExhausted()) {
        if (!task.eosSent) {
          task.eosSent = true;
          task.collector.emitEndOfStream();
        }
        if (task.pending.size === 0) {
          task.finished = true;
          continue;
        }
      } else if (task.pending.size < maxPending) {
        task.spout.waitForData(this.wake);
      }
      waiting = true;
    }
    if (this.pendingEmits.size !== 0 && !this.flushPending()) return this.parkBackpressured();
    if (!waiting) return this.finish();
    q.onReadable(this.wake);
    return 'park';
  }

  /** Parked on a full downstream queue: also woken by acks, which must keep flowing. */
  private parkBackpressured(): TaskResult {
    this.queue.onReadable(this.wake);
    return 'park';
  }

  private finish(): TaskResult {
    this.done = true;
    this.flushBatches();
    if (this.pendingEmits.size !== 0 && !this.flushPending()) {
      this.done = false;
      return this.parkBackpressured();
    }
    this.shutdown();
    for (const t of this.tasks) t.spout.close?.();
    this.host.spoutExecutorFinished();
    return 'done';
  }

  private consume(t: Tuple): void {
    if (t.kind === BATCH) {
      for (const x of t.value as Tuple[]) this.consume(x);
      return;
    }
    const task = this.tasks[t.destTask - this.details.startTask];
    switch (t.kind) {
      case SPOUT_ACK: {
        const slot = task.pending.find(t.rootHi, t.rootLo);
        if (slot < 0) return; // timed out already: its replay is in flight
        const table = task.pending.foundIn;
        const source = sourceAt(table, slot);
        const sequence = sequenceAt(table, slot);
        const start = table.floats[(slot << 2) + 3];
        table.removeAt(slot);
        this.acked++;
        if (start === start) this.completeLatency.record(this.host.clock.now() - start);
        task.spout.ack(source, sequence);
        return;
      }
      case SPOUT_FAIL: {
        const slot = task.pending.find(t.rootHi, t.rootLo);
        if (slot < 0) return;
        const table = task.pending.foundIn;
        const source = sourceAt(table, slot);
        const sequence = sequenceAt(table, slot);
        table.removeAt(slot);
        this.failed++;
        task.spout.fail(source, sequence, false);
        return;
      }
      case FLOW_CTRL:
        this.onFlowControl(t.value as number);
        return;
      default:
        throw new Error(`spout ${this.details.id} received a tuple of kind ${t.kind}`);
    }
  }

  /**
   * JStorm's topology master: a positive value throttles this spout to sleep that many ms per tuple; 0
   * releases it, stepping the delay down over `tm.sampleNumber` check intervals.
   */
  private onFlowControl(delayMs: number): void {
    if (delayMs > 0) {
      this.throttleMs = Math.max(this.throttleMs, delayMs);
      this.releaseStepMs = 0;
      return;
    }
    if (this.throttleMs === 0 || this.releaseStepMs > 0) return;
    const tm = this.host.config.tm;
    this.releaseStepMs = this.throttleMs / tm.sampleNumber;
    const step = (): void => {
      if (this.releaseStepMs === 0) return; // throttled again meanwhile
      this.throttleMs = Math.max(0, this.throttleMs - this.releaseStepMs);
      if (this.throttleMs > 1e-9) this.timers.register(this.host.clock.now() + tm.checkIntervalMs, step);
      else {
        this.throttleMs = 0;
        this.releaseStepMs = 0;
      }
    };
    this.timers.register(this.host.clock.now() + tm.checkIntervalMs, step);
  }

  /** Accrues the per-tuple delay; once a whole ms is owed, sleeps it off on a timer (true: park now). */
  private serveThrottle(): boolean {
    this.throttledTuples++;
    this.sleepOwedMs += this.throttleMs;
    if (this.sleepOwedMs < 1) return false;
    const ms = this.sleepOwedMs;
    this.sleepOwedMs = 0;
    this.sleeping = true;
    this.timers.register(this.host.clock.now() + ms, () => {
      this.sleeping = false;
    });
    return true;
  }

  /** Tuples of all tasks neither acked nor failed. */
  get pendingCount(): number {
    let n = 0;
    for (const t of this.tasks) n += t.pending.size;
    return n;
  }

  get replayed(): number {
    let n = 0;
    for (const t of this.tasks) n += (t.spout as { replayed?: number }).replayed ?? 0;
    return n;
  }
}
