/**
 * JStorm's default `TaskScheduler` (`schedule/default_assign`): the topology master is placed first; then
 * each task goes to the worker chosen by three filters in turn: `ComponentNumSelector` (fewest tasks of
 * the same component), `TotalTaskNumSelector` (fewest tasks in all), `InputComponentNumSelector` (most
 * tasks of the components it consumes from: co-locate with producers so tuples stay in-process).
 * Components are taken producers first, so that the last filter has something to go by.
 */
import type { WorkerSlot } from '../daemon/supervisor-info.js';
import type { ExecutorDetails, SchedulerAssignment, SchedulingInput, TopologyScheduler } from './scheduler.js';

export const TOPOLOGY_MASTER_ID = '__topology_master';

function narrow(candidates: WorkerSlot[], score: (w: WorkerSlot) => number, best: 'min' | 'max'): WorkerSlot[] {
  const scores = candidates.map(score);
  const target = best === 'min' ? Math.min(...scores) : Math.max(...scores);
  return candidates.filter((_, i) => scores[i] === target);
}

/** Components ordered so that every component comes after those it consumes from (cycles: declaration order). */
function producersFirst(executors: readonly ExecutorDetails[], upstream: ReadonlyMap<string, readonly string[]>): string[] {
  const components = [...new Set(executors.map((e) => e.component))];
  const order: string[] = [];
  const state = new Map<string, number>();
  const visit = (c: string): void => {
    if (state.get(c) !== undefined) return;
    state.set(c, 1);
    for (const u of upstream.get(c) ?? []) if (components.includes(u)) visit(u);
    state.set(c, 2);
    order.push(c);
  };
  for (const c of components) visit(c);
  return order;
}

export const jstormTaskScheduler: TopologyScheduler = {
  name: 'JStorm TaskScheduler',
  schedule({ executors, slots, workers, upstream }: SchedulingInput): SchedulerAssignment {
    const use = slots.slice(0, Math.min(workers, slots.length));
    if (use.length === 0) throw new Error('no worker slot is available');
    const out: SchedulerAssignment = new Map();
    const tasksOf = new Map<string, Map<string, number>>(use.map((w) => [w.id, new Map()]));
    const total = new Map<string, number>(use.map((w) => [w.id, 0]));
    const place = (e: ExecutorDetails, w: WorkerSlot): void => {
      out.set(e.id, w);
      const m = tasksOf.get(w.id)!;
      m.set(e.component, (m.get(e.component) ?? 0) + 1);
      total.set(w.id, total.get(w.id)! + 1);
    };
    const master = executors.filter((e) => e.component === TOPOLOGY_MASTER_ID);
    for (const e of master) place(e, use[0]);
    const rest = executors.filter((e) => e.component !== TOPOLOGY_MASTER_ID);
    const order = producersFirst(rest, upstream);
    const byComponent = (c: string) => rest.filter((e) => e.component === c).sort((a, b) => a.startTask - b.startTask);
    for (const c of order) {
      const inputs = upstream.get(c) ?? [];
      for (const e of byComponent(c)) {
        let candidates = [...use];
        candidates = narrow(candidates, (w) => tasksOf.get(w.id)!.get(c) ?? 0, 'min');
        candidates = narrow(candidates, (w) => total.get(w.id)!, 'min');
        candidates = narrow(candidates, (w) => inputs.reduce((n, u) => n + (tasksOf.get(w.id)!.get(u) ?? 0), 0), 'max');
        place(e, candidates[0]);
      }
    }
    return out;
  },
};
