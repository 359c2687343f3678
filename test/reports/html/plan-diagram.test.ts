import { describe, expect, it } from 'vitest';
import { recomputePlan } from '../../../bench/cli/commands/report.js';
import type { EnginePlan, PlanEdge, PlanNode } from '../../../engines/api/index.js';
import { engines } from '../../../engines/index.js';
import { MAX_DRAWN_NODES, planDiagram, planLayout } from '../../../reports/html/plan-diagram.js';
import { ATTACKS, hostilePlan } from './fixtures.js';

const plan = (nodes: PlanNode[], edges: PlanEdge[]): Pick<EnginePlan, 'nodes' | 'edges'> => ({ nodes, edges });
const inside = (inner: { x: number; y: number; w: number; h: number }, outer: { x: number; y: number; w: number; h: number }) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
const overlap = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A Flink-like plan: a JobGraph of two chains, and an ExecutionGraph of TaskManagers exchanging a shuffle. */
function flinkLike(): Pick<EnginePlan, 'nodes' | 'edges'> {
  const nodes: PlanNode[] = [
    { id: 'task-0', label: 'Source -> split', kind: 'chain' },
    { id: 'op-0', label: 'Source', kind: 'source', parent: 'task-0' },
    { id: 'op-1', label: 'split', kind: 'flatMap', parent: 'task-0' },
    { id: 'task-1', label: 'count -> Sink', kind: 'chain' },
    { id: 'op-2', label: 'count', kind: 'windowAggregate', parent: 'task-1' },
    { id: 'op-3', label: 'Sink', kind: 'sink', parent: 'task-1' },
  ];
  const edges: PlanEdge[] = [
    { from: 'op-0', to: 'op-1', label: 'chained' },
    { from: 'op-1', to: 'op-2', label: 'hash' },
    { from: 'op-2', to: 'op-3', label: 'chained' },
  ];
  for (const tm of [0, 1]) {
    nodes.push(
      { id: `tm-${tm}`, label: `TaskManager ${tm + 1}`, kind: 'taskmanager' },
      { id: `slot-${tm}`, label: 'slot 1', kind: 'slot', parent: `tm-${tm}` },
    );
    for (const t of [0, 1]) nodes.push({ id: `sub-${t}-${tm}`, label: `task ${t} (${tm + 1}/2)`, kind: 'subtask', parent: `slot-${tm}` });
  }
  for (const a of [0, 1])
    for (const b of [0, 1]) edges.push({ from: `sub-0-${a}`, to: `sub-1-${b}`, label: a === b ? 'hash local' : 'hash remote' });
  return plan(nodes, edges);
}

