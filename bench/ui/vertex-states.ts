/**
 * The state of every drawn vertex over the last interval, from two consecutive snapshots of the engine's
 * own stats (cumulative counters, differenced here) and the sampler's sample. The ids are the plan's, so
 * the page colours the boxes the HTML report's diagram draws.
 *
 * - flink: per subtask, busy and back-pressured time (the scheduler's busy time and the task's time blocked
 *   on output buffers) over the interval, idle the rest; records in and out; its watermark. The operators
 *   of a chain take their chain's figures (the busiest subtask's ratios, the sum of the rates).
 * - storm: per component, capacity over the interval (executed in the interval x mean execute latency /
 *   interval / executors: the average executor, where Storm's UI shows the busiest); spouts read the log,
 *   and are back-pressured in an interval where backpressure flags were raised or the JStorm master throttled.
 * - spark: one job per batch, so every vertex shows the batch pipeline as a whole: busy = the last batch's
 *   processing time / the batch interval, back-pressured when batches wait to be scheduled.
 * - reference (and any engine without per-task counters): sources and sinks show the sampler's rates.
 * The state is the largest of the three shares; 'unknown' without them.
 */
import type { PlanNode } from '../../engines/api/index.js';
import type { FlinkEngineStats } from '../../engines/flink/index.js';
import type { SparkEngineStats } from '../../engines/spark/index.js';
import type { StormEngineStats } from '../../engines/storm/index.js';
import type { LiveVertex, VertexState } from '../../reports/live/index.js';
import type { TimeseriesSample } from '../../reports/schema.js';

interface Snapshot {
  /** ms, on the trial's clock (the sample's time). */
  atMs: number;
  stats: Record<string, unknown> | null;
}

export class VertexTracker {
  private previous: Snapshot | undefined;
  private readonly byId: Map<string, PlanNode>;

  constructor(
    private readonly engine: string,
    private readonly nodes: readonly PlanNode[],
    private readonly leafIds: readonly string[],
  ) {
    this.byId = new Map(nodes.map((n) => [n.id, n]));
  }

  /** The vertices for this sample; the first call has no interval to difference, so its ratios are null. */
  update(sample: TimeseriesSample, stats: Record<string, unknown> | null): LiveVertex[] {
    const now: Snapshot = { atMs: sample.t * 1000, stats };
    const prev = this.previous;
    this.previous = now;
    const dt = prev ? now.atMs - prev.atMs : 0;
    const vertices = this.leafIds.map((id) => this.blank(id, sample));
    if (!(dt > 0) || !stats || !prev?.stats) return vertices;
    const byId = new Map(vertices.map((v) => [v.id, v]));
    if (this.engine === 'flink') this.flink(byId, stats as unknown as FlinkEngineStats, prev.stats as unknown as FlinkEngineStats, dt);
    else if (this.engine === 'storm')
      this.storm(byId, stats as unknown as StormEngineStats, prev.stats as unknown as StormEngineStats, dt, sample);
    else if (this.engine === 'spark') this.spark(byId, stats as unknown as SparkEngineStats);
    return vertices;
  }

  /** Sources and sinks carry the sampler's rates; everything else waits for the engine's figures. */
  private blank(id: string, sample: TimeseriesSample): LiveVertex {
    const kind = String(this.byId.get(id)?.kind ?? '').toLowerCase();
    const label = String(this.byId.get(id)?.label ?? '');
    const source = /source|spout|receiver/.test(kind) || /^(DirectKafkaInputDStream|KafkaRDD|ReceiverInputDStream)/.test(label);
    const sink = /sink/.test(kind) || /^ForEachDStream/.test(label);
    return {
      id,
      state: 'unknown',
      busy: null,
      backPressured: null,
      idle: null,
      inPerSec: source ? sample.inputEventsPerSec : null,
      outPerSec: sink ? sample.outputRecordsPerSec : null,
    };
  }

