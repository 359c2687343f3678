/**
 * The engine-neutral logical plan. A workload builds a Dataflow with {@link DataflowBuilder}; each engine
 * lowers it into its own structure (a JobGraph, a DStream graph, a topology). The plan names operators
 * and says nothing about engines beyond optional per-operator hints.
 */
import type { AggregateFunction } from './aggregate.js';
import type { Key, TimeWindow, WindowResult } from './records.js';
import { checkAlignedWindowSpec, checkWindowSpec, type AlignedWindowSpec, type WindowSpec } from './windows.js';

export type KeySelector<T> = (value: T) => Key;

interface NodeBase {
  /** Index in `Dataflow.nodes`; nodes are in topological order (inputs have smaller ids). */
  readonly id: number;
  /** Unique within the dataflow. */
  readonly name: string;
  /** Ids of the input nodes; two for joins (left, right), none for the source. */
  readonly inputs: readonly number[];
  /** Per-operator parallelism; undefined means the run's parallelism. */
  readonly parallelism?: number;
  /** Engine-specific hints, namespaced by engine (`{ flink: { startNewChain: true } }`). */
  readonly hints: Readonly<Record<string, unknown>>;
}

/** Reads the run's event log. Records start with eventTime = emitTime = the log entry's timestamp. */
export interface SourceNode extends NodeBase {
  readonly kind: 'source';
}
export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly fn: (value: any) => unknown;
}
export interface FlatMapNode extends NodeBase {
  readonly kind: 'flatMap';
  readonly fn: (value: any) => Iterable<unknown>;
}
export interface FilterNode extends NodeBase {
  readonly kind: 'filter';
  readonly fn: (value: any) => boolean;
}
/**
 * Assigns event time and generates bounded-out-of-orderness watermarks from here on
 * (Flink's assignTimestampsAndWatermarks): `watermark = maxSeenEventTime - maxDelay - 1`.
 */
export interface TimestampsNode extends NodeBase {
  readonly kind: 'timestamps';
  readonly fn: (value: any) => number;
  readonly maxDelay: number;
}
/** Keyed event-time window with an aggregate; emits {@link WindowResult} records with eventTime = end - 1. */
export interface WindowAggregateNode extends NodeBase {
  readonly kind: 'windowAggregate';
  readonly key: KeySelector<any>;
  readonly window: WindowSpec;
  readonly aggregate: AggregateFunction<any, any, unknown>;
  /**
   * Early firing on processing time (Flink's ContinuousProcessingTimeTrigger), off when undefined: every
   * `earlyFiringMs` ms of the engine's clock (at multiples of it), every open window whose aggregate changed
   * since it last fired emits its current result, same shape and eventTime (end - 1) as the final one. The
   * final firing at the watermark still happens, so the last result of a (key, window) is the final one and
   * results are not unique per (key, window). `aggregate.result` must then return a value that later adds
   * do not change (a number, or a copy). Engines honour it with `KeyedWindows` dirty tracking (`emitDirty`).
   */
  readonly earlyFiringMs?: number;
}
/**
 * Keyed window over processing time with an aggregate (DStream's `reduceByKeyAndWindow`, Flink's
 * processing-time windows): a record falls into windows by when the engine took it in (the batch that
 * read it, for a micro-batch engine; its ingest time otherwise), not by its event time, and windows close
 * on the engine's clock without watermarks, so nothing is late. Emits {@link WindowResult} records with
 * window bounds in processing time and eventTime = end - 1. Which records share a window depends on
 * when they arrived: results are not comparable across engines or runs, only totals over all windows are.
 * Engines that do not run it reject it ({@link rejectProcessingTimeWindows}).
 */
export interface ProcessingTimeWindowNode extends NodeBase {
  readonly kind: 'processingTimeWindow';
  readonly key: KeySelector<any>;
  readonly window: AlignedWindowSpec;
  readonly aggregate: AggregateFunction<any, any, unknown>;
}
/**
 * Unwindowed incremental equi-join: each arriving record is stored and joined with every stored record of
 * the other side with an equal key. Output eventTime and times are the maxima of both sides.
 */