describe('planLayout', () => {
  it('puts every node inside its parent, and siblings apart', () => {
    const layout = planLayout(flinkLike());
    const nodes = flinkLike().nodes;
    for (const n of nodes) {
      const box = layout.nodes.get(n.id)!;
      expect(box.w).toBeGreaterThan(0);
      if (n.parent) expect(inside(box, layout.nodes.get(n.parent)!), `${n.id} in ${n.parent}`).toBe(true);
      for (const m of nodes) {
        if (m.id < n.id && m.parent === n.parent) expect(overlap(box, layout.nodes.get(m.id)!), `${n.id} and ${m.id}`).toBe(false);
      }
      expect(inside(box, { x: 0, y: 0, w: layout.width, h: layout.height })).toBe(true);
    }
  });

  it('lays a pipeline out left to right, and stacks groups that exchange records', () => {
    const l = planLayout(flinkLike()).nodes;
    expect(l.get('op-0')!.x).toBeLessThan(l.get('op-1')!.x);
    expect(l.get('task-0')!.x + l.get('task-0')!.w).toBeLessThan(l.get('task-1')!.x);
    // The two TaskManagers send to each other: one column, one above the other.
    expect(l.get('tm-0')!.x).toBe(l.get('tm-1')!.x);
    expect(l.get('tm-0')!.y + l.get('tm-0')!.h).toBeLessThan(l.get('tm-1')!.y);
    // Inside a slot, the producing subtask is left of the consuming one.
    expect(l.get('sub-0-0')!.x).toBeLessThan(l.get('sub-1-0')!.x);
    // The JobGraph and the ExecutionGraph are not connected: stacked, not side by side.
    expect(l.get('task-0')!.y + l.get('task-0')!.h).toBeLessThan(l.get('tm-0')!.y);
  });

  it('keeps a Storm topology flowing from the spout although the acker acks back to it, and routes skipping edges in lanes below', () => {
    const names = ['events', 'timestamps', 'split', 'count'];
    const nodes: PlanNode[] = [
      ...names.map((n, i) => ({ id: n, label: n, kind: i === 0 ? 'spout' : 'bolt' })),
      { id: '__acker', label: '__acker', kind: 'acker' },
    ];
    const edges: PlanEdge[] = [
      ...names.slice(1).map((n, i) => ({ from: names[i]!, to: n, label: 'localOrShuffle' })),
      ...names.map((n) => ({ from: n, to: '__acker', label: '__ack_ack' })),
      { from: '__acker', to: 'events', label: '__ack_fail direct' },
    ];
    const layout = planLayout(plan(nodes, edges));
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('events')).toBeLessThan(x('timestamps'));
    expect(x('timestamps')).toBeLessThan(x('split'));
    expect(x('count')).toBeLessThan(x('__acker'));
    const bottom = Math.max(...nodes.map((n) => layout.nodes.get(n.id)!.y + layout.nodes.get(n.id)!.h));
    // events -> __acker skips three columns: it has a lane below every box; so has the ack back to the spout.
    expect(layout.laneY.get('events>__acker')).toBeGreaterThan(bottom);
    expect(layout.laneY.get('__acker>events')).toBeGreaterThan(bottom);
    expect(layout.laneY.get('count>__acker')).toBeUndefined(); // neighbouring columns: a direct curve
    // Overlapping lanes are distinct.
    const lanes = ['timestamps>__acker', 'events>__acker', '__acker>events'].map((k) => layout.laneY.get(k));
    expect(new Set(lanes).size).toBe(3);
  });

  it('ignores missing and cyclic parents, self-edges and edges to unknown nodes', () => {
    const layout = planLayout(
      plan(
        [
          { id: 'a', label: 'a', kind: 'x', parent: 'b' },
          { id: 'b', label: 'b', kind: 'x', parent: 'a' },
          { id: 'c', label: 'c', kind: 'x', parent: 'nope' },
          { id: 'c', label: 'dup', kind: 'x' },
        ],
        [
          { from: 'a', to: 'a' },
          { from: 'a', to: 'zzz' },
          { from: 'a', to: 'c' },
        ],
      ),
    );
    expect([...layout.nodes.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const box of layout.nodes.values()) expect(Number.isFinite(box.x + box.y + box.w + box.h)).toBe(true);
  });

  it('packs many unconnected boxes into rows', () => {
    const nodes: PlanNode[] = [{ id: 'w', label: 'worker', kind: 'worker' }];
    for (let i = 0; i < 30; i++) nodes.push({ id: `e${i}`, label: `executor ${i}`, kind: 'executor', parent: 'w' });
    const layout = planLayout(plan(nodes, []));
    const ys = new Set([...layout.nodes].filter(([id]) => id !== 'w').map(([, b]) => b.y));
    expect(ys.size).toBeGreaterThan(1);
    expect(ys.size).toBeLessThan(10);
  });
});

describe('planDiagram', () => {
  it('draws a real engine plan as SVG, with every node and edge label', () => {
    const svg = planDiagram(flinkLike(), 'p0', 'flink plan').html;
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['TaskManager 1', 'Source -&gt; split', 'hash local', 'chained']) expect(svg).toContain(label);
    expect(svg).toContain('id="p0-arrow"');
  });

  it('escapes every text of the plan', () => {
    const svg = planDiagram(hostilePlan('x'), 'p1', ATTACKS[0]!).html;
    expect(svg).not.toMatch(/<script|<img|<!--|<\/script/i);
    expect(svg).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;');
  });

  it('says why when a plan is empty or too large to draw', () => {
    expect(planDiagram(plan([], []), 'p', 't')).toEqual({ html: expect.stringContaining('no nodes'), drawn: false });
    const many = Array.from({ length: MAX_DRAWN_NODES + 1 }, (_, i) => ({ id: `n${i}`, label: `n${i}`, kind: 'op' }));
    expect(planDiagram(plan(many, []), 'p', 't').drawn).toBe(false);
  });

  it('never throws on malformed plans', () => {
    const bad = {
      nodes: [null, 3, { id: 'a' }, { id: 'b', label: 5, kind: null, attrs: 'x' }],
      edges: [null, { from: 'a' }, { from: 'a', to: 'b', label: { x: 1 } }],
    };
    expect(() => planDiagram(bad as unknown as EnginePlan, 'p', 't')).not.toThrow();
    expect(() => planDiagram({} as EnginePlan, 'p', 't')).not.toThrow();
  });

  it('draws the plan of every registered engine, every node within the picture', () => {
    for (const engine of Object.keys(engines)) {
      for (const workload of ['wordcount', 'stateless']) {
        const outcome = recomputePlan(engine, workload, { 'run.parallelism': 2 })!;
        expect('plan' in outcome).toBe(true);
        const p = (outcome as { plan: EnginePlan }).plan;
        expect(planDiagram(p, 'p', engine).drawn, `${engine} ${workload}`).toBe(true);
        const layout = planLayout(p);
        for (const box of layout.nodes.values()) expect(inside(box, { x: 0, y: 0, w: layout.width, h: layout.height })).toBe(true);
      }
    }
  });
});
