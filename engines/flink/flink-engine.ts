/**
 * The `flink` engine: per-event pipelined streaming modelled on Apache Flink. The client lowers the
 * dataflow to a StreamGraph and chains it into a JobGraph; the JobMaster builds the ExecutionGraph, places
 * subtasks into TaskManager slots, wires result partitions to input gates (buffers, credits) and runs the
 * checkpoint coordinator; each chained subtask is a StreamTask with a mailbox on the shared scheduler.
 */
import {
  rejectProcessingTimeWindows,
  type Dataflow,
  type Engine,
  type EngineOptions,
  type EnginePlan,
  type RunIO,
  type RunningJob,
} from '../api/index.js';
import type { FlinkEngineStats } from './flink-stats.js';
import { explainJob } from './explain.js';
import { JobMaster, type JobMasterOptions } from './jobmanager/job-master.js';
import { planJob } from './jobmanager/job-plan.js';
import { flinkOptions } from './options.js';

/** Starts a job; `options.restoreFrom` restores it from a completed checkpoint (recovery). */
export function startFlinkJob(flow: Dataflow, io: RunIO, opts: EngineOptions, options: JobMasterOptions = {}): JobMaster {
  rejectProcessingTimeWindows(flow, 'flink');
  return new JobMaster(planJob(flow, opts), io, options);
}

export const flinkEngine: Engine<FlinkEngineStats> = {
  name: 'flink',
  description:
    'per-event pipelined streaming (Apache Flink): operator chaining, buffered network edges with credit-based backpressure, periodic watermarks, barrier checkpoints',
  options: flinkOptions,

  explain(flow: Dataflow, opts: EngineOptions): EnginePlan {
    rejectProcessingTimeWindows(flow, 'flink');
    return explainJob(planJob(flow, opts));
  },

  async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<FlinkEngineStats>> {
    return startFlinkJob(flow, io, opts);
  },
};
