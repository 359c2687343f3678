/**
 * The life of a standalone run as the driver's process sees it, the same for every engine: the one promise
 * the harness waits on, the first failure (one line, with the engine's prefix), a daemon's unexpected exit
 * failing the run, and the engine's own shutdown run once, whichever way the run ends.
 */
import type { Daemon } from './daemon-launcher.js';

/** How long a failure a master reports waits for a daemon's exit, which explains it better (ms). */
export const EXIT_GRACE_MS = 300;

export class DriverRun {
  /** Settles when the run has ended and every process is stopped. */
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private firstFailure: Error | undefined;
  private endingNow = false;
  private stopping: Promise<void> | undefined;

  /**
   * @param engine the prefix of every message (`flink`, `storm`)
   * @param stopEverything stops the engine's daemons and servers; called once
   */
  constructor(
    private readonly engine: string,
    private readonly stopEverything: () => Promise<void>,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => {}); // a failure reaches the harness through done, never as an unhandled rejection
  }

  /** The run's first failure, if any. */
  get failure(): Error | undefined {
    return this.firstFailure;
  }

  /** True once the run is ending: daemons that exit now are being stopped, not failing. */
  get ending(): boolean {
    return this.endingNow;
  }

  /** `message` with the engine's prefix, once. */
  oneLine(message: string): string {
    const prefix = `${this.engine}: `;
    return message.startsWith(prefix) ? message : prefix + message;
  }

  /** Fails the run when `daemon` exits before the run is ending. */
  watch(daemon: Daemon): Daemon {
    void daemon.exited.then((exit) => {
      if (!this.endingNow) this.fail(daemon.describeExit(exit));
    });
    return daemon;
  }

  /** `promise`, or the run's failure if that comes first. */
  untilFailed<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.done.then(() => promise)]);
  }

  /** The first failure ends the run: everything stops, then `done` rejects with it. */
  fail(error: Error | string): void {
    if (this.firstFailure || this.endingNow) return;
    const err = new Error(this.oneLine(typeof error === 'string' ? error : error.message));
    this.firstFailure = err;
    void this.shutDown().then(() => this.settle.reject(err));
  }

  /** A failure a master reported: a daemon's exit that comes within {@link EXIT_GRACE_MS} says more, and wins. */
  failSoon(message: string): void {
    setTimeout(() => this.fail(message), EXIT_GRACE_MS);
  }

  /** The run ended as it should: everything stops, then `done` resolves. */
  async finish(): Promise<void> {
    await this.shutDown();
    this.settle.resolve();
  }

  /** Stops everything, once (later calls wait for the same stop). */
  shutDown(): Promise<void> {
    this.endingNow = true;
    this.stopping ??= this.stopEverything();
    return this.stopping;
  }
}