export interface JoinNode extends NodeBase {
  readonly kind: 'join';
  readonly leftKey: KeySelector<any>;
  readonly rightKey: KeySelector<any>;
  readonly fn: (left: any, right: any) => unknown;
}
/** Windowed equi-join: every pair with equal keys in the same window, emitted when the window fires. */
export interface WindowJoinNode extends NodeBase {
  readonly kind: 'windowJoin';
  readonly leftKey: KeySelector<any>;
  readonly rightKey: KeySelector<any>;
  readonly window: WindowSpec;
  readonly fn: (left: any, right: any, window: TimeWindow) => unknown;
}
export interface SinkNode extends NodeBase {
  readonly kind: 'sink';
}

export type DataflowNode =
  | SourceNode
  | MapNode
  | FlatMapNode
  | FilterNode
  | TimestampsNode
  | WindowAggregateNode
  | ProcessingTimeWindowNode
  | JoinNode
  | WindowJoinNode
  | SinkNode;
export type NodeKind = DataflowNode['kind'];

/** Operators whose inputs are hash-partitioned by key. */
export type KeyedNode = WindowAggregateNode | ProcessingTimeWindowNode | JoinNode | WindowJoinNode;

export function isKeyed(node: DataflowNode): node is KeyedNode {
  return node.kind === 'windowAggregate' || node.kind === 'processingTimeWindow' || node.kind === 'join' || node.kind === 'windowJoin';
}

/** The key selector a keyed node applies to its input number `input` (0 = left, 1 = right). */
export function keySelectorOf(node: KeyedNode, input: number): KeySelector<any> {
  if (node.kind === 'windowAggregate' || node.kind === 'processingTimeWindow') return node.key;
  return input === 0 ? node.leftKey : node.rightKey;
}

/** A finished, validated logical plan. */
export interface Dataflow {
  readonly name: string;
  /** In topological order: every node's inputs precede it. */
  readonly nodes: readonly DataflowNode[];
  /** For each node id, the ids of the nodes that consume it (in id order). */
  readonly consumers: readonly (readonly number[])[];
  readonly source: SourceNode;
  readonly sinks: readonly SinkNode[];
}

/** Per-operator settings: a name, and optionally its parallelism and engine hints. */
export interface OperatorOptions {
  name?: string;
  parallelism?: number;
  hints?: Record<string, unknown>;
}

/** Settings of a window aggregate: the operator's, plus optional early firing on processing time. */
export interface AggregateOptions extends OperatorOptions {
  /** Emit changed windows' current results every `everyMs` ms of processing time (see WindowAggregateNode.earlyFiringMs). */
  earlyFiring?: { everyMs: number };
}
type OpArg = string | OperatorOptions | undefined;

type Draft = { -readonly [K in keyof DataflowNode]?: unknown } & { kind: NodeKind; name: string; inputs: number[] };

/** A stream of values of type T in a dataflow under construction. */
export class Stream<T> {
  constructor(
    protected readonly builder: DataflowBuilder,
    readonly nodeId: number,
  ) {}

  map<U>(fn: (value: T) => U, op?: OpArg): Stream<U> {
    return this.builder.addNode<U>({ kind: 'map', fn }, [this.nodeId], op);
  }

  flatMap<U>(fn: (value: T) => Iterable<U>, op?: OpArg): Stream<U> {
    return this.builder.addNode<U>({ kind: 'flatMap', fn }, [this.nodeId], op);
  }

  filter(fn: (value: T) => boolean, op?: OpArg): Stream<T> {
    return this.builder.addNode<T>({ kind: 'filter', fn }, [this.nodeId], op);
  }

