/**
 * The engine's daemons for the Overview. An engine that runs its daemons as processes reports them itself:
 * a plain list `engineStats.daemons` (name, kind, pid, lastHeartbeat, cpuPercent, memoryBytes, status), taken
 * as it is, or the cluster runtime's `engineStats.cluster.daemons` (Flink standalone). In the `local` deployment every daemon the engine models lives in the trial's process, so the
 * list is read off the stats and the plan the engine already has (Flink: the JobManager and its
 * TaskManagers with their slots; Spark: the driver and its executors; Storm: Nimbus, the supervisors and
 * their workers), each with the trial process's id, the time of the sample as its heartbeat, and that
 * process's CPU and memory (shared by all of them, which the detail says).
 */
import type { PlanNode } from '../../engines/api/index.js';
import type { FlinkEngineStats } from '../../engines/flink/index.js';
import type { SparkEngineStats } from '../../engines/spark/index.js';
import type { StormEngineStats } from '../../engines/storm/index.js';
import type { LiveDaemon } from '../../reports/live/index.js';
import type { TimeseriesSample } from '../../reports/schema.js';

export interface DaemonContext {
  engine: string;
  stats: Record<string, unknown> | null;
  nodes: readonly PlanNode[];
  pid: number | null;
  /** When the sample was taken (ms since the epoch). */
  time: number;
  sample: TimeseriesSample;
}

export function daemonsOf(c: DaemonContext): LiveDaemon[] {
  const reported = reportedDaemons(c.stats?.daemons) ?? clusterDaemons(c.stats?.cluster, c.time);
  if (reported) return reported;
  const shared = c.pid === null ? 'in the trial process' : `in the trial process (pid ${c.pid}); CPU and memory are the whole process's`;
  const daemon = (name: string, kind: string, detail?: string): LiveDaemon => ({
    name,
    kind,
    pid: c.pid,
    lastHeartbeat: c.time,
    cpuPercent: c.sample.cpuPercent,
    memoryBytes: c.sample.rssBytes,
    status: 'alive',
    detail: detail ? `${detail}; ${shared}` : shared,
  });
  const stats = c.stats;
  if (c.engine === 'flink' && stats) {
    const s = stats as unknown as FlinkEngineStats;
    const used = new Map<number, Set<number>>();
    for (const t of s.tasks ?? []) {
      let slots = used.get(t.taskManager);
      if (!slots) used.set(t.taskManager, (slots = new Set()));
      slots.add(t.slot);
    }
    const out = [daemon('JobManager', 'jobmanager', `${s.chains?.length ?? 0} job vertices, ${s.tasks?.length ?? 0} subtasks`)];
    for (let tm = 1; tm <= (s.slots?.taskManagers ?? 0); tm++) {
      const tasks = (s.tasks ?? []).filter((t) => t.taskManager === tm).length;
      out.push(
        daemon(
          `TaskManager ${tm}`,
          'taskmanager',
          `${used.get(tm)?.size ?? 0}/${s.slots.slotsPerTaskManager} slots used, ${tasks} subtasks`,
        ),
      );
    }
    return out;
  }
  if (c.engine === 'spark' && stats) {
    const s = stats as unknown as SparkEngineStats;
    const out = [daemon('driver', 'driver', `${s.batchesTotal} batches, ${s.batchesPending} pending`)];
    for (let e = 1; e <= s.executors; e++) out.push(daemon(`executor ${e}`, 'executor', `${s.coresPerExecutor} cores`));
    return out;
  }
  if (c.engine === 'storm' && stats) {
    const s = stats as unknown as StormEngineStats;
    const out = [daemon('Nimbus', 'nimbus', `${s.assignment?.executors ?? 0} executors assigned by ${s.assignment?.scheduler ?? '?'}`)];
    const workersOf = (supervisor: string) => c.nodes.filter((n) => n.kind === 'worker' && n.parent === supervisor);
    const executorsOf = (worker: string) => c.nodes.filter((n) => n.kind === 'executor' && n.parent === worker).length;
    for (const sup of c.nodes.filter((n) => n.kind === 'supervisor')) {
      const workers = workersOf(sup.id);
      out.push(daemon(sup.label, 'supervisor', `${workers.length} worker${workers.length === 1 ? '' : 's'}`));
      for (const w of workers) out.push(daemon(w.label, 'worker', `${executorsOf(w.id)} executors`));
    }
    return out;
  }
  return [daemon(c.engine === 'reference' ? 'reference loop' : c.engine, 'process')];
}

/** A list an engine reported, kept only if every entry has the fields the Overview shows. */
function reportedDaemons(value: unknown): LiveDaemon[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: LiveDaemon[] = [];
  for (const d of value) {
    if (!d || typeof d !== 'object') return undefined;
    const r = d as Record<string, unknown>;
    if (typeof r.name !== 'string' || typeof r.kind !== 'string') return undefined;
    out.push({
      name: r.name,
      kind: r.kind,
      pid: numberOrNull(r.pid),
      lastHeartbeat: numberOrNull(r.lastHeartbeat),
      cpuPercent: numberOrNull(r.cpuPercent),
      memoryBytes: numberOrNull(r.memoryBytes),
      status: r.status === 'lost' || r.status === 'recovered' ? r.status : 'alive',
      ...(typeof r.detail === 'string' ? { detail: r.detail } : {}),
    });
  }
  return out;
}

/** The CPU time (ms) each standalone daemon had at the previous sample, to turn into a % over the interval. */
const previousCpu = new Map<string, { time: number; cpuMs: number }>();

/**
 * The standalone deployment's processes as the cluster runtime reports them (`engineStats.cluster.daemons`:
 * DaemonStatus, with CPU as milliseconds since the process started): CPU becomes % of one core since the
 * previous sample; `jobmanager`, `taskmanager-2` give their kind.
 */
function clusterDaemons(cluster: unknown, time: number): LiveDaemon[] | undefined {
  const list = (cluster as { daemons?: unknown } | null | undefined)?.daemons;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: LiveDaemon[] = [];
  for (const d of list as Record<string, unknown>[]) {
    if (!d || typeof d.name !== 'string') return undefined;
    const pid = numberOrNull(d.pid);
    const cpuMs = (numberOrNull(d.cpuUserMs) ?? 0) + (numberOrNull(d.cpuSystemMs) ?? 0);
    const key = `${pid}:${d.name}`;
    const before = previousCpu.get(key);
    previousCpu.set(key, { time, cpuMs });
    const cpuPercent = before && time > before.time ? Math.max(0, ((cpuMs - before.cpuMs) / (time - before.time)) * 100) : null;
    const restarts = numberOrNull(d.restarts) ?? 0;
    const pids = Array.isArray(d.previousPids) ? d.previousPids.filter((p) => typeof p === 'number') : [];
    const again = restarts > 0 ? `; started again after a loss ${restarts}× (pid ${[...pids, pid ?? '?'].join(' → ')})` : '';
    out.push({
      name: d.name,
      kind: d.name.replace(/-\d+$/, ''),
      pid,
      lastHeartbeat: numberOrNull(d.lastHeartbeat) ?? (d.alive === false ? null : time),
      cpuPercent,
      memoryBytes: numberOrNull(d.rssBytes),
      status: d.alive === false ? 'lost' : restarts > 0 ? 'recovered' : 'alive',
      detail: `its own process; ${numberOrNull(d.heartbeats) ?? 0} heartbeats${again}`,
    });
  }
  if (previousCpu.size > 256) previousCpu.clear(); // a long sweep: forget old trials' processes
  return out;
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
