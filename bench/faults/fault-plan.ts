/**
 * A run's fault plan, checked against the engine and the workload before anything starts: a kind the
 * engine does not have, an operator the dataflow does not have, or a daemon index the job does not run is
 * the user's error (exit 2), each naming what there is.
 */
import type { Dataflow, DataflowNode, Deployment, Engine, FaultKindInfo, OptionValues } from '../../engines/api/index.js';
import { UsageError } from '../errors.js';
import type { FaultSpec } from './fault-spec.js';

/** Dataflow nodes with a user function that `kill-task` can make throw. */
export const USER_FUNCTION_KINDS = ['map', 'flatMap', 'filter', 'timestamps', 'join', 'windowJoin'] as const;

export function hasUserFunction(node: DataflowNode): boolean {
  return (USER_FUNCTION_KINDS as readonly string[]).includes(node.kind);
}

/** The kinds an engine takes with these values in this deployment ([] when it takes none there). */
export function faultKindsOf(engine: Engine, values: OptionValues, deployment: Deployment = 'local'): readonly FaultKindInfo[] {
  const faults = engine.faults;
  if (faults === undefined || !(faults.deployments ?? ['local']).includes(deployment)) return [];
  return faults.kinds(values, deployment);
}

/** "engine flink" or "engine spark in the standalone deployment": whose kinds a message lists. */
export function faultOwner(engine: string, deployment: Deployment): string {
  return deployment === 'local' ? `engine ${engine}` : `engine ${engine} in the ${deployment} deployment`;
}

/** Throws a UsageError for a fault this engine or this dataflow cannot be given. */
export function checkFaultPlan(
  faults: readonly FaultSpec[],
  engine: Engine,
  values: OptionValues,
  flow: Dataflow,
  deployment: Deployment = 'local',
): void {
  const kinds = faultKindsOf(engine, values, deployment);
  for (const f of faults) {
    const info = kinds.find((k) => k.kind === f.kind);
    if (info === undefined) {
      throw new UsageError(`--fault ${f.kind}: ${faultOwner(engine.name, deployment)} has no such fault; ${describeKinds(kinds)}`);
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

/** "it has kill-taskmanager (…), stall (…)" or "it takes no faults". */
export function describeKinds(kinds: readonly FaultKindInfo[]): string {
  return kinds.length === 0 ? 'it takes no faults' : `it has ${kinds.map((k) => `${k.kind} (${k.target})`).join(', ')}`;
}