  /** Assigns event time from the value and starts watermarks with the given out-of-orderness bound (ms). */
  withTimestamps(fn: (value: T) => number, bound: { maxDelay: number }, op?: OpArg): Stream<T> {
    if (!Number.isFinite(bound.maxDelay) || bound.maxDelay < 0) throw new RangeError(`maxDelay must be >= 0 ms, got ${bound.maxDelay}`);
    return this.builder.addNode<T>({ kind: 'timestamps', fn, maxDelay: bound.maxDelay }, [this.nodeId], op);
  }

  keyBy<K extends Key>(key: (value: T) => K): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this.builder, this.nodeId, key);
  }

  sink(op?: OpArg): void {
    this.builder.addNode({ kind: 'sink' }, [this.nodeId], op);
  }
}

/** A stream partitioned by key: the input of windows and joins. */
export class KeyedStream<T, K extends Key> {
  constructor(
    private readonly builder: DataflowBuilder,
    readonly nodeId: number,
    readonly key: (value: T) => K,
  ) {}

  window(spec: WindowSpec): WindowedStream<T, K> {
    return new WindowedStream<T, K>(this.builder, this.nodeId, this.key, checkWindowSpec(spec));
  }

  /** Tumbling or sliding windows over processing time (see {@link ProcessingTimeWindowNode}). */
  processingTimeWindow(spec: AlignedWindowSpec): ProcessingTimeWindowedStream<T, K> {
    return new ProcessingTimeWindowedStream<T, K>(this.builder, this.nodeId, this.key, checkAlignedWindowSpec(spec));
  }

  /** Unwindowed incremental join with another keyed stream on equal keys. */
  join<U, R>(other: KeyedStream<U, K>, fn: (left: T, right: U) => R, op?: OpArg): Stream<R> {
    return this.builder.addNode<R>({ kind: 'join', leftKey: this.key, rightKey: other.key, fn }, [this.nodeId, other.nodeId], op);
  }

  /** Windowed join: every pair of equal keys within one window, emitted when the window fires. */
  windowJoin<U, R>(other: KeyedStream<U, K>, spec: WindowSpec, fn: (left: T, right: U, window: TimeWindow) => R, op?: OpArg): Stream<R> {
    return this.builder.addNode<R>(
      { kind: 'windowJoin', leftKey: this.key, rightKey: other.key, window: checkWindowSpec(spec), fn },
      [this.nodeId, other.nodeId],
      op,
    );
  }
}

export class WindowedStream<T, K extends Key> {
  constructor(
    private readonly builder: DataflowBuilder,
    private readonly input: number,
    private readonly key: (value: T) => K,
    private readonly spec: WindowSpec,
  ) {}

  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>, op?: string | AggregateOptions): Stream<WindowResult<K, R>> {
    const fields: Record<string, unknown> & { kind: 'windowAggregate' } = {
      kind: 'windowAggregate',
      key: this.key,
      window: this.spec,
      aggregate: fn,
    };
    const early = typeof op === 'object' ? op.earlyFiring : undefined;
    if (early !== undefined) {
      if (!Number.isInteger(early.everyMs) || early.everyMs <= 0)
        throw new RangeError(`earlyFiring.everyMs must be a positive whole number of ms, got ${early.everyMs}`);
      fields.earlyFiringMs = early.everyMs;
    }
    return this.builder.addNode<WindowResult<K, R>>(fields, [this.input], op);
  }
}

export class ProcessingTimeWindowedStream<T, K extends Key> {
  constructor(
    private readonly builder: DataflowBuilder,
    private readonly input: number,
    private readonly key: (value: T) => K,
    private readonly spec: AlignedWindowSpec,
  ) {}

  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>, op?: OpArg): Stream<WindowResult<K, R>> {
    return this.builder.addNode<WindowResult<K, R>>(
      { kind: 'processingTimeWindow', key: this.key, window: this.spec, aggregate: fn },
      [this.input],
      op,
    );
  }
}

/** Builds a {@link Dataflow}: one source, operators, one or more sinks. */
export class DataflowBuilder {
  private readonly drafts: DataflowNode[] = [];

  constructor(readonly name: string) {}

