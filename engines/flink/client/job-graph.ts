/**
 * StreamGraph -> JobGraph by operator chaining, as Flink's `StreamingJobGraphGenerator`: chains are built
 * from the sources outwards (`createChain`); every chainable out-edge continues the current chain, every
 * other one ends in a new chain. A chain becomes one {@link JobVertex}, run as one task per parallel
 * subtask; a {@link JobEdge} exists only for the non-chained edges, which cross the network stack.
 */
import { partitionerName, type ChainingStrategy, type StreamEdge, type StreamGraph, type StreamNode } from './stream-graph.js';

/** How producer and consumer subtasks of an edge are connected. */
export type DistributionPattern = 'POINTWISE' | 'ALL_TO_ALL';

export interface JobEdge {
  /** Index in `JobGraph.edges`. */
  readonly id: number;
  readonly sourceVertex: number;
  readonly targetVertex: number;
  /** The stream edge it carries (from an operator of the source chain to the target chain's head). */
  readonly streamEdge: StreamEdge;
  /** POINTWISE for forward (subtask i to subtask i), ALL_TO_ALL otherwise. */
  readonly distribution: DistributionPattern;
  /** Always PIPELINED_BOUNDED: the streaming exchange mode. */
  readonly resultPartitionType: 'PIPELINED_BOUNDED';
}

export interface JobVertex {
  /** Index in `JobGraph.vertices`, in topological order of chain heads. */
  readonly id: number;
  /** Flink's chained name: `Source: events -> timestamps -> split`, branches as `a -> (b, c)`. */
  readonly name: string;
  readonly headId: number;
  /** The chained operators' stream node ids, head first, depth first. */
  readonly operatorIds: readonly number[];
  /** Chained (direct call) edges inside the vertex. */
  readonly chainedEdges: readonly StreamEdge[];
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly slotSharingGroup: string;
  /** Non-chained edges leaving any operator of the chain. */
  readonly outputs: JobEdge[];
  /** Non-chained edges into the head. */
  readonly inputs: JobEdge[];
}

export interface JobGraph {
  readonly jobName: string;
  readonly vertices: readonly JobVertex[];
  readonly edges: readonly JobEdge[];
  readonly streamGraph: StreamGraph;
  /** Stream node id -> the vertex it was chained into. */
  readonly vertexOf: readonly number[];
}

/** Whether an edge can be chained, and if not the first rule that forbids it. */
export interface ChainingVerdict {
  readonly chainable: boolean;
  /** Why not (empty when chainable). */
  readonly reason: string;
}

function verdict(reason: string): ChainingVerdict {
  return { chainable: reason === '', reason };
}

/**
 * The chaining-strategy rule of `areOperatorsChainable`: upstream NEVER never chains; downstream NEVER or
 * HEAD starts a chain; downstream HEAD_WITH_SOURCES chains only to a source; ALWAYS keeps the verdict.
 */
export function strategiesChainable(up: ChainingStrategy, down: ChainingStrategy, upIsSource: boolean): boolean {
  if (up === 'NEVER') return false;
  if (down === 'NEVER' || down === 'HEAD') return false;
  if (down === 'HEAD_WITH_SOURCES') return upIsSource;
  return true;
}

/**
 * `StreamingJobGraphGenerator.isChainable`: an edge up -> down chains iff the downstream operator has
 * exactly one input, chaining is enabled, both are in the same slot-sharing group, the partitioner is
 * forward, the chaining strategies allow it, and parallelism and max parallelism are equal.
 */
