/**
 * Builds the network of a deployed job (Flink's `NettyShuffleEnvironment` creating result partitions and
 * input gates for each task): for every JobEdge, a result partition per producer subtask and an input gate
 * per consumer subtask, each subpartition connected to its input channel, which announces its initial
 * credit. A channel is remote when producer and consumer run in different TaskManagers.
 */
import type { FlinkConfig } from '../options.js';
import type { JobEdge } from '../client/job-graph.js';
import { channelCount, subpartitionCount, type ExecutionGraph } from '../jobmanager/execution-graph.js';
import type { SlotAssignment } from '../jobmanager/slot-pool.js';
import { SingleInputGate } from './input-gate.js';
import type { BufferStats } from './network-buffer.js';
import { channelSelectorFor, RecordWriter } from './record-writer.js';
import { OutputAvailability, ResultPartition } from './result-partition.js';

/** The network endpoints of one subtask. */
export interface TaskNetwork {
  /** Output partitions and writers by JobEdge id. */
  readonly partitions: Map<number, ResultPartition>;
  readonly writers: Map<number, RecordWriter>;
  /** Input gates in the order of the vertex's inputs (left before right). */
  readonly gates: SingleInputGate[];
  readonly gatesByEdge: Map<number, SingleInputGate>;
  readonly availability: OutputAvailability;
}

/** Per vertex id, per subtask index. */
export type JobNetwork = TaskNetwork[][];

/**
 * Gives a producer subtask its result partition and record writer for `edge` (both deployments build their
 * partitions here).
 */
export function addResultPartition(
  net: TaskNetwork,
  edge: JobEdge,
  name: string,
  subpartitions: number,
  subtaskIndex: number,
  config: FlinkConfig,
  stats: BufferStats,
): void {
  const partition = new ResultPartition(
    name,
    subpartitions,
    {
      bufferSize: config.bufferSize,
      // Flink's bounds for a pipelined partition: at least one buffer per subpartition plus one.
      poolSize: Math.max(subpartitions + 1, subpartitions * config.buffersPerChannel + config.floatingBuffersPerGate),
      maxBuffersPerChannel: config.maxBuffersPerChannel,
      flushAlways: config.bufferTimeout === 0,
    },
    stats,
    net.availability,
  );
  net.partitions.set(edge.id, partition);
  net.writers.set(edge.id, new RecordWriter(partition, channelSelectorFor(edge.streamEdge.partitioner, subpartitions, subtaskIndex)));
}

export function createShuffle(graph: ExecutionGraph, slots: SlotAssignment, config: FlinkConfig, stats: BufferStats): JobNetwork {
  const jobGraph = graph.jobGraph;
  const network: JobNetwork = graph.vertices.map((ev) =>
    ev.subtasks.map(() => ({
      partitions: new Map(),
      writers: new Map(),
      gates: [],
      gatesByEdge: new Map(),
      availability: new OutputAvailability(),
    })),
  );
  const taskManagerOf = (vertex: number, subtask: number) => slots.slots[slots.slotOf[vertex][subtask]].taskManager;
  // Result partitions, per producer subtask and output edge.
  for (const edge of jobGraph.edges) {
    const subs = subpartitionCount(edge, jobGraph);
    const consumerName = jobGraph.vertices[edge.targetVertex].name;
    for (const ev of graph.vertices[edge.sourceVertex].subtasks) {
      const net = network[edge.sourceVertex][ev.subtaskIndex];
      addResultPartition(net, edge, `${ev.taskName} -> ${consumerName}`, subs, ev.subtaskIndex, config, stats);
    }
  }
  // Input gates, per consumer subtask, in the head's input order.
  for (const ev of graph.vertices) {
    for (const sub of ev.subtasks) {
      const net = network[ev.jobVertex.id][sub.subtaskIndex];
      for (const edge of ev.jobVertex.inputs) {
        const gate = new SingleInputGate(
          `${sub.taskName} input ${edge.streamEdge.typeNumber}`,
          edge.streamEdge.typeNumber,
          config.floatingBuffersPerGate,
        );
        const channels = channelCount(edge, jobGraph);
        for (let c = 0; c < channels; c++) {
          const producerSubtask = edge.distribution === 'POINTWISE' ? sub.subtaskIndex : c;
          const remote = taskManagerOf(edge.sourceVertex, producerSubtask) !== taskManagerOf(ev.jobVertex.id, sub.subtaskIndex);
          gate.addChannel(config.buffersPerChannel, remote, stats);
        }
        net.gates.push(gate);
        net.gatesByEdge.set(edge.id, gate);
      }
    }
  }
  // Subpartition <-> channel; each channel announces its exclusive buffers as initial credit.
  for (const edge of jobGraph.edges) {
    for (const conn of graph.connections[edge.id]) {
      const partition = network[edge.sourceVertex][conn.producerSubtask].partitions.get(edge.id) as ResultPartition;
      const gate = network[edge.targetVertex][conn.consumerSubtask].gatesByEdge.get(edge.id) as SingleInputGate;
      gate.channels[conn.channel].connect(partition, conn.subpartition);
    }
  }
  return network;
}
