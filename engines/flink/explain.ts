/**
 * `streamarena explain -e flink`: the JobGraph (which operators were chained into which task, and why an
 * edge was not chained), the ExecutionGraph (subtasks -> slots -> TaskManagers), and the network edges
 * with their partitioners, as text and as nodes and edges.
 */
import type { EnginePlan, PlanEdge, PlanNode } from '../api/index.js';
import { isChainable } from './client/job-graph.js';
import { describeStreamNode, partitionerName } from './client/stream-graph.js';
import type { JobPlan } from './jobmanager/job-plan.js';

export function explainJob(plan: JobPlan): EnginePlan {
  const { config, streamGraph, jobGraph, executionGraph, slots } = plan;
  const nodes: PlanNode[] = [];
  const edges: PlanEdge[] = [];
  const lines: string[] = [];
  const ms = (v: number | null, off: string) => (v === null ? off : `${v} ms`);

  lines.push(
    `flink: job '${jobGraph.jobName}', parallelism ${config.parallelism}, chaining ${config.chaining ? 'on' : 'off'}, object reuse ${config.objectReuse ? 'on (records passed by reference)' : 'off (records copied between chained operators)'}`,
  );
  lines.push('');
  lines.push(`JobGraph: ${jobGraph.vertices.length} task${jobGraph.vertices.length === 1 ? '' : 's'} (chains)`);
  for (const v of jobGraph.vertices) {
    const keyed = streamGraph.nodes[v.headId].inEdges.some((e) => e.partitioner.kind === 'hash');
    lines.push(`  [${v.id + 1}] ${v.name}`);
    lines.push(
      `      parallelism ${v.parallelism}, slot-sharing group '${v.slotSharingGroup}'${keyed ? `, ${v.maxParallelism} key groups` : ''}`,
    );
    for (const id of v.operatorIds) lines.push(`      - ${describeStreamNode(streamGraph.nodes[id])}`);
    nodes.push({
      id: `task-${v.id}`,
      label: v.name,
      kind: 'chain',
      attrs: {
        parallelism: v.parallelism,
        slotSharingGroup: v.slotSharingGroup,
        maxParallelism: v.maxParallelism,
        operators: v.operatorIds.length,
      },
    });
    for (const id of v.operatorIds) {
      const n = streamGraph.nodes[id];
      nodes.push({
        id: `op-${id}`,
        label: n.operatorName,
        kind: n.node.kind,
        parent: `task-${v.id}`,
        attrs: { chainingStrategy: n.chainingStrategy },
      });
    }
    for (const e of v.chainedEdges) edges.push({ from: `op-${e.sourceId}`, to: `op-${e.targetId}`, label: 'chained' });
  }
  lines.push('');
  lines.push('Network edges (JobEdges, PIPELINED_BOUNDED):');
  if (jobGraph.edges.length === 0) lines.push('  none: the whole job is chained');
  for (const e of jobGraph.edges) {
    const from = streamGraph.nodes[e.streamEdge.sourceId];
    const to = streamGraph.nodes[e.streamEdge.targetId];
    const why = isChainable(e.streamEdge, streamGraph).reason;
    const p = e.streamEdge.partitioner;
    const part = p.kind === 'hash' ? `HASH (key groups of ${p.maxParallelism})` : partitionerName(p);
    const side = to.inEdges.length > 1 ? ` input ${e.streamEdge.typeNumber + 1}` : '';
    lines.push(
      `  [${e.sourceVertex + 1}] ${from.operatorName} -> [${e.targetVertex + 1}] ${to.operatorName}${side}: ${part}, ${e.distribution}; not chained: ${why}`,
    );
    edges.push({ from: `op-${from.id}`, to: `op-${to.id}`, label: p.kind === 'hash' ? 'hash' : p.kind });
  }
  lines.push('');
  lines.push(
    `ExecutionGraph: ${executionGraph.vertices.reduce((n, v) => n + v.subtasks.length, 0)} subtasks in ${slots.requirements.required} slot${slots.requirements.required === 1 ? '' : 's'} ` +
      `(${slots.requirements.groups.map((g) => `group '${g.name}': ${g.slots}`).join(', ')}) on ${slots.taskManagers} TaskManager${slots.taskManagers === 1 ? '' : 's'} x ${slots.slotsPerTaskManager} slot${slots.slotsPerTaskManager === 1 ? '' : 's'}` +
      `${config.taskManagers === null ? ' (started on demand)' : ''}`,
  );
  for (let tm = 0; tm < slots.taskManagers; tm++) {
    lines.push(`  TaskManager ${tm + 1}`);
    nodes.push({ id: `tm-${tm}`, label: `TaskManager ${tm + 1}`, kind: 'taskmanager' });
    for (const s of slots.slots.filter((x) => x.taskManager === tm)) {
      nodes.push({ id: `slot-${s.slot}`, label: `slot ${s.slotIndex + 1}`, kind: 'slot', parent: `tm-${tm}`, attrs: { group: s.group } });
      const held: string[] = [];
      for (const ejv of executionGraph.vertices) {
        for (const ev of ejv.subtasks) {
          if (slots.slotOf[ejv.jobVertex.id][ev.subtaskIndex] !== s.slot) continue;
          held.push(ev.taskName);
          nodes.push({
            id: `subtask-${ejv.jobVertex.id}-${ev.subtaskIndex}`,
            label: ev.taskName,
            kind: 'subtask',
            parent: `slot-${s.slot}`,
            attrs: {
              task: `task-${ejv.jobVertex.id}`,
              subtask: ev.subtaskIndex,
              keyGroups: `${ev.keyGroupRange.start}-${ev.keyGroupRange.end}`,
            },
          });
        }
      }
      lines.push(`    slot ${s.slotIndex + 1} (group '${s.group}'): ${held.length ? held.join('; ') : 'free'}`);
    }
  }
  for (const e of jobGraph.edges) {
    for (const conn of executionGraph.connections[e.id]) {
      const ptm = slots.slots[slots.slotOf[e.sourceVertex][conn.producerSubtask]].taskManager;
      const ctm = slots.slots[slots.slotOf[e.targetVertex][conn.consumerSubtask]].taskManager;
      edges.push({
        from: `subtask-${e.sourceVertex}-${conn.producerSubtask}`,
        to: `subtask-${e.targetVertex}-${conn.consumerSubtask}`,
        label: `${e.streamEdge.partitioner.kind} ${ptm === ctm ? 'local' : 'remote'}`,
      });
    }
  }
  lines.push('');
  lines.push(
    `Network: ${config.bufferSize}-byte buffers flushed when full, every ${ms(config.bufferTimeout, 'never (only when full)')} (buffer timeout)` +
      ` or on a barrier/end of partition; credits: ${config.buffersPerChannel} exclusive per channel + ${config.floatingBuffersPerGate} floating per gate; ` +
      `at most ${config.maxBuffersPerChannel} queued per subpartition`,
  );
  lines.push(
    `Watermarks: periodic every ${config.watermarkInterval} ms where timestamps are assigned; minimum over input channels downstream`,
  );
  lines.push(
    `Checkpoints: ${config.checkpointInterval === null ? 'off' : `every ${config.checkpointInterval} ms, ${config.checkpointMode === 'exactly_once' ? 'exactly once (aligned barriers)' : 'at least once (no alignment)'}, timeout ${config.checkpointTimeout} ms, state files in ${config.checkpointDir ?? 'a temporary directory (removed when the job ends)'}`}`,
  );

  return {
    engine: 'flink',
    text: lines.join('\n'),
    nodes,
    edges,
    details: {
      jobGraph: jobGraph.vertices.map((v) => ({
        id: v.id,
        name: v.name,
        operators: v.operatorIds.map((id) => streamGraph.nodes[id].node.name),
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        slotSharingGroup: v.slotSharingGroup,
      })),
      jobEdges: jobGraph.edges.map((e) => ({
        from: e.sourceVertex,
        to: e.targetVertex,
        fromOperator: streamGraph.nodes[e.streamEdge.sourceId].node.name,
        toOperator: streamGraph.nodes[e.streamEdge.targetId].node.name,
        input: e.streamEdge.typeNumber,
        partitioner: partitionerName(e.streamEdge.partitioner),
        distribution: e.distribution,
        notChainedBecause: isChainable(e.streamEdge, streamGraph).reason,
      })),
      slots: {
        taskManagers: slots.taskManagers,
        slotsPerTaskManager: slots.slotsPerTaskManager,
        required: slots.requirements.required,
        groups: slots.requirements.groups.map((g) => ({ name: g.name, slots: g.slots })),
      },
      executionGraph: executionGraph.vertices.flatMap((ejv) =>
        ejv.subtasks.map((ev) => {
          const slot = slots.slots[slots.slotOf[ejv.jobVertex.id][ev.subtaskIndex]];
          return {
            task: ev.taskName,
            taskManager: slot.taskManager + 1,
            slot: slot.slotIndex + 1,
            keyGroups: [ev.keyGroupRange.start, ev.keyGroupRange.end],
          };
        }),
      ),
    },
  };
}
