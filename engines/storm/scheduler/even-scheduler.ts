/**
 * Storm's `EvenScheduler` (what `DefaultScheduler` uses): executors sorted by start task are dealt round
 * robin over the first `min(topology.workers, available)` slots, slots being interleaved across nodes.
 */
import type { SchedulerAssignment, SchedulingInput, TopologyScheduler } from './scheduler.js';

export const evenScheduler: TopologyScheduler = {
  name: 'EvenScheduler',
  schedule({ executors, slots, workers }: SchedulingInput): SchedulerAssignment {
    const use = slots.slice(0, Math.min(workers, slots.length));
    if (use.length === 0) throw new Error('no worker slot is available');
    const sorted = [...executors].sort((a, b) => a.startTask - b.startTask);
    const out: SchedulerAssignment = new Map();
    sorted.forEach((e, i) => out.set(e.id, use[i % use.length]));
    return out;
  },
};
