/**
 * The DStreamGraph: every DStream of the application, its input streams and its output streams (one per
 * output operation). At each batch time it generates one job per output operation whose stream has an
 * RDD for that time: the job computes that RDD's lineage into the output.
 */
import type { RDD } from '../rdd/rdd.js';
import type { OutputFunction } from '../scheduler/task.js';
import type { DStream, ForEachDStream } from './dstream.js';
import type { InputDStream } from './input-dstream.js';

/** One output operation's work for one batch. */
export interface Job {
  readonly time: number;
  /** Index of the output operation in the graph. */
  readonly outputOpId: number;
  readonly name: string;
  readonly rdd: RDD;
  readonly output: OutputFunction;
  startTime: number;
  endTime: number;
}

export class DStreamGraph {
  readonly streams: DStream[] = [];
  readonly inputStreams: InputDStream[] = [];
  readonly outputStreams: ForEachDStream[] = [];
  private started = false;

  /** Adds a stream; returns its id. */
  register(stream: DStream): number {
    this.streams.push(stream);
    return this.streams.length - 1;
  }

  get size(): number {
    return this.streams.length;
  }

  addInputStream(stream: InputDStream): void {
    this.inputStreams.push(stream);
  }

  addOutputStream(stream: ForEachDStream): void {
    this.outputStreams.push(stream);
  }

  /** Initializes every stream with the zero time (one batch interval before the first batch). */
  start(zeroTime: number): void {
    if (this.started) return;
    this.started = true;
    if (this.outputStreams.length === 0) throw new Error('No output operations registered, so nothing to execute');
    for (const out of this.outputStreams) out.initialize(zeroTime);
    for (const input of this.inputStreams) input.initialize(zeroTime);
  }

  generateJobs(time: number): Job[] {
    const jobs: Job[] = [];
    this.outputStreams.forEach((out, outputOpId) => {
      const job = out.generateJob(time);
      if (job)
        jobs.push({ time, outputOpId, name: job.name, rdd: job.rdd, output: job.output, startTime: Number.NaN, endTime: Number.NaN });
    });
    return jobs;
  }

  /** How long after the end of the input outputs still change (windows holding the last batches), ms. */
  get drainDuration(): number {
    let d = 0;
    for (const out of this.outputStreams) if (out.drainDuration > d) d = out.drainDuration;
    return d;
  }

  /** Forgets RDDs no stream needs after batch `time`. */
  clearMetadata(time: number): void {
    for (const out of this.outputStreams) out.clearMetadata(time);
  }
}
