/**
 * A run's fault plan, checked against the engine and the workload before anything starts: a kind the
 * engine does not have, an operator the dataflow does not have, or a daemon index the job does not run is
 * the user's error (exit 2), each naming what there is.
 */
import type { Dataflow, DataflowNode, Engine, FaultKindInfo, OptionValues } from '../../engines/api/index.js';
import { UsageError } from '../errors.js';
import type { FaultSpec } from './fault-spec.js';

/** Dataflow nodes with a user function that `kill-task` can make throw. */
export const USER_FUNCTION_KINDS = ['map', 'flatMap', 'filter', 'timestamps', 'join', 'windowJoin'] as const;

export function hasUserFunction(node: DataflowNode): boolean {
  return (USER_FUNCTION_KINDS as readonly string[]).includes(node.kind);
}

/** The kinds an engine takes with these values ([] when it takes none). */
export function faultKindsOf(engine: Engine, values: OptionValues): readonly FaultKindInfo[] {
  return engine.faults?.kinds(values) ?? [];
}

/** Throws a UsageError for a fault this engine or this dataflow cannot be given. */
export function checkFaultPlan(faults: readonly FaultSpec[], engine: Engine, values: OptionValues, flow: Dataflow): void {
  const kinds = faultKindsOf(engine, values);
  for (const f of faults) {
    const info = kinds.find((k) => k.kind === f.kind);
    if (info === undefined) {
      const has = kinds.length === 0 ? 'it takes no faults' : `it has ${kinds.map((k) => `${k.kind} (${k.target})`).join(', ')}`;
      throw new UsageError(`--fault ${f.kind}: engine ${engine.name} has no such fault; ${has}`);
    }
    if (f.kind === 'kill-task') {
      const node = flow.nodes.find((n) => n.name === f.target);
      const names = flow.nodes.filter(hasUserFunction).map((n) => n.name);
      if (node === undefined || !hasUserFunction(node))
        throw new UsageError(
          `--fault kill-task:${f.target}: workload ${flow.name} has no operator '${f.target}' with a user function; it has ${names.join(', ')}`,
        );
    }
  }
}
