/** `--fault` on run, sweep and verify: the help text, and the kinds checked per engine and deployment before anything runs. */
import type { Deployment, OptionValue } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { describeKinds, faultKindsOf, faultOwner, type FaultSpec } from '../faults/index.js';
import { UsageError } from '../errors.js';
import { effectiveOptions } from '../runner/options.js';

export const FAULT_FLAG_HELP =
  'inject a fault, repeatable: kill-taskmanager|kill-worker|kill-executor[:<index>|random]@<time>, kill-task:<operator>@<time>, stall:<target>:<duration>@<time> (time from the load start)';

/**
 * A kind some chosen engine does not have in this deployment is a usage error naming the kinds it has
 * there. (A standalone daemon dies by a real SIGKILL; an engine lists the faults it recovers from that way.)
 */
export function checkFaultKinds(
  faults: readonly FaultSpec[],
  engineNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
  deployment: Deployment = 'local',
): void {
  for (const name of engineNames) {
    const engine = engines[name];
    const kinds = faultKindsOf(engine, effectiveOptions(engine.name, engine.options, options), deployment);
    for (const f of faults) {
      if (kinds.some((k) => k.kind === f.kind)) continue;
      throw new UsageError(`--fault ${f.kind}: ${faultOwner(name, deployment)} has no such fault; ${describeKinds(kinds)}`);
    }
  }
}

/** The engines among `engineNames` that have every kind of `faults` in this deployment. */
export function enginesWithFaults(
  faults: readonly FaultSpec[],
  engineNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
  deployment: Deployment = 'local',
): string[] {
  return engineNames.filter((name) => {
    const engine = engines[name];
    const kinds = faultKindsOf(engine, effectiveOptions(engine.name, engine.options, options), deployment);
    return faults.every((f) => kinds.some((k) => k.kind === f.kind));
  });
}
