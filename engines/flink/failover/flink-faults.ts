/** The faults a `flink` run can be given, and the guarantee its options promise. */
import type { FaultKindInfo, OptionValues, PromisedGuarantee } from '../../api/index.js';
import { flinkConfig } from '../options.js';

const KINDS: readonly FaultKindInfo[] = [
  { kind: 'kill-taskmanager', target: 'a TaskManager index (0-based) or random' },
  { kind: 'kill-task', target: "an operator's name (its user function throws once)" },
  { kind: 'stall', target: 'a TaskManager index or a task name, and a duration' },
];

export const flinkFaults = {
  kinds(): readonly FaultKindInfo[] {
    return KINDS;
  },

  promised(values: OptionValues): PromisedGuarantee {
    const c = flinkConfig({ parallelism: 1, values });
    if (c.checkpointInterval === null)
      return { guarantee: 'at-most-once', because: 'no checkpointing: a restart loses the state and the records in flight' };
    const every = `checkpoints every ${c.checkpointInterval} ms`;
    if (c.checkpointMode === 'at_least_once')
      return {
        guarantee: 'at-least-once',
        because: `unaligned (at_least_once) ${every}: records past a barrier reach the snapshot and are replayed`,
      };
    if (c.recovery.sinkCommit === 'two-phase-commit')
      return { guarantee: 'exactly-once', because: `aligned ${every}, two-phase-commit sink` };
    return { guarantee: 'at-least-once', because: `aligned ${every} (state exactly-once), plain sink: replayed output is written again` };
  },
};
