/**
 * `--fault <kind>[:<target>]@<time>`: one fault of a run's plan. Forms:
 * `kill-taskmanager@5s`, `kill-worker:1@5s`, `kill-executor:random@5s`, `kill-task:split@5s`,
 * `stall:0:2s@5s` (target, then how long). `<time>` counts from the start of the trial's load (warm-up
 * included); a daemon target is a 0-based index or `random` (drawn with the run's seed).
 */
import { FAULT_KINDS, parseDuration, type FaultKind } from '../../engines/api/index.js';
import { UsageError } from '../errors.js';

export interface FaultSpec {
  readonly kind: FaultKind;
  /** A daemon index, `random`, an operator name or a stall target; undefined: the default (index 0). */
  readonly target?: string;
  /** From the start of the trial's load (ms). */
  readonly atMs: number;
  /** `stall` only (ms). */
  readonly durationMs?: number;
}

const FORM = '<kind>[:<target>]@<time>, e.g. kill-taskmanager:0@5s, kill-task:split@5s, stall:0:2s@5s';

export function parseFaultSpec(text: string): FaultSpec {
  const at = text.lastIndexOf('@');
  if (at < 0) throw new UsageError(`--fault: '${text}' has no @<time> (${FORM})`);
  const head = text.slice(0, at);
  const when = text.slice(at + 1);
  const atMs = parseDuration(when.trim());
  if (atMs === undefined) throw new UsageError(`--fault: '${when}' in '${text}' is not a time (use e.g. 5s, 500ms)`);
  const [kindText, ...rest] = head.split(':');
  if (!(FAULT_KINDS as readonly string[]).includes(kindText))
    throw new UsageError(`--fault: '${kindText}' is not a fault kind (${FAULT_KINDS.join(', ')})`);
  const kind = kindText as FaultKind;
  if (kind === 'stall') {
    if (rest.length !== 2 || rest[0] === '')
      throw new UsageError(`--fault: a stall is stall:<task or daemon>:<duration>@<time>, got '${text}'`);
    const durationMs = parseDuration(rest[1].trim());
    if (durationMs === undefined || durationMs <= 0)
      throw new UsageError(`--fault: '${rest[1]}' in '${text}' is not a duration longer than 0`);
    return { kind, target: rest[0], atMs, durationMs };
  }
  if (rest.length > 1) throw new UsageError(`--fault: '${text}' has more than one target (${FORM})`);
  const target = rest[0];
  if (kind === 'kill-task' && (target === undefined || target === ''))
    throw new UsageError(`--fault: kill-task needs an operator name: kill-task:<operator>@<time>`);
  if (target !== undefined && kind !== 'kill-task' && target !== 'random' && !/^\d+$/.test(target))
    throw new UsageError(`--fault: the target of ${kind} is a 0-based index or random, got '${target}'`);
  return { kind, ...(target === undefined ? {} : { target }), atMs };
}

/** The spec as the user wrote it (for results and journals). */
export function formatFaultSpec(f: FaultSpec): string {
  const target = f.kind === 'stall' ? `:${f.target}:${f.durationMs}ms` : f.target === undefined ? '' : `:${f.target}`;
  return `${f.kind}${target}@${f.atMs}ms`;
}
