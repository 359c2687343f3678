/**
 * Compiles a dataflow into one synchronous push network: every node becomes a function
 * `(value, eventTime, emitTime, ingestTime)` that calls its consumers directly. No queues, no envelopes:
 * this is the hand-written loop that bounds what any engine can do, and the oracle for what it must output.
 *
 * Watermarks advance after every record (the tightest the semantics allow): each timestamps node tracks
 * its own bounded out-of-orderness; a windowed node's watermark is the minimum over the paths that feed
 * it, and a path with no timestamps node holds it at -Infinity until the end of input. Windowed nodes are
 * advanced in topological order, so results of an upstream window reach a downstream one before the
 * downstream one sees the watermark that released them, as in Flink.
 *
 * Early firing (`earlyFiringMs`): the loop has no timer thread, so a window aggregate with early firing
 * reads `io.clock` as each record reaches it and, once a multiple of the interval has passed, emits its
 * changed windows (`emitDirty`). With no input arriving, changed windows wait for the next record or their
 * final firing.
 *
 * Processing-time windows, for the same reason, close on the clock as records reach them: a record falls
 * into the windows of its ingest time (when the loop read it), windows that ended before it fire first, and
 * the rest fire at the end of input.
 */
import {
  MAX_WATERMARK,
  MIN_WATERMARK,
  keySelectorOf,
  type Dataflow,
  type DataflowNode,
  type KeyedNode,
  type ProcessingTimeWindowNode,
  type RunIO,
} from '../api/index.js';
import { BoundedOutOfOrderness, IncrementalJoin, WindowAggregation, WindowJoin, type Emit, type KeyedWindows } from '../operators/index.js';

/** A watermark origin: a timestamps node, or the source itself (held at -Infinity until the end). */
interface WatermarkOrigin {
  current(): number;
}

interface WindowedNode {
  readonly node: KeyedNode;
  readonly state: KeyedWindows<unknown>;
  readonly origins: readonly WatermarkOrigin[];
  watermark: number;
  readonly emit: Emit;
}

export interface CompiledDataflow {
  /** Pushes one source record through the whole dataflow. */
  readonly push: Emit;
  /** Advances the watermark of every windowed node, firing what closed; call after each record. */
  advanceWatermarks(): void;
  /** True when some timestamps node saw a newer event time since the last advance. */
  readonly watermarkDirty: () => boolean;
  /** End of input: every watermark goes to +Infinity and every open window fires. */
  finish(): void;
  stats(): { lateRecordsDropped: number; windowsFired: number; windowStateEntries: number; joinStateRecords: number };
}

