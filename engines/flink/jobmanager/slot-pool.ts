/**
 * Slots: how many a job needs and where its subtasks go, as Flink's slot sharing and slot pool do it.
 *
 * Subtasks of different tasks of one job may share a slot when they are in the same slot-sharing group,
 * so a group needs as many slots as its highest parallelism; groups never share, so a job needs the sum
 * over its groups. Subtask i of every vertex of a group goes to the group's slot i. Slots are offered by
 * TaskManagers of `slotsPerTaskManager` slots each and filled TaskManager by TaskManager. With a fixed
 * number of TaskManagers (a standalone cluster) too few slots fail the job; with none given, the resource
 * manager starts as many TaskManagers as the requests need, as Flink's active resource managers (YARN,
 * Kubernetes) do.
 */
import type { JobGraph } from '../client/job-graph.js';
import type { FlinkConfig } from '../options.js';

export interface SlotSharingGroupRequirement {
  readonly name: string;
  /** The highest parallelism of the group's vertices: slots it needs. */
  readonly slots: number;
  readonly vertexIds: readonly number[];
}

export interface SlotRequirements {
  readonly groups: readonly SlotSharingGroupRequirement[];
  /** Sum over groups. */
  readonly required: number;
}

/** Where one slot lives and what it holds. */
export interface SlotAllocation {
  /** Global slot number (0-based). */
  readonly slot: number;
  readonly taskManager: number;
  /** Index of the slot within its TaskManager. */
  readonly slotIndex: number;
  readonly group: string;
  /** Index within the group (= the subtask index it holds of each vertex). */
  readonly groupSlot: number;
}

export interface SlotAssignment {
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
  readonly requirements: SlotRequirements;
  readonly slots: readonly SlotAllocation[];
  /** Per vertex id, per subtask index: the global slot number. */
  readonly slotOf: readonly (readonly number[])[];
}

/** Slots needed per slot-sharing group (groups in order of first appearance) and in total. */
export function slotRequirements(graph: JobGraph): SlotRequirements {
  const byName = new Map<string, { name: string; slots: number; vertexIds: number[] }>();
  for (const v of graph.vertices) {
    let g = byName.get(v.slotSharingGroup);
    if (g === undefined) byName.set(v.slotSharingGroup, (g = { name: v.slotSharingGroup, slots: 0, vertexIds: [] }));
    g.slots = Math.max(g.slots, v.parallelism);
    g.vertexIds.push(v.id);
  }
  const groups = [...byName.values()];
  return { groups, required: groups.reduce((n, g) => n + g.slots, 0) };
}

/**
 * Requests the job's slots and places its subtasks.
 * @throws Error (one line) when a fixed number of TaskManagers offers fewer slots than the job needs.
 */
export function allocateSlots(graph: JobGraph, config: Pick<FlinkConfig, 'taskManagers' | 'slotsPerTaskManager'>): SlotAssignment {
  const requirements = slotRequirements(graph);
  const spt = config.slotsPerTaskManager;
  const taskManagers = config.taskManagers ?? Math.max(1, Math.ceil(requirements.required / spt));
  const available = taskManagers * spt;
  if (available < requirements.required) {
    const perGroup = requirements.groups.map((g) => `'${g.name}' ${g.slots}`).join(', ');
    throw new Error(
      `flink: NoResourceAvailableException: not enough free slots available to run the job: it needs ${requirements.required} slots ` +
        `(max parallelism per slot-sharing group: ${perGroup}) but ${taskManagers} TaskManager${taskManagers === 1 ? '' : 's'} x ` +
        `${spt} slot${spt === 1 ? '' : 's'} = ${available}; increase flink.taskManagers or flink.slotsPerTaskManager, or decrease the parallelism`,
    );
  }
  const slots: SlotAllocation[] = [];
  const firstSlotOfGroup = new Map<string, number>();
  for (const g of requirements.groups) {
    firstSlotOfGroup.set(g.name, slots.length);
    for (let i = 0; i < g.slots; i++) {
      const slot = slots.length;
      slots.push({ slot, taskManager: Math.floor(slot / spt), slotIndex: slot % spt, group: g.name, groupSlot: i });
    }
  }
  const slotOf = graph.vertices.map((v) => {
    const first = firstSlotOfGroup.get(v.slotSharingGroup) as number;
    return Array.from({ length: v.parallelism }, (_, i) => first + i);
  });
  return { taskManagers, slotsPerTaskManager: spt, requirements, slots, slotOf };
}
