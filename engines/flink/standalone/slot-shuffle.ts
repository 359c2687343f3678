/**
 * The network of one slot in the standalone deployment: what createShuffle (network/shuffle-environment.ts)
 * builds for a whole job, restricted to the subtasks of one slot, with every channel to another slot
 * going through the data channel. Channels between subtasks of the same slot stay direct calls (they
 * share a thread); channels to another slot of the same TaskManager carry buffers between threads;
 * channels to another TaskManager go over TCP and copy their buffers on arrival.
 */
import { DATA_BACKLOG, DATA_BUFFER, DATA_CREDIT, DATA_EVENT, type DataLink, type DataMessage } from '../../runtime/cluster/index.js';
import { channelCount, subpartitionCount } from '../jobmanager/execution-graph.js';
import type { JobPlan } from '../jobmanager/job-plan.js';
import { SingleInputGate, type InputChannel } from '../network/input-gate.js';
import { NetworkBuffer, type BufferStats } from '../network/network-buffer.js';
import { OutputAvailability, ResultPartition } from '../network/result-partition.js';
import { addResultPartition, type TaskNetwork } from '../network/shuffle-environment.js';
import { channelIds, RemoteConsumer, RemoteCreditTarget } from './remote-channels.js';

export interface SlotNetwork {
  /** Per vertex id, the network of the vertex's subtask in this slot (absent: the vertex has none here). */
  readonly tasks: Map<number, TaskNetwork>;
  /** Delivers a data message addressed to this slot. */
  receive(message: DataMessage): void;
  /** Logical channels of this slot that cross to another slot. */
  readonly remoteChannels: number;
}

export function createSlotShuffle(plan: JobPlan, mySlot: number, stats: BufferStats, link: DataLink): SlotNetwork {
  const { executionGraph: graph, slots, config } = plan;
  const jobGraph = graph.jobGraph;
  const slotOf = (vertex: number, subtask: number) => slots.slotOf[vertex][subtask];
  const tmOfSlot = (slot: number) => slots.slots[slot].taskManager;
  const tasks = new Map<number, TaskNetwork>();
  for (const ev of graph.vertices) {
    const here = ev.subtasks.find((s) => slotOf(ev.jobVertex.id, s.subtaskIndex) === mySlot);
    if (here !== undefined)
      tasks.set(ev.jobVertex.id, {
        partitions: new Map(),
        writers: new Map(),
        gates: [],
        gatesByEdge: new Map(),
        availability: new OutputAvailability(),
      });
  }
  const subtaskHere = (vertex: number) => graph.vertices[vertex].subtasks.find((s) => slotOf(vertex, s.subtaskIndex) === mySlot);

  for (const edge of jobGraph.edges) {
    const ev = subtaskHere(edge.sourceVertex);
    if (ev === undefined) continue;
    const subs = subpartitionCount(edge, jobGraph);
    const net = tasks.get(edge.sourceVertex) as TaskNetwork;
    addResultPartition(net, edge, `${ev.taskName} -> ${jobGraph.vertices[edge.targetVertex].name}`, subs, ev.subtaskIndex, config, stats);
  }
  for (const [vertex, net] of tasks) {
    const sub = subtaskHere(vertex);
    if (sub === undefined) continue;
    for (const edge of graph.vertices[vertex].jobVertex.inputs) {
      const gate = new SingleInputGate(
        `${sub.taskName} input ${edge.streamEdge.typeNumber}`,
        edge.streamEdge.typeNumber,
        config.floatingBuffersPerGate,
      );
      for (let c = 0; c < channelCount(edge, jobGraph); c++) {
        const producer = edge.distribution === 'POINTWISE' ? sub.subtaskIndex : c;
        gate.addChannel(config.buffersPerChannel, tmOfSlot(slotOf(edge.sourceVertex, producer)) !== tmOfSlot(mySlot), stats);
      }
      net.gates.push(gate);
      net.gatesByEdge.set(edge.id, gate);
    }
  }

  const ids = channelIds(graph);
  const inbound = new Map<number, InputChannel>();
  const credits = new Map<number, { partition: ResultPartition; subpartition: number }>();
  for (const edge of jobGraph.edges) {
    graph.connections[edge.id].forEach((conn, i) => {
      const channel = ids[edge.id][i];
      const producerSlot = slotOf(edge.sourceVertex, conn.producerSubtask);
      const consumerSlot = slotOf(edge.targetVertex, conn.consumerSubtask);
      if (producerSlot !== mySlot && consumerSlot !== mySlot) return;
      if (producerSlot === mySlot) {
        const partition = (tasks.get(edge.sourceVertex) as TaskNetwork).partitions.get(edge.id) as ResultPartition;
        if (consumerSlot !== mySlot) {
          partition.subpartitions[conn.subpartition].consumer = new RemoteConsumer(link, consumerSlot, channel);
          credits.set(channel, { partition, subpartition: conn.subpartition });
          return;
        }
        const gate = (tasks.get(edge.targetVertex) as TaskNetwork).gatesByEdge.get(edge.id) as SingleInputGate;
        gate.channels[conn.channel].connect(partition, conn.subpartition);
        return;
      }
      const gate = (tasks.get(edge.targetVertex) as TaskNetwork).gatesByEdge.get(edge.id) as SingleInputGate;
      const input = gate.channels[conn.channel];
      inbound.set(channel, input);
      input.connectTo(new RemoteCreditTarget(link, producerSlot, channel), conn.subpartition);
    });
  }

  return {
    tasks,
    remoteChannels: inbound.size + credits.size,
    receive(m) {
      switch (m.kind) {
        case DATA_BUFFER:
        case DATA_EVENT: {
          const input = inbound.get(m.channel);
          if (input === undefined) throw new Error(`slot ${mySlot + 1}: data for unknown channel ${m.channel}`);
          input.onBuffer(new NetworkBuffer(m.bytes as Uint8Array, m.kind === DATA_BUFFER, m.a), m.b);
          return;
        }
        case DATA_BACKLOG:
          inbound.get(m.channel)?.onSenderBacklog(m.b);
          return;
        case DATA_CREDIT: {
          const target = credits.get(m.channel);
          if (target === undefined) throw new Error(`slot ${mySlot + 1}: credit for unknown channel ${m.channel}`);
          target.partition.addCredit(target.subpartition, m.a);
          return;
        }
      }
    },
  };
}
