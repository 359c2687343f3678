/**
 * The task side of JStorm's topology-master backpressure (`BackpressureTrigger`): every
 * `topology.backpressure.check.interval` the task samples its queue; blocked when more than
 * `sample.number x sample.rate` of the last `sample.number` samples were above `water.mark.high`,
 * released when as many were below `water.mark.low`. Each change is reported to the topology master with
 * the task's execute time per tuple.
 */
import type { StormConfig } from '../config.js';
import type { BoltExecutor } from '../executor/bolt-executor.js';
import { BP_TRIGGER } from '../executor/tuple.js';

export class BackpressureTrigger {
  private readonly high: boolean[] = [];
  private readonly low: boolean[] = [];
  blocked = false;
  reports = 0;

  constructor(
    private readonly executor: BoltExecutor,
    private readonly masterTask: number,
    private readonly config: StormConfig,
  ) {}

  start(): void {
    this.executor.timers.periodic(this.config.tm.checkIntervalMs, this.sample);
  }

  private readonly sample = (): void => {
    const tm = this.config.tm;
    const fill = this.executor.queue.fill;
    this.high.push(fill > tm.waterMarkHigh);
    this.low.push(fill < tm.waterMarkLow);
    if (this.high.length > tm.sampleNumber) this.high.shift();
    if (this.low.length > tm.sampleNumber) this.low.shift();
    const need = tm.sampleNumber * tm.sampleRate;
    const highs = this.high.filter(Boolean).length;
    const lows = this.low.filter(Boolean).length;
    if (!this.blocked && highs > need) this.report(true);
    else if (this.blocked && lows > need) this.report(false);
  };

  private report(blocked: boolean): void {
    this.blocked = blocked;
    this.reports++;
    const task = this.executor.tasks[0];
    task.collector.sendControl(BP_TRIGGER, this.masterTask, 0, 0, 0, 0, [blocked ? 1 : 0, this.executor.executeLatencyMs]);
  }
}
