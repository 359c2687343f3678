/**
 * A task's mailbox, as in Flink's StreamTask mailbox model (`MailboxProcessor`): timers firing,
 * checkpoint triggers and control messages are queued as actions and run by the task itself, in its own
 * turn and before its default action (processing input). Everything that touches operator state is thereby
 * serialized with record processing, with no locks, which is what Flink gets from one mailbox thread.
 *
 * Typical task body:
 * ```ts
 * run(budget) {
 *   this.mailbox.runAll();              // mail first
 *   ...process up to budget records...  // then the default action
 * }
 * ```
 */
import { RingQueue } from './ring-queue.js';

export class Mailbox {
  private readonly actions = new RingQueue<() => void>();
  private wake: (() => void) | undefined;

  /** @param wake the owning task's wake function; or call {@link bind} once the task is spawned. */
  constructor(wake?: () => void) {
    this.wake = wake;
  }

  /** Sets the owning task's wake function; wakes it at once if mail arrived before the task existed. */
  bind(wake: () => void): void {
    this.wake = wake;
    if (this.actions.size > 0) wake();
  }

  /** Queues `action` and wakes the owning task (a no-op if it is runnable or running). */
  put(action: () => void): void {
    this.actions.push(action);
    this.wake?.();
  }

  /**
   * Runs queued actions in FIFO order, including ones queued while running, up to `max` (default: all);
   * returns how many ran. An action that throws propagates (failing the task); the rest stay queued.
   */
  runAll(max = Infinity): number {
    const actions = this.actions;
    let n = 0;
    while (n < max && actions.size > 0) {
      const action = actions.shift() as () => void;
      n++;
      action();
    }
    return n;
  }

  /** Number of queued actions. */
  get size(): number {
    return this.actions.size;
  }

  get isEmpty(): boolean {
    return this.actions.size === 0;
  }
}
