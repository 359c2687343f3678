/**
 * The StreamGraph, as Flink's client builds it from a program: one {@link StreamNode} per dataflow
 * operator, with its parallelism, max parallelism, chaining strategy and slot-sharing group, and one
 * {@link StreamEdge} per input with the partitioner that decides which downstream subtask gets a record:
 * `forward` (subtask i to subtask i) when the parallelisms are equal and the input is not keyed, `hash`
 * (key groups) for keyed inputs, `rebalance` (round robin) otherwise, as Flink picks when a program names
 * no partitioner.
 *
 * Per-operator controls come from the dataflow: `parallelism`, and the hints
 * `{ flink: { disableChaining, startNewChain, slotSharingGroup } }`.
 */
import { describeNode, isKeyed, keySelectorOf, type Dataflow, type DataflowNode, type KeySelector } from '../../api/index.js';
import { computeDefaultMaxParallelism } from '../state/key-groups.js';
import type { FlinkConfig } from '../options.js';

/** Flink's `ChainingStrategy`. */
export type ChainingStrategy = 'ALWAYS' | 'NEVER' | 'HEAD' | 'HEAD_WITH_SOURCES';

/** The slot-sharing group of operators that name none and whose inputs disagree (Flink's "default"). */
export const DEFAULT_SLOT_SHARING_GROUP = 'default';

export type StreamPartitioner =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'hash'; readonly key: KeySelector<unknown>; readonly maxParallelism: number };

export interface StreamEdge {
  /** `${source}->${target}#${typeNumber}`. */
  readonly id: string;
  readonly sourceId: number;
  readonly targetId: number;
  /** Which input of the target: 0 for one-input operators, 0 (left) or 1 (right) for two-input ones. */
  readonly typeNumber: number;
  readonly partitioner: StreamPartitioner;
}

export interface StreamNode {
  /** The dataflow node id. */
  readonly id: number;
  /** The operator's name as Flink shows it: `Source: events`, `Sink: out`, or the dataflow name. */
  readonly operatorName: string;
  readonly node: DataflowNode;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly chainingStrategy: ChainingStrategy;
  readonly slotSharingGroup: string;
  readonly inEdges: StreamEdge[];
  readonly outEdges: StreamEdge[];
}

export interface StreamGraph {
  readonly jobName: string;
  readonly chainingEnabled: boolean;
  /** By dataflow node id (topological order). */
  readonly nodes: readonly StreamNode[];
  readonly sourceId: number;
}

/** The hints the flink engine reads from a dataflow node (`hints.flink`). */
export interface FlinkHints {
  /** `disableChaining()`: the operator is chained to nothing, before or after. */
  disableChaining?: boolean;
  /** `startNewChain()`: the operator starts a chain (it is not chained to its input). */
  startNewChain?: boolean;
  /** `slotSharingGroup(name)`: operators of different groups never share a slot. */
  slotSharingGroup?: string;
}

/** The validated flink hints of a node. */
export function flinkHints(node: DataflowNode): FlinkHints {
  const raw = node.hints.flink;
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object') throw new Error(`operator ${node.name}: hints.flink must be an object`);
  const h = raw as Record<string, unknown>;
  for (const k of Object.keys(h)) {
    if (!['disableChaining', 'startNewChain', 'slotSharingGroup'].includes(k)) {
      throw new Error(`operator ${node.name}: unknown flink hint '${k}' (known: disableChaining, startNewChain, slotSharingGroup)`);
    }
  }
  for (const k of ['disableChaining', 'startNewChain'] as const) {
    if (h[k] !== undefined && typeof h[k] !== 'boolean') throw new Error(`operator ${node.name}: flink hint ${k} must be true or false`);
  }
  if (h.slotSharingGroup !== undefined && (typeof h.slotSharingGroup !== 'string' || h.slotSharingGroup === '')) {
    throw new Error(`operator ${node.name}: flink hint slotSharingGroup must be a non-empty string`);
  }
  return h as FlinkHints;
}

function operatorName(node: DataflowNode): string {
  if (node.kind === 'source') return `Source: ${node.name}`;
  if (node.kind === 'sink') return `Sink: ${node.name}`;
  return node.name;
}

function chainingStrategyOf(node: DataflowNode, hints: FlinkHints): ChainingStrategy {
  if (hints.disableChaining) return 'NEVER';
  if (hints.startNewChain) return 'HEAD';
  // Sources are chain heads (StreamSource / SourceOperatorFactory); every other operator chains by default.
  return node.kind === 'source' ? 'HEAD' : 'ALWAYS';
}

/** Builds the StreamGraph of a dataflow for a run of default parallelism `config.parallelism`. */
export function buildStreamGraph(flow: Dataflow, config: Pick<FlinkConfig, 'parallelism' | 'chaining' | 'maxParallelism'>): StreamGraph {
  const nodes: StreamNode[] = [];
  for (const node of flow.nodes) {
    const hints = flinkHints(node);
    const parallelism = node.parallelism ?? config.parallelism;
    const maxParallelism = config.maxParallelism ?? computeDefaultMaxParallelism(parallelism);
    if (maxParallelism < parallelism) {
      throw new Error(
        `flink: the maximum parallelism (${maxParallelism}) of operator ${node.name} is smaller than its parallelism (${parallelism}); increase flink.maxParallelism or decrease the parallelism`,
      );
    }
    // StreamGraphGenerator.determineSlotSharingGroup: the named group, else the inputs' group if they all agree, else default.
    let group = hints.slotSharingGroup;
    if (group === undefined) {
      const inputGroups = new Set(node.inputs.map((i) => nodes[i].slotSharingGroup));
      group = inputGroups.size === 1 ? [...inputGroups][0] : DEFAULT_SLOT_SHARING_GROUP;
    }
    nodes.push({
      id: node.id,
      operatorName: operatorName(node),
      node,
      parallelism,
      maxParallelism,
      chainingStrategy: chainingStrategyOf(node, hints),
      slotSharingGroup: group,
      inEdges: [],
      outEdges: [],
    });
  }
  for (const target of nodes) {
    target.node.inputs.forEach((sourceId, typeNumber) => {
      const source = nodes[sourceId];
      let partitioner: StreamPartitioner;
      if (isKeyed(target.node)) {
        partitioner = { kind: 'hash', key: keySelectorOf(target.node, typeNumber), maxParallelism: target.maxParallelism };
      } else if (source.parallelism === target.parallelism) {
        partitioner = { kind: 'forward' };
      } else {
        partitioner = { kind: 'rebalance' };
      }
      const edge: StreamEdge = { id: `${sourceId}->${target.id}#${typeNumber}`, sourceId, targetId: target.id, typeNumber, partitioner };
      source.outEdges.push(edge);
      target.inEdges.push(edge);
    });
  }
  return { jobName: flow.name, chainingEnabled: config.chaining, nodes, sourceId: flow.source.id };
}

/** `forward`, `rebalance` or `hash` (Flink's partitioner names in plans). */
export function partitionerName(p: StreamPartitioner): string {
  return p.kind === 'hash' ? 'HASH' : p.kind.toUpperCase();
}

/** One line about an operator, for plans. */
export function describeStreamNode(n: StreamNode): string {
  return `${n.operatorName} (${describeNode(n.node)})`;
}
