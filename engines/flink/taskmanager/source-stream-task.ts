/**
 * Flink's `SourceStreamTask`: its default action reads the log through the source operator at the chain's
 * head. It parks when the log has nothing new (woken by the log) or when its output is unavailable
 * (woken by a returning credit): a back-pressured source reads nothing, so the backlog stays in the log.
 * At the end of the input it emits the final watermark, then end of partition.
 */
import type { TaskResult } from '../../runtime/index.js';
import { BACKPRESSURED, END_OF_INPUT, MORE_AVAILABLE, NOTHING_AVAILABLE, SourceOperator } from '../operators/index.js';
import { StreamTask, type TaskEnvironment } from './stream-task.js';

export class SourceStreamTask extends StreamTask {
  readonly source: SourceOperator;

  constructor(env: TaskEnvironment) {
    super(env);
    const head = this.chain.head;
    if (!(head instanceof SourceOperator)) throw new Error(`${this.name}: the head of a source task must be a source`);
    this.source = head;
    head.setAvailability(this.availability);
  }

  get recordsIn(): number {
    return this.source.recordsRead;
  }

  protected processInput(budget: number): TaskResult {
    if (this.availability.unavailable !== 0) return this.parkBackPressured();
    const status = this.source.emitNext(budget);
    switch (status) {
      case MORE_AVAILABLE:
        return 'yield';
      case BACKPRESSURED:
        return this.parkBackPressured();
      case NOTHING_AVAILABLE:
        this.source.waitForData(this.wake);
        return 'park';
      case END_OF_INPUT:
        this.source.emitFinalWatermark();
        this.source.commitAll();
        return this.endTask();
    }
  }
}
