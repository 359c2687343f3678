/**
 * Everything decided before a job runs: the client's StreamGraph and JobGraph, the JobMaster's
 * ExecutionGraph and slot assignment. `explain` prints it; `start` deploys it.
 */
import type { Dataflow, EngineOptions } from '../../api/index.js';
import { buildJobGraph, type JobGraph } from '../client/job-graph.js';
import { buildStreamGraph, type StreamGraph } from '../client/stream-graph.js';
import { flinkConfig, type FlinkConfig } from '../options.js';
import { buildExecutionGraph, type ExecutionGraph } from './execution-graph.js';
import { allocateSlots, type SlotAssignment } from './slot-pool.js';

export interface JobPlan {
  readonly config: FlinkConfig;
  readonly streamGraph: StreamGraph;
  readonly jobGraph: JobGraph;
  readonly executionGraph: ExecutionGraph;
  readonly slots: SlotAssignment;
}

/** Plans a job; throws a one-line Error for an impossible configuration (e.g. too few slots). */
export function planJob(flow: Dataflow, opts: EngineOptions): JobPlan {
  const config = flinkConfig(opts);
  const streamGraph = buildStreamGraph(flow, config);
  const jobGraph = buildJobGraph(streamGraph);
  const executionGraph = buildExecutionGraph(jobGraph);
  const slots = allocateSlots(jobGraph, config);
  return { config, streamGraph, jobGraph, executionGraph, slots };
}
