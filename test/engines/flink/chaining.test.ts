/**
 * Operator chaining, rule by rule (StreamingJobGraphGenerator.isChainable): each row of the table builds a
 * small dataflow in which exactly one rule decides whether an edge chains, and checks the verdict, the
 * resulting tasks and their names.
 */
import { describe, expect, it } from 'vitest';
import { count, DataflowBuilder, tumbling, type Dataflow } from '../../../engines/api/index.js';
import {
  buildJobGraph,
  buildStreamGraph,
  isChainable,
  strategiesChainable,
  type ChainingStrategy,
  type StreamGraph,
} from '../../../engines/flink/index.js';

interface Options {
  parallelism?: number;
  chaining?: boolean;
  maxParallelism?: number | null;
}

function graphs(flow: Dataflow, o: Options = {}) {
  const streamGraph = buildStreamGraph(flow, {
    parallelism: o.parallelism ?? 1,
    chaining: o.chaining ?? true,
    maxParallelism: o.maxParallelism ?? null,
  });
  return { streamGraph, jobGraph: buildJobGraph(streamGraph) };
}

/** The verdict on the edge from operator `from` to operator `to`. */
function verdictOf(g: StreamGraph, from: string, to: string) {
  const a = g.nodes.find((n) => n.node.name === from)!;
  const edge = a.outEdges.find((e) => g.nodes[e.targetId].node.name === to)!;
  return isChainable(edge, g);
}

/** source -> a -> b -> sink, with options on a and b. */
function line(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): Dataflow {
  const flow = new DataflowBuilder('line');
  flow
    .source<number>('src')
    .map((x) => x + 1, { name: 'a', ...a })
    .map((x) => x * 2, { name: 'b', ...b })
    .sink('out');
  return flow.build();
}

