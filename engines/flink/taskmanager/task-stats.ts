/**
 * The per-subtask figures of the engine panel and the window operators' counters, read off running tasks:
 * one reading for the local JobMaster and for a standalone slot, so that both deployments report alike.
 * Times in ms.
 */
import type { FlinkTaskStats } from '../flink-stats.js';
import { WindowOperator } from '../operators/index.js';
import { MultipleInputStreamTask } from './multiple-input-stream-task.js';
import type { StreamTask } from './stream-task.js';

export interface WindowFigures {
  lateRecordsDropped: number;
  windowsFired: number;
  earlyResults: number;
  windowStateEntries: number;
}

/**
 * @param busyMs the scheduler's busy time of the task
 * @param now clock time (ms) up to which an ongoing back-pressure counts
 * @param taskManager 0-based TaskManager of the subtask; `slot` likewise
 */
export function subtaskStats(t: StreamTask, busyMs: number, now: number, taskManager: number, slot: number): FlinkTaskStats {
  return {
    name: t.chain.vertex.name,
    subtask: t.subtaskIndex,
    busyMs: round(busyMs),
    backPressuredMs: round(t.backPressuredMs + (t.isBackPressured ? now - t.backPressuredSinceMs : 0)),
    recordsIn: t.recordsIn,
    recordsOut: t.recordsOut,
    recordsCopied: t.chain.recordsCopied,
    watermark: finiteOrNull(subtaskWatermark(t)),
    taskManager: taskManager + 1,
    slot: slot + 1,
  };
}

/** The window operators' counters summed over `tasks`. */
export function windowFigures(tasks: readonly StreamTask[]): WindowFigures {
  const w: WindowFigures = { lateRecordsDropped: 0, windowsFired: 0, earlyResults: 0, windowStateEntries: 0 };
  for (const t of tasks) {
    for (const op of t.chain.operators) {
      if (!(op instanceof WindowOperator)) continue;
      w.lateRecordsDropped += op.lateRecordsDropped;
      w.windowsFired += op.windowsFired;
      w.earlyResults += op.earlyResults;
      w.windowStateEntries += op.stateEntries;
    }
  }
  return w;
}

/** A task with network inputs: what its valve combined; a source task: the last watermark its chain sent out. */
function subtaskWatermark(t: StreamTask): number {
  if (t instanceof MultipleInputStreamTask) return t.valve.current;
  return t.chain.recordWriterOutputs.reduce((w, out) => Math.max(w, out.lastWatermark), Number.NEGATIVE_INFINITY);
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
