/**
 * The spark engine's results equal the reference engine's for the same bounded input without late events:
 * every operator kind of the dataflow API, at parallelism 1 and 3, with the direct and the receiver source
 * and several batch intervals, on seeded random inputs and on the wordcount-ooo fixture. Inputs are
 * spread over many batches (rate limits), so watermarks advance at batch boundaries for real.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  count,
  DataflowBuilder,
  defaultOptionValues,
  reducing,
  session,
  sliding,
  sumOf,
  tumbling,
  type Dataflow,
  type OptionValues,
  type WindowResult,
} from '../../../engines/api/index.js';
import { sparkEngine } from '../../../engines/spark/index.js';
import { stateless } from '../../../workloads/stateless/index.js';
import { wordcount } from '../../../workloads/wordcount/index.js';
import { runBounded, sortedValues } from '../../support/run-bounded.js';
import { expectSameAsReference, prng, runVirtual, type EngineCase } from './support.js';

interface Ev {
  t: number;
  k: string;
  n: number;
  words: string[];
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** Times increase by random steps; each event goes back at most `jitter` (<= maxDelay: nothing late). */
function events(seed: number, n: number, step: number, jitter: number): Ev[] {
  const r = prng(seed);
  const out: Ev[] = [];
  let clock = 10_000;
  for (let i = 0; i < n; i++) {
    clock += r.int(step + 1);
    const words: string[] = [];
    for (let j = r.int(4); j > 0; j--) words.push(r.pick(KEYS));
    out.push({ t: clock - r.int(jitter + 1), k: r.pick(KEYS), n: r.int(100), words });
  }
  return out;
}

/** Session inputs: no record exactly `maxDelay` behind the newest (README's one exception). */
function sessionEvents(seed: number, n: number, maxDelay: number): Ev[] {
  const r = prng(seed);
  const out: Ev[] = [];
  let clock = 10_000;
  let maxSeen = -Infinity;
  for (let i = 0; i < n; i++) {
    clock += r.int(25);
    let t = clock - r.int(maxDelay + 1);
    if (t === maxSeen - maxDelay) t++;
    maxSeen = Math.max(maxSeen, t);
    out.push({ t, k: r.pick(KEYS.slice(0, 4)), n: r.int(10), words: [] });
  }
  return out;
}

const MAX_DELAY = 40;

/** Engine configurations: both sources, several batch intervals, rate limits so inputs span many batches. */
const CASES: EngineCase[] = [
  { label: 'direct, 10 ms batches', values: { batchInterval: 10, maxRatePerPartition: 2000 } },
  { label: 'direct, 50 ms batches', values: { batchInterval: 50, maxRatePerPartition: 400 } },
  {
    label: 'receiver, 30 ms batches, 10 ms blocks',
    values: { source: 'receiver', batchInterval: 30, blockInterval: 10, receiverMaxRate: 3000 },
  },
];

function timestamped(b: DataflowBuilder) {
  return b.source<Ev>('events').withTimestamps((e) => e.t, { maxDelay: MAX_DELAY }, 'timestamps');
}

describe('spark = reference: stateless operators', () => {
  it('map / filter / flatMap chains and fan-out to three sinks', async () => {
    const b = new DataflowBuilder('stateless-mix');
    const src = b.source<Ev>('events');
    src
      .filter((e) => e.n % 2 === 0, 'even')
      .map((e) => ({ k: e.k, twice: e.n * 2 }), 'twice')
      .sink('evens');
    src.flatMap((e) => e.words.map((w) => `${w}${e.n}`), 'words').sink('words-out');
    src.map((e) => e.t, 'times').sink('times-out');
    await expectSameAsReference(sparkEngine, b.build(), events(1, 400, 10, 0), CASES, [1, 3], { minBatches: 4 });
  });

  it('the stateless workload (JSON text parsed, filtered, projected)', async () => {
    const gen = stateless.generator(defaultOptionValues(stateless.options), 5);
    const input = Array.from({ length: 300 }, (_, k) => gen.next(k, 1_000_000 + k));
    await expectSameAsReference(sparkEngine, stateless.dataflow(defaultOptionValues(stateless.options)), input, CASES.slice(0, 2));
  });
});

