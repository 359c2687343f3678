/**
 * A task whose head reads network inputs: Flink's `OneInputStreamTask`, or with two input gates its
 * `TwoInputStreamTask` / `MultipleInputStreamTask`. Its default action takes one buffer at a time from a
 * channel that has one, deserializes its stream elements into the head operator of that gate's input,
 * and recycles the buffer (which returns a credit to the sender). Watermarks go through the
 * `StatusWatermarkValve`: the head sees the minimum over all input channels. Barriers go to the barrier
 * handler of the checkpointing mode; end of partition on every channel ends the task.
 */
import { deserializeRecords, type TaskResult } from '../../runtime/index.js';
import { WatermarkValve } from '../../operators/index.js';
import { CHECKPOINT_BARRIER, deserializeEvent, isWatermarkFrame } from '../network/network-buffer.js';
import type { InputChannel } from '../network/input-gate.js';
import type { Output } from '../operators/index.js';
import {
  CheckpointBarrierTracker,
  SingleCheckpointBarrierHandler,
  type BarrierHandlerHost,
  type CheckpointBarrierHandler,
} from './checkpoint-barrier-handler.js';
import { CheckpointedInputGate } from './checkpointed-input-gate.js';
import { StreamTask, type TaskEnvironment } from './stream-task.js';

export class MultipleInputStreamTask extends StreamTask implements BarrierHandlerHost {
  readonly inputGate: CheckpointedInputGate;
  readonly valve: WatermarkValve;
  readonly barrierHandler: CheckpointBarrierHandler;
  /** The head's input for each gate's type number (0, and 1 for a two-input head). */
  private readonly inputs: Output[] = [];
  private currentInput: Output;
  /** Task channel index of the buffer being deserialized. */
  private currentChannel = 0;
  private elementsIn = 0;
  private watermarksIn = 0;

  constructor(env: TaskEnvironment) {
    super(env);
    if (env.gates.length === 0) throw new Error(`${this.name}: a task without a source needs an input`);
    this.inputGate = new CheckpointedInputGate(env.gates);
    this.valve = new WatermarkValve(this.inputGate.numberOfChannels);
    this.barrierHandler =
      env.config.checkpointMode === 'exactly_once'
        ? new SingleCheckpointBarrierHandler(this.inputGate.numberOfChannels, this)
        : new CheckpointBarrierTracker(this.inputGate.numberOfChannels, this);
    for (const g of env.gates) this.inputs[g.typeNumber] = this.chain.input(g.typeNumber);
    this.currentInput = this.inputs[0];
  }

  get recordsIn(): number {
    return this.elementsIn - this.watermarksIn;
  }

  protected processInput(budget: number): TaskResult {
    const gate = this.inputGate;
    let processed = 0;
    while (processed < budget) {
      if (this.availability.unavailable !== 0) return this.parkBackPressured();
      const buffer = gate.pollNext();
      if (buffer === undefined) {
        if (gate.isFinished) return this.endTask();
        gate.onAvailable(this.wake);
        return 'park';
      }
      const channel = gate.lastChannel as InputChannel;
      if (buffer.isBuffer) {
        this.currentChannel = channel.taskChannelIndex;
        this.currentInput = this.inputs[channel.gate.typeNumber];
        const n = deserializeRecords(buffer.bytes, this.onElement);
        this.elementsIn += n;
        processed += n;
        channel.recycle();
      } else {
        processed++;
        const event = deserializeEvent(buffer);
        if (event.kind === CHECKPOINT_BARRIER) {
          this.barrierHandler.processBarrier(channel.taskChannelIndex, event.checkpointId, event.timestamp);
        } else {
          gate.markEnded(channel);
          this.barrierHandler.processEndOfPartition(channel.taskChannelIndex);
        }
      }
    }
    return 'yield';
  }

  private readonly onElement = (value: unknown, eventTime: number, emitTime: number, ingestTime: number): void => {
    if (isWatermarkFrame(emitTime)) {
      this.watermarksIn++;
      const combined = this.valve.update(this.currentChannel, eventTime);
      if (combined !== undefined) this.chain.head.emitWatermark(combined);
      return;
    }
    this.currentInput.collect(value, eventTime, emitTime, ingestTime);
  };

  // BarrierHandlerHost

  blockChannel(channel: number): void {
    this.inputGate.blockChannel(channel);
  }

  unblockAllChannels(): void {
    this.inputGate.unblockAllChannels();
  }

  now(): number {
    return this.clock.now();
  }

  triggerCheckpointOnBarrier(checkpointId: number, timestamp: number, alignmentMs: number): void {
    this.performCheckpoint(checkpointId, timestamp, alignmentMs);
  }

  abortCheckpointOnBarrier(checkpointId: number, reason: string): void {
    this.env.checkpointResponder.declineCheckpoint(this.name, checkpointId, reason);
  }
}