export function isChainable(edge: StreamEdge, graph: StreamGraph): ChainingVerdict {
  const up = graph.nodes[edge.sourceId];
  const down = graph.nodes[edge.targetId];
  if (down.inEdges.length !== 1) return verdict(`${down.operatorName} has ${down.inEdges.length} inputs`);
  if (!graph.chainingEnabled) return verdict('chaining is disabled');
  if (up.slotSharingGroup !== down.slotSharingGroup) {
    return verdict(`slot-sharing groups differ (${up.slotSharingGroup} / ${down.slotSharingGroup})`);
  }
  if (edge.partitioner.kind !== 'forward') return verdict(`the partitioner is ${partitionerName(edge.partitioner)}, not FORWARD`);
  if (!strategiesChainable(up.chainingStrategy, down.chainingStrategy, up.node.kind === 'source')) {
    return verdict(`chaining strategies ${up.chainingStrategy} -> ${down.chainingStrategy}`);
  }
  if (up.parallelism !== down.parallelism) return verdict(`parallelisms differ (${up.parallelism} / ${down.parallelism})`);
  if (up.maxParallelism !== down.maxParallelism) return verdict(`max parallelisms differ (${up.maxParallelism} / ${down.maxParallelism})`);
  return verdict('');
}

/** Builds the JobGraph: chains, then the job edges between them. */
export function buildJobGraph(graph: StreamGraph): JobGraph {
  interface Chain {
    headId: number;
    operatorIds: number[];
    chainedEdges: StreamEdge[];
    outEdges: StreamEdge[];
  }
  const chains = new Map<number, Chain>();
  const chainOf: number[] = new Array(graph.nodes.length).fill(-1);

  // createChain: depth first from each head; non-chainable targets become heads of their own chains.
  const pendingHeads: number[] = [graph.sourceId];
  while (pendingHeads.length > 0) {
    const headId = pendingHeads.shift() as number;
    if (chains.has(headId)) continue;
    const chain: Chain = { headId, operatorIds: [], chainedEdges: [], outEdges: [] };
    chains.set(headId, chain);
    const visit = (node: StreamNode): void => {
      chain.operatorIds.push(node.id);
      chainOf[node.id] = headId;
      for (const edge of node.outEdges) {
        if (isChainable(edge, graph).chainable) {
          chain.chainedEdges.push(edge);
          visit(graph.nodes[edge.targetId]);
        } else {
          chain.outEdges.push(edge);
          pendingHeads.push(edge.targetId);
        }
      }
    };
    visit(graph.nodes[headId]);
  }

  const heads = [...chains.keys()].sort((a, b) => a - b);
  const vertexIdOfHead = new Map(heads.map((h, i) => [h, i]));
  const chainedName = (id: number, chain: Chain): string => {
    const node = graph.nodes[id];
    const next = chain.chainedEdges.filter((e) => e.sourceId === id).map((e) => chainedName(e.targetId, chain));
    if (next.length === 0) return node.operatorName;
    if (next.length === 1) return `${node.operatorName} -> ${next[0]}`;
    return `${node.operatorName} -> (${next.join(', ')})`;
  };
  const vertices: JobVertex[] = heads.map((headId, id) => {
    const chain = chains.get(headId) as Chain;
    const head = graph.nodes[headId];
    return {
      id,
      name: chainedName(headId, chain),
      headId,
      operatorIds: chain.operatorIds,
      chainedEdges: chain.chainedEdges,
      parallelism: head.parallelism,
      maxParallelism: head.maxParallelism,
      slotSharingGroup: head.slotSharingGroup,
      outputs: [],
      inputs: [],
    };
  });
  const edges: JobEdge[] = [];
  for (const v of vertices) {
    for (const streamEdge of chains.get(v.headId)!.outEdges) {
      const target = vertices[vertexIdOfHead.get(streamEdge.targetId) as number];
      const edge: JobEdge = {
        id: edges.length,
        sourceVertex: v.id,
        targetVertex: target.id,
        streamEdge,
        distribution: streamEdge.partitioner.kind === 'forward' ? 'POINTWISE' : 'ALL_TO_ALL',
        resultPartitionType: 'PIPELINED_BOUNDED',
      };
      edges.push(edge);
      v.outputs.push(edge);
      target.inputs.push(edge);
    }
  }
  // Inputs in the head's input order (left before right).
  for (const v of vertices) v.inputs.sort((a, b) => a.streamEdge.typeNumber - b.streamEdge.typeNumber || a.id - b.id);
  return {
    jobName: graph.jobName,
    vertices,
    edges,
    streamGraph: graph,
    vertexOf: chainOf.map((h) => vertexIdOfHead.get(h) as number),
  };
}
