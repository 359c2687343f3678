/** `--fault` on run, sweep and verify: the help text, and the kinds checked per engine before anything runs. */
import type { OptionValue } from '../../engines/api/index.js';
import { engines } from '../../engines/index.js';
import { faultKindsOf, type FaultSpec } from '../faults/index.js';
import { UsageError } from '../errors.js';
import { effectiveOptions } from '../runner/options.js';

export const FAULT_FLAG_HELP =
  'inject a fault, repeatable: kill-taskmanager|kill-worker|kill-executor[:<index>|random]@<time>, kill-task:<operator>@<time>, stall:<target>:<duration>@<time> (time from the load start)';

/** A kind some chosen engine does not have is a usage error naming the kinds it has. */
export function checkFaultKinds(
  faults: readonly FaultSpec[],
  engineNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
): void {
  for (const name of engineNames) {
    const engine = engines[name];
    const kinds = faultKindsOf(engine, effectiveOptions(engine.name, engine.options, options));
    for (const f of faults) {
      if (kinds.some((k) => k.kind === f.kind)) continue;
      const has = kinds.length === 0 ? 'it takes no faults' : `it has ${kinds.map((k) => `${k.kind} (${k.target})`).join(', ')}`;
      throw new UsageError(`--fault ${f.kind}: engine ${name} has no such fault; ${has}`);
    }
  }
}

/** The engines among `engineNames` that have every kind of `faults`. */
export function enginesWithFaults(
  faults: readonly FaultSpec[],
  engineNames: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
): string[] {
  return engineNames.filter((name) => {
    const engine = engines[name];
    const kinds = faultKindsOf(engine, effectiveOptions(engine.name, engine.options, options));
    return faults.every((f) => kinds.some((k) => k.kind === f.kind));
  });
}

/**
 * Faults are injected in the `local` deployment only, for now: killing a standalone daemon means a SIGKILL
 * of its process and a recovery across processes, which the standalone deployment does not do yet.
 */
export function checkFaultDeployment(faults: readonly FaultSpec[], deployment: string): void {
  if (faults.length > 0 && deployment !== 'local')
    throw new UsageError('--fault: faults are injected in the local deployment only (not yet with --deployment standalone)');
}
