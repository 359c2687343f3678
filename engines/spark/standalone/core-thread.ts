/**
 * One core of an executor process (a thread of Spark's executor task pool): it rebuilds the job's
 * dataflow from the recipe once, connects to the driver for the event log (RemoteEventLog) and the sinks
 * (RemoteSinkSet), and runs each task its executor hands it: it rebuilds the task's functions from the
 * travelling description (remote-task.ts), reads the task's offset range from the driver's log, pushes
 * each record through the steps into the sink, and reports the serialized TaskResult to the driver on the
 * same connection as the sink records, so that the driver never sees a task finished before its output.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataflow, DataflowNode } from '../../api/index.js';
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
import type { CoreThreadData, CoreThreadMessage, StatusUpdate, TaskFailed } from './protocol.js';
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
    const writer = sinks.get(t.sink);
    let out: Emit = (v, _et, em, ig) => writer.write(v, em, ig);
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
    const result: TaskResult = {
      taskId: t.taskId,
      eventTimeMax: Array.from(eventTimeMax),
      late: [],
      recordsRead: until - t.source.from,
      shuffleWriteBytes: 0,
      shuffleWriteRecords: 0,
      shuffleReadBytes: 0,
      mapOutputSizes: [],
      outputBytes: 0,
    };
    const meta: StatusUpdate = { executor: data.executor, core: data.core, taskId: t.taskId, startedAt, endedAt: clock.now() };
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