describe('spark = reference: event-time windows across batches', () => {
  const flows: [string, () => Dataflow][] = [
    [
      'tumbling count of words',
      () => {
        const b = new DataflowBuilder('tumbling');
        timestamped(b)
          .flatMap((e) => e.words, 'split')
          .keyBy((w) => w)
          .window(tumbling(50))
          .aggregate(count<string>(), 'count')
          .sink('out');
        return b.build();
      },
    ],
    [
      'sliding sum',
      () => {
        const b = new DataflowBuilder('sliding');
        timestamped(b)
          .keyBy((e) => e.k)
          .window(sliding(60, 20))
          .aggregate(
            sumOf<Ev>((e) => e.n),
            'sum',
          )
          .sink('out');
        return b.build();
      },
    ],
    [
      'sliding with gaps (slide > size), reducing max',
      () => {
        const b = new DataflowBuilder('gaps');
        timestamped(b)
          .map((e) => e.n, 'n')
          .keyBy((n) => n % 4)
          .window(sliding(30, 50))
          .aggregate(reducing<number>('max', Math.max), 'max')
          .sink('out');
        return b.build();
      },
    ],
    [
      'a window after a window (tumbling 30 counts summed per 90)',
      () => {
        const b = new DataflowBuilder('window-after-window');
        timestamped(b)
          .keyBy((e) => e.k)
          .window(tumbling(30))
          .aggregate(count<Ev>(), 'count30')
          .keyBy((r) => ((r as WindowResult<string, number>).key < 'd' ? 'low' : 'high'))
          .window(tumbling(90))
          .aggregate(
            sumOf<WindowResult<string, number>>((r) => r.value),
            'sum90',
          )
          .sink('out');
        return b.build();
      },
    ],
    [
      'a window with its own parallelism, fanned out to two sinks',
      () => {
        const b = new DataflowBuilder('fanout-window');
        const w = timestamped(b)
          .keyBy((e) => e.k)
          .window(tumbling(40))
          .aggregate(count<Ev>(), { name: 'count', parallelism: 2 });
        w.sink('all');
        w.filter((r) => (r as WindowResult<string, number>).value > 2, 'big').sink('big-out');
        return b.build();
      },
    ],
  ];
  for (const [label, flow] of flows) {
    it(label, async () => {
      await expectSameAsReference(sparkEngine, flow(), events(label.length, 500, 6, MAX_DELAY), CASES, [1, 3], { minBatches: 4 });
    });
  }

  it('session windows', async () => {
    const b = new DataflowBuilder('sessions');
    timestamped(b)
      .keyBy((e) => e.k)
      .window(session(30))
      .aggregate(count<Ev>(), 'sessions')
      .sink('out');
    await expectSameAsReference(sparkEngine, b.build(), sessionEvents(9, 400, MAX_DELAY), CASES, [1, 3], { minBatches: 4 });
  });

  it('a window fed without timestamps fires only at the end of input', async () => {
    const b = new DataflowBuilder('no-watermark');
    b.source<Ev>('events')
      .keyBy((e) => e.k)
      .window(tumbling(100))
      .aggregate(count<Ev>(), 'count')
      .sink('out');
    await expectSameAsReference(sparkEngine, b.build(), events(4, 200, 5, 0), CASES.slice(0, 1));
  });
});

describe('spark = reference: joins', () => {
  it('incremental join of two branches', async () => {
    const b = new DataflowBuilder('join');
    const src = b.source<Ev>('events');
    const left = src.filter((e) => e.n < 50, 'left');
    const right = src.filter((e) => e.n >= 50, 'right');
    left
      .keyBy((e) => e.k)
      .join(
        right.keyBy((e) => e.k),
        (l, r) => `${l.n}-${r.n}`,
        'join',
      )
      .sink('out');
    await expectSameAsReference(sparkEngine, b.build(), events(21, 150, 10, 0), CASES, [1, 3], { minBatches: 3 });
  });

  it('window join of two timestamped branches', async () => {
    const b = new DataflowBuilder('window-join');
    const src = timestamped(b);
    const left = src.filter((e) => e.n % 3 === 0, 'left');
    const right = src.filter((e) => e.n % 3 !== 0, 'right');
    left
      .keyBy((e) => e.k)
      .windowJoin(
        right.keyBy((e) => e.k),
        tumbling(40),
        (l, r, w) => `${w.start}:${l.n}-${r.n}`,
        'wjoin',
      )
      .sink('out');
    await expectSameAsReference(sparkEngine, b.build(), events(22, 300, 6, MAX_DELAY), CASES, [1, 3], { minBatches: 4 });
  });

  it('a self-join (one persisted input shuffled twice)', async () => {
    const b = new DataflowBuilder('self-join');
    const keyed = b
      .source<Ev>('events')
      .filter((e) => e.n < 20, 'few')
      .keyBy((e) => e.k);
    keyed.join(keyed, (l, r) => `${l.n}|${r.n}`, 'self').sink('out');
    await expectSameAsReference(sparkEngine, b.build(), events(23, 200, 10, 0), CASES.slice(0, 2), [1, 3]);
  });
});