  private flink(byId: Map<string, LiveVertex>, now: FlinkEngineStats, prev: FlinkEngineStats, dt: number): void {
    if (!Array.isArray(now.tasks)) return;
    const before = new Map((prev.tasks ?? []).map((t) => [`${t.name}#${t.subtask}`, t]));
    // Plan ids: subtask-<v>-<i> (attrs.task = the chain's id, whose label is the vertex name), op-<n> inside chain task-<v>.
    const chainName = new Map<string, string>();
    for (const n of this.nodes) if (n.kind === 'chain') chainName.set(n.id, n.label);
    const perChain = new Map<string, LiveVertex[]>();
    const subtaskId = new Map<string, string>();
    for (const n of this.nodes) {
      if (n.kind !== 'subtask' || !n.attrs) continue;
      const name = chainName.get(String(n.attrs.task));
      if (name !== undefined) subtaskId.set(`${name}#${String(n.attrs.subtask)}`, n.id);
    }
    for (const t of now.tasks) {
      const key = `${t.name}#${t.subtask}`;
      const p = before.get(key);
      const busy = clamp01(((t.busyMs ?? 0) - (p?.busyMs ?? 0)) / dt);
      const backPressured = clamp01(((t.backPressuredMs ?? 0) - (p?.backPressuredMs ?? 0)) / dt);
      const v: LiveVertex = {
        id: subtaskId.get(key) ?? key,
        ...shares(busy, backPressured),
        inPerSec: perSecond((t.recordsIn ?? 0) - (p?.recordsIn ?? 0), dt),
        outPerSec: perSecond((t.recordsOut ?? 0) - (p?.recordsOut ?? 0), dt),
        watermark: t.watermark ?? null,
      };
      const target = byId.get(v.id);
      if (target) Object.assign(target, v);
      let list = perChain.get(t.name);
      if (!list) perChain.set(t.name, (list = []));
      list.push(v);
    }
    for (const n of this.nodes) {
      const target = byId.get(n.id);
      const chain = n.parent === undefined ? undefined : chainName.get(n.parent);
      const list = chain === undefined ? undefined : perChain.get(chain);
      if (!target || !list || list.length === 0 || n.kind === 'subtask') continue;
      const busy = Math.max(...list.map((v) => v.busy ?? 0));
      const backPressured = Math.max(...list.map((v) => v.backPressured ?? 0));
      Object.assign(target, {
        ...shares(busy, backPressured),
        inPerSec: sum(list.map((v) => v.inPerSec)),
        outPerSec: sum(list.map((v) => v.outPerSec)),
        note: `chain ${chain}: the busiest of ${list.length} subtask${list.length === 1 ? '' : 's'}`,
      });
    }
  }

  private storm(byId: Map<string, LiveVertex>, now: StormEngineStats, prev: StormEngineStats, dt: number, sample: TimeseriesSample): void {
    const before = new Map((prev.bolts ?? []).map((b) => [b.component, b]));
    const flagsRaised = (now.transfer?.backpressureFlags ?? 0) > (prev.transfer?.backpressureFlags ?? 0);
    const throttled = (now.throttle?.throttledTuples ?? 0) > (prev.throttle?.throttledTuples ?? 0);
    const bolts = new Map((now.bolts ?? []).map((b) => [b.component, b]));
    for (const n of this.nodes) {
      const target = byId.get(n.id);
      if (!target) continue;
      const component = n.kind === 'executor' ? String(n.attrs?.component ?? '') : n.id.replace(/^component:/, '');
      const share = n.kind === 'executor' ? 1 / Math.max(1, Number(n.attrs?.executors ?? this.executorsOf(component))) : 1;
      const bolt = bolts.get(component);
      if (bolt) {
        const executed = bolt.executed - (before.get(component)?.executed ?? 0);
        const capacity = clamp01((executed * bolt.executeLatencyMs) / dt / Math.max(1, bolt.executors));
        Object.assign(target, {
          ...shares(capacity, 0),
          backPressured: null,
          idle: 1 - capacity,
          inPerSec: perSecond(executed * share, dt),
          note: 'capacity over the interval (the average executor)',
        });
      } else if (/spout/.test(String(n.kind)) || (n.kind === 'executor' && this.isSpout(component))) {
        const backPressured = flagsRaised || throttled;
        Object.assign(target, {
          state: backPressured ? 'back-pressured' : 'unknown',
          outPerSec: sample.inputEventsPerSec * share,
          note: backPressured ? 'backpressure was signalled in the interval' : 'spouts report no busy time',
        });
      }
    }
  }

  private executorsOf(component: string): number {
    return Number(this.byId.get(`component:${component}`)?.attrs?.executors ?? 1);
  }

  private isSpout(component: string): boolean {
    return /spout/.test(String(this.byId.get(`component:${component}`)?.kind ?? ''));
  }

  private spark(byId: Map<string, LiveVertex>, now: SparkEngineStats): void {
    const last = Array.isArray(now.batches) ? now.batches[now.batches.length - 1] : undefined;
    if (!last || !(now.batchIntervalMs > 0)) return;
    const busy = clamp01(last.processingDelayMs / now.batchIntervalMs);
    const waiting = (now.batchesPending ?? 0) > 0 || last.schedulingDelayMs > now.batchIntervalMs / 10;
    for (const v of byId.values()) {
      Object.assign(v, {
        ...shares(busy, waiting ? 1 : 0),
        backPressured: null,
        idle: 1 - busy,
        note: 'the batch pipeline as a whole (one job per batch)',
      });
      if (waiting) v.state = 'back-pressured';
    }
  }
}

function shares(busy: number, backPressured: number): Pick<LiveVertex, 'state' | 'busy' | 'backPressured' | 'idle'> {
  const idle = clamp01(1 - busy - backPressured);
  let state: VertexState = 'idle';
  if (backPressured >= busy && backPressured >= idle) state = 'back-pressured';
  else if (busy >= idle) state = 'busy';
  return { state, busy: round(busy), backPressured: round(backPressured), idle: round(idle) };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

function perSecond(count: number, dtMs: number): number {
  return Math.round((Math.max(0, count) / dtMs) * 1000 * 10) / 10;
}

function sum(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.round(known.reduce((a, b) => a + b, 0) * 10) / 10;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
