/**
 * The storm engine's `engineStats`, shaped as the report expects: complete latency as Storm's UI shows it
 * (sampled spout tuples, emit to fully acked), acked/failed/replayed trees, per-bolt executed counts,
 * execute latency and capacity (`executed x execute latency / window`, the busiest executor of the
 * component, as the UI computes it), queue high-water marks, the assignment's size, and per windowed bolt
 * what its window managers held and did.
 */
import { ACKER_COMPONENT_ID, type Acker } from '../acker/acker.js';
import type { BoltExecutor } from '../executor/bolt-executor.js';
import type { WindowedBoltStats } from '../windowing/index.js';
import type { TopologyMaster } from '../jstorm/topology-master.js';
import type { RunningTopology } from '../local-cluster.js';
import { LatencyStats, type LatencySummary } from './latency-stats.js';

export interface BoltStats {
  component: string;
  executors: number;
  executed: number;
  /** Mean sampled execute latency (ms). */
  executeLatencyMs: number;
  /** executed x execute latency / window (0..1; near 1 = the bottleneck), the busiest executor's. */
  capacity: number;
  system?: boolean;
}

export interface QueueStats {
  executor: string;
  capacity: number;
  highWaterMark: number;
  /** Tuples that once waited in the overflow (from other workers under backpressure). */
  overflowHighWaterMark: number;
  /** The most tuples this executor ever held back in pendingEmits. */
  pendingEmitsHighWaterMark: number;
}

/** A windowed bolt (storm.windowing=storm), over its tasks. */
export interface WindowStats {
  component: string;
  tasks: number;
  /** Tuples held in its window managers at the end, and the sum over tasks of each task's most. */
  tuplesHeld: number;
  tuplesHeldPeak: number;
  /** Windows evaluated, and those with tuples (the bolt's execute ran). */
  windowsEvaluated: number;
  activations: number;
  /** Tuples expired from windows, hence acked. */
  expired: number;
  late: number;
  resultsEmitted: number;
  /** (result, window tuple) pairs anchored: an edge id and its XORs each. */
  anchorPairs: number;
  watermarks: number;
}

export interface StormEngineStats {
  flavour: 'storm' | 'jstorm';
  windowing: 'storm' | 'incremental';
  completeLatencyMs: LatencySummary | null;
  acked: number;
  failed: number;
  replayed: number;
  timedOut: number;
  bolts: BoltStats[];
  queues: QueueStats[];
  assignment: { workers: number; supervisors: number; executors: number; ackers: number; supervisorsUsed: number; scheduler: string };
  lateRecordsDropped: number;
  acker: { completed: number; failed: number; expired: number; pending: number } | null;
  transfer: { remoteTuples: number; messages: number; bytes: number; backpressureFlags: number };
  batches: number;
  throttle: { triggers: number; releases: number; throttledTuples: number } | null;
  spoutPending: number;
  windows: WindowStats[];
}

