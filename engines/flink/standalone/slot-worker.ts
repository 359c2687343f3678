/**
 * A slot's thread (Flink runs each Task on its own thread; here a slot's subtasks share one thread, with
 * the same cooperative scheduler as the local deployment): it rebuilds the job's plan from the recipe,
 * checks that it is the JobMaster's, wires its slot's network to the data channel, connects to the
 * driver for the log and the sinks, runs its subtasks, and reports to the driver and to its TaskManager.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { RunIO } from '../../api/index.js';
import {
  ClusterClock,
  connectControl,
  onPortData,
  PortDataLink,
  RemoteEventLog,
  RemoteSinkSet,
  type ControlChannel,
  rebuildDataflow,
} from '../../runtime/cluster/index.js';
import { Scheduler } from '../../runtime/index.js';
import { planJob } from '../jobmanager/job-plan.js';
import { BufferStats } from '../network/network-buffer.js';
import type { CheckpointResponder } from '../taskmanager/checkpoint-responder.js';
import type { StreamTask } from '../taskmanager/stream-task.js';
import { TaskManager } from '../taskmanager/task-manager.js';
import { subtaskStats, windowFigures } from '../taskmanager/task-stats.js';
import { operatorStatesOf, type CompletedCheckpoint } from '../jobmanager/checkpoint-coordinator.js';
import type { CheckpointCall, RestoreCheckpoint, SlotDeployment, SlotReport, SlotThreadMessage } from './protocol.js';
import { FsCheckpointStorage } from '../state/checkpoint-storage.js';
import { createSlotShuffle } from './slot-shuffle.js';

type WorkerData = SlotDeployment & { readonly port: MessagePort };

/** How often a running slot sends its figures to the driver (ms). */
const PROGRESS_INTERVAL_MS = 1000;

/** A task's reports to the coordinator, through its TaskManager to the JobManager. */
const responder: CheckpointResponder = {
  acknowledgeCheckpoint: (checkpointId, state, metrics) => post({ type: 'checkpointAck', checkpointId, state, metrics }),
  declineCheckpoint: (task, checkpointId, reason) => post({ type: 'checkpointDecline', task, checkpointId, reason }),
  reportTaskFinished: (task, vertexId, subtaskIndex) => post({ type: 'taskFinished', task, vertexId, subtaskIndex }),
};

function post(message: SlotThreadMessage): void {
  parentPort?.postMessage(message);
}

function completedCheckpointOf(r: RestoreCheckpoint): CompletedCheckpoint {
  return { ...r, taskStates: new Map(r.tasks.map((t) => [t.taskName, t])) };
}

function sameAssignment(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function main(data: WorkerData): Promise<void> {
  const clock = new ClusterClock(data.epochOffsetMs);
  const flow = await rebuildDataflow(data.recipe);
  const plan = planJob(flow, { parallelism: data.parallelism, values: data.values });
  if (!sameAssignment(plan.slots.slotOf, data.slotOf))
    throw new Error(`slot ${data.slot + 1}: the rebuilt job places its subtasks differently from the JobMaster`);
  // A restart: every operator's state and the sources' offsets, read from the checkpoint's files before anything runs.
  const restoreState = data.restore ? operatorStatesOf(completedCheckpointOf(data.restore)) : undefined;
  const name = `taskmanager-${data.taskManager + 1} slot ${data.slot + 1}`;
  const driver: ControlChannel = await connectControl(data.driverPort, { name });
  const log = await RemoteEventLog.open(driver, clock);
  const sinks = new RemoteSinkSet(
    driver,
    clock,
    flow.sinks.map((s) => s.name),
  );
  const lateByOperator: Record<string, number> = {};
  const io: RunIO = {
    log,
    sinks,
    clock,
    metrics: {
      lateRecordsDropped(operator, count) {
        lateByOperator[operator] = (lateByOperator[operator] ?? 0) + count;
      },
    },
  };
  const scheduler = new Scheduler({ clock });
  const stats = new BufferStats();
  const link = new PortDataLink(data.port);
  const network = createSlotShuffle(plan, data.slot, stats, link);
  onPortData(data.port, (m) => network.receive(m));

  // The job's checkpoint directory, created by the JobManager: the asynchronous parts write their files into it.
  const checkpointStorage = data.checkpoints ? new FsCheckpointStorage(data.checkpoints.root, data.checkpoints.jobId) : undefined;
  const allocation = plan.slots.slots[data.slot];
  const tm = new TaskManager(data.taskManager, scheduler);
  tm.offerSlot(data.slot, allocation.group);
  const tasks: StreamTask[] = [];
  for (const ejv of plan.executionGraph.vertices) {
    for (const ev of ejv.subtasks) {
      if (plan.slots.slotOf[ejv.jobVertex.id][ev.subtaskIndex] !== data.slot) continue;
      const net = network.tasks.get(ejv.jobVertex.id);
      if (net === undefined) throw new Error(`${ev.taskName}: no network in slot ${data.slot + 1}`);
      tasks.push(
        tm.submitTask({
          io,
          config: plan.config,
          jobGraph: plan.jobGraph,
          executionVertex: ev,
          partitions: net.partitions,
          writers: net.writers,
          availability: net.availability,
          gates: net.gates,
          checkpointResponder: responder,
          ...(checkpointStorage ? { checkpointStorage } : {}),
          asyncOperations: (n, r) => {
            scheduler.spawn(n, r);
          },
          ...(restoreState ? { restoreState } : {}),
          taskManager: data.taskManager,
          slot: data.slot,
        }),
      );
    }
  }
  const byName = new Map(tasks.map((t) => [t.name, t]));
  parentPort?.on('message', (m: CheckpointCall) => {
    const task = byName.get(m.task);
    if (task === undefined) return;
    if (m.call === 'trigger') task.triggerCheckpoint(m.checkpointId, m.timestamp);
    else if (m.call === 'complete') task.notifyCheckpointComplete(m.checkpointId);
    else task.notifyCheckpointAborted(m.checkpointId);
  });
  // Deployed: every subtask of the slot is RUNNING (Flink's task state the JobMaster waits for).
  post({ type: 'running', slot: data.slot });
  // The slot's figures so far, for the live view (as a TaskManager's metrics reporter would send them).
  const progress = setInterval(
    () => driver.send('slotProgress', report(data, tasks, scheduler, stats, lateByOperator, link.messages, clock.now())),
    PROGRESS_INTERVAL_MS,
  );
  progress.unref();
  await scheduler.done().finally(() => clearInterval(progress));
  if (log.error) throw log.error;
  sinks.flush();
  log.flushCommits();
  driver.send('slotDone', report(data, tasks, scheduler, stats, lateByOperator, link.messages, clock.now()));
  post({ type: 'finished', slot: data.slot });
}

function report(
  data: WorkerData,
  tasks: readonly StreamTask[],
  scheduler: Scheduler,
  stats: BufferStats,
  lateByOperator: Record<string, number>,
  portMessages: number,
  now: number,
): SlotReport {
  const busy = new Map(scheduler.stats().tasks.map((t) => [t.name, t.busyMs]));
  const windows = windowFigures(tasks);
  return {
    slot: data.slot,
    attempt: data.attempt,
    taskManager: data.taskManager,
    tasks: tasks.map((t) => subtaskStats(t, busy.get(t.name) ?? 0, now, data.taskManager, data.slot)),
    buffers: stats.toJSON(),
    windows,
    lateByOperator,
    portMessages,
  };
}

main(workerData as WorkerData).catch((err: Error) => {
  post({ type: 'failed', slot: (workerData as WorkerData).slot, message: err.message });
});
