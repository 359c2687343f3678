/**
 * The reference engine: the whole dataflow as one tight loop in one task. It reads the log's partitions
 * in lockstep (entry i of every partition before entry i + 1), which is exactly the order in which the
 * driver generated them, and pushes each record through the compiled dataflow.
 */
import type { Dataflow, Engine, EngineOptions, EnginePlan, LogBatch, RunIO, RunningJob } from '../api/index.js';
import { describeDataflow, describeNode } from '../api/index.js';
import { Scheduler, type Runnable, type TaskResult } from '../runtime/index.js';
import { compileDataflow, type CompiledDataflow } from './compile.js';

/** The reference engine's `engineStats`. */
export interface ReferenceEngineStats {
  lateRecordsDropped: number;
  windowsFired: number;
  /** Open window state entries (key x window) at the time of the call. */
  windowStateEntries: number;
  /** Records held by join state. */
  joinStateRecords: number;
  /** Events read from the log. */
  recordsIn: number;
}

/** Entries taken from each partition per read. */
const READ_BATCH = 256;

class ReferenceLoop implements Runnable {
  readonly offsets: number[];
  private readonly batches: (LogBatch | undefined)[];
  private finished = false;
  wake: () => void = () => {};

  constructor(
    private readonly io: RunIO,
    private readonly flow: CompiledDataflow,
  ) {
    this.offsets = Array.from({ length: io.log.partitions }, (_, p) => io.log.startOffset(p));
    this.batches = new Array(io.log.partitions).fill(undefined);
  }

  run(budget: number): TaskResult {
    const { log, clock } = this.io;
    const flow = this.flow;
    const parts = log.partitions;
    const batches = this.batches;
    let done = 0;
    while (done < budget) {
      const closed = log.isClosed();
      // Entry i of every partition before entry i + 1: the driver appended event k to partition k % parts.
      let n = Math.min(READ_BATCH, budget - done);
      let widest = 0;
      for (let p = 0; p < parts; p++) {
        const batch = log.read(p, this.offsets[p], n);
        if (batch === undefined && !closed) {
          log.waitForData(p, this.offsets[p], this.wake);
          return 'park';
        }
        batches[p] = batch;
        if (batch !== undefined) {
          if (!closed && batch.count < n) n = batch.count;
          if (batch.count > widest) widest = batch.count;
        }
      }
      if (widest === 0) return this.end();
      const rounds = closed ? widest : n;
      const ingestTime = clock.now();
      for (let i = 0; i < rounds; i++) {
        for (let p = 0; p < parts; p++) {
          const batch = batches[p];
          if (batch === undefined || i >= batch.count) continue;
          const ts = batch.timestamps[batch.index + i];
          flow.push(batch.values[batch.index + i], ts, ts, ingestTime);
          if (flow.watermarkDirty()) flow.advanceWatermarks();
          done++;
        }
      }
      for (let p = 0; p < parts; p++) {
        const batch = batches[p];
        if (batch === undefined) continue;
        this.offsets[p] += Math.min(rounds, batch.count);
        log.commit(p, this.offsets[p]);
      }
    }
    return 'yield';
  }

  private end(): TaskResult {
    if (!this.finished) {
      this.finished = true;
      this.flow.finish();
    }
    return 'done';
  }
}

export const referenceEngine: Engine<ReferenceEngineStats> = {
  name: 'reference',
  description: 'the hand-written loop: the whole dataflow in one task, no queues; the physical limit and the correctness oracle',
  options: [],

  // One loop runs the whole dataflow whatever the parallelism: the log's partitions are read in lockstep.
  parallelismLimit: () => undefined,

  explain(flow: Dataflow, _opts: EngineOptions): EnginePlan {
    const text = [
      'reference engine: one task runs the whole dataflow as a single loop (parallelism ignored)',
      'reads every log partition in lockstep, pushes each record through direct calls, advances watermarks after every record',
      '',
      describeDataflow(flow),
    ].join('\n');
    return {
      engine: 'reference',
      text,
      nodes: [
        { id: 'loop', label: 'reference loop', kind: 'task' },
        ...flow.nodes.map((n) => ({ id: `op-${n.id}`, label: n.name, kind: n.kind, parent: 'loop', attrs: { operator: describeNode(n) } })),
      ],
      edges: flow.nodes.flatMap((n) => n.inputs.map((i) => ({ from: `op-${i}`, to: `op-${n.id}`, label: 'call' }))),
    };
  },

  async start(flow: Dataflow, io: RunIO, _opts: EngineOptions): Promise<RunningJob<ReferenceEngineStats>> {
    const compiled = compileDataflow(flow, io);
    const scheduler = new Scheduler({ clock: io.clock });
    const loop = new ReferenceLoop(io, compiled);
    const handle = scheduler.spawn('reference-loop', loop);
    loop.wake = handle.wake;
    const done = scheduler.done();
    return {
      drained: () => done,
      stop: async () => scheduler.stop(),
      stats: () => ({ ...compiled.stats(), recordsIn: loop.offsets.reduce((a, b) => a + b, 0) }),
    };
  },
};
