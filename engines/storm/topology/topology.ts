/**
 * A topology as Nimbus receives it (Storm's `StormTopology`): spouts and bolts by id, each with its
 * parallelism hint (executors), task count, declared output streams, and, for bolts, subscriptions.
 */
import type { GroupingSpec } from '../grouping/grouping.js';
import type { IBolt, ISpout, TopologyContext } from './components.js';

export const DEFAULT_STREAM = 'default';

/** A bolt's input: a stream of a component, divided among the bolt's tasks by a grouping. */
export interface Subscription {
  readonly component: string;
  readonly stream: string;
  readonly grouping: GroupingSpec;
}

/** An output stream a component declares (`declareStream`); direct streams take only emitDirect. */
export interface StreamDef {
  readonly id: string;
  readonly direct: boolean;
}

interface ComponentBase {
  readonly id: string;
  /** Executors (threads): the parallelism hint. */
  readonly parallelism: number;
  /** Tasks, fixed for the topology's life; executors <= tasks. */
  readonly numTasks: number;
  readonly streams: readonly StreamDef[];
  /** One line for explain (what the component does). */
  readonly description: string;
  /** Added by Nimbus (`__acker`, `__topology_master`). */
  readonly system: boolean;
}

export interface SpoutDef extends ComponentBase {
  readonly kind: 'spout';
  readonly create: (context: TopologyContext) => ISpout;
}

export interface BoltDef extends ComponentBase {
  readonly kind: 'bolt';
  readonly create: (context: TopologyContext) => IBolt;
  readonly inputs: readonly Subscription[];
}

export type ComponentDef = SpoutDef | BoltDef;

export interface StormTopology {
  readonly name: string;
  /** Spouts then bolts, in declaration order. */
  readonly components: readonly ComponentDef[];
}
