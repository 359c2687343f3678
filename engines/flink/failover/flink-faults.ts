/** The faults a `flink` run can be given, and the guarantee its options promise. */
import type { Deployment, FaultKindInfo, OptionValues, PromisedGuarantee } from '../../api/index.js';
import { flinkConfig } from '../options.js';

const LOCAL_KINDS: readonly FaultKindInfo[] = [
  { kind: 'kill-taskmanager', target: 'a TaskManager index (0-based) or random' },
  { kind: 'kill-task', target: "an operator's name (its user function throws once)" },
  { kind: 'stall', target: 'a TaskManager index or a task name, and a duration' },
];

/**
 * Standalone: the TaskManager is a process, killed by SIGKILL or paused by SIGSTOP/SIGCONT (a real
 * stop-the-world pause the JobManager can only notice by missed heartbeats). A user function cannot be
 * made to throw there: the slots rebuild the job from its recipe, without the fault's wrapper.
 */
const STANDALONE_KINDS: readonly FaultKindInfo[] = [
  { kind: 'kill-taskmanager', target: 'a TaskManager index (0-based) or random; SIGKILL of its process' },
  { kind: 'stall', target: 'a TaskManager index and a duration; SIGSTOP of its process, SIGCONT after the duration' },
];

export const flinkFaults = {
  deployments: ['local', 'standalone'] as const,

  kinds(_values: OptionValues, deployment: Deployment = 'local'): readonly FaultKindInfo[] {
    return deployment === 'standalone' ? STANDALONE_KINDS : LOCAL_KINDS;
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
