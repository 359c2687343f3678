/** The faults a `spark` run can be given, and the guarantee its options promise. */
import type { FaultKindInfo, OptionValues, PromisedGuarantee } from '../../api/index.js';

const KINDS: readonly FaultKindInfo[] = [
  { kind: 'kill-task', target: "an operator's name (its user function throws once; the task is retried, spark.taskMaxFailures)" },
  { kind: 'stall', target: 'an executor index or a task name, and a duration' },
];

export const sparkFaults = {
  kinds(): readonly FaultKindInfo[] {
    return KINDS;
  },

  promised(values: OptionValues): PromisedGuarantee {
    if (values.source === 'receiver')
      return {
        guarantee: 'none',
        because: 'receiver without a write-ahead log: blocks an executor held are lost with it; a retried result task writes again',
      };
    return {
      guarantee: 'at-least-once',
      because: 'direct source re-reads its offset ranges; a retried result task writes again what its failed attempt wrote',
    };
  },
};
