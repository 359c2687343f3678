/**
 * Nimbus, the master: validates a submitted topology, completes it into the system topology
 * (`StormCommon.systemTopology`: the `__acker` bolt with `topology.acker.executors` executors, and in
 * JStorm the `__topology_master`), numbers the tasks (components sorted by id, task ids from 1), splits
 * each component's tasks over its executors, and runs the scheduler to assign executors to worker slots
 * across the supervisors (`mkAssignments`). Pure: no executor runs here, so explain uses it as is.
 */
import { Acker, ACKER_COMPONENT_ID } from '../acker/acker.js';
import type { StormConfig, StormTestHooks } from '../config.js';
import { TopologyMaster, TOPOLOGY_MASTER_ID } from '../jstorm/topology-master.js';
import { evenScheduler } from '../scheduler/even-scheduler.js';
import { jstormTaskScheduler } from '../scheduler/jstorm-task-scheduler.js';
import { sortSlots, type ExecutorDetails } from '../scheduler/scheduler.js';
import type { BoltDef, ComponentDef, StormTopology } from '../topology/topology.js';
import { clusterSupervisors, type SupervisorInfo, type WorkerSlot } from './supervisor-info.js';

/** Everything a running topology is built from (Storm's `Assignment` plus the topology it is for). */
export interface TopologyAssignment {
  readonly name: string;
  readonly config: StormConfig;
  /** User and system components. */
  readonly components: readonly ComponentDef[];
  /** Task id -> component id (index 0 unused). */
  readonly taskComponent: readonly string[];
  /** Component id -> its task ids, ascending. */
  readonly componentTasks: ReadonlyMap<string, readonly number[]>;
  readonly executors: readonly ExecutorDetails[];
  readonly executorSlot: ReadonlyMap<string, WorkerSlot>;
  /** Slots that host executors, in the order the scheduler used them. */
  readonly slots: readonly WorkerSlot[];
  readonly supervisors: readonly SupervisorInfo[];
  readonly scheduler: string;
  readonly ackerTasks: readonly number[];
  /** JStorm's topology master task, if any. */
  readonly masterTask: number | null;
  /** Component id -> the components it subscribes to. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
}

const RESERVED = /^__/;

/** Checks a user topology; throws a one-line Error on the first problem. */
export function validateTopology(topology: StormTopology): void {
  const byId = new Map<string, ComponentDef>();
  for (const c of topology.components) {
    if (c.id === '' || RESERVED.test(c.id))
      throw new Error(
        `component id '${c.id}' is invalid: ids must be non-empty and must not start with '__' (reserved for system components)`,
      );
    if (byId.has(c.id)) throw new Error(`component id '${c.id}' is used twice`);
    if (!Number.isInteger(c.parallelism) || c.parallelism < 1)
      throw new Error(`component ${c.id}: parallelism must be a positive whole number`);
    if (!Number.isInteger(c.numTasks) || c.numTasks < 1) throw new Error(`component ${c.id}: numTasks must be a positive whole number`);
    byId.set(c.id, c);
  }
  if (!topology.components.some((c) => c.kind === 'spout')) throw new Error(`topology ${topology.name} has no spout`);
  for (const c of topology.components) {
    if (c.kind !== 'bolt') continue;
    if (c.inputs.length === 0) throw new Error(`bolt ${c.id} subscribes to nothing`);
    for (const s of c.inputs) {
      const from = byId.get(s.component);
      if (from === undefined) throw new Error(`bolt ${c.id} subscribes to unknown component '${s.component}'`);
      const stream = from.streams.find((d) => d.id === s.stream);
      if (stream === undefined)
        throw new Error(`bolt ${c.id} subscribes to stream '${s.stream}' of ${s.component}, which does not declare it`);
      if (stream.direct !== (s.grouping.type === 'direct')) {
        throw new Error(
          stream.direct
            ? `bolt ${c.id}: stream '${s.stream}' of ${s.component} is direct and needs a direct grouping`
            : `bolt ${c.id}: a direct grouping needs a direct stream, but '${s.stream}' of ${s.component} is not`,
        );
      }
    }
  }
  // End of stream flows along subscriptions: the model needs a DAG.
  const state = new Map<string, number>();
  const visit = (id: string, path: string[]): void => {
    const s = state.get(id);
    if (s === 2) return;
    if (s === 1)
      throw new Error(
        `topology ${topology.name} has a cycle (${[...path, id].join(' -> ')}); this model propagates end of stream and needs an acyclic topology`,
      );
    state.set(id, 1);
    const c = byId.get(id)!;
    if (c.kind === 'bolt') for (const s of c.inputs) visit(s.component, [...path, id]);
    state.set(id, 2);
  };
  for (const c of topology.components) visit(c.id, []);
}

/** Storm's `partitionFixed`: `n` tasks over `k` executors in contiguous ranges, the first ones one larger. */
export function executorRanges(firstTask: number, tasks: number, executors: number): [number, number][] {
  const k = Math.min(executors, tasks);
  const base = Math.floor(tasks / k);
  const extra = tasks % k;
  const out: [number, number][] = [];
  let start = firstTask;
  for (let i = 0; i < k; i++) {
    const n = base + (i < extra ? 1 : 0);
    out.push([start, start + n - 1]);
    start += n;
  }
  return out;
}

/** Extra inputs to a submission: test hooks handed to the ackers. */
export interface NimbusSubmitOptions {
  hooks?: StormTestHooks;
}

/** Submits a topology: validation, system topology, task numbering, executors and the scheduler's assignment. */
export function submitTopology(topology: StormTopology, config: StormConfig, options: NimbusSubmitOptions = {}): TopologyAssignment {
  validateTopology(topology);
  const jstorm = config.flavour === 'jstorm';
  const components: ComponentDef[] = [...topology.components];
  let assignmentRef: TopologyAssignment | undefined;
  if (config.ackers > 0) {
    const acker: BoltDef = {
      kind: 'bolt',
      id: ACKER_COMPONENT_ID,
      parallelism: config.ackers,
      numTasks: config.ackers,
      streams: [],
      system: true,
      inputs: [],
      description: 'XOR ledger of every spout tuple tree (fields grouping on the root id); acks and fails go to the spout task (direct)',
      create: () => new Acker(config, options.hooks ?? {}),
    };
    components.push(acker);
  }
  if (jstorm) {
    const master: BoltDef = {
      kind: 'bolt',
      id: TOPOLOGY_MASTER_ID,
      parallelism: 1,
      numTasks: 1,
      streams: [],
      system: true,
      inputs: [],
      description:
        'collects backpressure triggers; throttles the source spouts of a component whose blocked share exceeds the trigger ratio',
      create: () => {
        const a = assignmentRef!;
        return new TopologyMaster(config, {
          componentOf: (task) => a.taskComponent[task],
          tasksOf: (c) => a.componentTasks.get(c) ?? [],
          sourceSpoutTasks: (c) => sourceSpouts(a, c).flatMap((s) => a.componentTasks.get(s) ?? []),
        });
      },
    };
    components.push(master);
  }

  // Task ids: components sorted by id, numbered from 1 (StormCommon.stormTaskInfo).
  const sortedIds = components.map((c) => c.id).sort();
  const taskComponent: string[] = [''];
  const componentTasks = new Map<string, number[]>();
  for (const id of sortedIds) {
    const c = components.find((x) => x.id === id)!;
    const tasks: number[] = [];
    for (let i = 0; i < c.numTasks; i++) {
      tasks.push(taskComponent.length);
      taskComponent.push(id);
    }
    componentTasks.set(id, tasks);
  }

  // Executors: Storm gives min(hint, tasks) executors; JStorm runs one task per thread.
  const executors: ExecutorDetails[] = [];
  for (const id of sortedIds) {
    const c = components.find((x) => x.id === id)!;
    const tasks = componentTasks.get(id)!;
    const count = jstorm ? c.numTasks : c.parallelism;
    for (const [start, end] of executorRanges(tasks[0], tasks.length, count)) {
      executors.push({ id: `${id}[${start}-${end}]`, component: id, startTask: start, endTask: end, system: c.system });
    }
  }

  const upstream = new Map<string, string[]>();
  for (const c of components) upstream.set(c.id, c.kind === 'bolt' ? [...new Set(c.inputs.map((s) => s.component))] : []);

  const supervisors = clusterSupervisors(config);
  const slots = sortSlots(supervisors.map((s) => s.slots));
  const scheduler = jstorm ? jstormTaskScheduler : evenScheduler;
  const executorSlot = scheduler.schedule({ executors, slots, workers: config.workers, upstream });
  const used = slots.filter((s) => [...executorSlot.values()].includes(s));

  assignmentRef = {
    name: topology.name,
    config,
    components,
    taskComponent,
    componentTasks,
    executors,
    executorSlot,
    slots: used,
    supervisors,
    scheduler: scheduler.name,
    ackerTasks: componentTasks.get(ACKER_COMPONENT_ID) ?? [],
    masterTask: componentTasks.get(TOPOLOGY_MASTER_ID)?.[0] ?? null,
    upstream,
  };
  return assignmentRef;
}

/** The spouts a component is fed by, walking its subscriptions upstream. */
export function sourceSpouts(a: Pick<TopologyAssignment, 'components' | 'upstream'>, component: string): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (c: string): void => {
    if (seen.has(c)) return;
    seen.add(c);
    const def = a.components.find((x) => x.id === c);
    if (def?.kind === 'spout') out.add(c);
    for (const u of a.upstream.get(c) ?? []) walk(u);
  };
  walk(component);
  return [...out];
}