  /** The dataflow's single source: the run's event log. Branch it with filters for several streams. */
  source<T>(op?: OpArg): Stream<T> {
    if (this.drafts.some((n) => n.kind === 'source'))
      throw new Error(`dataflow ${this.name}: only one source is supported; branch it instead`);
    return this.addNode<T>({ kind: 'source' }, [], op);
  }

  /** @internal used by streams */
  addNode<T>(fields: Record<string, unknown> & { kind: NodeKind }, inputs: number[], op: OpArg): Stream<T> {
    const id = this.drafts.length;
    const opts: OperatorOptions = typeof op === 'string' ? { name: op } : (op ?? {});
    const name = opts.name ?? `${fields.kind}-${id}`;
    if (this.drafts.some((n) => n.name === name)) throw new Error(`dataflow ${this.name}: operator name '${name}' is used twice`);
    if (opts.parallelism !== undefined && (!Number.isInteger(opts.parallelism) || opts.parallelism < 1)) {
      throw new RangeError(`operator ${name}: parallelism must be a positive whole number`);
    }
    const node = {
      ...fields,
      id,
      name,
      inputs,
      hints: opts.hints ?? {},
      ...(opts.parallelism ? { parallelism: opts.parallelism } : {}),
    } as Draft;
    this.drafts.push(node as unknown as DataflowNode);
    return new Stream<T>(this, id);
  }

  build(): Dataflow {
    const nodes = this.drafts.slice();
    const source = nodes.find((n): n is SourceNode => n.kind === 'source');
    if (!source) throw new Error(`dataflow ${this.name} has no source`);
    const sinks = nodes.filter((n): n is SinkNode => n.kind === 'sink');
    if (sinks.length === 0) throw new Error(`dataflow ${this.name} has no sink`);
    const consumers: number[][] = nodes.map(() => []);
    for (const n of nodes) for (const i of n.inputs) consumers[i].push(n.id);
    for (const n of nodes) {
      if (n.kind !== 'sink' && consumers[n.id].length === 0)
        throw new Error(`dataflow ${this.name}: operator '${n.name}' has no consumer; end it with a sink`);
    }
    return { name: this.name, nodes, consumers, source, sinks };
  }
}

/** The nodes that feed `id` directly. */
export function inputsOf(flow: Dataflow, id: number): DataflowNode[] {
  return flow.nodes[id].inputs.map((i) => flow.nodes[i]);
}

/** One line per operator: `name (kind: detail) <- inputs`. */
export function describeDataflow(flow: Dataflow): string {
  const lines = [`dataflow ${flow.name}`];
  for (const n of flow.nodes) {
    const from = n.inputs.length ? ` <- ${n.inputs.map((i) => flow.nodes[i].name).join(', ')}` : '';
    const par = n.parallelism ? ` [parallelism ${n.parallelism}]` : '';
    lines.push(`  ${n.name} (${describeNode(n)})${par}${from}`);
  }
  return lines.join('\n');
}

export function describeNode(n: DataflowNode): string {
  switch (n.kind) {
    case 'timestamps':
      return `timestamps, maxDelay ${n.maxDelay} ms`;
    case 'windowAggregate':
      return `keyed ${describeWindow(n.window)} window, ${n.aggregate.name}${n.earlyFiringMs !== undefined ? `, early firing every ${n.earlyFiringMs} ms` : ''}`;
    case 'processingTimeWindow':
      return `keyed ${describeWindow(n.window)} processing-time window, ${n.aggregate.name}`;
    case 'windowJoin':
      return `keyed ${describeWindow(n.window)} window join`;
    case 'join':
      return 'keyed incremental join';
    default:
      return n.kind;
  }
}

export function describeWindow(spec: WindowSpec): string {
  switch (spec.kind) {
    case 'tumbling':
      return `tumbling ${spec.size} ms`;
    case 'sliding':
      return `sliding ${spec.size} ms every ${spec.slide} ms`;
    case 'session':
      return `session gap ${spec.gap} ms`;
  }
}
