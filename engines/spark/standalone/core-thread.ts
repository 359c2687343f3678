/**
 * One core of an executor process (a thread of Spark's executor task pool): it rebuilds the job's
 * dataflow from the recipe once, connects to the driver for the event log (RemoteEventLog) and the sinks
 * (RemoteSinkSet), and runs each task its executor hands it: it rebuilds the task's functions from the
 * travelling description (remote-task.ts), reads the task's offset range from the driver's log, pushes
 * each record through the steps into the sink, and reports the serialized TaskResult to the driver on the
 * same connection as the sink records, so that the driver never sees a task finished before its output.
 * A ShuffleMapTask writes its serialized buckets with the local cores' shuffle writers into a file of
 * its executor's shuffle folder; the executor's block manager serves them to reducers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keySelectorOf, type Dataflow, type DataflowNode } from '../../api/index.js';
import { RecordSerializer } from '../../runtime/index.js';
import { HashPartitioner } from '../rdd/hash-partitioner.js';
import {
  createShuffleWriter,
  type MapStatus,
  type ShuffleWriteContext,
  type ShuffleWriter,
  type ShuffleWriteSpec,
} from '../rdd/shuffle-manager.js';
import type { MapSideCombiner } from '../rdd/shuffled-rdd.js';
import { mapOutputFile } from './shuffle-files.js';
import type { Emit } from '../../operators/index.js';
import {
  ClusterClock,
  connectControl,
  rebuildDataflow,
  RemoteEventLog,
  RemoteSinkSet,
  type ControlChannel,
} from '../../runtime/cluster/index.js';
import { TaskMessageCodec, type TaskResult } from '../scheduler/task-description.js';
import type { CoreThreadData, CoreThreadMessage, RemoteMapOutput, StatusUpdate, TaskFailed } from './protocol.js';
import type { RemoteStep, RemoteTask } from './remote-task.js';

const data = workerData as CoreThreadData;
const codec = new TaskMessageCodec();

function post(m: CoreThreadMessage): void {
  parentPort?.postMessage(m);
}

function nodeNamed(flow: Dataflow, name: string): DataflowNode {
  const node = flow.nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`the rebuilt dataflow has no operator '${name}'`);
  return node;
}

/** The emitter of one step into `out` (the same functions as the RDDs' on the driver). */
function step(flow: Dataflow, s: RemoteStep, eventTimeMax: Float64Array, out: Emit): Emit {
  const node = nodeNamed(flow, s.node);
  switch (s.op) {
    case 'map': {
      const fn = (node as Extract<DataflowNode, { kind: 'map' }>).fn;
      return (v, et, em, ig) => out(fn(v), et, em, ig);
    }
    case 'flatMap': {
      const fn = (node as Extract<DataflowNode, { kind: 'flatMap' }>).fn;
      return (v, et, em, ig) => {
        for (const u of fn(v)) out(u, et, em, ig);
      };
    }
    case 'filter': {
      const fn = (node as Extract<DataflowNode, { kind: 'filter' }>).fn;
      return (v, et, em, ig) => {
        if (fn(v)) out(v, et, em, ig);
      };
    }
    case 'eventTime': {
      const fn = (node as Extract<DataflowNode, { kind: 'timestamps' }>).fn;
      const origin = s.origin;
      return (v, _et, em, ig) => {
        const t = fn(v);
        if (t > eventTimeMax[origin]) eventTimeMax[origin] = t;
        out(v, t, em, ig);
      };
    }
  }
}

/** This core's shuffle write buffers, reused task after task (as a local core's). */
const buffers: RecordSerializer[] = [];

/** The shuffle writer of a travelling ShuffleMapTask: the same writers as a local core's, over the rebuilt operator's functions. */
function shuffleWriter(flow: Dataflow, t: RemoteTask, late: Map<string, number>): { writer: ShuffleWriter; ctx: ShuffleWriteContext } {
  const o = t.output as Extract<RemoteTask['output'], { kind: 'shuffle' }>;
  const node = nodeNamed(flow, o.operator);
  if (node.kind !== 'windowAggregate' && node.kind !== 'windowJoin' && node.kind !== 'join')
    throw new Error(`operator '${o.operator}' is a ${node.kind}, not a stateful operator`);
  const combiner: MapSideCombiner | undefined =
    o.combine === null
      ? undefined
      : node.kind !== 'windowAggregate'
        ? (() => {
            throw new Error(`operator '${o.operator}' has no aggregate to combine`);
          })()
        : o.combine === 'window'
          ? { kind: 'window', spec: node.window, aggregate: node.aggregate }
          : { kind: 'key', aggregate: node.aggregate };
  const ctx: ShuffleWriteContext = {
    shuffleWriteBytes: 0,
    shuffleWriteRecords: 0,
    lateRecords(operator, n) {
      if (n > 0) late.set(operator, (late.get(operator) ?? 0) + n);
    },
    batch: { lateThreshold: [o.lateThreshold] },
  };
  while (buffers.length < o.reducers) buffers.push(new RecordSerializer(o.bufferBytes));
  const spec: ShuffleWriteSpec = {
    keyFn: keySelectorOf(node, o.side),
    partitioner: new HashPartitioner(o.reducers),
    combiner,
    operator: { name: o.operator, index: 0 },
  };
  return { writer: createShuffleWriter(spec, t.partition, ctx, buffers.slice(0, o.reducers)), ctx };
}

