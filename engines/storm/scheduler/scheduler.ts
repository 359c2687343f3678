/** What a scheduler works on and produces: executors (task ranges) and their worker slots. */
import type { WorkerSlot } from '../daemon/supervisor-info.js';

/** An executor: a thread running tasks `startTask..endTask` of one component (`ExecutorDetails`). */
export interface ExecutorDetails {
  /** `component[start-end]`, as Storm's UI names executors. */
  readonly id: string;
  readonly component: string;
  readonly startTask: number;
  readonly endTask: number;
  readonly system: boolean;
}

export interface SchedulingInput {
  readonly executors: readonly ExecutorDetails[];
  /** Available slots, already sorted round robin across nodes. */
  readonly slots: readonly WorkerSlot[];
  /** topology.workers */
  readonly workers: number;
  /** Component id -> the ids of the components it subscribes to. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
}

/** Executor id -> slot. */
export type SchedulerAssignment = Map<string, WorkerSlot>;

export interface TopologyScheduler {
  readonly name: string;
  schedule(input: SchedulingInput): SchedulerAssignment;
}

/**
 * Storm's `EvenScheduler.sortSlots`: slots grouped by node and interleaved, so that consecutive slots are on
 * different nodes: `[n1:6700, n2:6700, n1:6701, n2:6701, ...]`.
 */
export function sortSlots(byNode: readonly (readonly WorkerSlot[])[]): WorkerSlot[] {
  const out: WorkerSlot[] = [];
  const sorted = byNode.map((s) => [...s].sort((a, b) => a.port - b.port));
  const longest = Math.max(0, ...sorted.map((s) => s.length));
  for (let j = 0; j < longest; j++) for (const s of sorted) if (j < s.length) out.push(s[j]);
  return out;
}
