/**
 * Where one task's output goes: for each of its streams, the subscriptions to it (with a grouping
 * instantiated for this task), and the flat list of every downstream (task, input) pair that watermarks
 * and end-of-stream markers are broadcast to.
 */
import type { Grouper } from '../grouping/grouper.js';
import { DEFAULT_STREAM } from '../topology/topology.js';

/** One subscription to this task's stream. */
export interface OutEdge {
  readonly consumer: string;
  /** The subscription's index at the consumer: the tuple's input side there. */
  readonly inputIndex: number;
  readonly grouper: Grouper;
  /** Every task of the consumer (a grouper may choose among fewer: local-or-shuffle). */
  readonly targets: readonly number[];
  readonly direct: boolean;
}

export class TaskRouter {
  readonly defaultEdges: readonly OutEdge[];
  /** Every downstream (task, input index) pair, over all streams. */
  readonly broadcast: readonly { readonly task: number; readonly input: number }[];

  constructor(readonly byStream: ReadonlyMap<string, readonly OutEdge[]>) {
    this.defaultEdges = byStream.get(DEFAULT_STREAM) ?? [];
    const all: { task: number; input: number }[] = [];
    for (const edges of byStream.values()) {
      for (const e of edges) for (const task of e.targets) all.push({ task, input: e.inputIndex });
    }
    this.broadcast = all;
  }

  edges(stream: string | undefined): readonly OutEdge[] {
    if (stream === undefined || stream === DEFAULT_STREAM) return this.defaultEdges;
    const e = this.byStream.get(stream);
    if (e === undefined) throw new Error(`stream '${stream}' was not declared`);
    return e;
  }
}
