/**
 * explain: the topology (components with parallelism, tasks and groupings, the system components Nimbus
 * adds) and the assignment (supervisors -> workers -> executors, acker placement), as text and as
 * nodes and edges.
 */
import type { EnginePlan, PlanEdge, PlanNode } from '../api/index.js';
import { ACKER_COMPONENT_ID } from './acker/acker.js';
import type { TopologyAssignment } from './daemon/nimbus.js';
import { describeGrouping } from './grouping/grouping.js';
import { TOPOLOGY_MASTER_ID } from './scheduler/jstorm-task-scheduler.js';

function taskList(tasks: readonly number[]): string {
  if (tasks.length === 0) return '[]';
  return tasks.length === 1 ? `[${tasks[0]}]` : `[${tasks[0]}-${tasks[tasks.length - 1]}]`;
}

export function explainAssignment(a: TopologyAssignment): EnginePlan {
  const c = a.config;
  const jstorm = c.flavour === 'jstorm';
  const lines: string[] = [];
  lines.push(`storm engine, flavour ${c.flavour} (${jstorm ? 'Alibaba JStorm 2.x' : 'Apache Storm 2.x'}): topology ${a.name}`);
  lines.push(
    `cluster: ${c.supervisors} supervisor(s) x ${c.slotsPerSupervisor} slots (ports ${c.basePort}-${c.basePort + c.slotsPerSupervisor - 1}); topology.workers ${c.workers} (${c.workersRule}); scheduler ${a.scheduler}`,
  );
  lines.push(
    c.ackers > 0
      ? `acking: ${c.ackers} acker executor(s), message timeout ${c.messageTimeoutMs} ms, max spout pending ${Number.isFinite(c.maxSpoutPending) ? c.maxSpoutPending : 'unlimited'} (at-least-once: failed or timed-out trees are replayed from the log)`
      : 'acking: off (storm.ackers=0): at-most-once, nothing is tracked, offsets commit as they are read',
  );
  lines.push(
    `queues: executor receive ${c.receiveBufferSize} slots, worker transfer ${c.transferBufferSize}, ${c.batchSize > 1 ? `batches of ${c.batchSize} tuples flushed every ${c.batchFlushIntervalMs} ms` : 'no batching'}; messages between workers up to ${c.transferBatchBytes} bytes`,
  );
  lines.push(
    jstorm
      ? `backpressure: full queues block the sender; topology master throttles source spouts when > ${c.tm.triggerRatio} of a component's tasks are above ${c.tm.waterMarkHigh} full in > ${c.tm.sampleNumber * c.tm.sampleRate} of ${c.tm.sampleNumber} samples every ${c.tm.checkIntervalMs} ms (released below ${c.tm.waterMarkLow})`
      : `backpressure: a full queue keeps tuples in the sender's pendingEmits and stops its spouts; other workers are told per task (cleared every ${c.backpressureCheckMs} ms)`,
  );
  lines.push(
    c.windowing === 'storm'
      ? `windows: Storm's windowed bolts (storm.windowing=storm): each holds every tuple of its windows, computes its watermark every ${c.watermarkIntervalMs} ms ` +
          `(the largest timestamp per input stream minus its lag${c.windowLagMs === null ? '' : ` of ${c.windowLagMs} ms`}), anchors each result to every tuple of the window and acks tuples when they expire; no watermark tuples travel; ` +
          `window length + slide must not exceed the message timeout (${c.messageTimeoutMs} ms)`
      : `windows: incremental (storm.windowing=incremental, a non-Storm optimisation): timestamps bolts send watermark tuples every ${c.watermarkIntervalMs} ms, ` +
          'minimum over input channels downstream; windows aggregate incrementally; results unanchored',
  );
  lines.push('');
  lines.push('components:');
  const width = Math.max(...a.components.map((x) => x.id.length));
  for (const comp of a.components) {
    const tasks = a.componentTasks.get(comp.id) ?? [];
    const executors = a.executors.filter((e) => e.component === comp.id).length;
    const head = `  ${comp.id.padEnd(width)}  ${comp.kind.padEnd(5)}  ${executors} executor(s), tasks ${taskList(tasks)}`;
    lines.push(head);
    if (comp.kind === 'bolt') {
      for (const s of comp.inputs)
        lines.push(
          `  ${''.padEnd(width)}    <- ${s.component}${s.stream === 'default' ? '' : `:${s.stream}`} ${describeGrouping(s.grouping)}`,
        );
    }
    if (comp.id === ACKER_COMPONENT_ID)
      lines.push(`  ${''.padEnd(width)}    <- every spout and bolt: fields(root id); -> spout tasks: direct`);
    if (comp.id === TOPOLOGY_MASTER_ID)
      lines.push(`  ${''.padEnd(width)}    <- every bolt task: backpressure triggers; -> spout tasks: flow control`);
    if (comp.description) lines.push(`  ${''.padEnd(width)}    ${comp.description}`);
  }
  lines.push('');
  lines.push(`assignment (${a.scheduler}):`);
  for (const sup of a.supervisors) {
    const slots = a.slots.filter((s) => s.supervisor === sup.id);
    lines.push(`  ${sup.id} (${sup.node}): ${slots.length} of ${sup.slots.length} slots used`);
    for (const slot of slots) {
      const ex = a.executors.filter((e) => a.executorSlot.get(e.id) === slot).map((e) => e.id);
      lines.push(`    worker ${slot.id}: ${ex.join(', ')}`);
    }
  }

  const nodes: PlanNode[] = [];
  const edges: PlanEdge[] = [];
  for (const comp of a.components) {
    nodes.push({
      id: `component:${comp.id}`,
      label: comp.id,
      kind: comp.id === ACKER_COMPONENT_ID ? 'acker' : comp.id === TOPOLOGY_MASTER_ID ? 'topology-master' : comp.kind,
      attrs: {
        tasks: (a.componentTasks.get(comp.id) ?? []).length,
        executors: a.executors.filter((e) => e.component === comp.id).length,
        system: comp.system,
        description: comp.description,
      },
    });
    if (comp.kind === 'bolt') {
      for (const s of comp.inputs)
        edges.push({ from: `component:${s.component}`, to: `component:${comp.id}`, label: describeGrouping(s.grouping) });
    }
  }
  if (a.ackerTasks.length > 0) {
    for (const comp of a.components) {
      if (comp.system) continue;
      edges.push({
        from: `component:${comp.id}`,
        to: `component:${ACKER_COMPONENT_ID}`,
        label: comp.kind === 'spout' ? '__ack_init fields(root id)' : '__ack_ack fields(root id)',
      });
      if (comp.kind === 'spout')
        edges.push({ from: `component:${ACKER_COMPONENT_ID}`, to: `component:${comp.id}`, label: '__ack_ack/__ack_fail direct' });
    }
  }
  for (const sup of a.supervisors) {
    if (!a.slots.some((s) => s.supervisor === sup.id)) continue;
    nodes.push({ id: `supervisor:${sup.id}`, label: `${sup.id} (${sup.node})`, kind: 'supervisor' });
  }
  for (const slot of a.slots)
    nodes.push({ id: `worker:${slot.id}`, label: `worker ${slot.id}`, kind: 'worker', parent: `supervisor:${slot.supervisor}` });
  for (const e of a.executors) {
    nodes.push({
      id: `executor:${e.id}`,
      label: e.id,
      kind: 'executor',
      parent: `worker:${a.executorSlot.get(e.id)!.id}`,
      attrs: { component: e.component, startTask: e.startTask, endTask: e.endTask },
    });
  }

  return {
    engine: 'storm',
    text: lines.join('\n'),
    nodes,
    edges,
    details: {
      flavour: c.flavour,
      scheduler: a.scheduler,
      workers: a.slots.map((s) => s.id),
      ackers: a.ackerTasks.length,
      config: { ...c, maxSpoutPending: Number.isFinite(c.maxSpoutPending) ? c.maxSpoutPending : null },
      tasks: Object.fromEntries([...a.componentTasks].map(([k, v]) => [k, [...v]])),
      assignment: Object.fromEntries(a.executors.map((e) => [e.id, a.executorSlot.get(e.id)!.id])),
    },
  };
}
