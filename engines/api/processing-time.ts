/**
 * Processing-time windows are optional for engines: an engine that does not run them rejects a dataflow
 * that has one, as a usage error (one line, exit 2), before it builds anything.
 */
import type { Dataflow, ProcessingTimeWindowNode } from './dataflow.js';
import { OptionError } from './options.js';

/** The dataflow's processing-time window operators, in topological order. */
export function processingTimeWindows(flow: Dataflow): ProcessingTimeWindowNode[] {
  return flow.nodes.filter((n): n is ProcessingTimeWindowNode => n.kind === 'processingTimeWindow');
}

/** Throws an OptionError naming the first processing-time window of `flow`, if it has one. */
export function rejectProcessingTimeWindows(flow: Dataflow, engine: string): void {
  const [first] = processingTimeWindows(flow);
  if (first === undefined) return;
  throw new OptionError(
    `the ${engine} engine runs event-time windows only: operator '${first.name}' of ${flow.name} asks for processing-time windows (run it on spark or reference)`,
  );
}