describe('spark = reference: other configurations', () => {
  const b = new DataflowBuilder('words');
  timestamped(b)
    .flatMap((e) => e.words, 'split')
    .keyBy((w) => w)
    .window(sliding(40, 20))
    .aggregate(count<string>(), 'count')
    .sink('out');
  const flow = b.build();
  const input = events(77, 500, 6, MAX_DELAY);

  it('updateStateByKey, no map-side combine, concurrent jobs, several executors, two receivers', async () => {
    await expectSameAsReference(
      sparkEngine,
      flow,
      input,
      [
        { label: 'updateStateByKey', values: { batchInterval: 20, maxRatePerPartition: 2000, stateMode: 'updateStateByKey' } },
        { label: 'no map-side combine', values: { batchInterval: 20, maxRatePerPartition: 2000, mapSideCombine: false } },
        { label: 'concurrentJobs 3', values: { batchInterval: 10, maxRatePerPartition: 3000, concurrentJobs: 3 } },
        { label: '3 executors x 1 core', values: { batchInterval: 20, maxRatePerPartition: 2000, executors: 3, coresPerExecutor: 1 } },
        { label: 'backpressure', values: { batchInterval: 20, backpressure: true, backpressureInitialRate: 2000 } },
      ],
      [3],
      { minBatches: 3 },
    );
  });

  it('two receivers, each reading two of four log partitions', async () => {
    // Receivers get equal rates; with unequal partition shares one would run ahead in event time and
    // make the other's records late, as in Spark.
    await expectSameAsReference(
      sparkEngine,
      flow,
      input,
      [
        {
          label: 'two receivers',
          values: { source: 'receiver', receivers: 2, coresPerExecutor: 3, batchInterval: 40, blockInterval: 20, receiverMaxRate: 1500 },
        },
      ],
      [4],
      { minBatches: 3 },
    );
  });

  it('on the system clock too (runBounded), both sources', async () => {
    await expectSameAsReference(
      sparkEngine,
      flow,
      input,
      [
        { label: 'direct, real time', values: { batchInterval: 10, maxRatePerPartition: 10_000 }, realTime: true },
        {
          label: 'receiver, real time',
          values: { source: 'receiver', batchInterval: 10, blockInterval: 5, receiverMaxRate: 20_000 },
          realTime: true,
        },
      ],
      [1, 3],
    );
  });
});

describe('the wordcount workload', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
  const input = readFileSync(fixture('wordcount-ooo.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => wordcount.parseInputLine(l));
  const expected = readFileSync(fixture('wordcount-ooo.expected.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const flow = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 5000, maxDelay: 2000 });

  it('wordcount-ooo (window 5000, maxDelay 2000) gives the expected file, both sources, p = 1 and 3, one batch or many', async () => {
    for (const parallelism of [1, 3]) {
      const configs: OptionValues[] = [
        {},
        { batchInterval: 20 },
        { batchInterval: 10, maxRatePerPartition: 1000 },
        { source: 'receiver', batchInterval: 20, blockInterval: 5, receiverMaxRate: 2000 },
      ];
      for (const values of configs) {
        const r = await runVirtual(sparkEngine, flow, input, { parallelism, values });
        expect(sortedValues(r.sinks.counts), `${JSON.stringify(values)} p=${parallelism}`).toEqual(expected);
        expect(r.late.total).toBe(0);
      }
      const real = await runBounded(sparkEngine, flow, input, { parallelism, values: { batchInterval: 25 } });
      expect(sortedValues(real.sinks.counts)).toEqual(expected);
    }
  });

  it("random wordcount inputs in the workload's own shape", async () => {
    const gen = wordcount.generator({ ...defaultOptionValues(wordcount.options), keys: 50, disorder: 150 }, 3);
    const input2 = Array.from({ length: 400 }, (_, k) => gen.next(k, 2_000_000 + k * 7));
    const flow2 = wordcount.dataflow({ ...defaultOptionValues(wordcount.options), window: 300, maxDelay: 150 });
    await expectSameAsReference(sparkEngine, flow2, input2, CASES, [1, 3], { minBatches: 3 });
  });
});