describe('chaining rules', () => {
  const rows: {
    rule: string;
    flow: () => Dataflow;
    options?: Options;
    edge: [string, string];
    chainable: boolean;
    reason?: RegExp;
    tasks: string[];
  }[] = [
    {
      rule: 'everything allows it: one task',
      flow: () => line(),
      edge: ['a', 'b'],
      chainable: true,
      tasks: ['Source: src -> a -> b -> Sink: out'],
    },
    {
      rule: '1. the downstream operator has one input (a join has two)',
      edge: ['left', 'joined'],
      chainable: false,
      reason: /has 2 inputs/,
      flow: () => {
        const f = new DataflowBuilder('join');
        const s = f.source<number>('src');
        const l = s.filter((x) => x % 2 === 0, 'left').keyBy((x) => x % 5);
        const r = s.filter((x) => x % 2 === 1, 'right').keyBy((x) => x % 5);
        l.join(r, (x, y) => x + y, 'joined').sink('out');
        return f.build();
      },
      tasks: ['Source: src -> (left, right)', 'joined -> Sink: out'],
    },
    {
      rule: '2. chaining is enabled (flink.chaining=false)',
      flow: () => line(),
      options: { chaining: false },
      edge: ['a', 'b'],
      chainable: false,
      reason: /chaining is disabled/,
      tasks: ['Source: src', 'a', 'b', 'Sink: out'],
    },
    {
      rule: '3. same slot-sharing group',
      flow: () => line({}, { hints: { flink: { slotSharingGroup: 'other' } } }),
      edge: ['a', 'b'],
      chainable: false,
      reason: /slot-sharing groups differ \(default \/ other\)/,
      tasks: ['Source: src -> a', 'b -> Sink: out'],
    },
    {
      rule: '4. the partitioner is forward (keyed input: hash)',
      edge: ['src', 'count'],
      chainable: false,
      reason: /HASH, not FORWARD/,
      flow: () => {
        const f = new DataflowBuilder('keyed');
        f.source<number>('src')
          .keyBy((x) => x % 3)
          .window(tumbling(10))
          .aggregate(count(), 'count')
          .sink('out');
        return f.build();
      },
      tasks: ['Source: src', 'count -> Sink: out'],
    },
    {
      rule: '4. the partitioner is forward (different parallelism: rebalance)',
      flow: () => line({}, { parallelism: 2 }),
      edge: ['a', 'b'],
      chainable: false,
      reason: /REBALANCE, not FORWARD/,
      tasks: ['Source: src -> a', 'b', 'Sink: out'],
    },
    {
      rule: '5. upstream strategy NEVER (disableChaining) chains neither way',
      flow: () => line({ hints: { flink: { disableChaining: true } } }),
      edge: ['a', 'b'],
      chainable: false,
      reason: /NEVER -> ALWAYS/,
      tasks: ['Source: src', 'a', 'b -> Sink: out'],
    },
    {
      rule: '5. downstream strategy HEAD (startNewChain)',
      flow: () => line({}, { hints: { flink: { startNewChain: true } } }),
      edge: ['a', 'b'],
      chainable: false,
      reason: /ALWAYS -> HEAD/,
      tasks: ['Source: src -> a', 'b -> Sink: out'],
    },
    {
      rule: '5. a source (HEAD) chains to ALWAYS',
      flow: () => line(),
      edge: ['src', 'a'],
      chainable: true,
      tasks: ['Source: src -> a -> b -> Sink: out'],
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const { streamGraph, jobGraph } = graphs(row.flow(), row.options);
      const v = verdictOf(streamGraph, ...row.edge);
      expect(v.chainable).toBe(row.chainable);
      if (row.reason) expect(v.reason).toMatch(row.reason);
      expect(jobGraph.vertices.map((x) => x.name)).toEqual(row.tasks);
    });
  }

  it('6. equal parallelism and max parallelism (checked after the partitioner: forced forward edges)', () => {
    const { streamGraph } = graphs(line());
    const a = streamGraph.nodes[1];
    const b = streamGraph.nodes[2];
    const edge = a.outEdges[0];
    const tweak = (bPatch: Partial<typeof b>): StreamGraph => ({
      ...streamGraph,
      nodes: streamGraph.nodes.map((n) => (n === b ? { ...b, ...bPatch } : n)),
    });
    expect(isChainable(edge, tweak({ parallelism: 2 })).reason).toMatch(/parallelisms differ \(1 \/ 2\)/);
    expect(isChainable(edge, tweak({ maxParallelism: 256 })).reason).toMatch(/max parallelisms differ \(128 \/ 256\)/);
  });

  it('5. the chaining-strategy table (areOperatorsChainable)', () => {
    const S: ChainingStrategy[] = ['ALWAYS', 'NEVER', 'HEAD', 'HEAD_WITH_SOURCES'];
    const expected: Record<string, boolean> = {};
    for (const up of S) {
      for (const down of S) {
        for (const src of [false, true]) {
          const ok = up !== 'NEVER' && (down === 'ALWAYS' || (down === 'HEAD_WITH_SOURCES' && src));
          expected[`${up}->${down}${src ? ' (source)' : ''}`] = ok;
        }
      }
    }
    const got: Record<string, boolean> = {};
    for (const up of S)
      for (const down of S)
        for (const src of [false, true]) got[`${up}->${down}${src ? ' (source)' : ''}`] = strategiesChainable(up, down, src);
    expect(got).toEqual(expected);
    expect(got['HEAD->ALWAYS']).toBe(true);
    expect(got['ALWAYS->HEAD_WITH_SOURCES (source)']).toBe(true);
    expect(got['ALWAYS->HEAD_WITH_SOURCES']).toBe(false);
  });

  it('fan-out chains into a tree named as Flink names it, and job edges exist only where chaining stops', () => {
    const f = new DataflowBuilder('tree');
    const s = f.source<number>('src').map((x) => x, 'm');
    s.filter((x) => x > 0, 'pos').sink('a');
    s.filter((x) => x < 0, 'neg').sink('b');
    s.keyBy((x) => x)
      .window(tumbling(5))
      .aggregate(count(), 'c')
      .sink('c-out');
    const { jobGraph } = graphs(f.build(), { parallelism: 3 });
    expect(jobGraph.vertices.map((v) => v.name)).toEqual(['Source: src -> m -> (pos -> Sink: a, neg -> Sink: b)', 'c -> Sink: c-out']);
    expect(jobGraph.edges).toHaveLength(1);
    expect(jobGraph.edges[0].distribution).toBe('ALL_TO_ALL');
    expect(jobGraph.vertices[0].operatorIds).toHaveLength(6);
  });

  it('slot-sharing groups are inherited from inputs that agree', () => {
    const { streamGraph } = graphs(line({ hints: { flink: { slotSharingGroup: 'g' } } }));
    expect(streamGraph.nodes.map((n) => n.slotSharingGroup)).toEqual(['default', 'g', 'g', 'g']);
  });

  it('rejects unknown or malformed flink hints with a one-line error', () => {
    expect(() => graphs(line({ hints: { flink: { chain: true } } }))).toThrow(/unknown flink hint 'chain'/);
    expect(() => graphs(line({ hints: { flink: { slotSharingGroup: 3 } } }))).toThrow(/slotSharingGroup must be a non-empty string/);
  });
});
