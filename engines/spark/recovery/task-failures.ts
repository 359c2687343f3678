/**
 * Task failures, as Spark's TaskSetManager handles them: a failed task attempt is reported to the driver,
 * which resubmits the task until it has failed `spark.taskMaxFailures` times (4, Spark's default on a
 * cluster; `local[N]` would not retry at all); then the job aborts, and with it the streaming context.
 * What a failed attempt wrote to its shuffle buffers is thrown away (only a finished map task registers
 * its output); what a failed result task already gave the sink stays written, as any Spark output action
 * is at-least-once unless the sink is idempotent or transactional.
 */
import type { FaultListener, OptionSpec, OptionValues } from '../../api/index.js';
import { injectedFaultOf } from '../../api/index.js';
import type { Task } from '../scheduler/task.js';

export const taskFailureOptions: readonly OptionSpec[] = [
  {
    key: 'taskMaxFailures',
    type: 'integer',
    default: 4,
    min: 1,
    description: 'spark.task.maxFailures: attempts of one task before the job aborts (a cluster default; local[N] does not retry)',
  },
];

export function taskMaxFailures(values: OptionValues): number {
  return Number(values.taskMaxFailures ?? 4);
}

export interface TaskFailureStats {
  /** Failed task attempts, retries submitted, and jobs aborted for too many failures. */
  failedAttempts: number;
  resubmitted: number;
  aborted: number;
}

export class TaskFailures {
  private readonly attempts = new Map<Task, number>();
  readonly stats: TaskFailureStats = { failedAttempts: 0, resubmitted: 0, aborted: 0 };
  listener: FaultListener | undefined;

  constructor(
    readonly maxFailures: number,
    private readonly now: () => number,
  ) {}

  /**
   * A task attempt failed with `err`: returns true when the task is to be resubmitted; throws the job's
   * abort error once it has failed `maxFailures` times.
   */
  failed(task: Task, err: unknown): true {
    const n = (this.attempts.get(task) ?? 0) + 1;
    this.attempts.set(task, n);
    this.stats.failedAttempts++;
    const fault = injectedFaultOf(err);
    const message = err instanceof Error ? err.message : String(err);
    const t = this.now();
    this.listener?.event({ fault, type: 'detected', timeMs: t, detail: `${task.label} failed (attempt ${n}): ${message}` });
    if (n >= this.maxFailures) {
      this.stats.aborted++;
      this.listener?.event({ fault, type: 'failed', timeMs: t, detail: `${task.label} failed ${n} times: job aborted` });
      throw new Error(`Job aborted due to stage failure: ${task.label} failed ${n} times, most recent failure: ${message}`, { cause: err });
    }
    this.stats.resubmitted++;
    this.listener?.event({ fault, type: 'restarted', timeMs: t, detail: `${task.label} resubmitted (attempt ${n + 1})` });
    return true;
  }
}
