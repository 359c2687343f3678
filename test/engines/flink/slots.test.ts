/**
 * Slots: a job needs, per slot-sharing group, as many slots as that group's highest parallelism, summed
 * over groups; subtask i of every vertex of a group shares the group's slot i; TaskManagers are filled one
 * after another; too few slots is a one-line error that says how many are needed.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type Dataflow, type OptionValue } from '../../../engines/api/index.js';
import { flinkEngine, planJob } from '../../../engines/flink/index.js';
import { flinkValues } from './support.js';

/** source(p) -> map(pm, group gm) -> window(pw, group gw) -> sink(pw). */
function flow(o: { pm?: number; gm?: string; pw?: number; gw?: string } = {}): Dataflow {
  const b = new DataflowBuilder('slots');
  b.source<number>('src')
    .map((x) => x, { name: 'm', parallelism: o.pm, hints: o.gm ? { flink: { slotSharingGroup: o.gm } } : {} })
    .keyBy((x) => x % 10)
    .window(tumbling(10))
    .aggregate(count(), { name: 'w', parallelism: o.pw, hints: o.gw ? { flink: { slotSharingGroup: o.gw } } : {} })
    .sink({ name: 'out', parallelism: o.pw });
  return b.build();
}

describe('slot requirements', () => {
  const rows: { name: string; p: number; f: Dataflow; required: number; groups: [string, number][] }[] = [
    { name: 'one group, p 1', p: 1, f: flow(), required: 1, groups: [['default', 1]] },
    { name: 'one group, p 3: the highest parallelism', p: 3, f: flow(), required: 3, groups: [['default', 3]] },
    { name: 'one group, mixed parallelism (map 5, window 2)', p: 3, f: flow({ pm: 5, pw: 2 }), required: 5, groups: [['default', 5]] },
    {
      name: 'two groups: summed (default 3 + windows 2)',
      p: 3,
      f: flow({ pw: 2, gw: 'windows' }),
      required: 5,
      groups: [
        ['default', 3],
        ['windows', 2],
      ],
    },
    {
      name: 'three groups',
      p: 2,
      f: flow({ gm: 'maps', pm: 4, gw: 'windows' }),
      required: 8,
      groups: [
        ['default', 2],
        ['maps', 4],
        ['windows', 2],
      ],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = planJob(row.f, { parallelism: row.p, values: flinkValues() });
      expect(plan.slots.requirements.required).toBe(row.required);
      expect(plan.slots.requirements.groups.map((g) => [g.name, g.slots])).toEqual(row.groups);
      // Default: TaskManagers started on demand, 1 slot each.
      expect(plan.slots.taskManagers).toBe(row.required);
    });
  }

  it("places subtask i of every vertex of a group in the group's slot i, TaskManager by TaskManager", () => {
    const plan = planJob(flow({ pw: 2, gw: 'windows' }), {
      parallelism: 3,
      values: flinkValues({ taskManagers: 3, slotsPerTaskManager: 2 }),
    });
    const place = plan.executionGraph.vertices.flatMap((v) =>
      v.subtasks.map((s) => {
        const slot = plan.slots.slots[plan.slots.slotOf[v.jobVertex.id][s.subtaskIndex]];
        return `${s.taskName} @ TM${slot.taskManager + 1}/slot${slot.slotIndex + 1}`;
      }),
    );
    expect(place).toEqual([
      'Source: src -> m (1/3) @ TM1/slot1',
      'Source: src -> m (2/3) @ TM1/slot2',
      'Source: src -> m (3/3) @ TM2/slot1',
      'w -> Sink: out (1/2) @ TM2/slot2',
      'w -> Sink: out (2/2) @ TM3/slot1',
    ]);
  });

  it('too few slots fails with one line naming the slots needed', () => {
    const cases: [Record<string, OptionValue>, number, RegExp][] = [
      [{ taskManagers: 1 }, 3, /needs 3 slots .* but 1 TaskManager x 1 slot = 1;/],
      [{ taskManagers: 2, slotsPerTaskManager: 2 }, 5, /needs 5 slots .* but 2 TaskManagers x 2 slots = 4;/],
    ];
    for (const [values, p, message] of cases) {
      let error: Error | undefined;
      try {
        planJob(flow(), { parallelism: p, values: flinkValues(values) });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).toMatch(/NoResourceAvailableException/);
      expect(error?.message.includes('\n')).toBe(false);
    }
    expect(() => flinkEngine.explain(flow(), { parallelism: 2, values: flinkValues({ taskManagers: 1 }) })).toThrow(/needs 2 slots/);
  });

  it("Flink's defaults (1 TaskManager, 1 slot) run a parallelism-1 job; a fixed cluster large enough runs a wider one", () => {
    expect(planJob(flow(), { parallelism: 1, values: flinkValues({ taskManagers: 1 }) }).slots.requirements.required).toBe(1);
    const plan = planJob(flow(), { parallelism: 4, values: flinkValues({ taskManagers: 1, slotsPerTaskManager: 4 }) });
    expect(plan.slots.slots.every((s) => s.taskManager === 0)).toBe(true);
  });
});
