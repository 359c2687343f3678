/**
 * JStorm's topology master (`com.alibaba.jstorm.task.master.TopologyMaster`), here in its backpressure role
 * (JStorm <= 2.1, `BackpressureCoordinator`): tasks report when their queue has been nearly full (or has
 * drained) over several samples; when more than `coordinator.trigger.ratio` of a component's tasks are
 * blocked, the master walks the DAG up to the source spouts and sends each a flow-control time (the
 * blocked task's execute time per tuple), which the spout then sleeps per emitted tuple. When the share
 * falls back, the spouts are released (they step their delay down to 0).
 */
import type { StormConfig } from '../config.js';
import type { BoltOutputCollector } from '../executor/output-collector.js';
import { BP_TRIGGER, FLOW_CTRL, type Tuple } from '../executor/tuple.js';
import type { IBolt, OutputCollector, TopologyContext } from '../topology/components.js';

export { TOPOLOGY_MASTER_ID } from '../scheduler/jstorm-task-scheduler.js';

/** What the master knows of the topology. */
export interface TopologyMasterView {
  componentOf(task: number): string;
  tasksOf(component: string): readonly number[];
  /** The spout tasks upstream of a component (walking subscriptions back to the spouts). */
  sourceSpoutTasks(component: string): readonly number[];
}

export class TopologyMaster implements IBolt {
  readonly autoAck = false;
  private collector!: BoltOutputCollector;
  /** component -> blocked task -> its execute time (ms per tuple). */
  private readonly blocked = new Map<string, Map<number, number>>();
  /** Components whose blocking currently throttles spouts. */
  private readonly throttling = new Set<string>();
  /** spout task -> components throttling it. */
  private readonly throttledBy = new Map<number, Set<string>>();
  triggers = 0;
  releases = 0;

  constructor(
    private readonly config: StormConfig,
    private readonly view: TopologyMasterView,
  ) {}

  prepare(_context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector as BoltOutputCollector;
  }

  execute(t: Tuple): void {
    if (t.kind !== BP_TRIGGER) throw new Error(`the topology master received a tuple of kind ${t.kind}`);
    const [flag, executeMs] = t.value as [number, number];
    const component = this.view.componentOf(t.srcTask);
    let set = this.blocked.get(component);
    if (set === undefined) this.blocked.set(component, (set = new Map()));
    if (flag === 1) set.set(t.srcTask, executeMs);
    else set.delete(t.srcTask);
    const ratio = set.size / this.view.tasksOf(component).length;
    const over = ratio > this.config.tm.triggerRatio;
    if (over && !this.throttling.has(component)) {
      this.throttling.add(component);
      this.triggers++;
      const delay = Math.max(0.001, ...set.values());
      for (const spout of this.view.sourceSpoutTasks(component)) {
        let by = this.throttledBy.get(spout);
        if (by === undefined) this.throttledBy.set(spout, (by = new Set()));
        by.add(component);
        this.collector.sendControl(FLOW_CTRL, spout, 0, 0, 0, 0, delay);
      }
    } else if (!over && this.throttling.has(component)) {
      this.throttling.delete(component);
      this.releases++;
      for (const spout of this.view.sourceSpoutTasks(component)) {
        const by = this.throttledBy.get(spout);
        by?.delete(component);
        if (by === undefined || by.size === 0) this.collector.sendControl(FLOW_CTRL, spout, 0, 0, 0, 0, 0);
      }
    }
  }

  /** Components currently throttling their spouts. */
  get throttlingComponents(): string[] {
    return [...this.throttling];
  }
}