/** Writes a map output's buckets into one file of the executor's shuffle folder, reducer after reducer. */
function writeMapOutput(t: RemoteTask, status: MapStatus): RemoteMapOutput {
  const o = t.output as Extract<RemoteTask['output'], { kind: 'shuffle' }>;
  const chunks = status.buckets.flat();
  writeFileSync(join(data.shuffleDir, mapOutputFile(o.shuffleId, t.partition)), Buffer.concat(chunks));
  return { bytes: status.bytes, records: status.records, chunkLengths: status.buckets.map((b) => b.map((c) => c.byteLength)) };
}

async function main(): Promise<void> {
  const clock = new ClusterClock(data.epochOffsetMs);
  const flow = await rebuildDataflow(data.recipe);
  const driver: ControlChannel = await connectControl(data.driverPort, { name: `executor-${data.executor} core-${data.core}` });
  const log = await RemoteEventLog.open(driver, clock);
  const sinks = new RemoteSinkSet(
    driver,
    clock,
    flow.sinks.map((s) => s.name),
  );
  driver.onClose(() => process.exit(0)); // the driver is gone: so is the job

  const runTask = async (t: RemoteTask): Promise<void> => {
    const startedAt = clock.now();
    const eventTimeMax = new Float64Array(t.origins).fill(Number.NEGATIVE_INFINITY);
    const late = new Map<string, number>();
    const shuffle = t.output.kind === 'shuffle' ? shuffleWriter(flow, t, late) : undefined;
    let out: Emit;
    if (shuffle) out = shuffle.writer.write;
    else {
      const writer = sinks.get((t.output as { sink: string }).sink);
      out = (v, _et, em, ig) => writer.write(v, em, ig);
    }
    for (let i = t.steps.length - 1; i >= 0; i--) out = step(flow, t.steps[i], eventTimeMax, out);
    const { partition, until, ingestTime } = t.source;
    let offset = t.source.from;
    while (offset < until) {
      const batch = log.read(partition, offset, until - offset);
      if (batch === undefined) {
        if (log.error) throw log.error;
        await new Promise<void>((resolve) => log.waitForData(partition, offset, resolve));
        continue;
      }
      const { values, timestamps, index, count } = batch;
      for (let i = index, end = index + count; i < end; i++) out(values[i], timestamps[i], timestamps[i], ingestTime);
      offset += count;
    }
    sinks.flush();
    const mapOutput = shuffle ? writeMapOutput(t, shuffle.writer.stop()) : undefined;
    const result: TaskResult = {
      taskId: t.taskId,
      eventTimeMax: Array.from(eventTimeMax),
      late: [...late],
      recordsRead: until - t.source.from,
      shuffleWriteBytes: shuffle?.ctx.shuffleWriteBytes ?? 0,
      shuffleWriteRecords: shuffle?.ctx.shuffleWriteRecords ?? 0,
      shuffleReadBytes: 0,
      mapOutputSizes: mapOutput ? mapOutput.chunkLengths.map((c) => c.reduce((a, b) => a + b, 0)) : [],
      outputBytes: 0,
    };
    const meta: StatusUpdate = {
      executor: data.executor,
      core: data.core,
      taskId: t.taskId,
      startedAt,
      endedAt: clock.now(),
      ...(mapOutput ? { mapOutput } : {}),
    };
    driver.sendWithBytes('statusUpdate', meta, codec.encodeTaskResult(result));
  };

  // One task at a time: the executor hands this core a task only when it is free.
  parentPort?.on('message', (t: RemoteTask) => {
    runTask(t).then(
      () => post({ type: 'taskDone' }),
      (err: Error) => {
        const failed: TaskFailed = { executor: data.executor, core: data.core, taskId: t.taskId, message: err.message };
        driver.send('taskFailed', failed);
        post({ type: 'taskDone' });
      },
    );
  });
  post({ type: 'ready' });
}

main().catch((err: Error) => post({ type: 'failed', message: err.message }));
