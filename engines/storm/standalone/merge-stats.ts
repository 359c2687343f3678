/**
 * The topology's figures from its workers' own: each worker process reports what its executors did
 * (buildEngineStats over the executors it hosts); counts add up, per-component figures merge by
 * component (capacity: the busiest executor's, as Storm's UI shows it), complete latency merges the
 * spouts' histograms exactly.
 */
import type { BoltStats, StormEngineStats, WindowStats } from '../metrics/engine-stats.js';
import { LatencyStats } from '../metrics/latency-stats.js';
import type { WorkerReport } from './protocol.js';

export function mergeWorkerStats(reports: readonly WorkerReport[]): StormEngineStats | undefined {
  if (reports.length === 0) return undefined;
  const parts = [...reports].sort((a, b) => a.index - b.index).map((r) => r.stats);
  const first = parts[0];
  const sum = (f: (s: StormEngineStats) => number) => parts.reduce((n, s) => n + f(s), 0);
  const complete = new LatencyStats();
  for (const r of reports) complete.merge(LatencyStats.fromJSON(r.completeLatency));

  const bolts = new Map<string, BoltStats>();
  for (const b of parts.flatMap((s) => s.bolts)) {
    const have = bolts.get(b.component);
    if (have === undefined) {
      bolts.set(b.component, { ...b });
      continue;
    }
    const executed = have.executed + b.executed;
    have.executeLatencyMs = executed === 0 ? 0 : (have.executeLatencyMs * have.executed + b.executeLatencyMs * b.executed) / executed;
    have.executed = executed;
    have.executors += b.executors;
    have.capacity = Math.max(have.capacity, b.capacity);
  }
  const windows = new Map<string, WindowStats>();
  for (const w of parts.flatMap((s) => s.windows)) {
    const have = windows.get(w.component);
    if (have === undefined) {
      windows.set(w.component, { ...w });
      continue;
    }
    for (const k of [
      'tasks',
      'tuplesHeld',
      'tuplesHeldPeak',
      'windowsEvaluated',
      'activations',
      'expired',
      'late',
      'resultsEmitted',
      'anchorPairs',
      'watermarks',
    ] as const)
      have[k] += w[k];
  }
  const ackers = parts.map((s) => s.acker).filter((a) => a !== null);
  const throttles = parts.map((s) => s.throttle).filter((t) => t !== null);
  return {
    ...first,
    completeLatencyMs: first.completeLatencyMs === null && ackers.length === 0 ? null : complete.summary(),
    acked: sum((s) => s.acked),
    failed: sum((s) => s.failed),
    replayed: sum((s) => s.replayed),
    timedOut: sum((s) => s.timedOut),
    bolts: [...bolts.values()].sort(
      (x, y) => Number(x.system ?? false) - Number(y.system ?? false) || x.component.localeCompare(y.component),
    ),
    queues: parts.flatMap((s) => s.queues),
    lateRecordsDropped: sum((s) => s.lateRecordsDropped),
    acker:
      ackers.length === 0
        ? null
        : {
            completed: ackers.reduce((n, a) => n + a.completed, 0),
            failed: ackers.reduce((n, a) => n + a.failed, 0),
            expired: ackers.reduce((n, a) => n + a.expired, 0),
            pending: ackers.reduce((n, a) => n + a.pending, 0),
          },
    transfer: {
      remoteTuples: sum((s) => s.transfer.remoteTuples),
      messages: sum((s) => s.transfer.messages),
      bytes: sum((s) => s.transfer.bytes),
      backpressureFlags: sum((s) => s.transfer.backpressureFlags),
    },
    batches: sum((s) => s.batches),
    throttle:
      throttles.length === 0
        ? null
        : {
            triggers: throttles[0].triggers,
            releases: throttles[0].releases,
            throttledTuples: sum((s) => s.throttle?.throttledTuples ?? 0),
          },
    spoutPending: sum((s) => s.spoutPending),
    windows: [...windows.values()].sort((x, y) => x.component.localeCompare(y.component)),
  };
}
