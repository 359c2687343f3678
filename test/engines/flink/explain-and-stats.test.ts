/**
 * What the flink engine shows: `explain` (JobGraph with chained operators, network edges with their
 * partitioners, ExecutionGraph of subtasks in slots on TaskManagers) as text and nodes/edges, and the
 * engineStats shape the HTML report reads. Plus its options and their one-line errors.
 */
import { describe, expect, it } from 'vitest';
import { defaultOptionValues, parseOptionValue } from '../../../engines/api/index.js';
import { engines } from '../../../engines/index.js';
import { flinkEngine, flinkOptions } from '../../../engines/flink/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { runBounded } from '../../support/run-bounded.js';
import { flinkValues } from './support.js';

const wc = () => wordcount.dataflow(defaultOptionValues(wordcount.options));

describe('explain', () => {
  it('is registered and prints the JobGraph, the network edges and the ExecutionGraph', () => {
    expect(engines.flink).toBe(flinkEngine);
    const plan = flinkEngine.explain(wc(), { parallelism: 3, values: flinkValues() });
    expect(plan.engine).toBe('flink');
    const text = plan.text;
    expect(text).toContain('[1] Source: events -> timestamps -> split');
    expect(text).toContain('[2] count -> Sink: counts');
    expect(text).toContain('split -> [2] count: HASH (key groups of 128), ALL_TO_ALL; not chained: the partitioner is HASH, not FORWARD');
    expect(text).toContain('ExecutionGraph: 6 subtasks in 3 slots');
    expect(text).toMatch(
      /TaskManager 3\n\s+slot 1 \(group 'default'\): Source: events -> timestamps -> split \(3\/3\); count -> Sink: counts \(3\/3\)/,
    );
    expect(text).toContain('Checkpoints: off');
    const withDir = flinkEngine.explain(wc(), {
      parallelism: 1,
      values: flinkValues({ checkpointInterval: 1000, checkpointDir: '/data/chk' }),
    });
    expect(withDir.text).toContain(
      'Checkpoints: every 1000 ms, exactly once (aligned barriers), timeout 600000 ms, state files in /data/chk',
    );
    expect(flinkEngine.explain(wc(), { parallelism: 1, values: flinkValues({ checkpointInterval: 1000 }) }).text).toContain(
      'state files in a temporary directory (removed when the job ends)',
    );
    // Nodes: chains with their operators, TaskManagers > slots > subtasks; edges: chained calls and channels.
    const kinds = (k: string) => plan.nodes.filter((n) => n.kind === k);
    expect(kinds('chain')).toHaveLength(2);
    expect(kinds('taskmanager')).toHaveLength(3);
    expect(kinds('slot').every((s) => s.parent?.startsWith('tm-'))).toBe(true);
    expect(kinds('subtask')).toHaveLength(6);
    expect(plan.edges.filter((e) => e.label === 'chained')).toHaveLength(3);
    expect(plan.edges.filter((e) => e.label?.startsWith('hash '))).toHaveLength(9);
    expect(plan.edges.filter((e) => e.label === 'hash local')).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(plan.details))).toMatchObject({ slots: { taskManagers: 3, slotsPerTaskManager: 1, required: 3 } });
  });

  it('chaining off: one task per operator, forward edges on the network', () => {
    const plan = flinkEngine.explain(wc(), { parallelism: 1, values: flinkValues({ chaining: false }) });
    expect(plan.text).toContain('JobGraph: 5 tasks');
    expect(plan.text).toContain('Source: events -> [2] timestamps: FORWARD, POINTWISE; not chained: chaining is disabled');
  });
});

describe('engineStats', () => {
  it('has the agreed shape and is JSON', async () => {
    const input = Array.from({ length: 300 }, (_, k) => ({ time: k * 10, text: `a b c${k % 5}` }));
    const r = await runBounded(flinkEngine, wc(), input, { parallelism: 3 });
    const s = JSON.parse(JSON.stringify(r.stats)) as Record<string, any>;
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['chains', 'tasks', 'buffers', 'checkpoints', 'slots', 'lateRecordsDropped']));
    expect(s.chains).toEqual([
      { task: 'Source: events -> timestamps -> split', operators: ['events', 'timestamps', 'split'], parallelism: 3 },
      { task: 'count -> Sink: counts', operators: ['count', 'counts'], parallelism: 3 },
    ]);
    expect(s.tasks).toHaveLength(6);
    for (const t of s.tasks) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['name', 'subtask', 'busyMs', 'backPressuredMs', 'recordsIn', 'recordsOut']));
      for (const k of ['subtask', 'busyMs', 'backPressuredMs', 'recordsIn', 'recordsOut']) expect(typeof t[k]).toBe('number');
    }
    const sources = s.tasks.filter((t: any) => t.name.startsWith('Source'));
    expect(sources.reduce((n: number, t: any) => n + t.recordsIn, 0)).toBe(300);
    const windows = s.tasks.filter((t: any) => t.name.startsWith('count'));
    expect(windows.reduce((n: number, t: any) => n + t.recordsIn, 0)).toBe(900); // 3 words per event
    expect(Object.keys(s.buffers)).toEqual(
      expect.arrayContaining(['sent', 'avgFillRatio', 'flushedByTimeout', 'flushedFull', 'flushedByEvent']),
    );
    expect(s.buffers.sent).toBeGreaterThan(0);
    expect(s.checkpoints).toEqual([]);
    expect(s.slots).toEqual({ taskManagers: 3, slotsPerTaskManager: 1, required: 3 });
    expect(s.lateRecordsDropped).toBe(0);
  });
});

describe('options', () => {
  it("have Flink's defaults", () => {
    expect(defaultOptionValues(flinkOptions)).toEqual({
      chaining: true,
      objectReuse: false,
      taskManagers: null,
      slotsPerTaskManager: 1,
      maxParallelism: null,
      bufferSize: 32768,
      bufferTimeout: 100,
      buffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      maxBuffersPerChannel: 10,
      watermarkInterval: 200,
      checkpointInterval: null,
      checkpointMode: 'exactly_once',
      checkpointDir: null,
      checkpointTimeout: 600_000,
      restartStrategy: 'default',
      restartAttempts: 2_147_483_647,
      restartDelay: 1000,
      heartbeatInterval: 10_000,
      heartbeatTimeout: 50_000,
      sinkCommit: 'plain',
      registrationTimeout: 60_000,
      jobManagerPort: null,
    });
  });

  it('parse and reject values with one-line messages', () => {
    const spec = (k: string) => flinkOptions.find((o) => o.key === k)!;
    expect(parseOptionValue(spec('checkpointInterval'), '1s')).toBe(1000);
    expect(parseOptionValue(spec('bufferTimeout'), 'off')).toBeNull();
    expect(() => parseOptionValue(spec('checkpointInterval'), '5ms', 'flink.checkpointInterval')).toThrow(/below the minimum 10/);
    expect(() => parseOptionValue(spec('checkpointMode'), 'maybe', 'flink.checkpointMode')).toThrow(
      /not one of exactly_once, at_least_once/,
    );
  });

  it("max parallelism below an operator's parallelism is a clear error", () => {
    expect(() => flinkEngine.explain(wc(), { parallelism: 4, values: flinkValues({ maxParallelism: 2 }) })).toThrow(
      /maximum parallelism \(2\) of operator events is smaller than its parallelism \(4\)/,
    );
  });
});
