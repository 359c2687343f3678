/**
 * The `storm` engine: the dataflow lowered to a spout/bolt topology (lowering/), submitted to a local
 * cluster (local-cluster.ts: Nimbus, supervisors, workers, executors, ackers) and run tuple by tuple.
 */
import type { Dataflow, Engine, EngineOptions, EnginePlan, RunIO, RunningJob } from '../api/index.js';
import { resolveConfig, STORM_OPTIONS } from './config.js';
import { submitTopology } from './daemon/nimbus.js';
import { explainAssignment } from './explain.js';
import { LocalCluster } from './local-cluster.js';
import type { StormEngineStats } from './metrics/engine-stats.js';
import { lowerDataflow } from './lowering/dataflow-to-topology.js';
import { StandaloneTopology } from './standalone/standalone-topology.js';
import { supervisorMonitorFrequency } from './supervision/supervision-options.js';
import { stormFaults, SupervisedTopology } from './supervision/supervised-topology.js';

export const stormEngine: Engine<StormEngineStats> = {
  name: 'storm',
  description:
    'Apache Storm 2 / Alibaba JStorm: spouts and bolts, one executor and queue per bolt (no chaining), XOR acker with replay, Nimbus/Supervisor/worker assignment',
  options: STORM_OPTIONS,
  deployments: ['local', 'standalone'],

  // Storm sets no bound on a component's executors (topology.max.task.parallelism is unset by default).
  parallelismLimit: () => undefined,

  faults: stormFaults,

  explain(flow: Dataflow, opts: EngineOptions): EnginePlan {
    const config = resolveConfig(opts.values, opts);
    const plan = explainAssignment(submitTopology(lowerDataflow(flow, opts.parallelism, config), config));
    if (opts.deployment !== 'standalone') return plan;
    const where = `deployment standalone: a Nimbus process, ${config.supervisors} supervisor process(es), ${config.workers} worker process(es), each running its executors on its own scheduler; tuples between workers serialized over TCP`;
    return { ...plan, text: `${where}\n${plan.text}` };
  },

  async start(flow: Dataflow, io: RunIO, opts: EngineOptions): Promise<RunningJob<StormEngineStats>> {
    // Standalone: Nimbus, supervisors and workers as processes (standalone/); no relaunch of a dead worker.
    if (opts.deployment === 'standalone') return StandaloneTopology.start(flow, io, opts);
    const config = resolveConfig(opts.values, opts);
    const topology = lowerDataflow(flow, opts.parallelism, config, io);
    const cluster = new LocalCluster(io.clock, io.metrics);
    // Supervised: a dead worker is relaunched with fresh executors (supervision/).
    return new SupervisedTopology(() => cluster.submitTopology(topology, config), config, supervisorMonitorFrequency(opts.values));
  },
};