export function compileDataflow(flow: Dataflow, io: RunIO): CompiledDataflow {
  const { nodes, consumers } = flow;
  let dirty = false;
  let endOfInput = false;
  let late = 0;
  let fired = 0;
  const sourceOrigin: WatermarkOrigin = { current: () => (endOfInput ? MAX_WATERMARK : MIN_WATERMARK) };
  const generators = new Map<number, BoundedOutOfOrderness>();
  const origins: WatermarkOrigin[] = nodes.map((n) => {
    if (n.kind !== 'timestamps') return sourceOrigin;
    const gen = new BoundedOutOfOrderness(n.maxDelay);
    generators.set(n.id, gen);
    return { current: () => (endOfInput ? MAX_WATERMARK : gen.current) };
  });
  // The watermark origins feeding each node (through every path).
  const feeding: WatermarkOrigin[][] = nodes.map(() => []);
  for (const n of nodes) {
    if (n.kind === 'source' || n.kind === 'timestamps') feeding[n.id] = [origins[n.id]];
    else feeding[n.id] = [...new Set(n.inputs.flatMap((i) => feeding[i]))];
  }

  const windowed: WindowedNode[] = [];
  const processingWindows: { readonly node: ProcessingTimeWindowNode; readonly state: WindowAggregation; readonly emit: Emit }[] = [];
  const joins = new Map<number, IncrementalJoin>();
  // Built in reverse topological order so that every node's consumers exist when it is wired.
  const entry: Emit[][] = nodes.map(() => []); // entry[id][inputIndex]
  for (let id = nodes.length - 1; id >= 0; id--) {
    const node = nodes[id];
    const out = fanOut(edgesFrom(id));
    entry[id] = node.inputs.map((_, side) => lower(node, side, out));
  }

  /** The entry of every edge leaving `id`, one per input slot it feeds (a self-join feeds two). */
  function edgesFrom(id: number): Emit[] {
    const targets: Emit[] = [];
    for (const c of new Set(consumers[id])) {
      nodes[c].inputs.forEach((input, side) => {
        if (input === id) targets.push(entry[c][side]);
      });
    }
    return targets;
  }

  function lower(node: DataflowNode, side: number, out: Emit): Emit {
    switch (node.kind) {
      case 'source':
        throw new Error('the source has no input');
      case 'map': {
        const fn = node.fn;
        return (v, et, em, ig) => out(fn(v), et, em, ig);
      }
      case 'flatMap': {
        const fn = node.fn;
        return (v, et, em, ig) => {
          for (const u of fn(v)) out(u, et, em, ig);
        };
      }
      case 'filter': {
        const fn = node.fn;
        return (v, et, em, ig) => {
          if (fn(v)) out(v, et, em, ig);
        };
      }
      case 'timestamps': {
        const fn = node.fn;
        const gen = generators.get(node.id)!;
        return (v, _et, em, ig) => {
          const t = fn(v);
          if (gen.observe(t)) dirty = true;
          out(v, t, em, ig);
        };
      }
      case 'windowAggregate':
      case 'windowJoin':
        return lowerWindowed(node, side, out);
      case 'processingTimeWindow':
        return lowerProcessingTimeWindow(node, out);
      case 'join': {
        let state = joins.get(node.id);
        if (state === undefined) joins.set(node.id, (state = new IncrementalJoin(node.fn)));
        const key = keySelectorOf(node, side);
        return (v, et, em, ig) => state.add(side, key(v), v, et, em, ig, out);
      }
      case 'sink': {
        const writer = io.sinks.get(node.name);
        return (v, _et, em, ig) => writer.write(v, em, ig);
      }
    }
  }

  function lowerWindowed(node: KeyedNode, side: number, out: Emit): Emit {
    let w = windowed.find((x) => x.node === node);
    if (w === undefined) {
      const state = (
        node.kind === 'windowAggregate'
          ? new WindowAggregation(node.window, node.aggregate, { trackDirty: node.earlyFiringMs !== undefined })
          : new WindowJoin(
              (node as Extract<KeyedNode, { kind: 'windowJoin' }>).window,
              (node as Extract<KeyedNode, { kind: 'windowJoin' }>).fn,
            )
      ) as KeyedWindows<unknown>;
      w = { node, state, origins: feeding[node.id], watermark: MIN_WATERMARK, emit: out };
      windowed.push(w);
    }
    const { state } = w;
    const key = keySelectorOf(node, side);
    const self = w;
    const metrics = io.metrics;
    if (node.kind === 'windowAggregate' && node.earlyFiringMs !== undefined) {
      const every = node.earlyFiringMs;
      const clock = io.clock;
      let due = (Math.floor(clock.now() / every) + 1) * every;
      return (v, et, em, ig) => {
        if (!state.add(key(v), v, side, et, em, ig, self.watermark)) {
          late++;
          metrics.lateRecordsDropped(node.name, 1);
        }
        const now = clock.now();
        if (now >= due) {
          due = (Math.floor(now / every) + 1) * every;
          state.emitDirty(self.emit);
        }
      };
    }
    return (v, et, em, ig) => {
      if (!state.add(key(v), v, side, et, em, ig, self.watermark)) {
        late++;
        metrics.lateRecordsDropped(node.name, 1);
      }
    };
  }

  function lowerProcessingTimeWindow(node: ProcessingTimeWindowNode, out: Emit): Emit {
    const state = new WindowAggregation(node.window, node.aggregate);
    processingWindows.push({ node, state, emit: out });
    const key = node.key;
    // A window [start, end) has closed once the clock reached its end: at `ingestTime - 1` as a watermark.
    return (v, _et, em, ig) => {
      if (state.nextFireTime <= ig - 1) fired += state.advance(ig - 1, out);
      state.add(key(v), v, 0, ig, em, ig, ig - 1);
    };
  }

  // Topological order (node ids), so that upstream windows fire before downstream ones advance.
  windowed.sort((a, b) => a.node.id - b.node.id);

  function advance(w: WindowedNode): void {
    let wm = MAX_WATERMARK;
    for (const o of w.origins) {
      const c = o.current();
      if (c < wm) wm = c;
    }
    if (wm <= w.watermark) return;
    w.watermark = wm;
    fired += w.state.advance(wm, w.emit);
  }

  function advanceWatermarks(): void {
    dirty = false;
    for (const w of windowed) advance(w);
  }

  /** End of input: every window of either kind closes, upstream ones first. */
  function closeAll(): void {
    const closers = [
      ...windowed.map((w) => ({ id: w.node.id, close: () => advance(w) })),
      ...processingWindows.map((p) => ({ id: p.node.id, close: () => void (fired += p.state.advance(MAX_WATERMARK, p.emit)) })),
    ].sort((a, b) => a.id - b.id);
    for (const c of closers) c.close();
  }

  return {
    push: fanOut(edgesFrom(flow.source.id)),
    advanceWatermarks,
    watermarkDirty: () => dirty,
    finish() {
      endOfInput = true;
      dirty = false;
      closeAll();
    },
    stats: () => ({
      lateRecordsDropped: late,
      windowsFired: fired,
      windowStateEntries: windowed.reduce((n, w) => n + w.state.size, 0) + processingWindows.reduce((n, p) => n + p.state.size, 0),
      joinStateRecords: [...joins.values()].reduce((n, j) => n + j.size, 0),
    }),
  };
}

/** One consumer: call it directly; several: call each in order. */
function fanOut(targets: Emit[]): Emit {
  if (targets.length === 1) return targets[0];
  return (v, et, em, ig) => {
    for (const t of targets) t(v, et, em, ig);
  };
}
