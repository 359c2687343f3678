/**
 * Flink's `OperatorChain`: the operators of one JobVertex, instantiated for one subtask and wired so that
 * each hands its records to the next by a direct call (through a {@link CopyingChainingOutput} that
 * copies each record unless object reuse is on), fanning out through a
 * {@link BroadcastingOutput} where an operator has several consumers, and into a {@link RecordWriterOutput}
 * for every edge that leaves the chain through the network.
 */
import { MIN_WATERMARK } from '../../api/index.js';
import type { JobGraph, JobVertex } from '../client/job-graph.js';
import type { RecordWriter } from '../network/record-writer.js';
import {
  BroadcastingOutput,
  CopyingChainingOutput,
  createOperator,
  NO_OUTPUT,
  type Output,
  type StreamOperator,
} from '../operators/index.js';

/** The network end of a chain: serializes into a result partition. */
export class RecordWriterOutput implements Output {
  /** Records written. */
  records = 0;
  /** The last watermark sent downstream (ms event time); MIN_WATERMARK before the first. */
  lastWatermark = MIN_WATERMARK;

  constructor(readonly writer: RecordWriter) {}

  collect(value: unknown, eventTime: number, emitTime: number, ingestTime: number): void {
    this.records++;
    this.writer.emit(value, eventTime, emitTime, ingestTime);
  }

  emitWatermark(watermark: number): void {
    this.lastWatermark = watermark;
    this.writer.broadcastWatermark(watermark);
  }
}

export class OperatorChain {
  /** Every operator, head first (depth first). */
  readonly operators: StreamOperator[];
  readonly head: StreamOperator;
  readonly recordWriterOutputs: RecordWriterOutput[] = [];
  /** The copying edges inside the chain (none with object reuse). */
  readonly copyingOutputs: CopyingChainingOutput[] = [];

  /**
   * @param writers the record writer of each output JobEdge of the vertex, by JobEdge id
   * @param objectReuse pass records between chained operators by reference instead of copying them
   * @param sinkCommit how sinks write: as records arrive, or in transactions committed with checkpoints
   */
  constructor(
    readonly vertex: JobVertex,
    graph: JobGraph,
    writers: ReadonlyMap<number, RecordWriter>,
    objectReuse = false,
    sinkCommit: 'plain' | 'two-phase-commit' = 'plain',
  ) {
    const byId = new Map<number, StreamOperator>();
    for (const id of vertex.operatorIds) byId.set(id, createOperator(graph.streamGraph.nodes[id], sinkCommit));
    const networkOut = new Map<number, RecordWriterOutput>();
    for (const edge of vertex.outputs) {
      const writer = writers.get(edge.id);
      if (writer === undefined) throw new Error(`${vertex.name}: no record writer for edge ${edge.streamEdge.id}`);
      const out = new RecordWriterOutput(writer);
      networkOut.set(edge.id, out);
      this.recordWriterOutputs.push(out);
    }
    for (const id of vertex.operatorIds) {
      const outputs: Output[] = [];
      for (const e of vertex.chainedEdges) {
        if (e.sourceId !== id) continue;
        const next = byId.get(e.targetId) as StreamOperator;
        if (objectReuse) outputs.push(next);
        else {
          const copying = new CopyingChainingOutput(next);
          this.copyingOutputs.push(copying);
          outputs.push(copying);
        }
      }
      for (const e of vertex.outputs) if (e.streamEdge.sourceId === id) outputs.push(networkOut.get(e.id) as RecordWriterOutput);
      const op = byId.get(id) as StreamOperator;
      op.output = outputs.length === 0 ? NO_OUTPUT : outputs.length === 1 ? outputs[0] : new BroadcastingOutput(outputs);
    }
    this.operators = vertex.operatorIds.map((id) => byId.get(id) as StreamOperator);
    this.head = this.operators[0];
  }

  /** The entry of the head's input `typeNumber`. */
  input(typeNumber: number): Output {
    return this.head.input(typeNumber);
  }

  /** Records copied between the chain's operators. */
  get recordsCopied(): number {
    let n = 0;
    for (const o of this.copyingOutputs) n += o.copies;
    return n;
  }

  /** Records written to the network by this chain. */
  get recordsOut(): number {
    let n = 0;
    for (const o of this.recordWriterOutputs) n += o.records;
    return n;
  }
}
