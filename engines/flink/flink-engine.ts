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
import { flinkOptions, UPPER_BOUND_MAX_PARALLELISM } from './options.js';
import { StandaloneJob } from './standalone/standalone-client.js';
import { flinkFaults } from './failover/flink-faults.js';
import { FlinkJob } from './failover/flink-job.js';

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
  deployments: ['local', 'standalone'],

  // Every operator's parallelism must be at most its maximum parallelism (its number of key groups):
  // flink.maxParallelism when set, else Flink's default, which never falls below the parallelism up to 32768.
  parallelismLimit(values) {
    const set = values.maxParallelism;
    return typeof set === 'number'
      ? {
          max: set,
          reason: `its maximum parallelism (flink.maxParallelism=${set}); raise it up to ${UPPER_BOUND_MAX_PARALLELISM} or lower the parallelism`,
        }
      : {
          max: UPPER_BOUND_MAX_PARALLELISM,
          reason: `Flink's upper bound on the maximum parallelism (the number of key groups, which flink.maxParallelism cannot exceed)`,
        };
  },

  explain(flow: Dataflow, opts: EngineOptions): EnginePlan {
    rejectProcessingTimeWindows(flow, 'flink');
    return explainJob(planJob(flow, opts));
  },

  faults: flinkFaults,

  // The job as the JobMaster runs it across failures: restarts from the latest checkpoint (failover/).
  async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<FlinkEngineStats>> {
    if (opts.deployment === 'standalone') {
      rejectProcessingTimeWindows(flow, 'flink');
      return StandaloneJob.start(flow, io, opts);
    }
    rejectProcessingTimeWindows(flow, 'flink');
    return new FlinkJob(planJob(flow, opts), io);
  },
};
