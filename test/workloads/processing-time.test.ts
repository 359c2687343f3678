/**
 * Processing-time windows in the dataflow API: the node and its builder, the reference engine closing
 * them on its clock (ManualClock: exact outputs), the engines that reject them as a usage error, and the
 * wordcount option that asks for them with the totals `verify` compares.
 */
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  OptionError,
  session,
  sliding,
  tumbling,
  type AlignedWindowSpec,
  type Dataflow,
  type SinkSet,
  type WindowResult,
} from '../../engines/api/index.js';
import { compileDataflow } from '../../engines/reference/compile.js';
import { flinkEngine } from '../../engines/flink/index.js';
import { stormEngine } from '../../engines/storm/index.js';
import { ManualClock } from '../../engines/runtime/index.js';
import { EventLog } from '../../bench/driver/index.js';
import { LateRecordCounter } from '../../bench/metrics/index.js';
import { totalsPerWord, wordcount } from '../../workloads/wordcount/index.js';
import { comparableOutput } from '../../workloads/index.js';

function flow(spec: AlignedWindowSpec): Dataflow {
  const b = new DataflowBuilder('pt');
  b.source<string>('words')
    .keyBy((w) => w)
    .processingTimeWindow(spec)
    .aggregate(count<string>(), 'count')
    .sink('out');
  return b.build();
}

/** The reference loop's compiled dataflow, fed by hand: each record with the ingest time given. */
function compiled(f: Dataflow) {
  const clock = new ManualClock(0);
  const out: string[] = [];
  const sinks: SinkSet = {
    get: () => ({
      write: (v) => {
        const r = v as WindowResult;
        out.push(`${r.key}@${r.windowStart}-${r.windowEnd}=${String(r.value)}`);
      },
    }),
  };
  const c = compileDataflow(f, { log: new EventLog(1, clock), sinks, clock, metrics: new LateRecordCounter() });
  return {
    out,
    push: (word: string, ingestTime: number) => c.push(word, 0, ingestTime, ingestTime),
    finish: () => c.finish(),
    stats: () => c.stats(),
  };
}

describe('the processingTimeWindow node', () => {
  it('is keyed, tumbling or sliding, and described as processing time', () => {
    const f = flow(sliding(300, 100));
    const node = f.nodes.find((n) => n.kind === 'processingTimeWindow')!;
    expect(node).toMatchObject({ kind: 'processingTimeWindow', name: 'count', window: { kind: 'sliding', size: 300, slide: 100 } });
    const b = new DataflowBuilder('s');
    expect(() =>
      b
        .source<string>('in')
        .keyBy((w) => w)
        .processingTimeWindow(session(10) as unknown as AlignedWindowSpec),
    ).toThrow(/tumbling or sliding, not sessions/);
  });
});

describe('the reference engine closes processing-time windows on its clock', () => {
  it('tumbling: a record falls into the window of its ingest time; ended windows fire when the next record arrives, the rest at the end', () => {
    const r = compiled(flow(tumbling(100)));
    r.push('a', 10);
    r.push('b', 20);
    r.push('a', 99);
    expect(r.out).toEqual([]);
    r.push('a', 100); // [0, 100) has ended
    expect(r.out.sort()).toEqual(['a@0-100=2', 'b@0-100=1']);
    r.push('b', 350); // [100, 200) fires; nothing in [200, 300)
    expect(r.out.slice(2)).toEqual(['a@100-200=1']);
    r.finish();
    expect(r.out.slice(3)).toEqual(['b@300-400=1']);
    expect(r.stats().lateRecordsDropped).toBe(0);
  });

  it('sliding: each record is counted in window / slide windows, so per-key totals are counts x 3', () => {
    const r = compiled(flow(sliding(300, 100)));
    const times = [5, 50, 120, 260, 410, 415, 990];
    times.forEach((t, i) => r.push(i % 2 === 0 ? 'x' : 'y', t));
    r.finish();
    const totals = new Map<string, number>();
    for (const line of r.out) {
      const [key, value] = [line.split('@')[0], Number(line.split('=')[1])];
      totals.set(key, (totals.get(key) ?? 0) + value);
    }
    expect(Object.fromEntries(totals)).toEqual({ x: 4 * 3, y: 3 * 3 });
    expect(r.out.filter((l) => l.startsWith('x@'))).toContain('x@0-300=2'); // t 5 and 120
    expect(r.out).toContain('y@200-500=2'); // t 260 and 415
  });
});

describe('engines without processing-time windows', () => {
  const f = flow(tumbling(1000));
  const io = {
    log: new EventLog(1, new ManualClock(0)),
    sinks: { get: () => ({ write: () => {} }) },
    clock: new ManualClock(0),
    metrics: new LateRecordCounter(),
  };
  for (const engine of [flinkEngine, stormEngine]) {
    it(`${engine.name} rejects them in explain and start, as a usage error naming the operator`, async () => {
      const opts = { parallelism: 1, values: defaultOptionValues(engine.options) };
      expect(() => engine.explain(f, opts)).toThrow(OptionError);
      expect(() => engine.explain(f, opts)).toThrow(
        `the ${engine.name} engine runs event-time windows only: operator 'count' of pt asks for processing-time windows`,
      );
      await expect(engine.start(f, io, opts)).rejects.toThrow(OptionError);
    });
  }
});

describe('wordcount.time=processing', () => {
  const values = (o: Record<string, unknown>) =>
    ({ ...defaultOptionValues(wordcount.options), ...o }) as Parameters<typeof wordcount.dataflow>[0];

  it('builds a processing-time window (tumbling, or sliding with wordcount.slide); event time stays the default', () => {
    expect(wordcount.dataflow(values({})).nodes.map((n) => n.kind)).toContain('windowAggregate');
    const pt = wordcount.dataflow(values({ time: 'processing', window: 3000, slide: 1000 })).nodes.find((n) => n.name === 'count');
    expect(pt).toMatchObject({ kind: 'processingTimeWindow', window: { kind: 'sliding', size: 3000, slide: 1000 } });
    const sl = wordcount.dataflow(values({ window: 3000, slide: 1000 })).nodes.find((n) => n.name === 'count');
    expect(sl).toMatchObject({ kind: 'windowAggregate', window: { kind: 'sliding', size: 3000, slide: 1000 } });
  });

  it('needs a slide that divides the window', () => {
    expect(() => wordcount.dataflow(values({ time: 'processing', window: 3000, slide: 2000 }))).toThrow(OptionError);
    expect(() => wordcount.dataflow(values({ time: 'processing', window: 3000, slide: 2000 }))).toThrow(
      'option wordcount.slide: 2000 ms must divide wordcount.window (3000 ms)',
    );
    expect(() => wordcount.dataflow(values({ window: 3000, slide: 2000 }))).not.toThrow();
  });

  it("is compared by each word's total over all windows; event-time output as emitted", () => {
    const records: WindowResult<string, number>[] = [
      { windowStart: 0, windowEnd: 3, key: 'a', value: 2 },
      { windowStart: 1, windowEnd: 4, key: 'a', value: 1 },
      { windowStart: 1, windowEnd: 4, key: 'b', value: 5 },
    ];
    expect(totalsPerWord(records)).toEqual([
      { key: 'a', total: 3 },
      { key: 'b', total: 5 },
    ]);
    expect(comparableOutput(wordcount, values({ time: 'processing' }), 'counts', records)).toEqual([
      { key: 'a', total: 3 },
      { key: 'b', total: 5 },
    ]);
    expect(comparableOutput(wordcount, values({}), 'counts', records)).toEqual(records);
  });
});
