/**
 * What a task with network inputs does with checkpoint barriers, as Flink's barrier handlers:
 *
 * - {@link SingleCheckpointBarrierHandler} (exactly once, aligned): once barrier n has arrived on a
 *   channel, that channel is blocked (its later buffers stay queued, its credits are not returned, so its
 *   sender soon stops) until barrier n has arrived on every open channel; then the task snapshots, forwards
 *   the barrier and unblocks everything. The time from the first to the last barrier is the alignment time.
 * - {@link CheckpointBarrierTracker} (at least once): nothing is blocked; the task snapshots when the last
 *   channel delivers barrier n, so records that overtook the barrier on other channels are in the snapshot
 *   and are replayed after a restore (duplicates).
 *
 * A channel that has ended counts as having delivered every later barrier.
 */

/** What a barrier handler acts on: the task and its input gate. */
export interface BarrierHandlerHost {
  blockChannel(channel: number): void;
  unblockAllChannels(): void;
  /** Clock time, ms. */
  now(): number;
  /** All open channels delivered barrier `checkpointId`: snapshot and forward it. */
  triggerCheckpointOnBarrier(checkpointId: number, timestamp: number, alignmentMs: number): void;
  /** Alignment of `checkpointId` was given up (a newer barrier arrived first). */
  abortCheckpointOnBarrier(checkpointId: number, reason: string): void;
}

export interface CheckpointBarrierHandler {
  processBarrier(channel: number, checkpointId: number, timestamp: number): void;
  processEndOfPartition(channel: number): void;
  /** The checkpoint being aligned, or -1. */
  readonly pendingCheckpointId: number;
}

export class SingleCheckpointBarrierHandler implements CheckpointBarrierHandler {
  private readonly arrived: boolean[];
  private readonly ended: boolean[];
  private open: number;
  private currentId = -1;
  private numArrived = 0;
  private alignmentStart = 0;
  private timestamp = 0;

  constructor(
    channels: number,
    private readonly host: BarrierHandlerHost,
  ) {
    this.arrived = new Array<boolean>(channels).fill(false);
    this.ended = new Array<boolean>(channels).fill(false);
    this.open = channels;
  }

  get pendingCheckpointId(): number {
    return this.numArrived > 0 ? this.currentId : -1;
  }

  processBarrier(channel: number, checkpointId: number, timestamp: number): void {
    if (checkpointId < this.currentId) return; // a barrier of a checkpoint already given up
    if (checkpointId > this.currentId) {
      if (this.numArrived > 0) {
        const old = this.currentId;
        this.reset();
        this.host.unblockAllChannels();
        this.host.abortCheckpointOnBarrier(old, `barrier ${checkpointId} arrived before alignment of ${old} finished`);
      }
      this.currentId = checkpointId;
      this.timestamp = timestamp;
      this.alignmentStart = this.host.now();
    } else if (this.numArrived === 0) {
      return; // checkpoint already completed here
    }
    if (this.arrived[channel]) throw new Error(`barrier ${checkpointId} arrived twice on channel ${channel}`);
    this.arrived[channel] = true;
    this.numArrived++;
    if (this.numArrived >= this.open) this.complete();
    else this.host.blockChannel(channel);
  }

  processEndOfPartition(channel: number): void {
    if (this.ended[channel]) return;
    this.ended[channel] = true;
    this.open--;
    if (this.numArrived > 0 && this.numArrived >= this.open) this.complete();
  }

  private complete(): void {
    const alignmentMs = this.host.now() - this.alignmentStart;
    const id = this.currentId;
    this.reset();
    this.host.unblockAllChannels();
    this.host.triggerCheckpointOnBarrier(id, this.timestamp, alignmentMs);
  }

  private reset(): void {
    this.arrived.fill(false);
    this.numArrived = 0;
  }
}

export class CheckpointBarrierTracker implements CheckpointBarrierHandler {
  private open: number;
  private readonly ended: boolean[];
  /** Checkpoint id -> barriers seen, oldest first. */
  private readonly pending = new Map<number, { count: number; timestamp: number }>();
  private latestCompleted = -1;

  constructor(
    channels: number,
    private readonly host: BarrierHandlerHost,
  ) {
    this.open = channels;
    this.ended = new Array<boolean>(channels).fill(false);
  }

  get pendingCheckpointId(): number {
    let id = -1;
    for (const k of this.pending.keys()) id = Math.max(id, k);
    return id;
  }

  processBarrier(_channel: number, checkpointId: number, timestamp: number): void {
    if (checkpointId <= this.latestCompleted) return;
    let p = this.pending.get(checkpointId);
    if (p === undefined) this.pending.set(checkpointId, (p = { count: 0, timestamp }));
    p.count++;
    if (p.count >= this.open) this.complete(checkpointId);
  }

  processEndOfPartition(channel: number): void {
    if (this.ended[channel]) return;
    this.ended[channel] = true;
    this.open--;
    for (const [id, p] of [...this.pending]) if (p.count >= this.open && id > this.latestCompleted) this.complete(id);
  }

  private complete(checkpointId: number): void {
    const { timestamp } = this.pending.get(checkpointId)!;
    for (const id of [...this.pending.keys()]) {
      if (id < checkpointId) this.host.abortCheckpointOnBarrier(id, `checkpoint ${checkpointId} completed first`);
      if (id <= checkpointId) this.pending.delete(id);
    }
    this.latestCompleted = checkpointId;
    // Nothing was held back: no alignment.
    this.host.triggerCheckpointOnBarrier(checkpointId, timestamp, 0);
  }
}
