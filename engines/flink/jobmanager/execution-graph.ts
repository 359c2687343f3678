/**
 * The ExecutionGraph, as the JobMaster builds it from the JobGraph: one {@link ExecutionJobVertex} per
 * JobVertex, one {@link ExecutionVertex} per parallel subtask, and for every JobEdge the subtask-to-subtask
 * connections of its intermediate result (POINTWISE: i to i; ALL_TO_ALL: every producer subtask has one
 * subpartition per consumer subtask).
 */
import type { JobEdge, JobGraph, JobVertex } from '../client/job-graph.js';
import { computeKeyGroupRangeForOperatorIndex, type KeyGroupRange } from '../state/key-groups.js';

export interface ExecutionVertex {
  readonly jobVertex: JobVertex;
  readonly subtaskIndex: number;
  /** Flink's `taskNameWithSubtask`: `name (i+1/p)`. */
  readonly taskName: string;
  /** Key groups this subtask owns (of the vertex's max parallelism). */
  readonly keyGroupRange: KeyGroupRange;
}

export interface ExecutionJobVertex {
  readonly jobVertex: JobVertex;
  readonly subtasks: readonly ExecutionVertex[];
}

/** One producer subpartition feeding one consumer input channel. */
export interface ExecutionEdge {
  readonly jobEdge: JobEdge;
  readonly producerSubtask: number;
  readonly subpartition: number;
  readonly consumerSubtask: number;
  readonly channel: number;
}

export interface ExecutionGraph {
  readonly jobGraph: JobGraph;
  readonly vertices: readonly ExecutionJobVertex[];
  /** Per JobEdge id, its subtask connections. */
  readonly connections: readonly (readonly ExecutionEdge[])[];
}

/** Number of subpartitions of each producer's result partition for `edge`. */
export function subpartitionCount(edge: JobEdge, graph: JobGraph): number {
  return edge.distribution === 'POINTWISE' ? 1 : graph.vertices[edge.targetVertex].parallelism;
}

/** Number of input channels of each consumer's input gate for `edge`. */
export function channelCount(edge: JobEdge, graph: JobGraph): number {
  return edge.distribution === 'POINTWISE' ? 1 : graph.vertices[edge.sourceVertex].parallelism;
}

export function buildExecutionGraph(jobGraph: JobGraph): ExecutionGraph {
  const vertices = jobGraph.vertices.map((jobVertex) => ({
    jobVertex,
    subtasks: Array.from({ length: jobVertex.parallelism }, (_, i) => ({
      jobVertex,
      subtaskIndex: i,
      taskName: `${jobVertex.name} (${i + 1}/${jobVertex.parallelism})`,
      keyGroupRange: computeKeyGroupRangeForOperatorIndex(jobVertex.maxParallelism, jobVertex.parallelism, i),
    })),
  }));
  const connections = jobGraph.edges.map((edge) => {
    const producers = jobGraph.vertices[edge.sourceVertex].parallelism;
    const consumers = jobGraph.vertices[edge.targetVertex].parallelism;
    const out: ExecutionEdge[] = [];
    if (edge.distribution === 'POINTWISE') {
      if (producers !== consumers) throw new Error(`forward edge ${edge.streamEdge.id} between parallelisms ${producers} and ${consumers}`);
      for (let i = 0; i < producers; i++) out.push({ jobEdge: edge, producerSubtask: i, subpartition: 0, consumerSubtask: i, channel: 0 });
    } else {
      for (let i = 0; i < producers; i++) {
        for (let j = 0; j < consumers; j++)
          out.push({ jobEdge: edge, producerSubtask: i, subpartition: j, consumerSubtask: j, channel: i });
      }
    }
    return out;
  });
  return { jobGraph, vertices, connections };
}