const round = (v: number, digits = 6): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export function buildEngineStats(topology: RunningTopology, windowMs: number): StormEngineStats {
  const a = topology.assignment;
  const spouts = topology.spoutExecutors;
  const complete = new LatencyStats();
  let acked = 0;
  let failed = 0;
  let replayed = 0;
  let timedOut = 0;
  let throttledTuples = 0;
  for (const s of spouts) {
    acked += s.acked;
    failed += s.failed;
    replayed += s.replayed;
    timedOut += s.timedOut;
    throttledTuples += s.throttledTuples;
  }
  for (const s of spouts) complete.merge(s.completeLatency);
  const completeLatencyMs = a.ackerTasks.length > 0 ? complete.summary() : null;

  const bolts: BoltStats[] = [];
  const byComponent = new Map<string, BoltExecutor[]>();
  for (const ex of topology.boltExecutors) {
    let list = byComponent.get(ex.details.component);
    if (list === undefined) byComponent.set(ex.details.component, (list = []));
    list.push(ex);
  }
  let lateRecordsDropped = 0;
  const windows: WindowStats[] = [];
  let ackerStats: StormEngineStats['acker'] = null;
  let throttle: StormEngineStats['throttle'] = null;
  for (const [component, list] of byComponent) {
    const executed = list.reduce((n, e) => n + e.executed, 0);
    const samples = list.reduce((n, e) => n + e.latencySamples, 0);
    const latency = samples === 0 ? 0 : list.reduce((n, e) => n + e.latencySumMs, 0) / samples;
    const capacity = Math.max(...list.map((e) => (e.executed * e.executeLatencyMs) / windowMs));
    const system = list[0].details.system;
    bolts.push({
      component,
      executors: list.length,
      executed,
      executeLatencyMs: round(latency),
      capacity: round(capacity),
      ...(system ? { system } : {}),
    });
    let window: WindowStats | null = null;
    for (const ex of list) {
      for (const t of ex.tasks) {
        const b = t.bolt as { lateRecordsDropped?: number; windowStats?: WindowedBoltStats };
        if (typeof b.lateRecordsDropped === 'number') lateRecordsDropped += b.lateRecordsDropped;
        const w = b.windowStats;
        if (w === undefined) continue;
        window ??= {
          component,
          tasks: 0,
          tuplesHeld: 0,
          tuplesHeldPeak: 0,
          windowsEvaluated: 0,
          activations: 0,
          expired: 0,
          late: 0,
          resultsEmitted: 0,
          anchorPairs: 0,
          watermarks: 0,
        };
        window.tasks++;
        window.tuplesHeld += w.tuplesHeld;
        window.tuplesHeldPeak += w.tuplesHeldPeak;
        window.windowsEvaluated += w.windowsEvaluated;
        window.activations += w.activations;
        window.expired += w.expired;
        window.late += w.late;
        window.resultsEmitted += w.resultsEmitted;
        window.anchorPairs += t.collector.anchorPairs;
        window.watermarks += w.watermarks;
      }
    }
    if (window !== null) windows.push(window);
    if (component === ACKER_COMPONENT_ID) {
      const ackers = list.flatMap((e) => e.tasks.map((t) => t.bolt as Acker));
      ackerStats = {
        completed: ackers.reduce((n, x) => n + x.completed, 0),
        failed: ackers.reduce((n, x) => n + x.failed, 0),
        expired: ackers.reduce((n, x) => n + x.expired, 0),
        pending: ackers.reduce((n, x) => n + x.size, 0),
      };
    }
    if (a.masterTask !== null && list.some((e) => e.details.startTask === a.masterTask)) {
      const tm = list[0].tasks[0].bolt as TopologyMaster;
      throttle = { triggers: tm.triggers, releases: tm.releases, throttledTuples };
    }
  }
  bolts.sort((x, y) => Number(x.system ?? false) - Number(y.system ?? false) || x.component.localeCompare(y.component));

  const queues = topology.executors.map((e) => ({
    executor: e.details.id,
    capacity: e.queue.capacity,
    highWaterMark: e.queue.highWaterMark,
    overflowHighWaterMark: e.queue.overflowHighWaterMark,
    pendingEmitsHighWaterMark: e.pendingEmitsHighWaterMark,
  }));

  return {
    flavour: a.config.flavour,
    windowing: a.config.windowing,
    completeLatencyMs,
    acked,
    failed,
    replayed,
    timedOut,
    bolts,
    queues,
    assignment: {
      workers: a.slots.length,
      supervisors: a.supervisors.length,
      executors: a.executors.length,
      ackers: a.ackerTasks.length,
      supervisorsUsed: new Set(a.slots.map((s) => s.supervisor)).size,
      scheduler: a.scheduler,
    },
    lateRecordsDropped,
    acker: ackerStats,
    transfer: {
      remoteTuples: topology.workers.reduce((n, w) => n + w.remoteTuples, 0),
      messages: topology.transfers.reduce((n, t) => n + t.messages, 0),
      bytes: topology.transfers.reduce((n, t) => n + t.bytes, 0),
      backpressureFlags: topology.workers.reduce((n, w) => n + w.backPressure.flags, 0),
    },
    batches: topology.executors.reduce((n, e) => n + e.batchesSent, 0),
    throttle,
    spoutPending: spouts.reduce((n, s) => n + s.pendingCount, 0),
    windows: windows.sort((x, y) => x.component.localeCompare(y.component)),
  };
}
